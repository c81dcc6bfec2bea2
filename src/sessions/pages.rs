//! The public page of one session.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::domain::{Session, SessionId};
use super::service::{self, SessionDetails};
use crate::access::Caller;
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

/// A session's public page; drafts are not public, but staff see them as a preview.
// cache (perf): anonymous readers get the page rendered once per session and language, kept until
// public content changes and seat counts at most `SEATS_FRESH_SECS` old; a signed-in reader's page
// is rendered for them (draft preview, links to their own work) and never kept.
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<SessionId>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    if caller.0.is_some() {
        let page = render_show(state, id.into_inner(), lang, caller).await?;
        return Ok(HttpResponse::Ok()
            .content_type(page.content_type)
            .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-store"))
            .body(page.body));
    }
    let key = format!("session-page:{}:{}", id.as_str(), lang.0);
    let (cache, pool) = (state.cache.clone(), state.pool.clone());
    crate::cache::http::serve(&cache, &pool, &req, key, || {
        render_show(state, id.into_inner(), lang, caller)
    })
    .await
}
// end cache (perf)

/// How long an anonymous copy of a session page may show old seat counts.
const SEATS_FRESH_SECS: i64 = 2;

async fn render_show(
    state: web::Data<AppState>,
    id: SessionId,
    lang: Lang,
    caller: Caller,
) -> Result<crate::cache::Rendered, PageError> {
    let (now, staff) = (state.ctx().now, caller.is_staff());
    let details = db::run(&state.pool, move |conn| {
        let details = service::details(conn, &id, staff)?;
        let work = crate::workspace::service::may_see_work(conn, caller.0.as_ref(), &id)?;
        Ok((details, work))
    })
    .await?;
    let (details, agenda_link) = details;
    let preview = !details.session.is_public();
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
        "programme": programme, "preview": preview, "agenda_link": agenda_link, "seats": seats });
    let f = &details.session.fields;
    let until = crate::cache::next_change(
        now,
        &[
            f.registration_opens_at,
            f.registration_closes_at,
            Some(f.starts_at),
            Some(now + chrono::Duration::seconds(SEATS_FRESH_SECS)),
        ],
    );
    let body = crate::web::templates::render_string(lang, "sessions/show.html", values)?;
    Ok(crate::cache::http::html(body, until))
}
