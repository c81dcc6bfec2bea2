//! JSON handlers for staff watching the outbox.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use super::service;
use super::store::{OutboxRow, RecordKind, Status};
use crate::access::Organiser;
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{ListOf, Paging};
use crate::state::AppState;

/// A message as staff see it: never its body, which may hold someone's secret link.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutboxItem {
    pub id: String,
    pub message_id: String,
    /// The recipient's address.
    pub to: String,
    pub to_name: String,
    pub subject: String,
    pub status: Status,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The iTIP method of the attached calendar, if any.
    pub calendar_method: Option<String>,
    pub record_kind: RecordKind,
    pub record_id: String,
}

impl OutboxItem {
    /// The view of a stored row.
    pub fn of(row: OutboxRow) -> OutboxItem {
        let utc = |t: NaiveDateTime| t.and_utc();
        OutboxItem {
            status: Status::parse(&row.status).unwrap_or(Status::Queued),
            id: row.id,
            message_id: row.message_id,
            to: row.to_email,
            to_name: row.to_name,
            subject: row.subject,
            attempts: row.attempts,
            next_attempt_at: utc(row.next_attempt_at),
            last_error: row.last_error,
            created_at: utc(row.created_at),
            sent_at: row.sent_at.map(utc),
            calendar_method: row.calendar_method,
            record_kind: row.record_kind,
            record_id: row.record_id,
        }
    }
}

/// Filter of the outbox list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct OutboxQuery {
    /// Only messages in this status: queued, sending, sent or failed.
    pub status: Option<String>,
}

/// Reads `?status=`, where an empty value means every status.
pub fn status_filter(status: Option<&str>) -> Result<Option<Status>, AppError> {
    match status.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(name) => Status::parse(name)
            .map(Some)
            .ok_or_else(|| AppError::invalid("status", "must be queued, sending, sent or failed")),
    }
}

/// Lists the outbox, newest first.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "mail", params(Paging, OutboxQuery),
    responses((status = 200, body = ListOf<OutboxItem>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    _organiser: Organiser,
    paging: web::Query<Paging>,
    query: web::Query<OutboxQuery>,
) -> Result<HttpResponse, AppError> {
    let status = status_filter(query.status.as_deref())?;
    let (limit, offset) = paging.checked()?;
    let (rows, total) = db::run(&state.pool, move |conn| {
        service::list(conn, status, limit, offset)
    })
    .await?;
    let items = rows.into_iter().map(OutboxItem::of).collect();
    Ok(HttpResponse::Ok().json(ListOf { items, total }))
}

/// Queues a failed or queued message for an attempt now; its attempts are kept.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/retry", tag = "mail", params(("id" = String, Path)),
    responses((status = 200, body = OutboxItem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn retry(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (actor, now) = (Actor::User(user.id), state.ctx().now);
    let row = db::run(&state.pool, move |conn| {
        service::retry(conn, &actor, &id, now)
    })
    .await?;
    Ok(HttpResponse::Ok().json(OutboxItem::of(row)))
}
