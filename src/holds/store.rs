//! Queries on calendar holds.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{Hold, HoldId, HolderKind};
use crate::calendar::Role;
use crate::db::schema::calendar_holds;
use crate::db::Conn;
use crate::sessions::domain::SessionId;

crate::text_column!(HoldId);
crate::text_column!(HolderKind);
crate::text_column!(Role);

/// A hold as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = calendar_holds, treat_none_as_null = true)]
struct HoldRow {
    id: HoldId,
    event_uid: String,
    session_id: SessionId,
    record_kind: HolderKind,
    record_id: String,
    email: String,
    name: String,
    role: Role,
    lang: String,
    remote: bool,
    sequence_sent: i32,
    active: bool,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    item_id: Option<String>,
}

impl From<HoldRow> for Hold {
    fn from(row: HoldRow) -> Hold {
        Hold {
            id: row.id,
            event_uid: row.event_uid,
            session_id: row.session_id,
            item_id: row.item_id,
            holder: row.record_kind,
            record_id: row.record_id,
            email: row.email,
            name: row.name,
            role: row.role,
            lang: row.lang,
            remote: row.remote,
            sequence_sent: row.sequence_sent,
            active: row.active,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

impl From<&Hold> for HoldRow {
    fn from(hold: &Hold) -> HoldRow {
        HoldRow {
            id: hold.id.clone(),
            event_uid: hold.event_uid.clone(),
            session_id: hold.session_id.clone(),
            item_id: hold.item_id.clone(),
            record_kind: hold.holder,
            record_id: hold.record_id.clone(),
            email: hold.email.clone(),
            name: hold.name.clone(),
            role: hold.role,
            lang: hold.lang.clone(),
            remote: hold.remote,
            sequence_sent: hold.sequence_sent,
            active: hold.active,
            created_at: hold.created_at,
            updated_at: hold.updated_at,
        }
    }
}

fn holds(rows: Vec<HoldRow>) -> Vec<Hold> {
    rows.into_iter().map(Hold::from).collect()
}

/// The hold of one record on an event, active or not.
pub fn find(
    conn: &mut Conn,
    event_uid: &str,
    holder: HolderKind,
    record_id: &str,
) -> QueryResult<Option<Hold>> {
    Ok(calendar_holds::table
        .filter(calendar_holds::event_uid.eq(event_uid))
        .filter(calendar_holds::record_kind.eq(holder))
        .filter(calendar_holds::record_id.eq(record_id))
        .select(HoldRow::as_select())
        .first(conn)
        .optional()?
        .map(Hold::from))
}

/// Writes a hold, replacing the stored one with its id.
pub fn put(conn: &mut Conn, hold: &Hold) -> QueryResult<()> {
    diesel::delete(calendar_holds::table.find(&hold.id)).execute(conn)?;
    insert(conn, hold)
}

/// Stores a new hold.
pub fn insert(conn: &mut Conn, hold: &Hold) -> QueryResult<()> {
    crate::db::deferred::insert(conn, HoldRow::from(hold), |conn, rows| {
        crate::db::deferred::insert_rows!(conn, calendar_holds::table, rows)
    })
}

/// Records what a holder was sent last, and whether they still hold the invitation.
pub fn sent(
    conn: &mut Conn,
    id: &HoldId,
    sequence: i32,
    active: bool,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(calendar_holds::table.find(id))
        .set((
            calendar_holds::active.eq(active),
            calendar_holds::sequence_sent.eq(sequence),
            calendar_holds::updated_at.eq(now),
        ))
        .execute(conn)
}

/// The active holds of a session's own event, oldest first (slots' holds are apart).
pub fn active_of_session(conn: &mut Conn, session_id: &str) -> QueryResult<Vec<Hold>> {
    Ok(holds(
        calendar_holds::table
            .filter(calendar_holds::session_id.eq(session_id))
            .filter(calendar_holds::item_id.is_null())
            .filter(calendar_holds::active.eq(true))
            .order(calendar_holds::created_at.asc())
            .select(HoldRow::as_select())
            .load(conn)?,
    ))
}

/// The active holds of one record (a delegate's registration), oldest first: their feed.
pub fn active_of_record(conn: &mut Conn, record_id: &str) -> QueryResult<Vec<Hold>> {
    Ok(holds(
        calendar_holds::table
            .filter(calendar_holds::record_id.eq(record_id))
            .filter(calendar_holds::active.eq(true))
            .order(calendar_holds::created_at.asc())
            .select(HoldRow::as_select())
            .load(conn)?,
    ))
}

/// The active holds of the slots of a session, oldest first.
pub fn active_slots_of_session(conn: &mut Conn, session_id: &str) -> QueryResult<Vec<Hold>> {
    Ok(holds(
        calendar_holds::table
            .filter(calendar_holds::session_id.eq(session_id))
            .filter(calendar_holds::item_id.is_not_null())
            .filter(calendar_holds::active.eq(true))
            .order(calendar_holds::created_at.asc())
            .select(HoldRow::as_select())
            .load(conn)?,
    ))
}

/// The active holds of one slot (an agenda item), oldest first.
pub fn active_of_item(conn: &mut Conn, item_id: &str) -> QueryResult<Vec<Hold>> {
    Ok(holds(
        calendar_holds::table
            .filter(calendar_holds::item_id.eq(item_id))
            .filter(calendar_holds::active.eq(true))
            .order(calendar_holds::created_at.asc())
            .select(HoldRow::as_select())
            .load(conn)?,
    ))
}

/// The active holds of several records (a speaker's invitations), oldest first: their feed.
pub fn active_of_records(conn: &mut Conn, record_ids: &[String]) -> QueryResult<Vec<Hold>> {
    Ok(holds(
        calendar_holds::table
            .filter(calendar_holds::record_id.eq_any(record_ids))
            .filter(calendar_holds::active.eq(true))
            .order(calendar_holds::created_at.asc())
            .select(HoldRow::as_select())
            .load(conn)?,
    ))
}
