//! Use cases of the outbox for staff: list it, and send a message again.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::outbox::{self, OutboxRow, Status};
use crate::audit::{self, Actor};
use crate::db::schema::outbox as table;
use crate::db::{self, Conn};
use crate::error::AppError;

/// A page of messages, newest first, optionally of one status, with the total.
pub fn list(
    conn: &mut Conn,
    status: Option<Status>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<OutboxRow>, i64), AppError> {
    Ok(outbox::list(conn, status, limit, offset)?)
}

/// Queues a failed (or still queued) message for an attempt now, keeping its attempts;
/// a message that is sent or being sent is a conflict.
pub fn retry(
    conn: &mut Conn,
    actor: &Actor,
    id: &str,
    now: DateTime<Utc>,
) -> Result<OutboxRow, AppError> {
    let now = db::micros(now);
    db::write(conn, |conn| {
        let row = outbox::find(conn, id)?.ok_or(AppError::NotFound)?;
        let retryable = [Status::Queued.as_str(), Status::Failed.as_str()];
        // Conditional, so a worker claiming the row at the same moment wins or loses cleanly.
        let changed = diesel::update(
            table::table
                .find(id)
                .filter(table::status.eq_any(retryable)),
        )
        .set((
            table::status.eq(Status::Queued.as_str()),
            table::next_attempt_at.eq(now),
            table::claimed_by.eq(None::<String>),
            table::lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Err(AppError::conflict(match row.status.as_str() {
                "sent" => "this message has been sent already",
                _ => "this message is being sent right now",
            }));
        }
        let changes =
            json!({"status": {"from": row.status, "to": "queued"}, "attempts": row.attempts});
        audit::store::record(conn, actor, "outbox.retried", "outbox", id, changes)?;
        outbox::find(conn, id)?.ok_or(AppError::NotFound)
    })
}
