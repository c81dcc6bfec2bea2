//! The approval workflow: submit, withdraw, approve, request changes, and the rapporteurs' pages.

pub mod api;
pub mod pages;
pub mod service;

use actix_web::http::Method;

use crate::api;
use crate::web::routes::{Access, Routes};

/// Mounts the routes, each with who may call it.
pub fn mount(r: &mut Routes) {
    api!(r, Access::Organiser, api::submit);
    api!(r, Access::Organiser, api::withdraw);
    api!(r, Access::Staff, api::approve);
    api!(r, Access::Staff, api::request_changes);
    r.page(
        Method::POST,
        "/sessions/{id}/agenda/submit",
        Access::Organiser,
        pages::submit,
    );
    r.page(
        Method::POST,
        "/sessions/{id}/agenda/withdraw",
        Access::Organiser,
        pages::withdraw,
    );
    r.page(
        Method::GET,
        "/sessions/{id}/agenda/review",
        Access::Staff,
        pages::review,
    );
    r.page(
        Method::POST,
        "/sessions/{id}/agenda/review",
        Access::Staff,
        pages::decide,
    );
    r.page(Method::GET, "/reviews", Access::Staff, pages::reviews);
}
