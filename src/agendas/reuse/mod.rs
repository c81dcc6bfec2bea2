//! Reuse: an agenda started from an earlier approved one, a session copied to another meeting.

pub mod api;
pub mod domain;
pub mod pages;
pub mod service;

use actix_web::http::Method;

use crate::api;
use crate::web::routes::{Access, Routes};

/// Mounts the routes, each with who may call it.
pub fn mount(r: &mut Routes) {
    api!(r, Access::Organiser, api::start_from);
    api!(r, Access::Organiser, api::copy);
    r.page(
        Method::POST,
        "/sessions/{id}/agenda/start-from",
        Access::Organiser,
        pages::start_from,
    );
    r.page(
        Method::GET,
        "/sessions/{id}/copy",
        Access::Organiser,
        pages::copy_page,
    );
    r.page(
        Method::POST,
        "/sessions/{id}/copy",
        Access::Organiser,
        pages::copy,
    );
}
