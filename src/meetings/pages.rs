//! The public home page: upcoming meetings with their scheduled sessions.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::domain::Meeting;
use super::service::{self, Programme};
use crate::db;
use crate::state::AppState;
use crate::web::PageError;
use crate::web::{local_span, Lang};

#[derive(Serialize)]
struct SessionLine {
    id: String,
    title: String,
    kind: &'static str,
    kind_key: String,
    when: String,
    /// The booked room, `name · location`, when there is one.
    room: Option<String>,
    /// Cancelled sessions stay listed, marked.
    cancelled: bool,
}

#[derive(Serialize)]
struct MeetingCard {
    id: String,
    title: String,
    kind_key: String,
    question: String,
    venue: String,
    timezone: &'static str,
    days: String,
    sessions: Vec<SessionLine>,
}

fn card(meeting: &Meeting, programme: &Programme) -> MeetingCard {
    MeetingCard {
        id: meeting.id.to_string(),
        title: meeting.title.clone(),
        kind_key: format!("meeting_kind_{}", meeting.kind.as_str()),
        question: meeting.question.clone(),
        venue: meeting.venue.clone(),
        timezone: meeting.timezone.name(),
        days: format!("{} – {}", meeting.first_day, meeting.last_day),
        sessions: programme
            .sessions
            .iter()
            .filter(|s| s.meeting_id == meeting.id)
            .map(|s| SessionLine {
                id: s.id.to_string(),
                title: s.fields.title.clone(),
                kind: s.fields.kind.as_str(),
                kind_key: format!("session_kind_{}", s.fields.kind.as_str()),
                when: local_span(meeting.timezone, s.fields.starts_at, s.fields.ends_at),
                room: programme
                    .rooms
                    .get(&s.id)
                    .map(|r| format!("{} · {}", r.name, r.location)),
                cancelled: s.status == crate::sessions::domain::SessionStatus::Cancelled,
            })
            .collect(),
    }
}

/// Upcoming meetings and their scheduled sessions, in each meeting's time zone.
// cache (perf): rendered once per language, kept until public content changes or a minute
// passes (which meetings are upcoming follows the clock).
pub async fn home(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let (cache, pool) = (state.cache.clone(), state.pool.clone());
    let key = format!("home:{}", lang.0);
    crate::cache::http::serve(&cache, &pool, &req, key, || render_home(state, lang)).await
}
// end cache (perf)

async fn render_home(
    state: web::Data<AppState>,
    lang: Lang,
) -> Result<crate::cache::Rendered, PageError> {
    let ctx = state.ctx();
    let until = ctx.now + chrono::Duration::seconds(60);
    let programme = db::run(&state.pool, move |conn| service::programme(conn, &ctx)).await?;
    let cards: Vec<MeetingCard> = programme
        .meetings
        .iter()
        .map(|m| card(m, &programme))
        .collect();
    let body = crate::web::render_string(
        lang,
        "meetings/home.html",
        serde_json::json!({ "meetings": cards }),
    )?;
    Ok(crate::cache::http::html(body, Some(until)))
}
