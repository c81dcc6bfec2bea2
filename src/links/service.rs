//! Use cases of secret links for staff: revoke a person's link, or replace it to resend.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::domain::{self, Purpose};
use crate::audit::Actor;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;

/// Revokes a record's links and issues a fresh one with the same lifetime as the last.
pub fn reissue(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    purpose: Purpose,
    record_id: &str,
) -> Result<(String, Option<DateTime<Utc>>), AppError> {
    db::write(conn, |conn| {
        let last =
            crate::links::store::latest(conn, purpose, record_id)?.ok_or(AppError::NotFound)?;
        let ttl = domain::reissued_lifetime(last.created_at, last.expires_at);
        let token = crate::links::store::reissue(conn, purpose, record_id, ttl, ctx.now)?;
        let changes = json!({"link": {"purpose": purpose.as_str(), "action": "reissued"}});
        let kind = purpose.record_kind();
        crate::audit::store::record(conn, actor, "link.reissued", kind, record_id, changes)?;
        Ok((token, ttl.map(|ttl| ctx.now + ttl)))
    })
}

/// Revokes every live link of a record, so that the person's emailed link opens nothing.
pub fn revoke(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    purpose: Purpose,
    record_id: &str,
) -> Result<usize, AppError> {
    db::write(conn, |conn| {
        crate::links::store::latest(conn, purpose, record_id)?.ok_or(AppError::NotFound)?;
        let revoked = crate::links::store::revoke(conn, purpose, record_id, ctx.now)?;
        let changes = json!({"link": {"purpose": purpose.as_str(), "revoked": revoked}});
        let kind = purpose.record_kind();
        crate::audit::store::record(conn, actor, "link.revoked", kind, record_id, changes)?;
        Ok(revoked)
    })
}
