//! Calendar holds: who holds a session's invitation, and the REQUEST or CANCEL each change sends them.

pub mod service;

use crate::capability::Capability;

/// Calendar holds follow sessions; they add no routes.
pub const CAPABILITY: Capability = Capability {
    name: "holds",
    mount: |_| {},
    reacts: Some(service::react),
};
