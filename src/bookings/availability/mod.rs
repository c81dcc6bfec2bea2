//! When rooms and equipment are busy or free: a room's availability, and a meeting's room grid
//! and equipment stock by day. Mounted by `bookings`, whose bookings it reads.

pub mod api;
pub mod domain;
pub mod grid;
pub mod pages;
pub mod service;

use actix_web::http::Method;

use crate::api;
use crate::web::routes::{Access, Routes};

/// Mounts the routes, each with who may call it.
pub fn mount(r: &mut Routes) {
    api!(r, Access::Staff, api::availability);
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
