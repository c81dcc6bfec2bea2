//! Secret links: a link opens one record for one purpose, for people without accounts (delegates,
//! speakers, focal points deciding from an email) and for account set-up and resets.

pub mod api;
pub mod domain;
pub mod service;
pub mod store;

pub use domain::Purpose;

use crate::api;
use crate::capability::Capability;
use crate::web::routes::{Access, Routes};

/// The links capability, as the app lists it.
pub const CAPABILITY: Capability = Capability {
    name: "links",
    mount,
    reacts: None,
};

/// Mounts the routes, each with who may call it.
fn mount(r: &mut Routes) {
    api!(r, Access::Organiser, api::reissue_link);
    api!(r, Access::Organiser, api::revoke_link);
}
