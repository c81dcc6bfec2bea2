//! The public page of one session.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::domain::{Session, SessionId};
use super::service::{self, SessionDetails};
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

/// Where the session is held: the booked room, or the meeting's venue until one is booked.
#[derive(Serialize)]
struct Place {
    room: Option<String>,
    location: String,
}

#[derive(Serialize)]
struct MeetingLine {
    title: String,
    venue: String,
    question: String,
    timezone: &'static str,
}

impl SessionPage {
    fn of(session: &Session, tz: Tz, now: DateTime<Utc>) -> SessionPage {
        let f = &session.fields;
        SessionPage {
            id: session.id.to_string(),
            title: f.title.clone(),
            kind_key: format!("session_kind_{}", f.kind.as_str()),
            status: session.status.as_str(),
            status_key: format!("session_status_{}", session.status.as_str()),
            cancel_reason: session.cancel_reason.clone(),
            when: local_span(tz, f.starts_at, f.ends_at),
            capacity: f.capacity,
            remote_capacity: f.remote_capacity,
            registration_open: session.registration_open(now),
            opens: f.registration_opens_at.map(|t| local_instant(tz, t)),
            // Registration closes when the session starts unless it closes earlier.
            closes: Some(local_instant(
                tz,
                f.registration_closes_at.unwrap_or(f.starts_at),
            )),
            description: f.description.clone(),
            paragraphs: f
                .description
                .split("\n\n")
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect(),
        }
    }
}

impl Place {
    fn of(details: &SessionDetails) -> Place {
        match &details.room {
            Some(room) => Place {
                room: Some(room.name.clone()),
                location: room.location.clone(),
            },
            None => Place {
                room: None,
                location: details.meeting.venue.clone(),
            },
        }
    }
}

/// A session's public page; drafts are not public.
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<SessionId>,
) -> Result<HttpResponse, PageError> {
    let (now, lang) = (state.ctx().now, Lang::of(&req));
    let details = db::run(&state.pool, move |conn| service::details(conn, &id, false)).await?;
    // agendas: the latest approved programme (None while in preparation), shown by its partial.
    let sid = details.session.id.to_string();
    let programme = db::run(&state.pool, move |conn| {
        crate::agendas::service::public_programme(conn, &sid, lang.0)
    })
    .await?;
    // registrations: seats taken and the waiting list, so the page says when it is full.
    let (fields, sid) = (
        details.session.fields.clone(),
        details.session.id.to_string(),
    );
    let seats = db::run(&state.pool, move |conn| {
        crate::registrations::reports::service::public_seats(conn, &fields, &sid)
    })
    .await?;
    let meeting = &details.meeting;
    let page = SessionPage::of(&details.session, meeting.timezone, now);
    let line = MeetingLine {
        title: meeting.title.clone(),
        venue: meeting.venue.clone(),
        question: meeting.question.clone(),
        timezone: meeting.timezone.name(),
    };
    let values = serde_json::json!({ "s": page, "m": line, "place": Place::of(&details),
        "programme": programme, "seats": seats });
    Ok(render(lang, "sessions/show.html", values)?)
}
