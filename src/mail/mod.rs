//! Mail: the transactional outbox, message building, templates, calendar invitations and delivery.

pub mod api;
pub mod delivery;
pub mod notice;
pub mod pages;
pub mod redact;
pub mod service;
pub mod store;

/// The delivery machinery, as the app, the command line and the tests reach it.
pub use delivery::{message, transport, worker};
/// The outbox's writing end, as every capability reaches it: `mail::outbox::enqueue(..)`.
pub use store as outbox;

use actix_web::http::Method;

use crate::api;
use crate::capability::Capability;
use crate::web::routes::{Access, Routes};

/// The outbox capability, as the app lists it.
pub const CAPABILITY: Capability = Capability {
    name: "outbox",
    mount,
    reacts: None,
};

/// Mounts the routes, each with who may call it.
fn mount(r: &mut Routes) {
    api!(r, Access::Organiser, api::list);
    api!(r, Access::Organiser, api::retry);
    r.page(Method::GET, "/outbox", Access::Organiser, pages::list);
}
