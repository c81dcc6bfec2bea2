//! Accounts, roles, passwords, API tokens and the extractors that guard every handler.

pub mod api;
pub mod domain;
pub mod extract;
pub mod links;
pub mod secrets;
pub mod service;
pub mod store;

pub mod csrf;
pub mod limits;
pub mod links_api;
pub mod pages;
pub mod password_pages;
pub mod passwords;
pub mod rapporteurs;
pub mod session;
pub mod signin;
pub mod users;
pub mod users_api;
pub mod users_pages;

pub use domain::{Role, User};
pub use extract::{Admin, Caller, FocalPoint, Organiser, Staff};
