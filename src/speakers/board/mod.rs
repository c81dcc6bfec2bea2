//! The dispatch board: who has confirmed, who needs travel, a visa letter and MIC funding, and
//! who has not answered, per session (a tab of its staff page) and per meeting.

pub mod api;
pub mod domain;
pub mod pages;
pub mod service;

use actix_web::http::Method;

use crate::api;
use crate::web::routes::{Access, Routes, SessionTab};

/// Mounts the routes, each with who may call it, and the session tab.
pub fn mount(r: &mut Routes) {
    api!(r, Access::Organiser, api::of_session);
    api!(r, Access::Organiser, api::of_meeting);
    api!(r, Access::Organiser, api::session_csv);
    api!(r, Access::Organiser, api::meeting_csv);
    r.page(
        Method::GET,
        "/sessions/{id}/speakers",
        Access::Organiser,
        pages::session_board,
    );
    r.page(
        Method::POST,
        "/sessions/{id}/speakers",
        Access::Organiser,
        pages::invite,
    );
    r.page(
        Method::GET,
        "/sessions/{id}/speakers/{invitation_id}",
        Access::Organiser,
        pages::invitation,
    );
    r.page(
        Method::POST,
        "/sessions/{id}/speakers/{invitation_id}",
        Access::Organiser,
        pages::travel,
    );
    r.page(
        Method::GET,
        "/meetings/{id}/speakers",
        Access::Organiser,
        pages::meeting_board,
    );
    r.session_tab(SessionTab {
        order: 30,
        label: "speakers_tab",
        path: "/sessions/{id}/speakers",
        access: Access::Organiser,
    });
}
