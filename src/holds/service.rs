//! Calendar invitations that follow their event: who holds one, and the REQUEST or CANCEL each change sends them.

use std::any::Any;

use chrono::Utc;
use diesel::prelude::*;
use serde_json::json;
use uuid::Uuid;

use crate::calendar::{self, Event, Method, Person, Role};
use crate::config::Settings;
use crate::db::schema::calendar_holds;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::mail::compose::{compose, Composed};
use crate::mail::outbox::{self, Email};
use crate::meetings::domain::Meeting;
use crate::sessions::domain::{Session, SessionChange, SessionEvent};
use crate::web::{local_span, Lang};

/// Someone who receives a session's invitation: a delegate, or (for a slot) a speaker.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub record_kind: &'static str,
    pub record_id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub lang: &'static str,
    pub remote: bool,
}

/// A stored hold.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = calendar_holds)]
pub struct HoldRow {
    pub id: String,
    pub event_uid: String,
    pub session_id: String,
    pub record_kind: String,
    pub record_id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub lang: String,
    pub remote: bool,
    pub sequence_sent: i32,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Chair => "chair",
        Role::ReqParticipant => "req_participant",
        Role::OptParticipant => "opt_participant",
    }
}

fn role_of(name: &str) -> Role {
    match name {
        "chair" => Role::Chair,
        "opt_participant" => Role::OptParticipant,
        _ => Role::ReqParticipant,
    }
}

/// The stable UID of a session's event.
pub fn session_uid(settings: &Settings, session_id: &str) -> String {
    format!("session-{session_id}@{}", settings.public_host())
}

/// The organiser of every invitation: the configured sender.
pub fn organizer(settings: &Settings) -> Person {
    let from: Option<lettre::message::Mailbox> = settings.mail.from.parse().ok();
    Person {
        name: from
            .as_ref()
            .and_then(|m| m.name.clone())
            .unwrap_or_default(),
        email: from
            .map(|m| m.email.to_string())
            .unwrap_or_else(|| "seminars@localhost".into()),
    }
}

/// The session as a calendar event; remote attendees see the connection link as the place.
pub fn session_event(
    settings: &Settings,
    session: &Session,
    meeting: &Meeting,
    remote: bool,
) -> Event {
    let f = &session.fields;
    let url = format!("{}/sessions/{}", settings.base_url(), session.id);
    let location = match (&f.remote_url, remote) {
        (Some(link), true) => link.clone(),
        (None, true) => crate::i18n::text("en", "mail_online"),
        _ => meeting.venue.clone(),
    };
    Event {
        uid: session_uid(settings, &session.id),
        sequence: u32::try_from(session.sequence).unwrap_or(0),
        summary: f.title.clone(),
        description: format!("{}\n\n{}", f.description, url).trim().to_string(),
        location,
        url,
        starts_at: f.starts_at,
        ends_at: f.ends_at,
        stamp: Utc::now(),
    }
}

fn values(
    settings: &Settings,
    session: &Session,
    meeting: &Meeting,
    name: &str,
    remote: bool,
) -> serde_json::Value {
    let event = session_event(settings, session, meeting, remote);
    json!({
        "name": name,
        "reason": session.cancel_reason.clone().unwrap_or_default(),
        "session": {
            "title": session.fields.title,
            "when": local_span(meeting.timezone, session.fields.starts_at, session.fields.ends_at),
            "timezone": meeting.timezone.name(),
            "location": event.location,
            "url": event.url,
        }
    })
}

fn queue(
    conn: &mut Conn,
    settings: &Settings,
    hold: &HoldRow,
    mail: Composed,
    ics: String,
    method: Method,
) -> QueryResult<()> {
    let email = Email {
        to_email: hold.email.clone(),
        to_name: hold.name.clone(),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        calendar: Some((ics, method)),
        record_kind: "calendar_hold",
        record_id: hold.id.clone(),
    };
    outbox::enqueue(conn, &settings.public_host(), email).map(|_| ())
}

/// Sends a session's REQUEST to a recipient with the given email template, and remembers the hold.
/// `extra` values are merged into the template's context (e.g. a secret link).
pub fn invite(
    conn: &mut Conn,
    settings: &Settings,
    session: &Session,
    meeting: &Meeting,
    recipient: &Recipient,
    template: &str,
    extra: serde_json::Value,
) -> Result<(), AppError> {
    let now = db::micros(Utc::now());
    let uid = session_uid(settings, &session.id);
    let existing = calendar_holds::table
        .filter(calendar_holds::event_uid.eq(&uid))
        .filter(calendar_holds::record_kind.eq(recipient.record_kind))
        .filter(calendar_holds::record_id.eq(&recipient.record_id))
        .select(HoldRow::as_select())
        .first(conn)
        .optional()?;
    let hold = HoldRow {
        id: existing
            .as_ref()
            .map(|h| h.id.clone())
            .unwrap_or_else(|| Uuid::new_v4().to_string()),
        event_uid: uid,
        session_id: session.id.to_string(),
        record_kind: recipient.record_kind.into(),
        record_id: recipient.record_id.clone(),
        email: recipient.email.clone(),
        name: recipient.name.clone(),
        role: role_name(recipient.role).into(),
        lang: recipient.lang.into(),
        remote: recipient.remote,
        // A holder who was sent a CANCEL needs a higher SEQUENCE for a new REQUEST to count.
        sequence_sent: existing.as_ref().map_or(session.sequence, |h| {
            (h.sequence_sent + 1).max(session.sequence)
        }),
        active: true,
        created_at: existing.as_ref().map(|h| h.created_at).unwrap_or(now),
        updated_at: now,
    };
    if existing.is_some() {
        diesel::delete(calendar_holds::table.find(&hold.id)).execute(conn)?;
    }
    diesel::insert_into(calendar_holds::table)
        .values(&hold)
        .execute(conn)?;
    let mut context = values(settings, session, meeting, &hold.name, hold.remote);
    if let (Some(base), serde_json::Value::Object(more)) = (context.as_object_mut(), extra) {
        base.extend(more);
    }
    let mail = compose(settings, Lang(recipient.lang), template, context)?;
    let mut event = session_event(settings, session, meeting, hold.remote);
    event.sequence = u32::try_from(hold.sequence_sent).unwrap_or(0);
    let attendee = Person {
        name: hold.name.clone(),
        email: hold.email.clone(),
    };
    let ics = calendar::request(&event, &organizer(settings), &attendee, recipient.role);
    Ok(queue(conn, settings, &hold, mail, ics, Method::Request)?)
}

/// Withdraws one holder's invitation (their registration or slot was cancelled): CANCEL with the next SEQUENCE.
pub fn withdraw(
    conn: &mut Conn,
    settings: &Settings,
    session: &Session,
    meeting: &Meeting,
    record_kind: &str,
    record_id: &str,
    template: &str,
) -> Result<(), AppError> {
    let holds = active_holds(conn, &session.id)?
        .into_iter()
        .filter(|h| h.record_kind == record_kind && h.record_id == record_id);
    for hold in holds {
        cancel_hold(conn, settings, session, meeting, &hold, template)?;
    }
    Ok(())
}

fn active_holds(conn: &mut Conn, session_id: &str) -> QueryResult<Vec<HoldRow>> {
    calendar_holds::table
        .filter(calendar_holds::session_id.eq(session_id))
        .filter(calendar_holds::active.eq(true))
        .order(calendar_holds::created_at.asc())
        .select(HoldRow::as_select())
        .load(conn)
}

fn cancel_hold(
    conn: &mut Conn,
    settings: &Settings,
    session: &Session,
    meeting: &Meeting,
    hold: &HoldRow,
    template: &str,
) -> Result<(), AppError> {
    // Past everything this holder has received, so their client applies it.
    let sequence = (hold.sequence_sent + 1).max(session.sequence);
    let mut event = session_event(settings, session, meeting, hold.remote);
    event.sequence = u32::try_from(sequence).unwrap_or(0);
    let attendee = Person {
        name: hold.name.clone(),
        email: hold.email.clone(),
    };
    let ics = calendar::cancel(&event, &organizer(settings), &attendee, role_of(&hold.role));
    let mail = compose(
        settings,
        Lang(crate::i18n::negotiate(Some(&hold.lang), None)),
        template,
        values(settings, session, meeting, &hold.name, hold.remote),
    )?;
    diesel::update(calendar_holds::table.find(&hold.id))
        .set((
            calendar_holds::active.eq(false),
            calendar_holds::sequence_sent.eq(sequence),
            calendar_holds::updated_at.eq(db::micros(Utc::now())),
        ))
        .execute(conn)?;
    Ok(queue(conn, settings, hold, mail, ics, Method::Cancel)?)
}

/// Follows a session: every holder of its invitation gets the update or the cancellation.
pub fn react(conn: &mut Conn, ctx: &Ctx, event: &dyn Any) -> Result<(), AppError> {
    let Some(event) = event.downcast_ref::<SessionEvent>() else {
        return Ok(());
    };
    let (session, meeting) = (&event.session, &event.meeting);
    if event.change == SessionChange::Cancelled {
        session_cancelled(conn, &ctx.settings, session, meeting)?;
    } else if event.calendar_changed() {
        session_changed(conn, &ctx.settings, session, meeting)?;
    }
    Ok(())
}

/// After a change of time, place or title: a REQUEST with the session's new SEQUENCE to every holder.
pub fn session_changed(
    conn: &mut Conn,
    settings: &Settings,
    session: &Session,
    meeting: &Meeting,
) -> Result<usize, AppError> {
    let holds = active_holds(conn, &session.id)?;
    for hold in &holds {
        let sequence = (hold.sequence_sent + 1).max(session.sequence);
        let mut event = session_event(settings, session, meeting, hold.remote);
        event.sequence = u32::try_from(sequence).unwrap_or(0);
        let attendee = Person {
            name: hold.name.clone(),
            email: hold.email.clone(),
        };
        let ics = calendar::request(&event, &organizer(settings), &attendee, role_of(&hold.role));
        let lang = Lang(crate::i18n::negotiate(Some(&hold.lang), None));
        let mail = compose(
            settings,
            lang,
            "session_update",
            values(settings, session, meeting, &hold.name, hold.remote),
        )?;
        diesel::update(calendar_holds::table.find(&hold.id))
            .set((
                calendar_holds::sequence_sent.eq(sequence),
                calendar_holds::updated_at.eq(db::micros(Utc::now())),
            ))
            .execute(conn)?;
        queue(conn, settings, hold, mail, ics, Method::Request)?;
    }
    Ok(holds.len())
}

/// The session is cancelled: a CANCEL to every holder.
pub fn session_cancelled(
    conn: &mut Conn,
    settings: &Settings,
    session: &Session,
    meeting: &Meeting,
) -> Result<usize, AppError> {
    let holds = active_holds(conn, &session.id)?;
    for hold in &holds {
        cancel_hold(conn, settings, session, meeting, hold, "session_cancelled")?;
    }
    Ok(holds.len())
}
