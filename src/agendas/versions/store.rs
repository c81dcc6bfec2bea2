//! Queries on approved versions: they are only ever inserted, never updated.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;

use super::domain::{SnapshotItem, Version, VersionInfo};
use crate::agendas::domain::{AgendaItemId, Item, ItemKind};
use crate::db::schema::{agenda_version_items, agenda_versions};
use crate::db::{micros, Conn};
use crate::sessions::domain::SessionId;

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}

/// Writes a new approved version and its whole snapshot. Versions are only ever inserted.
pub fn insert_version(conn: &mut Conn, version: &Version) -> QueryResult<()> {
    let v = &version.info;
    diesel::insert_into(agenda_versions::table)
        .values((
            agenda_versions::session_id.eq(&v.session_id),
            agenda_versions::number.eq(v.number),
            agenda_versions::approved_at.eq(micros(v.approved_at)),
            agenda_versions::approved_by.eq(&v.approved_by),
            agenda_versions::approver_name.eq(&v.approver_name),
            agenda_versions::comment.eq(v.comment.clone()),
        ))
        .execute(conn)?;
    for s in &version.items {
        let i = &s.item;
        let speakers = serde_json::to_string(&i.speakers)
            .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
        diesel::insert_into(agenda_version_items::table)
            .values((
                agenda_version_items::session_id.eq(&v.session_id),
                agenda_version_items::version.eq(v.number),
                agenda_version_items::item_id.eq(&i.id),
                agenda_version_items::kind.eq(i.kind),
                agenda_version_items::title.eq(&i.title),
                agenda_version_items::description.eq(&i.description),
                agenda_version_items::starts_at.eq(micros(i.starts_at)),
                agenda_version_items::ends_at.eq(micros(i.ends_at)),
                agenda_version_items::speakers.eq(speakers),
                agenda_version_items::since_version.eq(s.since_version),
            ))
            .execute(conn)?;
    }
    Ok(())
}

type InfoColumns = (
    agenda_versions::session_id,
    agenda_versions::number,
    agenda_versions::approved_at,
    agenda_versions::approved_by,
    agenda_versions::approver_name,
    agenda_versions::comment,
);

const INFO: InfoColumns = (
    agenda_versions::session_id,
    agenda_versions::number,
    agenda_versions::approved_at,
    agenda_versions::approved_by,
    agenda_versions::approver_name,
    agenda_versions::comment,
);

type InfoRow = (
    SessionId,
    i32,
    NaiveDateTime,
    String,
    String,
    Option<String>,
);

fn info_of(row: InfoRow) -> VersionInfo {
    let (session_id, number, approved_at, approved_by, approver_name, comment) = row;
    VersionInfo {
        session_id,
        number,
        approved_at: utc(approved_at),
        approved_by,
        approver_name,
        comment,
    }
}

/// Every approved version of a session, newest first, without items.
pub fn versions_of(conn: &mut Conn, session_id: &str) -> QueryResult<Vec<VersionInfo>> {
    let rows: Vec<InfoRow> = agenda_versions::table
        .filter(agenda_versions::session_id.eq(session_id))
        .order(agenda_versions::number.desc())
        .select(INFO)
        .load(conn)?;
    Ok(rows.into_iter().map(info_of).collect())
}

/// The number of the latest approved version of a session.
pub fn latest_number(conn: &mut Conn, session_id: &str) -> QueryResult<Option<i32>> {
    agenda_versions::table
        .filter(agenda_versions::session_id.eq(session_id))
        .select(diesel::dsl::max(agenda_versions::number))
        .first(conn)
}

type SnapshotRow = (
    AgendaItemId,
    ItemKind,
    String,
    String,
    NaiveDateTime,
    NaiveDateTime,
    String,
    i32,
);

/// The columns of a `SnapshotRow`.
const SNAPSHOT: (
    agenda_version_items::item_id,
    agenda_version_items::kind,
    agenda_version_items::title,
    agenda_version_items::description,
    agenda_version_items::starts_at,
    agenda_version_items::ends_at,
    agenda_version_items::speakers,
    agenda_version_items::since_version,
) = (
    agenda_version_items::item_id,
    agenda_version_items::kind,
    agenda_version_items::title,
    agenda_version_items::description,
    agenda_version_items::starts_at,
    agenda_version_items::ends_at,
    agenda_version_items::speakers,
    agenda_version_items::since_version,
);

fn snapshot_item(row: SnapshotRow) -> QueryResult<SnapshotItem> {
    let (id, kind, title, description, starts_at, ends_at, speakers, since_version) = row;
    let speakers = serde_json::from_str(&speakers)
        .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
    let item = Item {
        id,
        kind,
        title,
        description,
        starts_at: utc(starts_at),
        ends_at: utc(ends_at),
        speakers,
    };
    Ok(SnapshotItem {
        item,
        since_version,
    })
}

/// One approved version, whole.
pub fn version(conn: &mut Conn, session_id: &str, number: i32) -> QueryResult<Option<Version>> {
    let Some(info) = agenda_versions::table
        .filter(agenda_versions::session_id.eq(session_id))
        .filter(agenda_versions::number.eq(number))
        .select(INFO)
        .first::<InfoRow>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let rows: Vec<SnapshotRow> = agenda_version_items::table
        .filter(agenda_version_items::session_id.eq(session_id))
        .filter(agenda_version_items::version.eq(number))
        .order((
            agenda_version_items::starts_at.asc(),
            agenda_version_items::item_id.asc(),
        ))
        .select(SNAPSHOT)
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(snapshot_item)
        .collect::<QueryResult<_>>()?;
    Ok(Some(Version {
        info: info_of(info),
        items,
    }))
}

/// The items of each session's latest approved version, with their session, by start: two
/// queries however many sessions.
pub fn latest_items_of(
    conn: &mut Conn,
    session_ids: &[SessionId],
) -> QueryResult<Vec<(SessionId, SnapshotItem)>> {
    let latest: Vec<(SessionId, Option<i32>)> = agenda_versions::table
        .filter(agenda_versions::session_id.eq_any(session_ids.iter().map(SessionId::as_str)))
        .group_by(agenda_versions::session_id)
        .select((
            agenda_versions::session_id,
            diesel::dsl::max(agenda_versions::number),
        ))
        .load(conn)?;
    let mut query = agenda_version_items::table.into_boxed();
    let mut any = false;
    for (session, number) in latest {
        let Some(number) = number else { continue };
        let this = agenda_version_items::session_id
            .eq(session)
            .and(agenda_version_items::version.eq(number));
        query = if any {
            query.or_filter(this)
        } else {
            query.filter(this)
        };
        any = true;
    }
    if !any {
        return Ok(Vec::new());
    }
    let rows: Vec<(SessionId, SnapshotRow)> = query
        .order((
            agenda_version_items::starts_at.asc(),
            agenda_version_items::item_id.asc(),
        ))
        .select((agenda_version_items::session_id, SNAPSHOT))
        .load(conn)?;
    rows.into_iter()
        .map(|(session, row)| Ok((session, snapshot_item(row)?)))
        .collect()
}

/// Every session with an approved version, and its latest number (for starting from one).
pub fn sessions_with_versions(conn: &mut Conn) -> QueryResult<Vec<(SessionId, i32)>> {
    agenda_versions::table
        .group_by(agenda_versions::session_id)
        .select((
            agenda_versions::session_id,
            diesel::dsl::max(agenda_versions::number),
        ))
        .load::<(SessionId, Option<i32>)>(conn)
        .map(|rows| {
            rows.into_iter()
                .filter_map(|(id, n)| n.map(|n| (id, n)))
                .collect()
        })
}
