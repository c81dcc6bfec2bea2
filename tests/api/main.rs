//! One integration-test binary, so the suite links once.

mod support;

mod accounts;
mod cli;
mod errors;
mod meetings;
mod openapi;
mod ops;
mod pages;
mod registrations;
mod sessions;
