//! Queries on bookings and equipment reservations, and the locks that serialise them.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::domain::{Booking, Held, Interval, Reservation};
use crate::db::schema::{equipment_reservations, room_bookings, sessions};
use crate::db::{micros, Conn};

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}

/// A room booking as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = room_bookings)]
pub struct BookingRow {
    pub id: String,
    pub session_id: String,
    pub room_id: String,
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
}

/// An equipment reservation as stored; it repeats its booking's interval for overlap queries.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = equipment_reservations)]
pub struct ReservationRow {
    pub id: String,
    pub booking_id: String,
    pub equipment_id: String,
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
    session_id: Option<&str>,
    rooms: &[String],
    items: &[String],
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
    room_id: &str,
    within: &Interval,
    except_session: Option<&str>,
) -> QueryResult<Vec<Booking>> {
    let mut query = room_bookings::table
        .filter(room_bookings::room_id.eq(room_id.to_string()))
        .filter(room_bookings::blocked_from.lt(micros(within.to)))
        .filter(room_bookings::blocked_to.gt(micros(within.from)))
        .into_boxed();
    if let Some(session) = except_session {
        query = query.filter(room_bookings::session_id.ne(session.to_string()));
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
    equipment_id: &str,
    within: &Interval,
    except_session: Option<&str>,
) -> QueryResult<Vec<Held>> {
    let mut query = equipment_reservations::table
        .inner_join(room_bookings::table)
        .filter(equipment_reservations::equipment_id.eq(equipment_id.to_string()))
        .filter(equipment_reservations::blocked_from.lt(micros(within.to)))
        .filter(equipment_reservations::blocked_to.gt(micros(within.from)))
        .into_boxed();
    if let Some(session) = except_session {
        query = query.filter(room_bookings::session_id.ne(session.to_string()));
    }
    let rows: Vec<(ReservationRow, String)> = query
        .order(equipment_reservations::blocked_from.asc())
        .select((ReservationRow::as_select(), room_bookings::session_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(r, session_id)| held_of(r, session_id))
        .collect())
}

fn held_of(r: ReservationRow, session_id: String) -> Held {
    Held {
        session_id,
        booking_id: r.booking_id,
        interval: Interval::new(utc(r.blocked_from), utc(r.blocked_to)),
        quantity: r.quantity,
    }
}

/// Inserts a booking and one reservation row per equipment line.
pub fn insert_booking(conn: &mut Conn, booking: &Booking, now: NaiveDateTime) -> QueryResult<()> {
    let (from, to) = (micros(booking.interval.from), micros(booking.interval.to));
    diesel::insert_into(room_bookings::table)
        .values(&BookingRow {
            id: booking.id.clone(),
            session_id: booking.session_id.clone(),
            room_id: booking.room_id.clone(),
            setup_minutes: booking.setup_minutes,
            teardown_minutes: booking.teardown_minutes,
            blocked_from: from,
            blocked_to: to,
            capacity_overridden: booking.capacity_overridden,
            created_at: now,
        })
        .execute(conn)?;
    for line in &booking.equipment {
        diesel::insert_into(equipment_reservations::table)
            .values(&ReservationRow {
                id: Uuid::new_v4().to_string(),
                booking_id: booking.id.clone(),
                equipment_id: line.equipment_id.clone(),
                quantity: line.quantity,
                blocked_from: from,
                blocked_to: to,
            })
            .execute(conn)?;
    }
    Ok(())
}

/// Moves a booking and its reservations to a new blocked interval.
pub fn move_booking(conn: &mut Conn, booking_id: &str, to: &Interval) -> QueryResult<()> {
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
pub fn delete_bookings(conn: &mut Conn, ids: Vec<String>) -> QueryResult<usize> {
    diesel::delete(
        equipment_reservations::table
            .filter(equipment_reservations::booking_id.eq_any(ids.clone())),
    )
    .execute(conn)?;
    diesel::delete(room_bookings::table.filter(room_bookings::id.eq_any(ids))).execute(conn)
}

/// Every booking of a session, with its equipment, by start.
pub fn bookings_of_session(conn: &mut Conn, session_id: &str) -> QueryResult<Vec<Booking>> {
    let rows = room_bookings::table
        .filter(room_bookings::session_id.eq(session_id.to_string()))
        .order((room_bookings::blocked_from.asc(), room_bookings::id.asc()))
        .select(BookingRow::as_select())
        .load(conn)?;
    with_equipment(conn, rows)
}

fn with_equipment(conn: &mut Conn, rows: Vec<BookingRow>) -> QueryResult<Vec<Booking>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
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
    room_id: Option<&str>,
    within: &Interval,
) -> QueryResult<Vec<(Booking, String)>> {
    let mut query = room_bookings::table
        .inner_join(sessions::table)
        .filter(room_bookings::blocked_from.lt(micros(within.to)))
        .filter(room_bookings::blocked_to.gt(micros(within.from)))
        .into_boxed();
    if let Some(room) = room_id {
        query = query.filter(room_bookings::room_id.eq(room.to_string()));
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
