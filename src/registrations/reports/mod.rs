//! What organisers and focal points read of registrations: lists, CSV, statistics and the chart,
//! and the participants' directory.

pub mod api;
pub mod chart;
pub mod domain;
pub mod export;
pub mod pages;
pub mod service;
pub mod store;

use actix_web::http::Method;

use crate::api;
use crate::web::routes::{Access, Routes};

/// Mounts the routes, each with who may call it.
pub fn mount(r: &mut Routes) {
    api!(r, Access::Staff, api::list);
    api!(r, Access::Organiser, api::csv);
    api!(r, Access::Organiser, api::stats);
    r.page(
        Method::GET,
        "/sessions/{id}/registrations",
        Access::Staff,
        pages::list,
    );
    r.page(
        Method::GET,
        "/sessions/{id}/registrations/stats",
        Access::Organiser,
        pages::stats,
    );
    r.page(
        Method::GET,
        "/meetings/{id}/statistics",
        Access::Organiser,
        pages::meeting_stats,
    );
    r.page(
        Method::GET,
        "/meetings/{id}/statistics.csv",
        Access::Organiser,
        pages::meeting_stats_csv,
    );
    r.page(
        Method::GET,
        "/statistics",
        Access::Organiser,
        pages::period_stats,
    );
    r.page(
        Method::GET,
        "/statistics.csv",
        Access::Organiser,
        pages::period_stats_csv,
    );
    r.page(
        Method::GET,
        "/sessions/{id}/directory",
        Access::Anyone,
        pages::directory,
    );
}
