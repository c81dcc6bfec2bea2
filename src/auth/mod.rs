//! Accounts, roles, passwords, API tokens and the extractors that guard every handler.

pub mod api;
pub mod domain;
pub mod extract;
pub mod links;
pub mod secrets;
pub mod service;
pub mod store;

pub use domain::{Role, User};
pub use extract::{Admin, Caller, Organiser, Staff};
