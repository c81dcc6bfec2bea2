//! JSON handlers of the dispatch board: every slot with its speaker and status, per session and
//! per meeting, with filters, and the travel desk's CSV.

use actix_web::{web, HttpResponse};

use super::domain::{csv, Filter, Line};
use super::service;
use crate::access::Organiser;
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::ListOf;
use crate::state::AppState;

fn listed(lines: Vec<Line>, filter: &Filter) -> Result<ListOf<Line>, AppError> {
    let filters = filter.read()?;
    let items: Vec<Line> = lines.into_iter().filter(|l| filters.admits(l)).collect();
    let total = items.len() as i64;
    Ok(ListOf { items, total })
}

fn csv_answer(name: &str, lines: &[Line]) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(csv(lines))
}

/// Every slot of a session with its invitations: status, response time, days since invitation,
/// travel details. Filters: `status`, `min_days`, `travel`, `visa`.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/invitations", tag = "speakers", params(("id" = String, Path), Filter),
    responses((status = 200, body = ListOf<Line>), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn of_session(
    state: web::Data<AppState>,
    _organiser: Organiser,
    id: web::Path<String>,
    filter: web::Query<Filter>,
) -> Result<HttpResponse, AppError> {
    let now = state.ctx().now;
    let (_, _, lines) =
        db::run(&state.pool, move |conn| service::of_session(conn, &id, now)).await?;
    Ok(HttpResponse::Ok().json(listed(lines, &filter)?))
}

/// The same across every session of a meeting.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/invitations", tag = "speakers", params(("id" = String, Path), Filter),
    responses((status = 200, body = ListOf<Line>), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn of_meeting(
    state: web::Data<AppState>,
    _organiser: Organiser,
    id: web::Path<String>,
    filter: web::Query<Filter>,
) -> Result<HttpResponse, AppError> {
    let now = state.ctx().now;
    let (_, lines) = db::run(&state.pool, move |conn| service::of_meeting(conn, &id, now)).await?;
    Ok(HttpResponse::Ok().json(listed(lines, &filter)?))
}

/// The travel desk's CSV of a session (UTF-8 with a byte-order mark, formulas neutralised).
#[utoipa::path(get, path = "/api/v1/sessions/{id}/invitations.csv", tag = "speakers", params(("id" = String, Path), Filter),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn session_csv(
    state: web::Data<AppState>,
    _organiser: Organiser,
    id: web::Path<String>,
    filter: web::Query<Filter>,
) -> Result<HttpResponse, AppError> {
    let (now, name) = (state.ctx().now, format!("speakers-{id}.csv"));
    let (_, _, lines) =
        db::run(&state.pool, move |conn| service::of_session(conn, &id, now)).await?;
    Ok(csv_answer(&name, &listed(lines, &filter)?.items))
}

/// The travel desk's CSV of a whole meeting.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/invitations.csv", tag = "speakers", params(("id" = String, Path), Filter),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn meeting_csv(
    state: web::Data<AppState>,
    _organiser: Organiser,
    id: web::Path<String>,
    filter: web::Query<Filter>,
) -> Result<HttpResponse, AppError> {
    let (now, name) = (state.ctx().now, format!("speakers-meeting-{id}.csv"));
    let (_, lines) = db::run(&state.pool, move |conn| service::of_meeting(conn, &id, now)).await?;
    Ok(csv_answer(&name, &listed(lines, &filter)?.items))
}
