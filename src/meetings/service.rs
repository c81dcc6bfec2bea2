//! Use cases of meetings: create, list, read with their sessions.

use serde_json::json;

use super::domain::{self, Meeting, MeetingId, MeetingInput};
use crate::audit::Actor;
use crate::bookings::domain::SessionRooms;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::sessions::domain::Session;

/// Creates a meeting from a client's input.
pub fn create(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    input: MeetingInput,
) -> Result<Meeting, AppError> {
    let meeting = input
        .validate()?
        .into_meeting(MeetingId::random(), db::micros(ctx.now));
    db::write(conn, |conn| {
        crate::meetings::store::insert(conn, &meeting)?;
        let changes = json!({"title": meeting.title, "first_day": meeting.first_day, "last_day": meeting.last_day});
        crate::audit::store::record(
            conn,
            actor,
            "meeting.created",
            "meeting",
            &meeting.id,
            changes,
        )?;
        Ok(())
    })?;
    Ok(meeting)
}

/// Changes a meeting's fields; refused (422 on the days) when one of its sessions would fall
/// outside the new days in the new time zone.
pub fn update(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    id: &MeetingId,
    input: MeetingInput,
) -> Result<Meeting, AppError> {
    let fields = input.validate()?;
    db::write(conn, |conn| {
        let before = crate::meetings::store::find(conn, id)?.ok_or(AppError::NotFound)?;
        let mut meeting = fields
            .clone()
            .into_meeting(before.id.clone(), before.created_at);
        meeting.updated_at = db::micros(ctx.now);
        let filter = crate::sessions::store::Filter {
            meeting_ids: Some(vec![meeting.id.clone()]),
            ..Default::default()
        };
        let (sessions, _) = crate::sessions::store::list(conn, &filter, 1000, 0)?;
        if let Some(outside) = sessions
            .iter()
            .find(|s| !meeting.contains(s.fields.starts_at, s.fields.ends_at))
        {
            let message = format!(
                "the session \"{}\" would fall outside the meeting's days",
                outside.fields.title
            );
            return Err(AppError::invalid("last_day", message));
        }
        crate::meetings::store::update(conn, &meeting)?;
        let changes = json!({"title": meeting.title, "timezone": meeting.timezone.name(),
            "first_day": meeting.first_day, "last_day": meeting.last_day});
        crate::audit::store::record(
            conn,
            actor,
            "meeting.updated",
            "meeting",
            &meeting.id,
            changes,
        )?;
        Ok(meeting)
    })
}

/// A page of meetings; `upcoming` keeps only those whose last day has not passed.
pub fn list(
    conn: &mut Conn,
    ctx: &Ctx,
    upcoming: bool,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Meeting>, i64), AppError> {
    let from_day = upcoming.then(|| domain::upcoming_last_day(ctx.now));
    Ok(crate::meetings::store::list(conn, from_day, limit, offset)?)
}

/// A meeting with the sessions the caller may see and the rooms booked for them.
pub struct MeetingSessions {
    pub meeting: Meeting,
    pub sessions: Vec<Session>,
    pub rooms: SessionRooms,
}

/// One meeting with the sessions the caller may see, and their rooms.
pub fn get(conn: &mut Conn, id: &MeetingId, staff: bool) -> Result<MeetingSessions, AppError> {
    let meeting = crate::meetings::store::find(conn, id)?.ok_or(AppError::NotFound)?;
    let filter = crate::sessions::store::Filter {
        meeting_ids: Some(vec![meeting.id.clone()]),
        statuses: crate::sessions::domain::visible_statuses(staff),
        ends_after: None,
    };
    let (sessions, _) = crate::sessions::store::list(conn, &filter, 500, 0)?;
    let rooms = crate::bookings::service::rooms_of(conn, &sessions)?;
    Ok(MeetingSessions {
        meeting,
        sessions,
        rooms,
    })
}

/// The public programme: upcoming meetings, their scheduled sessions and the sessions' rooms.
pub struct Programme {
    pub meetings: Vec<Meeting>,
    pub sessions: Vec<Session>,
    pub rooms: SessionRooms,
}

/// Upcoming meetings with their scheduled sessions and, marked, the cancelled ones (they stay
/// listed so a delegate learns of it), in three queries whatever their number.
pub fn programme(conn: &mut Conn, ctx: &Ctx) -> Result<Programme, AppError> {
    let (meetings, _) = list(conn, ctx, true, 100, 0)?;
    let filter = crate::sessions::store::Filter {
        meeting_ids: Some(meetings.iter().map(|m| m.id.clone()).collect()),
        statuses: vec![
            crate::sessions::domain::SessionStatus::Scheduled,
            crate::sessions::domain::SessionStatus::Cancelled,
        ],
        ends_after: None,
    };
    let (sessions, _) = crate::sessions::store::list(conn, &filter, 1000, 0)?;
    let rooms = crate::bookings::service::rooms_of(conn, &sessions)?;
    Ok(Programme {
        meetings,
        sessions,
        rooms,
    })
}
