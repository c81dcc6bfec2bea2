//! Use cases of the audit trail: read it, newest first.

use super::store::{AuditEvent, AuditFilter};
use crate::db::Conn;
use crate::error::AppError;

/// A page of the events a filter selects, newest first, with the total count.
pub fn list(
    conn: &mut Conn,
    filter: &AuditFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AuditEvent>, i64), AppError> {
    Ok(crate::audit::store::list(conn, filter, limit, offset)?)
}
