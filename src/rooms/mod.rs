//! Rooms and equipment: the reference data that sessions book.

pub mod api;
pub mod domain;
pub mod pages;
pub mod service;
pub mod store;

use actix_web::http::Method;

use crate::api;
use crate::capability::Capability;
use crate::web::routes::{Access, Routes};

/// The rooms capability, as the app lists it.
pub const CAPABILITY: Capability = Capability {
    name: "rooms",
    mount,
    reacts: None,
};

/// Mounts the routes, each with who may call it.
fn mount(r: &mut Routes) {
    api!(r, Access::Admin, api::create_room);
    api!(r, Access::Staff, api::list_rooms);
    api!(r, Access::Staff, api::get_room);
    api!(r, Access::Admin, api::update_room);
    api!(r, Access::Admin, api::create_equipment);
    api!(r, Access::Staff, api::list_equipment);
    api!(r, Access::Staff, api::get_equipment);
    api!(r, Access::Admin, api::update_equipment);
    r.page(
        Method::GET,
        "/admin/rooms",
        Access::Admin,
        pages::rooms_page,
    );
    r.page(Method::POST, "/admin/rooms", Access::Admin, pages::add_room);
    r.page(
        Method::GET,
        "/admin/equipment",
        Access::Admin,
        pages::equipment_page,
    );
    r.page(
        Method::POST,
        "/admin/equipment",
        Access::Admin,
        pages::add_equipment,
    );
}
