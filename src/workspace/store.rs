//! The few queries the workspace needs that no other capability asks: who was written to since
//! an action began.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::outbox;
use crate::db::Conn;

/// The distinct addresses queued mail since an instant (for "what was sent to whom").
pub fn recipients_since(conn: &mut Conn, since: NaiveDateTime) -> QueryResult<Vec<String>> {
    outbox::table
        .filter(outbox::created_at.ge(since))
        .select(outbox::to_email)
        .distinct()
        .load(conn)
}
