//! JSON handlers for sessions.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::domain::{Session, SessionInput, SessionKind, SessionStatus};
use super::service;
use super::store::Filter;
use crate::app::AppState;
use crate::audit::Actor;
use crate::auth::{Caller, Organiser};
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{Check, Field, ListOf, Paging};
use crate::meetings::domain::Meeting;

/// A session as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub id: String,
    pub meeting_id: String,
    pub kind: SessionKind,
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The meeting's IANA time zone, in which the session is shown.
    pub timezone: String,
    pub capacity: i32,
    pub remote_capacity: i32,
    pub registration_opens_at: Option<DateTime<Utc>>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    /// Connection details for remote attendance; staff only (delegates get them by email).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_url: Option<String>,
    pub status: SessionStatus,
    pub cancel_reason: Option<String>,
    pub sequence: i32,
    pub approval_required: bool,
    pub reserved_seats: i32,
    pub reserved_until: Option<DateTime<Utc>>,
    /// What the organiser should know after a change, e.g. more delegates confirmed than the
    /// lowered capacity (nobody is demoted; nobody else is confirmed until seats free). Only
    /// in the answer to a change, and only when there is something to say.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
}

impl SessionView {
    /// The view of a session for a caller.
    pub fn of(s: &Session, meeting: &Meeting, staff: bool) -> SessionView {
        let f = &s.fields;
        SessionView {
            id: s.id.clone(),
            meeting_id: s.meeting_id.clone(),
            kind: f.kind,
            title: f.title.clone(),
            description: f.description.clone(),
            starts_at: f.starts_at,
            ends_at: f.ends_at,
            timezone: meeting.timezone.name().to_string(),
            capacity: f.capacity,
            remote_capacity: f.remote_capacity,
            registration_opens_at: f.registration_opens_at,
            registration_closes_at: f.registration_closes_at,
            remote_url: if staff { f.remote_url.clone() } else { None },
            status: s.status,
            cancel_reason: s.cancel_reason.clone(),
            sequence: s.sequence,
            approval_required: f.approval_required,
            reserved_seats: f.reserved_seats,
            reserved_until: f.reserved_until,
            notices: Vec::new(),
        }
    }
}

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

async fn answer(state: &AppState, session: Session) -> Result<HttpResponse, AppError> {
    let meeting_id = session.meeting_id.clone();
    let meeting = db::run(&state.pool, move |conn| {
        crate::meetings::store::find(conn, &meeting_id).map_err(AppError::from)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(SessionView::of(&session, &meeting, true)))
}

/// Creates a draft session inside a meeting's days.
#[utoipa::path(post, path = "/api/v1/sessions", tag = "sessions", request_body = SessionInput,
    responses((status = 201, body = SessionView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
#[post("/api/v1/sessions")]
pub async fn create(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    body: web::Json<SessionInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::User(user.id);
    let session = db::run(&state.pool, move |conn| {
        service::create(conn, &actor, body.into_inner())
    })
    .await?;
    let mut response = answer(&state, session).await?;
    *response.status_mut() = actix_web::http::StatusCode::CREATED;
    Ok(response)
}

/// Changes any fields of a session.
#[utoipa::path(patch, path = "/api/v1/sessions/{id}", tag = "sessions", request_body = SessionInput, params(("id" = String, Path)),
    responses((status = 200, body = SessionView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[patch("/api/v1/sessions/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<String>,
    body: web::Json<SessionInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::User(user.id);
    let settings = state.settings.clone();
    let (session, meeting, notices) = db::run(&state.pool, move |conn| {
        let session = service::patch(conn, &settings, &actor, &id, body.into_inner())?;
        let meeting =
            crate::meetings::store::find(conn, &session.meeting_id)?.ok_or(AppError::NotFound)?;
        let notices = crate::registrations::service::capacity_notices(conn, &session)?;
        Ok((session, meeting, notices))
    })
    .await?;
    let mut view = SessionView::of(&session, &meeting, true);
    view.notices = notices;
    Ok(HttpResponse::Ok().json(view))
}

/// Publishes a draft session.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/publish", tag = "sessions", params(("id" = String, Path)),
    responses((status = 200, body = SessionView), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/api/v1/sessions/{id}/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::User(user.id);
    let session = db::run(&state.pool, move |conn| service::publish(conn, &actor, &id)).await?;
    answer(&state, session).await
}

/// Cancels a session.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/cancel", tag = "sessions", request_body = CancelInput, params(("id" = String, Path)),
    responses((status = 200, body = SessionView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/api/v1/sessions/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<String>,
    body: web::Json<CancelInput>,
) -> Result<HttpResponse, AppError> {
    let mut check = Check::new();
    let reason = check.text("reason", body.into_inner().reason, 2000);
    check.finish()?;
    let reason = reason.unwrap_or_default();
    let actor = Actor::User(user.id);
    let settings = state.settings.clone();
    let session = db::run(&state.pool, move |conn| {
        service::cancel(conn, &settings, &actor, &id, reason)
    })
    .await?;
    answer(&state, session).await
}

/// Lists sessions by start time (drafts for staff only).
#[utoipa::path(get, path = "/api/v1/sessions", tag = "sessions", params(Paging, SessionQuery),
    responses((status = 200, body = ListOf<SessionView>), (status = 422, body = Problem)))]
#[get("/api/v1/sessions")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    paging: web::Query<Paging>,
    query: web::Query<SessionQuery>,
) -> Result<HttpResponse, AppError> {
    let staff = caller.is_staff();
    let (limit, offset) = paging.checked()?;
    let query = query.into_inner();
    let statuses = match query.status.as_deref() {
        None => Vec::new(),
        Some(s) => vec![SessionStatus::parse(s)
            .ok_or_else(|| AppError::invalid("status", "must be draft, scheduled or cancelled"))?],
    };
    let filter = Filter {
        meeting_ids: query.meeting_id.map(|id| vec![id]),
        statuses,
        ends_after: query
            .upcoming
            .unwrap_or(false)
            .then(|| db::micros(Utc::now())),
    };
    let (sessions, total, meetings) = db::run(&state.pool, move |conn| {
        let (sessions, total) = service::list(conn, staff, filter, limit, offset)?;
        let meetings = crate::meetings::store::many(
            conn,
            sessions.iter().map(|s| s.meeting_id.clone()).collect(),
        )?;
        Ok((sessions, total, meetings))
    })
    .await?;
    let items = sessions
        .iter()
        .filter_map(|s| {
            meetings
                .iter()
                .find(|m| m.id == s.meeting_id)
                .map(|m| SessionView::of(s, m, staff))
        })
        .collect();
    Ok(HttpResponse::Ok().json(ListOf { items, total }))
}

/// One session (drafts for staff only).
#[utoipa::path(get, path = "/api/v1/sessions/{id}", tag = "sessions", params(("id" = String, Path)),
    responses((status = 200, body = SessionView), (status = 404, body = Problem)))]
#[get("/api/v1/sessions/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = caller.is_staff();
    let (session, meeting) =
        db::run(&state.pool, move |conn| service::get(conn, &id, staff)).await?;
    Ok(HttpResponse::Ok().json(SessionView::of(&session, &meeting, staff)))
}
