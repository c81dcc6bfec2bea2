//! JSON handlers for meetings.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::domain::{Meeting, MeetingId, MeetingInput, MeetingKind};
use super::service;
use crate::access::{Caller, Organiser};
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{ListOf, Paging};
use crate::sessions::views::SessionView;
use crate::state::AppState;

/// A meeting as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeetingView {
    pub id: MeetingId,
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
pub async fn create(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    body: web::Json<MeetingInput>,
) -> Result<HttpResponse, AppError> {
    let (actor, ctx) = (Actor::User(user.id), state.ctx());
    let meeting = db::run(&state.pool, move |conn| {
        service::create(conn, &ctx, &actor, body.into_inner())
    })
    .await?;
    Ok(HttpResponse::Created().json(MeetingView::of(&meeting)))
}

/// Lists meetings by first day.
#[utoipa::path(get, path = "/api/v1/meetings", tag = "meetings", params(Paging, MeetingQuery),
    responses((status = 200, body = ListOf<MeetingView>)))]
pub async fn list(
    state: web::Data<AppState>,
    paging: web::Query<Paging>,
    query: web::Query<MeetingQuery>,
) -> Result<HttpResponse, AppError> {
    let (limit, offset) = paging.checked()?;
    let (upcoming, ctx) = (query.upcoming.unwrap_or(false), state.ctx());
    let (meetings, total) = db::run(&state.pool, move |conn| {
        service::list(conn, &ctx, upcoming, limit, offset)
    })
    .await?;
    let items = meetings.iter().map(MeetingView::of).collect();
    Ok(HttpResponse::Ok().json(ListOf { items, total }))
}

/// One meeting with its sessions (drafts for staff only).
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = String, Path)),
    responses((status = 200, body = MeetingView), (status = 404, body = Problem)))]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<MeetingId>,
) -> Result<HttpResponse, AppError> {
    let staff = caller.is_staff();
    let found = db::run(&state.pool, move |conn| service::get(conn, &id, staff)).await?;
    let mut view = MeetingView::of(&found.meeting);
    view.sessions = Some(
        found
            .sessions
            .iter()
            .map(|s| SessionView::of(s, &found.meeting, found.rooms.get(&s.id), staff))
            .collect(),
    );
    Ok(HttpResponse::Ok().json(view))
}
