//! Queries on the rapporteurs assigned to sessions.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::accounts::store::UserRow;
use crate::db::schema::{session_rapporteurs, users};
use crate::db::Conn;
use crate::sessions::domain::SessionId;

/// The ids of the accounts assigned to a session, in assignment order. Takes the id as text,
/// so other capabilities may pass any id they hold.
pub fn of_session(conn: &mut Conn, session_id: &str) -> QueryResult<Vec<String>> {
    session_rapporteurs::table
        .filter(session_rapporteurs::session_id.eq(session_id))
        .order((
            session_rapporteurs::assigned_at.asc(),
            session_rapporteurs::user_id.asc(),
        ))
        .select(session_rapporteurs::user_id)
        .load(conn)
}

/// True when the account is assigned to the session (ids as text, like `of_session`).
pub fn is_assigned(conn: &mut Conn, session_id: &str, user_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        session_rapporteurs::table
            .filter(session_rapporteurs::session_id.eq(session_id))
            .filter(session_rapporteurs::user_id.eq(user_id)),
    ))
    .get_result(conn)
}

/// The accounts assigned to a session.
pub fn accounts_of(conn: &mut Conn, session_id: &SessionId) -> QueryResult<Vec<UserRow>> {
    session_rapporteurs::table
        .inner_join(users::table)
        .filter(session_rapporteurs::session_id.eq(session_id))
        .order(users::email.asc())
        .select(UserRow::as_select())
        .load(conn)
}

/// Replaces the accounts assigned to a session.
pub fn replace(
    conn: &mut Conn,
    session_id: &SessionId,
    user_ids: &BTreeSet<String>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(
        session_rapporteurs::table.filter(session_rapporteurs::session_id.eq(session_id)),
    )
    .execute(conn)?;
    for id in user_ids {
        diesel::insert_into(session_rapporteurs::table)
            .values((
                session_rapporteurs::session_id.eq(session_id),
                session_rapporteurs::user_id.eq(id),
                session_rapporteurs::assigned_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
