//! Ad-hoc sessions, seminars and workshops held along with a meeting.

pub mod api;
pub mod domain;
pub mod input;
pub mod pages;
pub mod pages_actions;
pub mod pages_forms;
pub mod service;
pub mod store;
pub mod views;

use actix_web::http::Method;

use crate::api;
use crate::capability::Capability;
use crate::error::AppError;
use crate::web::routes::{Access, Routes};
use domain::SessionError;

/// The sessions capability, as the app lists it.
pub const CAPABILITY: Capability = Capability {
    name: "sessions",
    mount,
    reacts: None,
};

/// Mounts the routes, each with who may call it.
fn mount(r: &mut Routes) {
    api!(r, Access::Organiser, api::create);
    api!(r, Access::Organiser, api::update);
    api!(r, Access::Organiser, api::publish);
    api!(r, Access::Organiser, api::cancel);
    api!(r, Access::Anyone, api::list);
    api!(r, Access::Anyone, api::get);
    r.page(Method::GET, "/sessions/{id}", Access::Anyone, pages::show);
    let new = "/staff/meetings/{id}/sessions/new";
    r.page(Method::GET, new, Access::Organiser, pages_forms::new_form);
    let create = "/staff/meetings/{id}/sessions";
    r.page(Method::POST, create, Access::Organiser, pages_forms::create);
    let edit = "/staff/sessions/{id}/edit";
    r.page(Method::GET, edit, Access::Organiser, pages_forms::edit_form);
    r.page(Method::POST, edit, Access::Organiser, pages_forms::update);
    let publish = "/staff/sessions/{id}/publish";
    r.page(
        Method::POST,
        publish,
        Access::Organiser,
        pages_actions::publish,
    );
    let cancel = "/staff/sessions/{id}/cancel";
    r.page(
        Method::GET,
        cancel,
        Access::Organiser,
        pages_actions::cancel_form,
    );
    r.page(
        Method::POST,
        cancel,
        Access::Organiser,
        pages_actions::cancel,
    );
}

impl From<SessionError> for AppError {
    fn from(e: SessionError) -> AppError {
        AppError::conflict(e.to_string())
    }
}
