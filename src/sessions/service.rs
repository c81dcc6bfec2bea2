//! Use cases of sessions: create, change, publish, cancel, list, show.

use serde_json::{json, Map, Value};

use super::domain::{
    self, Session, SessionChange, SessionEvent, SessionFields, SessionId, SessionStatus,
};
use super::input::SessionInput;
use super::store::Filter;
use crate::audit::Actor;
use crate::bookings::domain::SessionRooms;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::input::Field;
use crate::meetings::domain::Meeting;
use crate::rooms::domain::Room;

fn meeting_of(
    conn: &mut Conn,
    input: &SessionInput,
    current: Option<&Session>,
) -> Result<Meeting, AppError> {
    let id = match (&input.meeting_id, current) {
        (Field::Value(id), _) => id.clone(),
        (Field::Missing, Some(session)) => session.meeting_id.to_string(),
        (Field::Invalid(m), _) => return Err(AppError::invalid("meeting_id", m.clone())),
        _ => return Err(AppError::invalid("meeting_id", "is required")),
    };
    crate::meetings::store::find(conn, &id)?
        .ok_or_else(|| AppError::invalid("meeting_id", "no meeting has this id"))
}

/// Creates a draft session inside its meeting's days.
pub fn create(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    input: SessionInput,
) -> Result<Session, AppError> {
    db::write(conn, |conn| {
        let meeting = meeting_of(conn, &input, None)?;
        let fields = input.clone().apply(None, &meeting)?;
        let now = db::micros(ctx.now);
        let session = Session {
            id: SessionId::random(),
            meeting_id: meeting.id,
            fields,
            status: SessionStatus::Draft,
            cancel_reason: None,
            sequence: 0,
            created_at: now,
            updated_at: now,
        };
        crate::sessions::store::insert(conn, &session)?;
        let f = &session.fields;
        let changes = json!({"title": f.title, "starts_at": f.starts_at, "ends_at": f.ends_at});
        crate::audit::store::record(
            conn,
            actor,
            "session.created",
            "session",
            &session.id,
            changes,
        )?;
        Ok(session)
    })
}

/// Changes any fields of a session; a change of time, place or title raises the calendar
/// sequence. Rooms, invitations and the waiting list follow through the announced event.
pub fn patch(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    id: &SessionId,
    input: SessionInput,
) -> Result<Session, AppError> {
    db::write(conn, |conn| {
        let mut session = crate::sessions::store::find(conn, id)?.ok_or(AppError::NotFound)?;
        session.ensure_editable()?;
        let meeting = meeting_of(conn, &input, Some(&session))?;
        let fields = input.clone().apply(Some(&session.fields), &meeting)?;
        let changes = changed_fields(&session.fields, &fields);
        let moved_meeting = meeting.id != session.meeting_id;
        if changes.is_empty() && !moved_meeting {
            return Ok(session);
        }
        let before = session.edit(fields, meeting.id.clone(), db::micros(ctx.now));
        crate::sessions::store::update(conn, &session)?;
        let (action, changes) = ("session.updated", Value::Object(changes));
        crate::audit::store::record(conn, actor, action, "session", &session.id, changes)?;
        let change = SessionChange::Edited {
            before: Box::new(before),
            moved_meeting,
        };
        announce(conn, ctx, actor, &session, meeting, change)?;
        Ok(session)
    })
}

/// Publishes a draft: it becomes public and registration can open.
pub fn publish(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    id: &SessionId,
) -> Result<Session, AppError> {
    transition(conn, ctx, actor, id, "session.published", |session| {
        session.status = session.publish()?;
        Ok(SessionChange::Published)
    })
}

/// Cancels a session with a reason; its rooms are freed, every holder of its invitation gets a
/// CANCEL and every delegate still waiting is told, through the announced event.
pub fn cancel(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    id: &SessionId,
    reason: String,
) -> Result<Session, AppError> {
    transition(conn, ctx, actor, id, "session.cancelled", |session| {
        session.cancel_for(reason.clone())?;
        Ok(SessionChange::Cancelled)
    })
}

fn transition(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    id: &SessionId,
    action: &str,
    change: impl Fn(&mut Session) -> Result<SessionChange, AppError>,
) -> Result<Session, AppError> {
    db::write(conn, |conn| {
        let mut session = crate::sessions::store::find(conn, id)?.ok_or(AppError::NotFound)?;
        let before = session.status;
        let happened = change(&mut session)?;
        session.updated_at = db::micros(ctx.now);
        crate::sessions::store::update(conn, &session)?;
        let changes = json!({"status": {"from": before.as_str(), "to": session.status.as_str()}, "cancel_reason": session.cancel_reason});
        crate::audit::store::record(conn, actor, action, "session", &session.id, changes)?;
        let meeting =
            crate::meetings::store::find(conn, &session.meeting_id)?.ok_or(AppError::NotFound)?;
        announce(conn, ctx, actor, &session, meeting, happened)?;
        Ok(session)
    })
}

fn announce(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    session: &Session,
    meeting: Meeting,
    change: SessionChange,
) -> Result<(), AppError> {
    let event = SessionEvent {
        actor: actor.clone(),
        session: session.clone(),
        meeting,
        change,
    };
    ctx.announce(conn, &event)
}

/// A page of sessions with their meetings and booked rooms.
pub struct SessionPage {
    pub sessions: Vec<Session>,
    pub total: i64,
    pub meetings: Vec<Meeting>,
    pub rooms: SessionRooms,
}

/// A page of the sessions the caller may see, with their meetings and rooms, in four queries.
pub fn list(
    conn: &mut Conn,
    staff: bool,
    mut filter: Filter,
    limit: i64,
    offset: i64,
) -> Result<SessionPage, AppError> {
    let asked = std::mem::take(&mut filter.statuses);
    let (sessions, total) = match domain::listed_statuses(staff, asked) {
        Some(statuses) => {
            filter.statuses = statuses;
            crate::sessions::store::list(conn, &filter, limit, offset)?
        }
        None => (Vec::new(), 0),
    };
    let ids = sessions.iter().map(|s| s.meeting_id.clone()).collect();
    let meetings = crate::meetings::store::many(conn, ids)?;
    let rooms = crate::bookings::service::rooms_of(conn, &sessions)?;
    Ok(SessionPage {
        sessions,
        total,
        meetings,
        rooms,
    })
}

/// One session (and its meeting), if the caller may see it. Takes the id as text, so other
/// capabilities may pass any id they hold.
pub fn get(conn: &mut Conn, id: &str, staff: bool) -> Result<(Session, Meeting), AppError> {
    let session = crate::sessions::store::find(conn, id)?
        .filter(|s| staff || s.is_public())
        .ok_or(AppError::NotFound)?;
    let meeting =
        crate::meetings::store::find(conn, &session.meeting_id)?.ok_or(AppError::NotFound)?;
    Ok((session, meeting))
}

/// A session as its page and the API show it: with its meeting and the room booked for it.
pub struct SessionDetails {
    pub session: Session,
    pub meeting: Meeting,
    pub room: Option<Room>,
}

/// One session with its meeting and room, if the caller may see it.
pub fn details(conn: &mut Conn, id: &SessionId, staff: bool) -> Result<SessionDetails, AppError> {
    let (session, meeting) = get(conn, id, staff)?;
    let room = crate::bookings::service::rooms_of(conn, std::slice::from_ref(&session))?
        .remove(&session.id);
    Ok(SessionDetails {
        session,
        meeting,
        room,
    })
}

/// The fields that differ, each as `{from, to}`, as the audit trail records them.
fn changed_fields(old: &SessionFields, new: &SessionFields) -> Map<String, Value> {
    let (Value::Object(old), Value::Object(new)) = (json!(old), json!(new)) else {
        return Map::new();
    };
    new.into_iter()
        .filter(|(name, to)| old.get(name) != Some(to))
        .map(|(name, to)| {
            let from = old.get(&name).cloned().unwrap_or(Value::Null);
            (name, json!({"from": from, "to": to}))
        })
        .collect()
}
