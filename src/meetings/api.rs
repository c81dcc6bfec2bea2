//! JSON handlers for meetings.

use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::domain::{Meeting, MeetingInput, MeetingKind};
use super::service;
use crate::app::AppState;
use crate::audit::Actor;
use crate::auth::{Caller, Organiser};
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{ListOf, Paging};
use crate::sessions::api::SessionView;

/// A meeting as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeetingView {
    pub id: String,
    pub kind: MeetingKind,
    pub study_group: i32,
    pub question: String,
    pub title: String,
    pub venue: String,
    pub timezone: String,
    #[schema(value_type = String, format = Date)]
    pub first_day: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub last_day: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sessions: Option<Vec<SessionView>>,
}

impl MeetingView {
    /// The view of a meeting, without its sessions.
    pub fn of(m: &Meeting) -> MeetingView {
        MeetingView {
            id: m.id.clone(),
            kind: m.kind,
            study_group: m.study_group,
            question: m.question.clone(),
            title: m.title.clone(),
            venue: m.venue.clone(),
            timezone: m.timezone.name().to_string(),
            first_day: m.first_day,
            last_day: m.last_day,
            sessions: None,
        }
    }
}

/// Filters of the meeting list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct MeetingQuery {
    /// Only meetings whose last day has not passed.
    pub upcoming: Option<bool>,
}

/// Creates a meeting.
#[utoipa::path(post, path = "/api/v1/meetings", tag = "meetings", request_body = MeetingInput,
    responses((status = 201, body = MeetingView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
#[post("/api/v1/meetings")]
pub async fn create(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    body: web::Json<MeetingInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::User(user.id);
    let meeting = db::run(&state.pool, move |conn| {
        service::create(conn, &actor, body.into_inner())
    })
    .await?;
    Ok(HttpResponse::Created().json(MeetingView::of(&meeting)))
}

/// Lists meetings by first day.
#[utoipa::path(get, path = "/api/v1/meetings", tag = "meetings", params(Paging, MeetingQuery),
    responses((status = 200, body = ListOf<MeetingView>)))]
#[get("/api/v1/meetings")]
pub async fn list(
    state: web::Data<AppState>,
    paging: web::Query<Paging>,
    query: web::Query<MeetingQuery>,
) -> Result<HttpResponse, AppError> {
    let (limit, offset) = paging.checked()?;
    let upcoming = query.upcoming.unwrap_or(false);
    let (meetings, total) = db::run(&state.pool, move |conn| {
        service::list(conn, upcoming, limit, offset)
    })
    .await?;
    let items = meetings.iter().map(MeetingView::of).collect();
    Ok(HttpResponse::Ok().json(ListOf { items, total }))
}

/// One meeting with its sessions (drafts for staff only).
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = String, Path)),
    responses((status = 200, body = MeetingView), (status = 404, body = Problem)))]
#[get("/api/v1/meetings/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = caller.is_staff();
    let id = id.into_inner();
    let (meeting, sessions) =
        db::run(&state.pool, move |conn| service::get(conn, &id, staff)).await?;
    let mut view = MeetingView::of(&meeting);
    view.sessions = Some(
        sessions
            .iter()
            .map(|s| SessionView::of(s, &meeting, staff))
            .collect(),
    );
    Ok(HttpResponse::Ok().json(view))
}
