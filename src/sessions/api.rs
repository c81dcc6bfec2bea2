//! JSON handlers for sessions.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::domain::{Session, SessionId, SessionStatus};
use super::input::SessionInput;
use super::service::{self};
use super::store::Filter;
use super::views::SessionView;
use crate::access::{Caller, Organiser};
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{Check, Field, ListOf, Paging};
use crate::meetings::domain::MeetingId;
use crate::state::AppState;

/// Filters of the session list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SessionQuery {
    /// Only the sessions of this meeting.
    pub meeting_id: Option<String>,
    /// Only sessions in this status (draft, scheduled, cancelled).
    pub status: Option<String>,
    /// Only sessions that have not ended.
    pub upcoming: Option<bool>,
}

/// Why a session is cancelled.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelInput {
    #[serde(default)]
    #[schema(value_type = String)]
    pub reason: Field<String>,
}

/// The staff view of a session just changed, with its meeting and room.
async fn answer(state: &AppState, session: Session) -> Result<HttpResponse, AppError> {
    let details = db::run(&state.pool, move |conn| {
        service::details(conn, &session.id, true)
    })
    .await?;
    Ok(HttpResponse::Ok().json(SessionView::of_details(&details)))
}

/// Creates a draft session inside a meeting's days.
#[utoipa::path(post, path = "/api/v1/sessions", tag = "sessions", request_body = SessionInput,
    responses((status = 201, body = SessionView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    body: web::Json<SessionInput>,
) -> Result<HttpResponse, AppError> {
    let (actor, ctx) = (Actor::User(user.id), state.ctx());
    let session = db::run(&state.pool, move |conn| {
        service::create(conn, &ctx, &actor, body.into_inner())
    })
    .await?;
    let mut response = answer(&state, session).await?;
    *response.status_mut() = actix_web::http::StatusCode::CREATED;
    Ok(response)
}

/// Changes any fields of a session.
#[utoipa::path(patch, path = "/api/v1/sessions/{id}", tag = "sessions", request_body = SessionInput, params(("id" = String, Path)),
    responses((status = 200, body = SessionView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<SessionId>,
    body: web::Json<SessionInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::User(user.id);
    let ctx = state.ctx();
    let (details, notices) = db::run(&state.pool, move |conn| {
        let session = service::patch(conn, &ctx, &actor, &id, body.into_inner())?;
        let notices = crate::registrations::service::capacity_notices(conn, &ctx, &session)?;
        Ok((service::details(conn, &session.id, true)?, notices))
    })
    .await?;
    let mut view = SessionView::of_details(&details);
    view.notices = notices;
    Ok(HttpResponse::Ok().json(view))
}

/// Publishes a draft session.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/publish", tag = "sessions", params(("id" = String, Path)),
    responses((status = 200, body = SessionView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn publish(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<SessionId>,
) -> Result<HttpResponse, AppError> {
    let (actor, ctx) = (Actor::User(user.id), state.ctx());
    let session = db::run(&state.pool, move |conn| {
        service::publish(conn, &ctx, &actor, &id)
    })
    .await?;
    answer(&state, session).await
}

/// Cancels a session.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/cancel", tag = "sessions", request_body = CancelInput, params(("id" = String, Path)),
    responses((status = 200, body = SessionView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn cancel(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<SessionId>,
    body: web::Json<CancelInput>,
) -> Result<HttpResponse, AppError> {
    let mut check = Check::new();
    let reason = check.text("reason", body.into_inner().reason, 2000);
    check.finish()?;
    let reason = reason.unwrap_or_default();
    let actor = Actor::User(user.id);
    let ctx = state.ctx();
    let session = db::run(&state.pool, move |conn| {
        service::cancel(conn, &ctx, &actor, &id, reason)
    })
    .await?;
    answer(&state, session).await
}

/// Lists sessions by start time (drafts for staff only).
#[utoipa::path(get, path = "/api/v1/sessions", tag = "sessions", params(Paging, SessionQuery),
    responses((status = 200, body = ListOf<SessionView>), (status = 422, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    paging: web::Query<Paging>,
    query: web::Query<SessionQuery>,
) -> Result<HttpResponse, AppError> {
    let staff = caller.is_staff();
    let (paging, query) = (paging.into_inner(), query.into_inner());
    // cache (perf): what anyone sees is kept per query until public content changes (a list
    // of upcoming sessions also follows the clock); staff never share it.
    if !staff {
        let (cache, pool) = (state.cache.clone(), state.pool.clone());
        let key = format!("api-sessions:{}", req.query_string());
        return crate::cache::http::serve(&cache, &pool, &req, key, || async move {
            let upcoming = query.upcoming.unwrap_or(false);
            let list = session_list(&state, false, paging, query).await?;
            let mut rendered = crate::cache::http::json(&list)?;
            rendered.until = upcoming.then(|| chrono::Utc::now() + chrono::Duration::seconds(10));
            Ok::<_, AppError>(rendered)
        })
        .await;
    }
    // end cache (perf)
    let list = session_list(&state, staff, paging, query).await?;
    Ok(HttpResponse::Ok().json(list))
}

async fn session_list(
    state: &AppState,
    staff: bool,
    paging: Paging,
    query: SessionQuery,
) -> Result<ListOf<SessionView>, AppError> {
    let now = state.ctx().now;
    let (limit, offset) = paging.checked()?;
    let statuses = match query.status.as_deref() {
        None => Vec::new(),
        Some(s) => vec![SessionStatus::parse(s)
            .ok_or_else(|| AppError::invalid("status", "must be draft, scheduled or cancelled"))?],
    };
    let filter = Filter {
        meeting_ids: query.meeting_id.map(|id| vec![MeetingId::from(id)]),
        statuses,
        ends_after: query.upcoming.unwrap_or(false).then(|| db::micros(now)),
    };
    let page = db::run(&state.pool, move |conn| {
        service::list(conn, staff, filter, limit, offset)
    })
    .await?;
    let items = page
        .sessions
        .iter()
        .filter_map(|s| {
            let meeting = page.meetings.iter().find(|m| m.id == s.meeting_id)?;
            Some(SessionView::of(s, meeting, page.rooms.get(&s.id), staff))
        })
        .collect();
    Ok(ListOf {
        items,
        total: page.total,
    })
}

/// One session (drafts for staff only).
#[utoipa::path(get, path = "/api/v1/sessions/{id}", tag = "sessions", params(("id" = String, Path)),
    responses((status = 200, body = SessionView), (status = 404, body = Problem)))]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<SessionId>,
) -> Result<HttpResponse, AppError> {
    let staff = caller.is_staff();
    // cache (perf): what anyone sees is kept until public content changes; staff never share it.
    if !staff {
        let (cache, pool) = (state.cache.clone(), state.pool.clone());
        let key = format!("api-session:{}", id.as_str());
        return crate::cache::http::serve(&cache, &pool, &req, key, || async move {
            let view = session_view(&state, id.into_inner(), false).await?;
            crate::cache::http::json(&view)
        })
        .await;
    }
    // end cache (perf)
    let view = session_view(&state, id.into_inner(), staff).await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn session_view(
    state: &AppState,
    id: SessionId,
    staff: bool,
) -> Result<SessionView, AppError> {
    let d = db::run(&state.pool, move |conn| service::details(conn, &id, staff)).await?;
    Ok(SessionView::of(
        &d.session,
        &d.meeting,
        d.room.as_ref(),
        staff,
    ))
}
