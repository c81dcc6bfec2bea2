//! Calendar feeds (METHOD:PUBLISH): a public one per session, and a private one behind each secret link.

pub mod pages;
pub mod service;
