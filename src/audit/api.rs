//! The audit trail for admins: `GET /api/v1/audit`, filterable by record.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::service;
use super::store::{AuditEvent, AuditFilter};
use crate::access::Admin;
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{ListOf, Paging};
use crate::state::AppState;

/// One event as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditView {
    pub id: String,
    pub at: DateTime<Utc>,
    /// `user:ID`, `link:KIND:ID`, `cli` or `system`.
    pub actor: String,
    pub action: String,
    pub record_kind: String,
    pub record_id: String,
    /// The changed fields (never passwords or tokens).
    #[schema(value_type = Object)]
    pub changes: Value,
}

impl AuditView {
    /// The view of a stored event.
    pub fn of(e: AuditEvent) -> AuditView {
        AuditView {
            changes: serde_json::from_str(&e.changes).unwrap_or(Value::String(e.changes)),
            id: e.id,
            at: e.at.and_utc(),
            actor: e.actor,
            action: e.action,
            record_kind: e.record_kind,
            record_id: e.record_id,
        }
    }
}

/// Loads a page of events for a filter.
pub async fn page(
    state: &AppState,
    filter: AuditFilter,
    (limit, offset): (i64, i64),
) -> Result<ListOf<AuditView>, AppError> {
    let (rows, total) = db::run(&state.pool, move |conn| {
        service::list(conn, &filter, limit, offset)
    })
    .await?;
    let items = rows.into_iter().map(AuditView::of).collect();
    Ok(ListOf { items, total })
}

/// Who changed what, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditFilter, Paging),
    responses((status = 200, body = ListOf<AuditView>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    _admin: Admin,
    filter: web::Query<AuditFilter>,
    paging: web::Query<Paging>,
) -> Result<HttpResponse, AppError> {
    let list = page(&state, filter.into_inner(), paging.checked()?).await?;
    Ok(HttpResponse::Ok().json(list))
}
