//! Rapporteurs assigned to sessions: only they review a session's agenda.

pub mod api;
pub mod domain;
pub mod service;
pub mod store;

use crate::api;
use crate::capability::Capability;
use crate::web::routes::{Access, Routes};

/// The rapporteurs capability, as the app lists it.
pub const CAPABILITY: Capability = Capability {
    name: "rapporteurs",
    mount,
    reacts: None,
};

/// Mounts the routes, each with who may call it.
fn mount(r: &mut Routes) {
    api!(r, Access::Organiser, api::put_rapporteurs);
}
