//! Calendar feeds (METHOD:PUBLISH): a public one per session, and a private one behind each secret link.

pub mod pages;
pub mod service;

use actix_web::http::Method;

use crate::capability::Capability;
use crate::web::routes::{Access, Routes};

/// The feeds capability, as the app lists it.
pub const CAPABILITY: Capability = Capability {
    name: "feeds",
    mount,
    reacts: None,
};

/// Mounts the routes, each with who may call it.
fn mount(r: &mut Routes) {
    r.page(
        Method::GET,
        "/sessions/{id}/calendar.ics",
        Access::Anyone,
        pages::session,
    );
    r.page(
        Method::GET,
        "/feeds/{token}.ics",
        Access::Anyone,
        pages::holder,
    );
}
