//! Queries on bookings and equipment reservations, and the locks that serialise them.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::domain::{Booking, BookingId, Held, Interval, Reservation};
use crate::db::failure::DbError;
use crate::db::schema::{equipment_reservations, room_bookings, rooms, sessions};
use crate::db::{micros, Conn};
use crate::rooms::domain::{EquipmentId, Room, RoomId};
use crate::rooms::store::RoomRow;
use crate::sessions::domain::SessionId;

crate::text_column!(BookingId);

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}

/// Ids as the texts an `IN (...)` list binds.
fn texts<T: AsRef<str>>(ids: &[T]) -> Vec<String> {
    ids.iter().map(|id| id.as_ref().to_string()).collect()
}

/// A room booking as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = room_bookings)]
pub struct BookingRow {
    pub id: BookingId,
    pub session_id: SessionId,
    pub room_id: RoomId,
    pub setup_minutes: i32,
    pub teardown_minutes: i32,
    pub blocked_from: NaiveDateTime,
    pub blocked_to: NaiveDateTime,
    pub capacity_overridden: bool,
    pub created_at: NaiveDateTime,
}

impl BookingRow {
    fn into_domain(self, equipment: Vec<Reservation>) -> Booking {
        Booking {
            interval: Interval::new(utc(self.blocked_from), utc(self.blocked_to)),
            id: self.id,
            session_id: self.session_id,
            room_id: self.room_id,
            setup_minutes: self.setup_minutes,
            teardown_minutes: self.teardown_minutes,
            capacity_overridden: self.capacity_overridden,
            equipment,
        }
    }

    fn from_domain(b: &Booking, now: NaiveDateTime) -> BookingRow {
        BookingRow {
            id: b.id.clone(),
            session_id: b.session_id.clone(),
            room_id: b.room_id.clone(),
            setup_minutes: b.setup_minutes,
            teardown_minutes: b.teardown_minutes,
            blocked_from: micros(b.interval.from),
            blocked_to: micros(b.interval.to),
            capacity_overridden: b.capacity_overridden,
            created_at: now,
        }
    }
}

/// An equipment reservation as stored; it repeats its booking's interval for overlap queries.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = equipment_reservations)]
pub struct ReservationRow {
    pub id: String,
    pub booking_id: BookingId,
    pub equipment_id: EquipmentId,
    pub quantity: i32,
    pub blocked_from: NaiveDateTime,
    pub blocked_to: NaiveDateTime,
}

/// A stable advisory-lock key for a record, the same in every process.
fn lock_key(kind: &str, id: &str) -> i64 {
    let digest = Sha256::digest(format!("{kind}:{id}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

/// Serialises, until the transaction ends, every booking change of this session (if any) and
/// these rooms and equipment items.
///
/// On PostgreSQL (READ COMMITTED) check-then-insert double-books without this, and the
/// exclusion constraint alone deadlocks; so every writer takes the session's lock first and
/// then the resources' locks in key order, which cannot form a cycle. On SQLite `db::write`
/// has taken the database's write lock at `BEGIN IMMEDIATE` already.
pub fn lock(
    conn: &mut Conn,
    session_id: Option<&SessionId>,
    rooms: &[RoomId],
    items: &[EquipmentId],
) -> QueryResult<()> {
    match conn {
        Conn::Postgres(pg) => {
            let mut keys: Vec<i64> = rooms
                .iter()
                .map(|id| lock_key("room", id))
                .chain(items.iter().map(|id| lock_key("equipment", id)))
                .collect();
            keys.sort_unstable();
            keys.dedup();
            let session = session_id.map(|id| lock_key("session", id));
            for key in session.into_iter().chain(keys) {
                diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
                    .bind::<diesel::sql_types::BigInt, _>(key)
                    .execute(pg)?;
            }
            Ok(())
        }
        Conn::Sqlite(_) => Ok(()),
    }
}

/// Bookings of a room overlapping the interval, other than those of `except_session`.
pub fn room_bookings_overlapping(
    conn: &mut Conn,
    room_id: &RoomId,
    within: &Interval,
    except_session: Option<&SessionId>,
) -> QueryResult<Vec<Booking>> {
    let mut query = room_bookings::table
        .filter(room_bookings::room_id.eq(room_id))
        .filter(room_bookings::blocked_from.lt(micros(within.to)))
        .filter(room_bookings::blocked_to.gt(micros(within.from)))
        .into_boxed();
    if let Some(session) = except_session {
        query = query.filter(room_bookings::session_id.ne(session.clone()));
    }
    let rows = query
        .order((room_bookings::blocked_from.asc(), room_bookings::id.asc()))
        .select(BookingRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_domain(Vec::new()))
        .collect())
}

/// Quantities of an item held over the interval, other than by `except_session`.
pub fn held_overlapping(
    conn: &mut Conn,
    equipment_id: &EquipmentId,
    within: &Interval,
    except_session: Option<&SessionId>,
) -> QueryResult<Vec<Held>> {
    let mut query = equipment_reservations::table
        .inner_join(room_bookings::table)
        .filter(equipment_reservations::equipment_id.eq(equipment_id))
        .filter(equipment_reservations::blocked_from.lt(micros(within.to)))
        .filter(equipment_reservations::blocked_to.gt(micros(within.from)))
        .into_boxed();
    if let Some(session) = except_session {
        query = query.filter(room_bookings::session_id.ne(session.clone()));
    }
    let rows: Vec<(ReservationRow, SessionId)> = query
        .order(equipment_reservations::blocked_from.asc())
        .select((ReservationRow::as_select(), room_bookings::session_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(r, session_id)| Held {
            session_id,
            booking_id: r.booking_id,
            interval: Interval::new(utc(r.blocked_from), utc(r.blocked_to)),
            quantity: r.quantity,
        })
        .collect())
}

/// Inserts a booking and one reservation row per equipment line; the failure is classified,
/// since the exclusion constraint's refusal is a clash the caller reports.
pub fn insert_booking(
    conn: &mut Conn,
    booking: &Booking,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    Ok(insert_rows(conn, booking, now)?)
}

fn insert_rows(conn: &mut Conn, booking: &Booking, now: NaiveDateTime) -> QueryResult<()> {
    let row = BookingRow::from_domain(booking, now);
    diesel::insert_into(room_bookings::table)
        .values(&row)
        .execute(conn)?;
    for line in &booking.equipment {
        diesel::insert_into(equipment_reservations::table)
            .values(&ReservationRow {
                id: Uuid::new_v4().to_string(),
                booking_id: booking.id.clone(),
                equipment_id: line.equipment_id.clone(),
                quantity: line.quantity,
                blocked_from: row.blocked_from,
                blocked_to: row.blocked_to,
            })
            .execute(conn)?;
    }
    Ok(())
}

/// Moves a booking and its reservations to a new blocked interval.
pub fn move_booking(conn: &mut Conn, booking_id: &BookingId, to: &Interval) -> QueryResult<()> {
    let (from, until) = (micros(to.from), micros(to.to));
    diesel::update(room_bookings::table.find(booking_id))
        .set((
            room_bookings::blocked_from.eq(from),
            room_bookings::blocked_to.eq(until),
        ))
        .execute(conn)?;
    diesel::update(
        equipment_reservations::table.filter(equipment_reservations::booking_id.eq(booking_id)),
    )
    .set((
        equipment_reservations::blocked_from.eq(from),
        equipment_reservations::blocked_to.eq(until),
    ))
    .execute(conn)?;
    Ok(())
}

/// Deletes bookings (and their reservations); answers how many bookings went.
pub fn delete_bookings(conn: &mut Conn, ids: Vec<BookingId>) -> QueryResult<usize> {
    diesel::delete(
        equipment_reservations::table
            .filter(equipment_reservations::booking_id.eq_any(texts(&ids))),
    )
    .execute(conn)?;
    diesel::delete(room_bookings::table.filter(room_bookings::id.eq_any(texts(&ids)))).execute(conn)
}

/// Every booking of a session, with its equipment, by start.
pub fn bookings_of_session(conn: &mut Conn, session_id: &SessionId) -> QueryResult<Vec<Booking>> {
    let rows = room_bookings::table
        .filter(room_bookings::session_id.eq(session_id))
        .order((room_bookings::blocked_from.asc(), room_bookings::id.asc()))
        .select(BookingRow::as_select())
        .load(conn)?;
    with_equipment(conn, rows)
}

fn with_equipment(conn: &mut Conn, rows: Vec<BookingRow>) -> QueryResult<Vec<Booking>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
    let lines = equipment_reservations::table
        .filter(equipment_reservations::booking_id.eq_any(ids))
        .order(equipment_reservations::equipment_id.asc())
        .select(ReservationRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let equipment = lines
                .iter()
                .filter(|l| l.booking_id == row.id)
                .map(|l| Reservation {
                    equipment_id: l.equipment_id.clone(),
                    quantity: l.quantity,
                })
                .collect();
            row.into_domain(equipment)
        })
        .collect())
}

/// Bookings (with equipment and their session's title) overlapping the interval, optionally of one room.
pub fn bookings_between(
    conn: &mut Conn,
    room_id: Option<&RoomId>,
    within: &Interval,
) -> QueryResult<Vec<(Booking, String)>> {
    let mut query = room_bookings::table
        .inner_join(sessions::table)
        .filter(room_bookings::blocked_from.lt(micros(within.to)))
        .filter(room_bookings::blocked_to.gt(micros(within.from)))
        .into_boxed();
    if let Some(room) = room_id {
        query = query.filter(room_bookings::room_id.eq(room.clone()));
    }
    let rows: Vec<(BookingRow, String)> = query
        .order((room_bookings::blocked_from.asc(), room_bookings::id.asc()))
        .select((BookingRow::as_select(), sessions::title))
        .load(conn)?;
    let (rows, titles): (Vec<BookingRow>, Vec<String>) = rows.into_iter().unzip();
    Ok(with_equipment(conn, rows)?
        .into_iter()
        .zip(titles)
        .collect())
}

/// The rooms booked for these sessions, each session's bookings in the order they were made,
/// in one query.
pub fn rooms_of(conn: &mut Conn, session_ids: &[SessionId]) -> QueryResult<Vec<(SessionId, Room)>> {
    if session_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(SessionId, RoomRow)> = room_bookings::table
        .inner_join(rooms::table)
        .filter(room_bookings::session_id.eq_any(texts(session_ids)))
        .order((room_bookings::created_at.asc(), room_bookings::id.asc()))
        .select((room_bookings::session_id, RoomRow::as_select()))
        .load(conn)?;
    rows.into_iter()
        .map(|(session, room)| Ok((session, room.into_domain()?)))
        .collect()
}

/// The rooms booked for one session, in the order of its bookings (by start), in one query.
pub fn rooms_of_session(conn: &mut Conn, session_id: &SessionId) -> QueryResult<Vec<Room>> {
    let rows: Vec<RoomRow> = room_bookings::table
        .inner_join(rooms::table)
        .filter(room_bookings::session_id.eq(session_id))
        .order((room_bookings::blocked_from.asc(), room_bookings::id.asc()))
        .select(RoomRow::as_select())
        .load(conn)?;
    rows.into_iter().map(RoomRow::into_domain).collect()
}
