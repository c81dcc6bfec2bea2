//! Countries and their group (developed, developing, LDC), from reference data shipped in the repo.

pub mod domain;

pub use domain::{Country, CountryGroup};
