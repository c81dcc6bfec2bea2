//! Speaker dispatch: the directory of speakers, their invitations to slots (the answer through a
//! secret link, the slot's calendar invitation and its updates, travel details, reminders) and
//! the dispatch board. Invitations and the board live in the sub-capabilities below.

pub mod api;
pub mod board;
pub mod domain;
pub mod input;
pub mod invitations;
pub mod pages;
pub mod photos;
pub mod service;
pub mod store;

use actix_web::http::Method;

use crate::api;
use crate::capability::Capability;
use crate::web::routes::{Access, Routes};

/// The speakers capability, as the app lists it. It follows approved agendas, sessions and their
/// rooms, so that every speaker holding a slot's invitation hears of its changes.
pub const CAPABILITY: Capability = Capability {
    name: "speakers",
    mount,
    reacts: Some(invitations::slots::react),
};

/// Mounts the routes, each with who may call it.
fn mount(r: &mut Routes) {
    api!(r, Access::Organiser, api::create);
    api!(r, Access::Organiser, api::list);
    api!(r, Access::Organiser, api::one);
    api!(r, Access::Organiser, api::photo);
    r.page(
        Method::GET,
        "/speakers",
        Access::Organiser,
        pages::directory,
    );
    r.page(Method::POST, "/speakers", Access::Organiser, pages::create);
    r.page(Method::GET, "/speakers/{id}", Access::Anyone, pages::public);
    r.page(
        Method::GET,
        "/speakers/{id}/photo",
        Access::Anyone,
        pages::photo,
    );
    r.page(
        Method::POST,
        "/speakers/{id}/photo",
        Access::Organiser,
        pages::upload_photo,
    );
    invitations::mount(r);
    board::mount(r);
}
