//! JSON handlers for the countries reference list.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

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

/// `?confirm=&based_on=` of the import.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// `true` replaces the list; absent or `false` only answers what the import would add,
    /// change and remove (`applied: false`) and changes nothing.
    pub confirm: Option<bool>,
    /// The `based_on` of a preview: the import is applied only if the list is still the one
    /// that preview was compared with, otherwise 409.
    pub based_on: Option<String>,
}

/// Previews, or with `?confirm=true` applies, a new list as CSV (`alpha2,alpha3,name,group`, as
/// data/reference/countries.csv). By default nothing changes: the answer lists what the import
/// adds, changes and removes (`applied: false`); send the same CSV again with `confirm=true`
/// (and the preview's `based_on`) to replace the list. Existing registrations keep their group.
#[utoipa::path(post, path = "/api/v1/countries/import", tag = "countries", params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, description = "The preview (`applied: false`), or with confirm=true the import that was applied (`applied: true`)", body = ImportReport),
        (status = 403, body = Problem),
        (status = 409, description = "confirm=true with a based_on that no longer matches: the list changed since the preview", body = Problem),
        (status = 422, description = "The CSV's first error, with its line", body = Problem)))]
pub async fn import(
    state: web::Data<AppState>,
    Admin(user): Admin,
    query: web::Query<ImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| AppError::invalid("file", "must be UTF-8 text"))?;
    let ImportQuery { confirm, based_on } = query.into_inner();
    let actor = Actor::User(user.id);
    let report = db::run(&state.pool, move |conn| {
        if confirm.unwrap_or(false) {
            service::import(conn, &actor, &text, based_on.as_deref())
        } else {
            service::preview(conn, &text)
        }
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}
