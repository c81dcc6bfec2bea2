//! Approved versions: listed, read whole, compared, and the latest as the public programme.

pub mod api;
pub mod domain;
pub mod service;
pub mod store;

use crate::api;
use crate::web::routes::{Access, Routes};

/// Mounts the routes, each with who may call it.
pub fn mount(r: &mut Routes) {
    api!(r, Access::Anyone, api::versions);
    api!(r, Access::Anyone, api::version);
    api!(r, Access::Anyone, api::diff);
    api!(r, Access::Anyone, api::programme);
}
