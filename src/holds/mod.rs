//! Calendar holds: who holds a session's invitation, and the REQUEST or CANCEL each change sends them.

pub mod domain;
pub mod notices;
pub mod service;
pub mod store;

use crate::capability::Capability;

/// Calendar holds follow sessions and their room bookings; they add no routes.
pub const CAPABILITY: Capability = Capability {
    name: "holds",
    mount: |_| {},
    reacts: Some(service::react),
};
