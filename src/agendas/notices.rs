//! The emails the agenda workflow sends, as typed notices, queued in the caller's transaction.

use serde::Serialize;

use crate::config::Settings;
use crate::db::Conn;
use crate::error::AppError;
use crate::mail::notice::{render, Notice};
use crate::mail::outbox::{self, Email, RecordKind};
use crate::meetings::domain::Meeting;
use crate::sessions::domain::Session;
use crate::web::{local_span, Lang};

/// What an agenda email is about, in the outbox.
pub const AGENDA: RecordKind = RecordKind::named("agenda");

/// What every agenda email shows of its session.
#[derive(Debug, Clone, Serialize)]
pub struct SessionLine {
    pub title: String,
    pub when: String,
    pub timezone: String,
}

impl SessionLine {
    /// The line of a session, in its meeting's zone.
    pub fn of(session: &Session, meeting: &Meeting) -> SessionLine {
        let f = &session.fields;
        SessionLine {
            title: f.title.clone(),
            when: local_span(meeting.timezone, f.starts_at, f.ends_at),
            timezone: meeting.timezone.name().to_string(),
        }
    }
}

/// To a rapporteur: an agenda waits for their review.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaSubmitted {
    pub name: String,
    pub session: SessionLine,
    pub items: usize,
    pub link: String,
}

impl Notice for AgendaSubmitted {
    const TEMPLATE: &'static str = "agenda_submitted";
}

/// To the organisers: a rapporteur approved a version.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaApproved {
    pub name: String,
    pub session: SessionLine,
    pub version: i32,
    pub reviewer: String,
    pub comment: String,
    pub link: String,
}

impl Notice for AgendaApproved {
    const TEMPLATE: &'static str = "agenda_approved";
}

/// To the organisers: a rapporteur asks for changes, saying which.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaChangesRequested {
    pub name: String,
    pub session: SessionLine,
    pub reviewer: String,
    pub comment: String,
    pub link: String,
}

impl Notice for AgendaChangesRequested {
    const TEMPLATE: &'static str = "agenda_changes_requested";
}

/// Someone to write to.
#[derive(Debug, Clone)]
pub struct Addressee {
    pub email: String,
    pub name: String,
}

/// Queues a notice about a session's agenda to one person (English: accounts keep no language).
pub fn send<N: Notice>(
    conn: &mut Conn,
    settings: &Settings,
    session_id: &str,
    to: &Addressee,
    notice: &N,
) -> Result<(), AppError> {
    let mail = render(settings, Lang("en"), notice)?;
    let email = Email {
        to_email: to.email.clone(),
        to_name: to.name.clone(),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        calendar: None,
        record_kind: AGENDA,
        record_id: session_id.to_string(),
        reply_to: None,
    };
    outbox::enqueue(conn, &settings.public_host(), email)?;
    Ok(())
}
