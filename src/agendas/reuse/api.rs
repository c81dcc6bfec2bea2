//! JSON handlers for reuse: start an agenda from an earlier version, copy a session.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use super::service::{self, Source, Target};
use crate::access::Organiser;
use crate::agendas::domain::Item;
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{Check, Field};
use crate::sessions::domain::SessionStatus;
use crate::state::AppState;

/// Which approved version an agenda starts from.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartFromInput {
    /// A session with an approved agenda.
    #[serde(default)]
    #[schema(value_type = String)]
    pub source_session_id: Field<String>,
    /// Its version to start from; the latest when left out.
    #[serde(default)]
    #[schema(value_type = Option<i32>)]
    pub version: Field<i32>,
}

/// The items an agenda now has.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ItemsView {
    pub session_id: String,
    pub items: Vec<Item>,
}

/// Starts an empty agenda from another session's approved version, moved to this session's day
/// and start; 422 names the items that would fall outside, 409 when the agenda has items.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/agenda/start-from", tag = "agendas", request_body = StartFromInput,
    params(("id" = String, Path)),
    responses((status = 201, body = ItemsView), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn start_from(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<String>,
    body: web::Json<StartFromInput>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let mut check = Check::new();
    let source_session_id = check.text("source_session_id", body.source_session_id, 100);
    let version = check.optional("version", body.version);
    check.finish()?;
    let source = Source {
        session_id: source_session_id.unwrap_or_default(),
        version,
    };
    let (actor, ctx, session_id) = (Actor::User(user.id), state.ctx(), id.into_inner());
    let sid = session_id.clone();
    let items = db::run(&state.pool, move |conn| {
        service::start_from(conn, &ctx, &actor, &sid, source)
    })
    .await?;
    Ok(HttpResponse::Created().json(ItemsView { session_id, items }))
}

/// Where to copy a session.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CopyInput {
    #[serde(default)]
    #[schema(value_type = String, format = Uuid)]
    pub meeting_id: Field<String>,
    /// The copy's start; it keeps the original's length.
    #[serde(default)]
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: Field<DateTime<FixedOffset>>,
    /// The copy's title; the original's when left out.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub title: Field<String>,
}

impl CopyInput {
    fn target(self) -> Result<Target, AppError> {
        let mut check = Check::new();
        let meeting_id = check.text("meeting_id", self.meeting_id, 100);
        let starts_at = match self.starts_at {
            Field::Invalid(_) => {
                check.fail("starts_at", "must be an RFC 3339 instant with an offset");
                None
            }
            other => check.required("starts_at", other),
        };
        let title = check.optional("title", self.title);
        check.finish()?;
        Ok(Target {
            meeting_id: meeting_id.unwrap_or_default(),
            starts_at: starts_at.map(|t| t.with_timezone(&Utc)).unwrap_or_default(),
            title: service::title(title)?,
        })
    }
}

/// The new session a copy made.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CopiedSession {
    pub id: String,
    pub meeting_id: String,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: SessionStatus,
    /// The copied agenda's working copy (a draft to submit again).
    pub items: Vec<Item>,
}

/// Copies a session (facts, rapporteurs, agenda working copy) to a meeting as a new draft;
/// room needs are left to book again.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/copy", tag = "agendas", request_body = CopyInput,
    params(("id" = String, Path)),
    responses((status = 201, body = CopiedSession), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn copy(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<String>,
    body: web::Json<CopyInput>,
) -> Result<HttpResponse, AppError> {
    let target = body.into_inner().target()?;
    let (actor, ctx) = (Actor::User(user.id), state.ctx());
    let (session, items) = db::run(&state.pool, move |conn| {
        service::copy_session(conn, &ctx, &actor, &id, target)
    })
    .await?;
    Ok(HttpResponse::Created().json(CopiedSession {
        id: session.id.to_string(),
        meeting_id: session.meeting_id.to_string(),
        title: session.fields.title,
        starts_at: session.fields.starts_at,
        ends_at: session.fields.ends_at,
        status: session.status,
        items,
    }))
}
