//! Rooms and equipment booked for sessions, without double-booking or over-reservation.

pub mod api;
pub mod domain;
pub mod grid;
pub mod pages;
pub mod service;
pub mod store;

use actix_web::http::Method;

use crate::api;
use crate::capability::Capability;
use crate::web::routes::{Access, Routes};

/// The bookings capability, as the app lists it.
pub const CAPABILITY: Capability = Capability {
    name: "bookings",
    mount,
    reacts: Some(service::react),
};

/// Mounts the routes, each with who may call it.
fn mount(r: &mut Routes) {
    api!(r, Access::Staff, api::availability);
    api!(r, Access::Organiser, api::book);
    api!(r, Access::Staff, api::list_bookings);
    api!(r, Access::Organiser, api::unbook);
    r.page(
        Method::GET,
        "/meetings/{id}/rooms",
        Access::Staff,
        pages::room_grid,
    );
    r.page(
        Method::GET,
        "/meetings/{id}/equipment",
        Access::Staff,
        pages::equipment_days,
    );
}
