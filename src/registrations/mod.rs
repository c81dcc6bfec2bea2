//! Delegate registration by stakeholder category and country group: capacity, waiting list and
//! promotion. Focal points' decisions and the reports live in the sub-capabilities below.

pub mod api;
pub mod byhand;
pub mod decisions;
pub mod domain;
pub mod input;
pub mod intake;
pub mod notices;
pub mod pages;
pub mod reminders;
pub mod reports;
pub mod service;
pub mod store;
pub mod views;

use actix_web::http::Method;
use serde_json::json;

use crate::api;
use crate::capability::Capability;
use crate::error::AppError;
use crate::web::routes::{Access, Routes};
use domain::RegistrationError;

/// The registrations capability, as the app lists it.
pub const CAPABILITY: Capability = Capability {
    name: "registrations",
    mount,
    reacts: Some(service::react),
};

/// Mounts the routes, each with who may call it.
fn mount(r: &mut Routes) {
    api!(r, Access::Anyone, api::create);
    api!(r, Access::Anyone, api::mine);
    api!(r, Access::Anyone, api::cancel);
    api!(r, Access::Organiser, api::resend_link);
    r.page(
        Method::GET,
        "/sessions/{id}/register",
        Access::Anyone,
        pages::register_form,
    );
    r.page(
        Method::POST,
        "/sessions/{id}/register",
        Access::Anyone,
        pages::register_submit,
    );
    r.page(
        Method::GET,
        "/registrations/{token}",
        Access::Anyone,
        pages::show,
    );
    r.page(
        Method::POST,
        "/registrations/{token}/cancel",
        Access::Anyone,
        pages::cancel,
    );
    // workspace: the registrations tab of a session's staff page (organisers; see src/workspace).
    r.session_tab(crate::web::routes::SessionTab {
        order: 30,
        label: "tab_registrations",
        path: "/sessions/{id}/registrations",
        access: Access::Organiser,
    });
    byhand::mount(r);
    decisions::mount(r);
    reports::mount(r);
}

/// The app's answer to a broken registration rule.
impl From<RegistrationError> for AppError {
    fn from(e: RegistrationError) -> AppError {
        let detail = e.to_string();
        match e {
            RegistrationError::Unknown => AppError::NotFound,
            RegistrationError::Invalid(invalid) => invalid.into(),
            RegistrationError::Closed {
                opens_at,
                closes_at,
            } => AppError::Conflict(
                detail,
                Some(json!({
                    "registration_opens_at": opens_at,
                    "registration_closes_at": closes_at,
                })),
            ),
            RegistrationError::WrongState { ids, .. } => {
                AppError::Conflict(detail, Some(json!({ "ids": ids })))
            }
            RegistrationError::Cancelled
            | RegistrationError::NotScheduled
            | RegistrationError::Rejected => AppError::conflict(detail),
        }
    }
}
