//! Speakers' invitations to slots: invite, the speaker's answer through their secret link, the
//! slot's calendar invitation and its updates, travel details and reminders.

pub mod api;
pub mod domain;
pub mod input;
pub mod notices;
pub mod pages;
pub mod reminders;
pub mod service;
pub mod slots;
pub mod store;

use actix_web::http::Method;

use crate::api;
use crate::web::routes::{Access, Routes};

/// Mounts the routes, each with who may call it; the holder of a secret link is found by the
/// service (404 for any other token).
pub fn mount(r: &mut Routes) {
    api!(r, Access::Organiser, api::invite);
    api!(r, Access::Anyone, api::mine);
    api!(r, Access::Anyone, api::confirm);
    api!(r, Access::Anyone, api::decline);
    api!(r, Access::Anyone, api::withdraw);
    api!(r, Access::Anyone, api::travel);
    api!(r, Access::Organiser, api::staff_travel);
    r.page(
        Method::GET,
        "/invitations/{token}",
        Access::Anyone,
        pages::page,
    );
    r.page(
        Method::POST,
        "/invitations/{token}/confirm",
        Access::Anyone,
        pages::confirm,
    );
    r.page(
        Method::POST,
        "/invitations/{token}/decline",
        Access::Anyone,
        pages::decline,
    );
    r.page(
        Method::POST,
        "/invitations/{token}/withdraw",
        Access::Anyone,
        pages::withdraw,
    );
    r.page(
        Method::POST,
        "/invitations/{token}/travel",
        Access::Anyone,
        pages::travel,
    );
    r.page(
        Method::POST,
        "/invitations/{token}/listing",
        Access::Anyone,
        pages::listing,
    );
}
