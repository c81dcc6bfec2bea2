//! The public home page: upcoming meetings with their scheduled sessions.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::{domain::Meeting, service};
use crate::db;
use crate::sessions::domain::{Session, SessionStatus};
use crate::state::AppState;
use crate::web::PageError;
use crate::web::{local_span, render, Lang};

#[derive(Serialize)]
struct SessionLine {
    id: String,
    title: String,
    kind: &'static str,
    kind_key: String,
    when: String,
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

fn card(meeting: &Meeting, sessions: &[Session]) -> MeetingCard {
    MeetingCard {
        id: meeting.id.clone(),
        title: meeting.title.clone(),
        kind_key: format!("meeting_kind_{}", meeting.kind.as_str()),
        question: meeting.question.clone(),
        venue: meeting.venue.clone(),
        timezone: meeting.timezone.name(),
        days: format!("{} – {}", meeting.first_day, meeting.last_day),
        sessions: sessions
            .iter()
            .filter(|s| s.meeting_id == meeting.id && s.status == SessionStatus::Scheduled)
            .map(|s| SessionLine {
                id: s.id.to_string(),
                title: s.fields.title.clone(),
                kind: s.fields.kind.as_str(),
                kind_key: format!("session_kind_{}", s.fields.kind.as_str()),
                when: local_span(meeting.timezone, s.fields.starts_at, s.fields.ends_at),
            })
            .collect(),
    }
}

/// Upcoming meetings and their scheduled sessions, in each meeting's time zone.
pub async fn home(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, PageError> {
    let (meetings, sessions) = db::run(&state.pool, |conn| {
        let (meetings, _) = service::list(conn, true, 100, 0)?;
        let filter = crate::sessions::store::Filter {
            meeting_ids: Some(meetings.iter().map(|m| m.id.clone()).collect()),
            statuses: vec![SessionStatus::Scheduled],
            ends_after: None,
        };
        let (sessions, _) = crate::sessions::store::list(conn, &filter, 1000, 0)?;
        Ok((meetings, sessions))
    })
    .await?;
    let cards: Vec<MeetingCard> = meetings.iter().map(|m| card(m, &sessions)).collect();
    Ok(render(
        Lang::of(&req),
        "meetings/home.html",
        serde_json::json!({ "meetings": cards }),
    )?)
}
