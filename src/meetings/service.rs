//! Use cases of meetings: create, list, read with their sessions.

use chrono::Utc;
use serde_json::json;
use uuid::Uuid;

use super::domain::{Meeting, MeetingInput};
use super::store;
use crate::audit::{self, Actor};
use crate::db::{self, Conn};
use crate::error::AppError;
use crate::sessions::{self, domain::Session};

/// Creates a meeting from a client's input.
pub fn create(conn: &mut Conn, actor: &Actor, input: MeetingInput) -> Result<Meeting, AppError> {
    let fields = input.validate()?;
    let now = db::micros(Utc::now());
    let meeting = Meeting {
        id: Uuid::new_v4().to_string(),
        kind: fields.kind,
        study_group: fields.study_group,
        question: fields.question,
        title: fields.title,
        venue: fields.venue,
        timezone: fields.timezone,
        first_day: fields.first_day,
        last_day: fields.last_day,
        created_at: now,
        updated_at: now,
    };
    db::write(conn, |conn| {
        store::insert(conn, &meeting)?;
        let changes = json!({"title": meeting.title, "first_day": meeting.first_day, "last_day": meeting.last_day});
        audit::store::record(
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

/// A page of meetings; `upcoming` keeps only those whose last day has not passed.
pub fn list(
    conn: &mut Conn,
    upcoming: bool,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Meeting>, i64), AppError> {
    // A day of slack: the last day in the westernmost zone may still be running.
    let from_day = upcoming.then(|| (Utc::now() - chrono::Duration::days(1)).date_naive());
    Ok(store::list(conn, from_day, limit, offset)?)
}

/// One meeting with the sessions the caller may see.
pub fn get(conn: &mut Conn, id: &str, staff: bool) -> Result<(Meeting, Vec<Session>), AppError> {
    let meeting = store::find(conn, id)?.ok_or(AppError::NotFound)?;
    let filter = sessions::store::Filter {
        meeting_ids: Some(vec![meeting.id.clone()]),
        statuses: sessions::service::visible_statuses(staff),
        ends_after: None,
    };
    let (sessions, _) = sessions::store::list(conn, &filter, 500, 0)?;
    Ok((meeting, sessions))
}
