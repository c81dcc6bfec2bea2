//! Queries on the audit trail.

use chrono::Utc;
use diesel::prelude::*;
use serde_json::Value;
use uuid::Uuid;

use super::domain::Actor;
use crate::db::schema::audit_events;
use crate::db::{self, Conn};

/// An audit event as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    pub id: String,
    pub at: chrono::NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub record_kind: String,
    pub record_id: String,
    pub changes: String,
}

/// Records one change inside the caller's transaction.
pub fn record(
    conn: &mut Conn,
    actor: &Actor,
    action: &str,
    record_kind: &str,
    record_id: &str,
    changes: Value,
) -> QueryResult<()> {
    let event = AuditEvent {
        id: Uuid::new_v4().to_string(),
        at: db::micros(Utc::now()),
        actor: actor.as_stored(),
        action: action.to_string(),
        record_kind: record_kind.to_string(),
        record_id: record_id.to_string(),
        changes: changes.to_string(),
    };
    crate::db::deferred::insert(conn, event, |conn, events| {
        crate::db::deferred::insert_rows!(conn, audit_events::table, events)
    })
}

/// The events of one record, oldest first.
pub fn of_record(conn: &mut Conn, kind: &str, id: &str) -> QueryResult<Vec<AuditEvent>> {
    audit_events::table
        .filter(audit_events::record_kind.eq(kind))
        .filter(audit_events::record_id.eq(id))
        .order((audit_events::at.asc(), audit_events::id.asc()))
        .select(AuditEvent::as_select())
        .load(conn)
}

/// Filters of the audit list.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct AuditFilter {
    /// Only events about records of this kind (user, session, registration, ...).
    pub record_kind: Option<String>,
    /// Only events about the record with this id.
    pub record_id: Option<String>,
}

/// A page of events, newest first, with the total count.
pub fn list(
    conn: &mut Conn,
    filter: &AuditFilter,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<AuditEvent>, i64)> {
    let kind = filter.record_kind.clone().filter(|k| !k.trim().is_empty());
    let id = filter.record_id.clone().filter(|k| !k.trim().is_empty());
    let filtered = || {
        let mut query = audit_events::table.into_boxed();
        if let Some(kind) = kind.clone() {
            query = query.filter(audit_events::record_kind.eq(kind.trim().to_string()));
        }
        if let Some(id) = id.clone() {
            query = query.filter(audit_events::record_id.eq(id.trim().to_string()));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((audit_events::at.desc(), audit_events::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(AuditEvent::as_select())
        .load(conn)?;
    Ok((rows, total))
}
