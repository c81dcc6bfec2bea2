//! JSON handlers for a session's agenda working copy.

use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::domain::{AgendaStatus, Item};
use super::input::ItemInput;
use super::service::{self, WorkingCopy};
use crate::access::{Organiser, Staff};
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, Problem};
use crate::state::AppState;

/// A session's agenda working copy as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AgendaView {
    pub session_id: String,
    pub status: AgendaStatus,
    /// The approved version this working copy started from, if any.
    pub based_on_version: Option<i32>,
    /// The last decision's comment.
    pub comment: Option<String>,
    /// The meeting's IANA time zone, in which the agenda is shown on pages.
    pub timezone: String,
    pub items: Vec<Item>,
}

impl AgendaView {
    /// The view of a working copy.
    pub fn of(copy: WorkingCopy) -> AgendaView {
        AgendaView {
            session_id: copy.session.id.to_string(),
            status: copy.agenda.status,
            based_on_version: copy.agenda.based_on_version,
            comment: copy.agenda.comment,
            timezone: copy.meeting.timezone.name().to_string(),
            items: copy.items,
        }
    }
}

/// The working copy of a session's agenda (its organisers and rapporteurs; 404 for other staff).
#[utoipa::path(get, path = "/api/v1/sessions/{id}/agenda", tag = "agendas", params(("id" = String, Path)),
    responses((status = 200, body = AgendaView), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn agenda(
    state: web::Data<AppState>,
    Staff(user): Staff,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let copy = db::run(&state.pool, move |conn| {
        service::working_copy(conn, &user, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(AgendaView::of(copy)))
}

/// Adds an item; 422 when it falls outside the session or overlaps another, 409 while submitted.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/agenda/items", tag = "agendas", request_body = ItemInput,
    params(("id" = String, Path)),
    responses((status = 201, body = Item), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_item(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<String>,
    body: web::Json<ItemInput>,
) -> Result<HttpResponse, AppError> {
    let (actor, ctx) = (Actor::User(user.id), state.ctx());
    let item = db::run(&state.pool, move |conn| {
        service::add_item(conn, &ctx, &actor, &id, body.into_inner())
    })
    .await?;
    Ok(HttpResponse::Created().json(item))
}

/// Changes or moves an item; its id stays. `shift_following` moves the later items when it grows.
#[utoipa::path(patch, path = "/api/v1/sessions/{id}/agenda/items/{item_id}", tag = "agendas", request_body = ItemInput,
    params(("id" = String, Path), ("item_id" = String, Path)),
    responses((status = 200, body = Item), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn change_item(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    path: web::Path<(String, String)>,
    body: web::Json<ItemInput>,
) -> Result<HttpResponse, AppError> {
    let (actor, ctx) = (Actor::User(user.id), state.ctx());
    let (id, item_id) = path.into_inner();
    let item = db::run(&state.pool, move |conn| {
        service::change_item(conn, &ctx, &actor, &id, &item_id, body.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(item))
}

/// Removes an item from the working copy.
#[utoipa::path(delete, path = "/api/v1/sessions/{id}/agenda/items/{item_id}", tag = "agendas",
    params(("id" = String, Path), ("item_id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove_item(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (actor, ctx) = (Actor::User(user.id), state.ctx());
    let (id, item_id) = path.into_inner();
    db::run(&state.pool, move |conn| {
        service::remove_item(conn, &ctx, &actor, &id, &item_id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
