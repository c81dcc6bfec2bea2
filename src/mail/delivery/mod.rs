//! Delivery: the worker that claims due messages with a lease, builds them, sends them through a
//! transport (SMTP or .eml files) and records each outcome.

pub mod domain;
pub mod message;
pub mod store;
pub mod transport;
pub mod worker;
