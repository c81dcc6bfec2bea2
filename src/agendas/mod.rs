//! Agendas of sessions: the working copy organisers build, the rapporteurs' approval, the
//! approved versions kept whole, and the public programme. Approval, versions and reuse live in
//! the sub-capabilities below.

pub mod agenda_page;
pub mod api;
pub mod approval;
pub mod domain;
pub mod input;
pub mod notices;
pub mod pages;
pub mod reuse;
pub mod service;
pub mod store;
pub mod versions;
pub mod views;

use actix_web::http::Method;

use crate::api;
use crate::capability::Capability;
use crate::web::routes::{Access, Routes};

/// The agendas capability, as the app lists it.
pub const CAPABILITY: Capability = Capability {
    name: "agendas",
    mount,
    reacts: None,
};

/// Mounts the routes, each with who may call it; finer rules (the session's rapporteurs) are
/// the service's.
fn mount(r: &mut Routes) {
    api!(r, Access::Staff, api::agenda);
    api!(r, Access::Organiser, api::add_item);
    api!(r, Access::Organiser, api::change_item);
    api!(r, Access::Organiser, api::remove_item);
    r.page(
        Method::GET,
        "/sessions/{id}/agenda",
        Access::Staff,
        pages::agenda,
    );
    r.page(
        Method::POST,
        "/sessions/{id}/agenda/items",
        Access::Organiser,
        pages::add_item,
    );
    r.page(
        Method::GET,
        "/sessions/{id}/agenda/items/{item_id}",
        Access::Organiser,
        pages::item,
    );
    r.page(
        Method::POST,
        "/sessions/{id}/agenda/items/{item_id}",
        Access::Organiser,
        pages::change_item,
    );
    r.page(
        Method::POST,
        "/sessions/{id}/agenda/items/{item_id}/delete",
        Access::Organiser,
        pages::remove_item,
    );
    r.session_tab(crate::web::routes::SessionTab {
        order: 20,
        label: "tab_agenda",
        path: "/sessions/{id}/agenda",
        access: Access::Staff,
    });
    approval::mount(r);
    versions::mount(r);
    reuse::mount(r);
}
