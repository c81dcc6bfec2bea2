//! The public page of one session.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Serialize;

use super::domain::SessionStatus;
use super::service;
use crate::db;
use crate::state::AppState;
use crate::web::PageError;
use crate::web::{local_instant, local_span, render, Lang};

#[derive(Serialize)]
struct SessionPage {
    id: String,
    title: String,
    kind_key: String,
    status: &'static str,
    status_key: String,
    cancel_reason: Option<String>,
    when: String,
    capacity: i32,
    remote_capacity: i32,
    registration_open: bool,
    opens: Option<String>,
    closes: Option<String>,
    description: String,
    paragraphs: Vec<String>,
}

#[derive(Serialize)]
struct MeetingLine {
    title: String,
    venue: String,
    question: String,
    timezone: &'static str,
}

/// A session's public page; drafts are not public.
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (session, meeting) =
        db::run(&state.pool, move |conn| service::get(conn, &id, false)).await?;
    // agendas: the latest approved programme (None while in preparation), shown by its partial.
    let (sid, lang) = (session.id.to_string(), Lang::of(&req));
    let programme = db::run(&state.pool, move |conn| {
        crate::agendas::service::public_programme(conn, &sid, lang.0)
    })
    .await?;
    let f = &session.fields;
    let tz = meeting.timezone;
    let page = SessionPage {
        id: session.id.to_string(),
        title: f.title.clone(),
        kind_key: format!("session_kind_{}", f.kind.as_str()),
        status: session.status.as_str(),
        status_key: format!("session_status_{}", session.status.as_str()),
        cancel_reason: session.cancel_reason.clone(),
        when: local_span(tz, f.starts_at, f.ends_at),
        capacity: f.capacity,
        remote_capacity: f.remote_capacity,
        registration_open: session.status == SessionStatus::Scheduled
            && f.registration_window_open(Utc::now()),
        opens: f.registration_opens_at.map(|t| local_instant(tz, t)),
        closes: f.registration_closes_at.map(|t| local_instant(tz, t)),
        description: f.description.clone(),
        paragraphs: f
            .description
            .split("\n\n")
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
    };
    let meeting = MeetingLine {
        title: meeting.title,
        venue: meeting.venue,
        question: meeting.question,
        timezone: tz.name(),
    };
    Ok(render(
        Lang::of(&req),
        "sessions/show.html",
        serde_json::json!({ "s": page, "m": meeting, "programme": programme }),
    )?)
}
