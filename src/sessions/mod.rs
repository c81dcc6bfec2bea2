//! Ad-hoc sessions, seminars and workshops held along with a meeting.

pub mod api;
pub mod domain;
pub mod pages;
pub mod service;
pub mod store;
