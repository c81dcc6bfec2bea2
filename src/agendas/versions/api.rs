//! JSON handlers for approved versions, their differences, and the public programme.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::service;
use crate::access::Caller;
use crate::agendas::domain::{Frame, Item, ItemChange};
use crate::agendas::versions::domain::{Version, VersionInfo};
use crate::agendas::views::{describe, ChangeLine};
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{ListOf, Paging};
use crate::state::AppState;

/// An approved version in a list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VersionSummary {
    pub number: i32,
    pub approved_at: DateTime<Utc>,
    /// The name of the rapporteur who approved it.
    pub approved_by: String,
    pub comment: Option<String>,
}

impl VersionSummary {
    fn of(info: VersionInfo) -> VersionSummary {
        VersionSummary {
            number: info.number,
            approved_at: info.approved_at,
            approved_by: info.approver_name,
            comment: info.comment,
        }
    }
}

/// An item as a version keeps it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VersionItemView {
    #[serde(flatten)]
    pub item: Item,
    /// The version in which the item last changed (the SEQUENCE of its calendar event).
    pub since_version: i32,
}

/// One approved version, whole.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VersionView {
    pub session_id: String,
    pub number: i32,
    pub approved_at: DateTime<Utc>,
    pub approved_by: String,
    pub comment: Option<String>,
    /// The meeting's IANA time zone.
    pub timezone: String,
    pub items: Vec<VersionItemView>,
}

impl VersionView {
    fn of(frame: &Frame, version: Version) -> VersionView {
        let info = version.info;
        VersionView {
            session_id: info.session_id.to_string(),
            number: info.number,
            approved_at: info.approved_at,
            approved_by: info.approver_name,
            comment: info.comment,
            timezone: frame.tz.name().to_string(),
            items: version
                .items
                .into_iter()
                .map(|s| VersionItemView {
                    item: s.item,
                    since_version: s.since_version,
                })
                .collect(),
        }
    }
}

/// One difference: in words, its old and new values side by side, and the items before and after.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChangeView {
    #[serde(flatten)]
    pub line: ChangeLine,
    pub old: Option<Item>,
    pub new: Option<Item>,
}

/// The differences between two versions.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DiffView {
    pub session_id: String,
    pub from: i32,
    pub to: i32,
    pub timezone: String,
    pub changes: Vec<ChangeView>,
}

fn change_view(frame: &Frame, change: ItemChange) -> ChangeView {
    ChangeView {
        line: describe(&change, frame, "en"),
        old: change.old,
        new: change.new,
    }
}

/// The approved versions of a session's agenda, newest first.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/agenda/versions", tag = "agendas", params(("id" = String, Path), Paging),
    responses((status = 200, body = ListOf<VersionSummary>), (status = 404, body = Problem)))]
pub async fn versions(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    paging: web::Query<Paging>,
) -> Result<HttpResponse, AppError> {
    let (limit, offset) = paging.bounds();
    let (_, list) = db::run(&state.pool, move |conn| {
        service::list(conn, caller.0.as_ref(), &id)
    })
    .await?;
    let total = list.len() as i64;
    let items = list
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(VersionSummary::of)
        .collect();
    Ok(HttpResponse::Ok().json(ListOf { items, total }))
}

/// One approved version, whole.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/agenda/versions/{n}", tag = "agendas",
    params(("id" = String, Path), ("n" = i32, Path)),
    responses((status = 200, body = VersionView), (status = 404, body = Problem)))]
pub async fn version(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, n) = path.into_inner();
    let n = service::number(&n)?;
    let (frame, version) = db::run(&state.pool, move |conn| {
        service::one(conn, caller.0.as_ref(), &id, n)
    })
    .await?;
    Ok(HttpResponse::Ok().json(VersionView::of(&frame, version)))
}

/// What changed from version n to version m: items added, removed, moved, retitled, of another
/// kind, described otherwise, with other speakers.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/agenda/versions/{n}/diff/{m}", tag = "agendas",
    params(("id" = String, Path), ("n" = i32, Path), ("m" = i32, Path)),
    responses((status = 200, body = DiffView), (status = 404, body = Problem)))]
pub async fn diff(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, n, m) = path.into_inner();
    let (from, to) = (service::number(&n)?, service::number(&m)?);
    let session_id = id.clone();
    let (frame, changes) = db::run(&state.pool, move |conn| {
        service::between(conn, caller.0.as_ref(), &id, from, to)
    })
    .await?;
    Ok(HttpResponse::Ok().json(DiffView {
        session_id,
        from,
        to,
        timezone: frame.tz.name().to_string(),
        changes: changes
            .into_iter()
            .map(|c| change_view(&frame, c))
            .collect(),
    }))
}

/// The public programme: the latest approved version; 404 while none is approved.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/programme", tag = "agendas", params(("id" = String, Path)),
    responses((status = 200, body = VersionView), (status = 404, body = Problem)))]
// cache (perf): kept per session until public content changes (approved versions never change).
pub async fn programme(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (cache, pool) = (state.cache.clone(), state.pool.clone());
    let key = format!("api-programme:{id}");
    crate::cache::http::serve(&cache, &pool, &req, key, || async move {
        let (frame, version) =
            db::run(&state.pool, move |conn| service::programme(conn, &id)).await?;
        crate::cache::http::json(&VersionView::of(&frame, version))
    })
    .await
}
// end cache (perf)
