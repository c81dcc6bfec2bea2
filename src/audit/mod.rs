//! The audit trail: who changed what, on which record, when.

pub mod api;
pub mod domain;
pub mod pages;
pub mod service;
pub mod store;

pub use domain::Actor;

use actix_web::http::Method;

use crate::api;
use crate::capability::Capability;
use crate::web::routes::{Access, Routes};

/// The audit capability, as the app lists it.
pub const CAPABILITY: Capability = Capability {
    name: "audit",
    mount,
    reacts: None,
};

/// Mounts the routes, each with who may call it.
fn mount(r: &mut Routes) {
    api!(r, Access::Admin, api::list);
    r.page(
        Method::GET,
        "/admin/audit",
        Access::Admin,
        pages::audit_page,
    );
}
