//! Decisions on registrations: focal points (and organisers) approve or reject, one or in bulk.

pub mod api;
pub mod bulk;
pub mod domain;
pub mod pages;
pub mod service;

use actix_web::http::Method;

use crate::api;
use crate::web::routes::{Access, Routes};

/// Mounts the routes, each with who may call it.
pub fn mount(r: &mut Routes) {
    api!(r, Access::Staff, api::approve);
    api!(r, Access::Staff, api::reject);
    api!(r, Access::Staff, api::bulk);
    r.page(
        Method::GET,
        "/decisions/{token}",
        Access::Anyone,
        pages::decision,
    );
    r.page(
        Method::POST,
        "/decisions/{token}",
        Access::Anyone,
        pages::decide_page,
    );
    r.page(
        Method::POST,
        "/sessions/{id}/registrations/bulk",
        Access::Staff,
        pages::bulk,
    );
}
