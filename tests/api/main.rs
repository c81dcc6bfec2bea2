//! One integration-test binary, so the suite links once.

mod support;

mod accounts;
mod cli;
mod errors;
mod meetings;
mod openapi;
mod ops;
mod pages;
mod sessions;

mod access_audit;
mod browser;
mod csrf;
mod limits;
mod permissions;
mod permissions_table;
mod signin;
mod users;
