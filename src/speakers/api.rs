//! JSON handlers of the speakers directory.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::domain::{OrganisationKind, Speaker};
use super::input::SpeakerInput;
use super::{photos, service};
use crate::access::Organiser;
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{ListOf, Paging};
use crate::state::AppState;

/// A speaker as the API shows it to organisers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SpeakerView {
    pub id: String,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub organisation_kind: OrganisationKind,
    pub country: String,
    pub bio: String,
    pub public_profile: bool,
    /// The photo's address, when there is one.
    pub photo_url: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl SpeakerView {
    /// The view of a speaker.
    pub fn of(s: &Speaker) -> SpeakerView {
        SpeakerView {
            id: s.id.to_string(),
            name: s.fields.name.clone(),
            email: s.fields.email.clone(),
            organisation: s.fields.organisation.clone(),
            organisation_kind: s.fields.organisation_kind,
            country: s.fields.country.clone(),
            bio: s.fields.bio.clone(),
            public_profile: s.fields.public_profile,
            photo_url: s
                .photo
                .as_ref()
                .map(|_| format!("/speakers/{}/photo", s.id)),
            created_at: s.created_at,
        }
    }
}

/// The directory's search.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct Search {
    /// Part of a name, email or organisation, in any case.
    pub q: Option<String>,
}

/// Adds a speaker to the directory; 409 (with `speaker_id`) when the email is there already.
#[utoipa::path(post, path = "/api/v1/speakers", tag = "speakers", request_body = SpeakerInput,
    responses((status = 201, body = SpeakerView), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    body: web::Json<SpeakerInput>,
) -> Result<HttpResponse, AppError> {
    let (ctx, actor) = (state.ctx(), Actor::User(user.id));
    let speaker = db::run(&state.pool, move |conn| {
        let fields = service::read(conn, body.into_inner())?;
        service::create(conn, &ctx, &actor, fields)
    })
    .await?;
    Ok(HttpResponse::Created().json(SpeakerView::of(&speaker)))
}

/// The directory, by name, searchable with `q`.
#[utoipa::path(get, path = "/api/v1/speakers", tag = "speakers", params(Paging, Search),
    responses((status = 200, body = ListOf<SpeakerView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    _organiser: Organiser,
    paging: web::Query<Paging>,
    search: web::Query<Search>,
) -> Result<HttpResponse, AppError> {
    let bounds = paging.checked()?;
    let q = search.into_inner().q;
    let (speakers, total) = db::run(&state.pool, move |conn| {
        service::search(conn, q.as_deref(), bounds)
    })
    .await?;
    let items = speakers.iter().map(SpeakerView::of).collect();
    Ok(HttpResponse::Ok().json(ListOf { items, total }))
}

/// One speaker.
#[utoipa::path(get, path = "/api/v1/speakers/{id}", tag = "speakers", params(("id" = String, Path)),
    responses((status = 200, body = SpeakerView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn one(
    state: web::Data<AppState>,
    _organiser: Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let speaker = db::run(&state.pool, move |conn| service::get(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(SpeakerView::of(&speaker)))
}

/// Sets a speaker's photo: `multipart/form-data` with a `photo` file (JPEG, PNG or WebP, at
/// most `speakers.photo_max_bytes`); 413 over the limit, 415 for anything but those images.
#[utoipa::path(post, path = "/api/v1/speakers/{id}/photo", tag = "speakers", params(("id" = String, Path)),
    request_body(content_type = "multipart/form-data", content = String),
    responses((status = 200, body = SpeakerView), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn photo(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = photos::read_body(payload, photos::body_limit(&state.settings)).await?;
    let parts = photos::parts(&content_type, &body)?;
    let file = parts
        .into_iter()
        .find(|p| p.name == "photo")
        .ok_or_else(|| AppError::invalid("photo", "is required"))?;
    let (ctx, actor) = (state.ctx(), Actor::User(user.id));
    let speaker = db::run(&state.pool, move |conn| {
        service::set_photo(conn, &ctx, &actor, &id, &file.bytes)
    })
    .await?;
    Ok(HttpResponse::Ok().json(SpeakerView::of(&speaker)))
}
