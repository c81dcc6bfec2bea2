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
use crate::web::{local_instant, local_span, Lang};

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
            closes: f.registration_closes_at.map(|t| local_instant(tz, t)),
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
// cache (perf): rendered once per session and language, kept until public content changes.
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<SessionId>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let key = format!("session-page:{}:{}", id.as_str(), lang.0);
    let (cache, pool) = (state.cache.clone(), state.pool.clone());
    crate::cache::http::serve(&cache, &pool, &req, key, || {
        render_show(state, id.into_inner(), lang)
    })
    .await
}
// end cache (perf)

async fn render_show(
    state: web::Data<AppState>,
    id: SessionId,
    lang: Lang,
) -> Result<crate::cache::Rendered, PageError> {
    let now = state.ctx().now;
    let details = db::run(&state.pool, move |conn| service::details(conn, &id, false)).await?;
    // agendas: the latest approved programme (None while in preparation), shown by its partial.
    let sid = details.session.id.to_string();
    let programme = db::run(&state.pool, move |conn| {
        crate::agendas::service::public_programme(conn, &sid, lang.0)
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
        "programme": programme });
    let f = &details.session.fields;
    let until = crate::cache::next_change(
        now,
        &[
            f.registration_opens_at,
            f.registration_closes_at,
            Some(f.starts_at),
        ],
    );
    let body = crate::web::templates::render_string(lang, "sessions/show.html", values)?;
    Ok(crate::cache::http::html(body, until))
}
