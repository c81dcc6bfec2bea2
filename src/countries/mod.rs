//! Countries and their group (developed, developing, LDC), from reference data shipped in the repo.

pub mod api;
pub mod domain;
pub mod pages;
pub mod service;
pub mod store;

pub use domain::{Country, CountryGroup};
