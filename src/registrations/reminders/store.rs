//! Queries of reminders: the sessions due, the confirmed delegates not yet reminded, the claim.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{registrations, reminders, sessions};
use crate::db::Conn;
use crate::registrations::domain::{Registration, Status};
use crate::registrations::store::{decode, RegistrationRow};
use crate::sessions::domain::SessionStatus;

/// Scheduled sessions starting in `(from, until]`, by id.
pub fn due_sessions(
    conn: &mut Conn,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    sessions::table
        .filter(sessions::status.eq(SessionStatus::Scheduled.as_str()))
        .filter(sessions::starts_at.gt(from))
        .filter(sessions::starts_at.le(until))
        .order(sessions::starts_at.asc())
        .select(sessions::id)
        .load(conn)
}

/// Confirmed registrations of a session that have no reminder yet, in arrival order.
pub fn unreminded(conn: &mut Conn, session_id: &str) -> QueryResult<Vec<Registration>> {
    let sent = reminders::table
        .filter(reminders::session_id.eq(session_id.to_string()))
        .select(reminders::registration_id);
    decode(
        registrations::table
            .filter(registrations::session_id.eq(session_id))
            .filter(registrations::status.eq(Status::Confirmed))
            .filter(diesel::dsl::not(registrations::id.eq_any(sent)))
            .order(registrations::arrival.asc())
            .select(RegistrationRow::as_select())
            .load(conn)?,
    )
}

/// Whether this registration was reminded already.
pub fn reminded(conn: &mut Conn, registration_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        reminders::table.filter(reminders::registration_id.eq(registration_id)),
    ))
    .get_result(conn)
}

/// Records the reminder; the primary key refuses a second claim of the same registration.
pub fn claim(
    conn: &mut Conn,
    registration_id: &str,
    session_id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(reminders::table)
        .values((
            reminders::registration_id.eq(registration_id),
            reminders::session_id.eq(session_id),
            reminders::sent_at.eq(now),
        ))
        .execute(conn)
}
