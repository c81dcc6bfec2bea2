//! Registrations by hand: an organiser registers a delegate on someone's behalf, edits or
//! cancels one registration, moves one from the waiting list and re-sends a delegate's link,
//! from pages.

pub mod pages;
pub mod service;

use actix_web::http::Method;

use crate::web::routes::{Access, Routes};

/// Mounts the routes, each with who may call it.
pub fn mount(r: &mut Routes) {
    let o = Access::Organiser;
    r.page(
        Method::GET,
        "/sessions/{id}/registrations/new",
        o,
        pages::new_form,
    );
    r.page(
        Method::POST,
        "/sessions/{id}/registrations/new",
        o,
        pages::create,
    );
    r.page(Method::GET, "/registrations/{id}/manage", o, pages::manage);
    r.page(Method::POST, "/registrations/{id}/edit", o, pages::edit);
    r.page(
        Method::POST,
        "/registrations/{id}/withdraw",
        o,
        pages::withdraw,
    );
    r.page(
        Method::POST,
        "/registrations/{id}/promote",
        o,
        pages::promote,
    );
    r.page(Method::POST, "/registrations/{id}/resend", o, pages::resend);
}
