//! ITU-D meetings (SG1 plenaries, Rapporteur Group meetings) that sessions are held along with.

pub mod api;
pub mod domain;
pub mod pages;
pub mod pages_forms;
pub mod service;
pub mod store;

use actix_web::http::Method;

use crate::api;
use crate::capability::Capability;
use crate::web::routes::{Access, Routes};

/// The meetings capability, as the app lists it.
pub const CAPABILITY: Capability = Capability {
    name: "meetings",
    mount,
    reacts: None,
};

/// Mounts the routes, each with who may call it.
fn mount(r: &mut Routes) {
    api!(r, Access::Organiser, api::create);
    api!(r, Access::Anyone, api::list);
    api!(r, Access::Anyone, api::get);
    r.page(Method::GET, "/", Access::Anyone, pages::home);
    // Staff forms; "/staff/meetings/new" before the workspace's "/staff/meetings/{id}".
    r.page(
        Method::GET,
        "/staff/meetings/new",
        Access::Organiser,
        pages_forms::new_form,
    );
    r.page(
        Method::POST,
        "/staff/meetings",
        Access::Organiser,
        pages_forms::create,
    );
    r.page(
        Method::GET,
        "/staff/meetings/{id}/edit",
        Access::Organiser,
        pages_forms::edit_form,
    );
    r.page(
        Method::POST,
        "/staff/meetings/{id}/edit",
        Access::Organiser,
        pages_forms::update,
    );
}
