//! Delegate registration by stakeholder category and country group, with capacity, waiting list,
//! approval by focal points, statistics and the participants' directory.

pub mod api;
pub mod bulk;
pub mod chart;
pub mod decide;
pub mod domain;
pub mod input;
pub mod notify;
pub mod pages;
pub mod reports;
pub mod service;
pub mod staff_pages;
pub mod stats;
pub mod store;
pub mod views;
