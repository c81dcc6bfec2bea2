//! Reuse, since the same kind of session returns at every Study Group and Rapporteur Group
//! meeting: start an agenda from an earlier session's approved version, or copy a whole session
//! (its facts, rapporteurs and agenda working copy) to another meeting.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::json;

use crate::agendas::domain::{self, AgendaEvent, AgendaItemId, Item};
use crate::agendas::service::{frame_of, locked, save_items, session_and_meeting};
use crate::agendas::store;
use crate::agendas::versions::store as vstore;
use crate::audit::Actor;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::input::Check;
use crate::meetings::domain::Meeting;
use crate::sessions::domain::{Session, SessionId, SessionStatus};

/// Where an agenda starts from: a session with an approved agenda, and which version (the
/// latest when none is named).
#[derive(Debug, Clone)]
pub struct Source {
    pub session_id: String,
    pub version: Option<i32>,
}

/// The items of the source's approved version and the start of its session.
fn source_items(
    conn: &mut Conn,
    source: &Source,
) -> Result<(Vec<Item>, DateTime<Utc>, i32), AppError> {
    let invalid = |field: &str, message: &str| AppError::invalid(field, message);
    let session = crate::sessions::store::find(conn, &source.session_id)?
        .ok_or_else(|| invalid("source_session_id", "no session has this id"))?;
    let number = match source.version {
        Some(n) => n,
        None => vstore::latest_number(conn, &source.session_id)?
            .ok_or_else(|| invalid("source_session_id", "this session has no approved agenda"))?,
    };
    let version = vstore::version(conn, &source.session_id, number)?.ok_or_else(|| {
        invalid(
            "version",
            "the session has no approved version with this number",
        )
    })?;
    Ok((version.plain_items(), session.fields.starts_at, number))
}

/// Starts a session's (empty) agenda from an earlier session's approved version: the items move
/// to this session's day and start, keeping their lengths and order; 422 names the items that
/// would fall outside the session, 409 when the agenda has items or is submitted.
pub fn start_from(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    session_id: &str,
    source: Source,
) -> Result<Vec<Item>, AppError> {
    db::write(conn, |conn| {
        let (session, meeting, mut agenda) = locked(conn, session_id, ctx.now)?;
        agenda.status = agenda.status.after_edit()?;
        if !store::items_of(conn, session_id)?.is_empty() {
            return Err(domain::AgendaError::NotEmpty.into());
        }
        let (items, from_start, number) = source_items(conn, &source)?;
        let frame = frame_of(&session, &meeting);
        let carried = crate::agendas::reuse::domain::carry_over(
            &items,
            from_start,
            &frame,
            AgendaItemId::random,
        )?;
        save_items(conn, &agenda, &[], &carried, ctx.now)?;
        agenda.updated_at = ctx.now;
        store::update(conn, &agenda)?;
        let changes = json!({"source_session_id": source.session_id, "version": number, "items": carried.len()});
        crate::audit::store::record(
            conn,
            actor,
            "agenda.started_from",
            "agenda",
            session_id,
            changes,
        )?;
        Ok(carried)
    })
}

/// Where a session is copied to.
#[derive(Debug, Clone)]
pub struct Target {
    pub meeting_id: String,
    pub starts_at: DateTime<Utc>,
    /// The copy's title; the original's when None.
    pub title: Option<String>,
}

/// The copy's facts: the same kind, description, length and seats, at the new time, as a draft
/// with no registration window yet.
fn copied(source: &Session, target: &Target, now: DateTime<Utc>) -> Session {
    let mut fields = source.fields.clone();
    fields.ends_at = target.starts_at + (fields.ends_at - fields.starts_at);
    fields.starts_at = target.starts_at;
    fields.title = target.title.clone().unwrap_or(fields.title);
    fields.registration_opens_at = None;
    fields.registration_closes_at = None;
    fields.reserved_until = None;
    Session {
        id: SessionId::random(),
        meeting_id: target.meeting_id.clone().into(),
        fields,
        status: SessionStatus::Draft,
        cancel_reason: None,
        sequence: 0,
        created_at: db::micros(now),
        updated_at: db::micros(now),
    }
}

/// Copies a session to another meeting (or another day of its own): its facts and rapporteurs,
/// and its agenda's working copy moved with it (422 names items that would not fit). Room needs
/// are announced (`AgendaEvent::SessionCopied`) for the bookings capability, not booked here.
pub fn copy_session(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    session_id: &str,
    target: Target,
) -> Result<(Session, Vec<Item>), AppError> {
    db::write(conn, |conn| {
        let (source, _) = session_and_meeting(conn, session_id)?;
        let meeting = crate::meetings::store::find(conn, &target.meeting_id)?
            .ok_or_else(|| AppError::invalid("meeting_id", "no meeting has this id"))?;
        let copy = copied(&source, &target, ctx.now);
        copy.fields.check_rules(&meeting)?;
        crate::sessions::store::insert(conn, &copy)?;
        let rapporteurs: BTreeSet<String> =
            crate::rapporteurs::store::of_session(conn, session_id)?
                .into_iter()
                .collect();
        crate::rapporteurs::store::replace(conn, &copy.id, &rapporteurs, db::micros(ctx.now))?;
        let changes = json!({"copied_from": session_id, "title": copy.fields.title, "starts_at": copy.fields.starts_at});
        crate::audit::store::record(conn, actor, "session.created", "session", &copy.id, changes)?;
        let items = copy_agenda(conn, ctx, actor, &source, &copy, &meeting)?;
        let event = AgendaEvent::SessionCopied {
            from: source.id.clone(),
            to: copy.id.clone(),
        };
        ctx.announce(conn, &event)?;
        Ok((copy, items))
    })
}

fn copy_agenda(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    source: &Session,
    copy: &Session,
    meeting: &Meeting,
) -> Result<Vec<Item>, AppError> {
    let items = store::items_of(conn, &source.id)?;
    let (_, _, agenda) = locked(conn, &copy.id, ctx.now)?;
    let carried = crate::agendas::reuse::domain::carry_over(
        &items,
        source.fields.starts_at,
        &frame_of(copy, meeting),
        AgendaItemId::random,
    )?;
    save_items(conn, &agenda, &[], &carried, ctx.now)?;
    let changes = json!({"copied_from": source.id, "items": carried.len()});
    crate::audit::store::record(conn, actor, "agenda.copied", "agenda", &copy.id, changes)?;
    Ok(carried)
}

/// The sessions with an approved agenda an organiser may start from, with their latest version,
/// The meetings a session may be copied to, by first day.
pub fn meetings(conn: &mut Conn) -> Result<Vec<Meeting>, AppError> {
    Ok(crate::meetings::store::list(conn, None, 200, 0)?.0)
}

/// The time zone of the meeting a copy goes to; 422 when there is no such meeting.
pub fn zone_of(conn: &mut Conn, meeting_id: &str) -> Result<Tz, AppError> {
    crate::meetings::store::find(conn, meeting_id)?
        .map(|m| m.timezone)
        .ok_or_else(|| AppError::invalid("meeting_id", "no meeting has this id"))
}

/// Checks a copy's title when one is given.
pub fn title(text: Option<String>) -> Result<Option<String>, AppError> {
    let mut check = Check::new();
    let title = text
        .filter(|t| !t.trim().is_empty())
        .and_then(|t| check.valid_text("title", t, 200));
    if title
        .as_ref()
        .is_some_and(|t| t.chars().any(char::is_control))
    {
        check.fail("title", "must not contain control characters");
    }
    check.finish()?;
    Ok(title)
}
