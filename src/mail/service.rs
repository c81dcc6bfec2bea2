//! Use cases of the outbox for staff: list it, and send a message again.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::store::{self, OutboxRow, Status};
use crate::audit::Actor;
use crate::db::{self, Conn};
use crate::error::AppError;

/// A page of messages, newest first, optionally of one status, with the total.
pub fn list(
    conn: &mut Conn,
    status: Option<Status>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<OutboxRow>, i64), AppError> {
    Ok(store::list(conn, status, limit, offset)?)
}

/// Queues a failed (or still queued) message for an attempt now, keeping its attempts;
/// a message that is sent or being sent is a conflict.
pub fn retry(
    conn: &mut Conn,
    actor: &Actor,
    id: &str,
    now: DateTime<Utc>,
) -> Result<OutboxRow, AppError> {
    db::write(conn, |conn| {
        let row = store::find(conn, id)?.ok_or(AppError::NotFound)?;
        let changed = store::requeue(conn, id, now)?;
        if changed == 0 {
            return Err(AppError::conflict(match row.status.as_str() {
                "sent" => "this message has been sent already",
                _ => "this message is being sent right now",
            }));
        }
        let changes =
            json!({"status": {"from": row.status, "to": "queued"}, "attempts": row.attempts});
        crate::audit::store::record(conn, actor, "outbox.retried", "outbox", id, changes)?;
        store::find(conn, id)?.ok_or(AppError::NotFound)
    })
}
