//! Ad-hoc sessions, seminars and workshops held along with a meeting.

pub mod api;
pub mod domain;
pub mod input;
pub mod pages;
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
}

impl From<SessionError> for AppError {
    fn from(e: SessionError) -> AppError {
        AppError::conflict(e.to_string())
    }
}
