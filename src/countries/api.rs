//! JSON handlers for the countries reference list.

use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::service::{self, ImportReport};
use crate::access::Admin;
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, Problem};
use crate::state::AppState;

/// A country and its group.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CountryView {
    pub alpha2: String,
    pub alpha3: String,
    pub name: String,
    pub country_group: super::CountryGroup,
}

/// Every country with its group, by name (what the registration form offers).
#[utoipa::path(get, path = "/api/v1/countries", tag = "countries",
    responses((status = 200, body = Vec<CountryView>)))]
pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let all = db::run(&state.pool, |conn| Ok(super::store::all(conn)?)).await?;
    let items: Vec<CountryView> = all
        .into_iter()
        .map(|c| CountryView {
            alpha2: c.alpha2,
            alpha3: c.alpha3,
            name: c.name,
            country_group: c.group,
        })
        .collect();
    Ok(HttpResponse::Ok().json(items))
}

/// Replaces the list with a CSV (`alpha2,alpha3,name,group`, as data/reference/countries.csv);
/// existing registrations keep their stored group.
#[utoipa::path(post, path = "/api/v1/countries/import", tag = "countries", request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 403, body = Problem), (status = 422, description = "The CSV's first error, with its line", body = Problem)))]
pub async fn import(
    state: web::Data<AppState>,
    Admin(user): Admin,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| AppError::invalid("file", "must be UTF-8 text"))?;
    let actor = Actor::User(user.id);
    let report = db::run(&state.pool, move |conn| {
        service::import(conn, &actor, &text)
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}
