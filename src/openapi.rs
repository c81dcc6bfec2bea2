//! The OpenAPI document of the JSON API, served at /api/v1/openapi.json.

use actix_web::{get, HttpResponse};
use utoipa::OpenApi;

use crate::{auth, meetings, sessions};
use crate::{countries, registrations};

/// Every documented route; a test compares it with the routes the code declares.
#[derive(OpenApi)]
#[openapi(
    info(title = "seminars", description = "Sessions and seminars held alongside ITU-D Study Group 1 and Rapporteur Group meetings."),
    paths(
        openapi_json,
        auth::api::token, auth::api::me,
        meetings::api::create, meetings::api::list, meetings::api::get,
        sessions::api::create, sessions::api::list, sessions::api::get, sessions::api::update,
        sessions::api::publish, sessions::api::cancel,
        // rooms
        crate::rooms::api::create_room, crate::rooms::api::list_rooms, crate::rooms::api::get_room,
        crate::rooms::api::update_room, crate::rooms::api::availability,
        crate::rooms::api::create_equipment, crate::rooms::api::list_equipment,
        crate::rooms::api::get_equipment, crate::rooms::api::update_equipment,
        crate::rooms::api::book, crate::rooms::api::list_bookings, crate::rooms::api::unbook,
        crate::mail::api::list, crate::mail::api::retry,
        auth::users_api::create, auth::users_api::list,
        auth::rapporteurs::put_rapporteurs,
        auth::links_api::reissue_link, auth::links_api::revoke_link,
        crate::audit::api::list,
        registrations::api::create, registrations::api::mine, registrations::api::cancel,
        registrations::api::list, registrations::api::csv, registrations::api::stats,
        registrations::api::resend_link,
        registrations::api::approve, registrations::api::reject, registrations::api::bulk,
        countries::api::list, countries::api::import,
    ),
    components(schemas(crate::error::Problem, auth::domain::FocalScope)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", responses((status = 200, description = "The OpenAPI 3.1 document")))]
#[get("/api/v1/openapi.json")]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
