//! The staff workspace: a dashboard per role after sign-in, a meeting's page with its
//! day-by-room timetable, and a session's hub that gathers its work (seats, room and
//! equipment, rapporteurs, tabs added by other capabilities, audit trail).

pub mod domain;
pub mod flash;
pub mod hub_pages;
pub mod pages;
pub mod service;
pub mod store;
pub mod views;

use actix_web::http::Method;

use crate::capability::Capability;
use crate::web::routes::{Access, Routes};

/// The workspace capability, as the app lists it.
pub const CAPABILITY: Capability = Capability {
    name: "workspace",
    mount,
    reacts: None,
};

/// Mounts the pages, each with who may open it; the hub's finer rule (organisers and the
/// session's rapporteurs) is the service's.
fn mount(r: &mut Routes) {
    r.page(Method::GET, "/staff", Access::Staff, pages::dashboard);
    r.page(
        Method::GET,
        "/staff/meetings/{id}",
        Access::Organiser,
        pages::meeting,
    );
    r.page(
        Method::GET,
        "/staff/sessions/{id}",
        Access::Staff,
        hub_pages::hub,
    );
    r.page(
        Method::POST,
        "/staff/sessions/{id}/bookings",
        Access::Organiser,
        hub_pages::book,
    );
    r.page(
        Method::POST,
        "/staff/sessions/{id}/bookings/{booking_id}",
        Access::Organiser,
        hub_pages::rebook,
    );
    r.page(
        Method::POST,
        "/staff/sessions/{id}/bookings/{booking_id}/release",
        Access::Organiser,
        hub_pages::release,
    );
    r.page(
        Method::POST,
        "/staff/sessions/{id}/rapporteurs",
        Access::Organiser,
        hub_pages::assign,
    );
}
