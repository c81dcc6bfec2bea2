//! ITU-D meetings (SG1 plenaries, Rapporteur Group meetings) that sessions are held along with.

pub mod api;
pub mod domain;
pub mod pages;
pub mod service;
pub mod store;
