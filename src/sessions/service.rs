//! Use cases of sessions: create, change, publish, cancel, list.

use serde_json::{json, Map, Value};

use super::domain::{
    Session, SessionChange, SessionEvent, SessionFields, SessionId, SessionInput, SessionStatus,
};
use super::store::{self, Filter};
use crate::audit::{self, Actor};
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::meetings::{self, domain::Meeting};

/// Statuses a caller may see: drafts are for staff.
pub fn visible_statuses(staff: bool) -> Vec<SessionStatus> {
    if staff {
        Vec::new()
    } else {
        vec![SessionStatus::Scheduled, SessionStatus::Cancelled]
    }
}

fn meeting_of(
    conn: &mut Conn,
    input: &SessionInput,
    current: Option<&str>,
) -> Result<Meeting, AppError> {
    use crate::input::Field;
    let id = match (&input.meeting_id, current) {
        (Field::Value(id), _) => id.clone(),
        (Field::Missing, Some(id)) => id.to_string(),
        (Field::Invalid(m), _) => return Err(AppError::invalid("meeting_id", m.clone())),
        _ => return Err(AppError::invalid("meeting_id", "is required")),
    };
    meetings::store::find(conn, &id)?
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
        let input = input.clone();
        let meeting = meeting_of(conn, &input, None)?;
        let fields = input.apply(None, &meeting)?;
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
        store::insert(conn, &session)?;
        let changes = json!({"title": session.fields.title, "starts_at": session.fields.starts_at, "ends_at": session.fields.ends_at});
        audit::store::record(
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
    id: &str,
    input: SessionInput,
) -> Result<Session, AppError> {
    db::write(conn, |conn| {
        let input = input.clone();
        let mut session = store::find(conn, id)?.ok_or(AppError::NotFound)?;
        session.ensure_editable()?;
        let meeting = meeting_of(conn, &input, Some(&session.meeting_id))?;
        let fields = input.apply(Some(&session.fields), &meeting)?;
        let changes = changed_fields(&session.fields, &fields);
        let moved_meeting = meeting.id != session.meeting_id;
        if changes.is_empty() && !moved_meeting {
            return Ok(session);
        }
        if fields.calendar_differs(&session.fields) || moved_meeting {
            session.sequence += 1;
        }
        let before = std::mem::replace(&mut session.fields, fields);
        session.meeting_id = meeting.id.clone();
        session.updated_at = db::micros(ctx.now);
        store::update(conn, &session)?;
        audit::store::record(
            conn,
            actor,
            "session.updated",
            "session",
            &session.id,
            Value::Object(changes),
        )?;
        let change = SessionChange::Edited {
            before: Box::new(before),
            moved_meeting,
        };
        announce(conn, ctx, actor, &session, meeting, change)?;
        Ok(session)
    })
}

/// Publishes a draft: it becomes public and registration can open.
pub fn publish(conn: &mut Conn, ctx: &Ctx, actor: &Actor, id: &str) -> Result<Session, AppError> {
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
    id: &str,
    reason: String,
) -> Result<Session, AppError> {
    transition(conn, ctx, actor, id, "session.cancelled", |session| {
        session.status = session.cancel()?;
        session.cancel_reason = Some(reason.clone());
        session.sequence += 1;
        Ok(SessionChange::Cancelled)
    })
}

fn transition(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    id: &str,
    action: &str,
    change: impl Fn(&mut Session) -> Result<SessionChange, AppError>,
) -> Result<Session, AppError> {
    db::write(conn, |conn| {
        let mut session = store::find(conn, id)?.ok_or(AppError::NotFound)?;
        let before = session.status;
        let happened = change(&mut session)?;
        session.updated_at = db::micros(ctx.now);
        store::update(conn, &session)?;
        let changes = json!({"status": {"from": before.as_str(), "to": session.status.as_str()}, "cancel_reason": session.cancel_reason});
        audit::store::record(conn, actor, action, "session", &session.id, changes)?;
        let meeting =
            meetings::store::find(conn, &session.meeting_id)?.ok_or(AppError::NotFound)?;
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

/// A page of the sessions the caller may see.
pub fn list(
    conn: &mut Conn,
    staff: bool,
    mut filter: Filter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Session>, i64), AppError> {
    let visible = visible_statuses(staff);
    if !visible.is_empty() {
        filter.statuses = if filter.statuses.is_empty() {
            visible
        } else {
            filter
                .statuses
                .into_iter()
                .filter(|s| visible.contains(s))
                .collect()
        };
        if filter.statuses.is_empty() {
            return Ok((Vec::new(), 0));
        }
    }
    Ok(store::list(conn, &filter, limit, offset)?)
}

/// One session (and its meeting), if the caller may see it.
pub fn get(conn: &mut Conn, id: &str, staff: bool) -> Result<(Session, Meeting), AppError> {
    let session = store::find(conn, id)?
        .filter(|s| staff || s.is_public())
        .ok_or(AppError::NotFound)?;
    let meeting = meetings::store::find(conn, &session.meeting_id)?.ok_or(AppError::NotFound)?;
    Ok((session, meeting))
}

fn changed_fields(old: &SessionFields, new: &SessionFields) -> Map<String, Value> {
    let mut changes = Map::new();
    let mut note = |name: &str, from: Value, to: Value| {
        if from != to {
            changes.insert(name.into(), json!({"from": from, "to": to}));
        }
    };
    note("kind", json!(old.kind), json!(new.kind));
    note("title", json!(old.title), json!(new.title));
    note(
        "description",
        json!(old.description),
        json!(new.description),
    );
    note("starts_at", json!(old.starts_at), json!(new.starts_at));
    note("ends_at", json!(old.ends_at), json!(new.ends_at));
    note("capacity", json!(old.capacity), json!(new.capacity));
    note(
        "remote_capacity",
        json!(old.remote_capacity),
        json!(new.remote_capacity),
    );
    note(
        "registration_opens_at",
        json!(old.registration_opens_at),
        json!(new.registration_opens_at),
    );
    note(
        "registration_closes_at",
        json!(old.registration_closes_at),
        json!(new.registration_closes_at),
    );
    note("remote_url", json!(old.remote_url), json!(new.remote_url));
    note(
        "approval_required",
        json!(old.approval_required),
        json!(new.approval_required),
    );
    note(
        "reserved_seats",
        json!(old.reserved_seats),
        json!(new.reserved_seats),
    );
    note(
        "reserved_until",
        json!(old.reserved_until),
        json!(new.reserved_until),
    );
    changes
}
