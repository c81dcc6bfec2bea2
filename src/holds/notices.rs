//! The emails that carry a session's invitation, its updates and its cancellation, and what
//! every email about a session shows of it.

use serde::Serialize;

use crate::config::Settings;
use crate::mail::notice::Notice;
use crate::meetings::domain::Meeting;
use crate::sessions::domain::Session;
use crate::web::local_span;

/// A session as an email shows it (`session.*` in the templates).
#[derive(Debug, Clone, Serialize)]
pub struct SessionSummary {
    pub title: String,
    /// Its local days and hours in the meeting's timezone.
    pub when: String,
    pub timezone: &'static str,
    /// The booked room or the venue; for a remote attendee, the connection link or "Online".
    pub location: String,
    /// Its public page.
    pub url: String,
}

impl SessionSummary {
    /// The summary of a session, at the place its reader attends.
    pub fn of(
        settings: &Settings,
        session: &Session,
        meeting: &Meeting,
        location: String,
    ) -> SessionSummary {
        let f = &session.fields;
        SessionSummary {
            title: f.title.clone(),
            when: local_span(meeting.timezone, f.starts_at, f.ends_at),
            timezone: meeting.timezone.name(),
            location,
            url: session_url(settings, session),
        }
    }
}

/// The public page of a session.
pub fn session_url(settings: &Settings, session: &Session) -> String {
    format!("{}/sessions/{}", settings.base_url(), session.id)
}

/// An invitation to a session, with a link to manage it when there is one.
#[derive(Debug, Clone, Serialize)]
pub struct SessionInvitation {
    pub name: String,
    pub session: SessionSummary,
    pub link: Option<String>,
}

impl Notice for SessionInvitation {
    const TEMPLATE: &'static str = "session_invitation";
}

/// The session's time, place or title changed; the updated invitation is attached.
#[derive(Debug, Clone, Serialize)]
pub struct SessionUpdate {
    pub name: String,
    pub session: SessionSummary,
}

impl Notice for SessionUpdate {
    const TEMPLATE: &'static str = "session_update";
}

/// The session is cancelled; the CANCEL is attached.
#[derive(Debug, Clone, Serialize)]
pub struct SessionCancelled {
    pub name: String,
    pub reason: String,
    pub session: SessionSummary,
}

impl Notice for SessionCancelled {
    const TEMPLATE: &'static str = "session_cancelled";
}

/// One holder's invitation is withdrawn; the CANCEL is attached.
#[derive(Debug, Clone, Serialize)]
pub struct SessionWithdrawn {
    pub name: String,
    pub session: SessionSummary,
}

impl Notice for SessionWithdrawn {
    const TEMPLATE: &'static str = "session_withdrawn";
}
