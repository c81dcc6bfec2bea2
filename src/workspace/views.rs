//! How the workspace shows times, sessions and people: in the meeting's zone with the zone
//! named (UTC on request), people by name and email, kinds and statuses in words.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::accounts::store::UserRow;
use crate::meetings::domain::Meeting;
use crate::rooms::domain::Room;
use crate::sessions::domain::Session;
use crate::web::{local_instant, local_span};

/// `?tz=UTC` shows the times in UTC instead of the meeting's zone.
#[derive(Debug, Default, Deserialize)]
pub struct ZoneQuery {
    pub tz: Option<String>,
}

/// A span with its zone: `Tue 2026-03-10 14:30–17:30 (Europe/Zurich)`.
pub fn span(tz: Tz, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> String {
    format!("{} ({})", local_span(tz, starts_at, ends_at), tz.name())
}

/// An instant with its zone.
pub fn instant(tz: Tz, at: DateTime<Utc>) -> String {
    format!("{} ({})", local_instant(tz, at), tz.name())
}

/// A person as people read them: `Name <email>`.
pub fn person(u: &UserRow) -> String {
    format!("{} <{}>", u.name, u.email)
}

/// Words for a session's status and kind.
pub fn status_words(s: &Session) -> &'static str {
    match s.status.as_str() {
        "draft" => "Draft",
        "scheduled" => "Scheduled",
        _ => "Cancelled",
    }
}

/// Words for a session's kind.
pub fn kind_words(kind: &str) -> &'static str {
    match kind {
        "adhoc_session" => "Ad-hoc session",
        "workshop" => "Workshop",
        _ => "Seminar",
    }
}

/// A session's line on a list: title, when (in `tz`), status, room.
pub fn session_line(s: &Session, tz: Tz, room: Option<&Room>) -> Value {
    json!({"id": s.id, "title": s.fields.title, "when": span(tz, s.fields.starts_at, s.fields.ends_at),
        "status": s.status.as_str(), "status_words": status_words(s), "kind": kind_words(s.fields.kind.as_str()),
        "room": room.map(|r| format!("{} · {}", r.name, r.location))})
}

/// A meeting's facts in words.
pub fn meeting_facts(m: &Meeting) -> Value {
    let kind = match m.kind.as_str() {
        "study_group" => "Study Group plenary",
        _ => "Rapporteur Group meeting",
    };
    json!({"id": m.id, "title": m.title, "kind": kind, "study_group": m.study_group,
        "question": m.question, "venue": m.venue, "timezone": m.timezone.name(),
        "days": format!("{} – {}", m.first_day.format("%a %Y-%m-%d"), m.last_day.format("%a %Y-%m-%d"))})
}

/// The zone picker's two choices, for a page at `path`.
pub fn zone_links(path: &str, meeting: Tz, shown: Tz) -> Value {
    json!({"meeting": meeting.name(), "shown": shown.name(), "utc": shown == chrono_tz::UTC,
        "to_meeting": path, "to_utc": format!("{path}?tz=UTC")})
}
