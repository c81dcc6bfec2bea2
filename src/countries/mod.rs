//! Countries and their group (developed, developing, LDC), from reference data shipped in the repo.

pub mod api;
pub mod csv;
pub mod domain;
pub mod pages;
pub mod service;
pub mod store;

pub use domain::{Country, CountryGroup};

use actix_web::http::Method;

use crate::api;
use crate::capability::Capability;
use crate::web::routes::{Access, Routes};

/// The countries capability, as the app lists it.
pub const CAPABILITY: Capability = Capability {
    name: "countries",
    mount,
    reacts: None,
};

/// Mounts the routes, each with who may call it.
fn mount(r: &mut Routes) {
    api!(r, Access::Anyone, api::list);
    api!(r, Access::Admin, api::import);
    r.page(Method::GET, "/admin/countries", Access::Admin, pages::show);
    r.page(
        Method::POST,
        "/admin/countries",
        Access::Admin,
        pages::import,
    );
}
