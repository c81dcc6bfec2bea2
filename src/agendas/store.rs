//! Queries on agendas and their working copies, and the lock that
//! serialises every change of one agenda.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::domain::{Agenda, AgendaItemId, AgendaStatus, Item, ItemKind};
use crate::db::schema::{agenda_items, agendas, session_rapporteurs, users};
use crate::db::{micros, Conn};
use crate::sessions::domain::SessionId;

crate::text_column!(AgendaItemId);
crate::text_column!(ItemKind);
crate::text_column!(AgendaStatus);

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}

/// An agenda as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = agendas, treat_none_as_null = true)]
struct AgendaRow {
    session_id: SessionId,
    status: AgendaStatus,
    based_on_version: Option<i32>,
    comment: Option<String>,
    submitted_by: Option<String>,
    submitted_at: Option<NaiveDateTime>,
    decided_by: Option<String>,
    decided_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl AgendaRow {
    fn into_domain(self) -> Agenda {
        Agenda {
            session_id: self.session_id,
            status: self.status,
            based_on_version: self.based_on_version,
            comment: self.comment,
            submitted_by: self.submitted_by,
            submitted_at: self.submitted_at.map(utc),
            decided_by: self.decided_by,
            decided_at: self.decided_at.map(utc),
            updated_at: utc(self.updated_at),
        }
    }

    fn from_domain(a: &Agenda, created_at: NaiveDateTime) -> AgendaRow {
        AgendaRow {
            session_id: a.session_id.clone(),
            status: a.status,
            based_on_version: a.based_on_version,
            comment: a.comment.clone(),
            submitted_by: a.submitted_by.clone(),
            submitted_at: a.submitted_at.map(micros),
            decided_by: a.decided_by.clone(),
            decided_at: a.decided_at.map(micros),
            created_at,
            updated_at: micros(a.updated_at),
        }
    }
}

/// A working-copy item as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = agenda_items)]
struct ItemRow {
    id: AgendaItemId,
    session_id: SessionId,
    kind: ItemKind,
    title: String,
    description: String,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl ItemRow {
    fn into_domain(self) -> Item {
        Item {
            id: self.id,
            kind: self.kind,
            title: self.title,
            description: self.description,
            starts_at: utc(self.starts_at),
            ends_at: utc(self.ends_at),
            speakers: Vec::new(),
        }
    }
}

/// A stable advisory-lock key, the same in every process.
fn lock_key(session_id: &str) -> i64 {
    let digest = Sha256::digest(format!("agenda:{session_id}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

/// Serialises every change of one session's agenda until the transaction ends, so a transition
/// reads the status it changes with nobody else between (two rapporteurs deciding at once give
/// one decision). On PostgreSQL an advisory lock, which also covers the agenda's first row; on
/// SQLite `db::write` holds the database's write lock from `BEGIN IMMEDIATE` already.
pub fn lock(conn: &mut Conn, session_id: &str) -> QueryResult<()> {
    match conn {
        Conn::Postgres(pg) => diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(lock_key(session_id))
            .execute(pg)
            .map(|_| ()),
        Conn::Sqlite(_) => Ok(()),
    }
}

/// The agenda of a session, if it was ever written.
pub fn find(conn: &mut Conn, session_id: &str) -> QueryResult<Option<Agenda>> {
    agendas::table
        .find(session_id)
        .select(AgendaRow::as_select())
        .first(conn)
        .optional()
        .map(|row| row.map(AgendaRow::into_domain))
}

/// Inserts an agenda's first row.
pub fn insert(conn: &mut Conn, agenda: &Agenda) -> QueryResult<()> {
    diesel::insert_into(agendas::table)
        .values(&AgendaRow::from_domain(agenda, micros(agenda.updated_at)))
        .execute(conn)
        .map(|_| ())
}

/// Writes an agenda's status, decision and times.
pub fn update(conn: &mut Conn, agenda: &Agenda) -> QueryResult<()> {
    diesel::update(agendas::table.find(&agenda.session_id))
        .set((
            agendas::status.eq(agenda.status),
            agendas::based_on_version.eq(agenda.based_on_version),
            agendas::comment.eq(agenda.comment.clone()),
            agendas::submitted_by.eq(agenda.submitted_by.clone()),
            agendas::submitted_at.eq(agenda.submitted_at.map(micros)),
            agendas::decided_by.eq(agenda.decided_by.clone()),
            agendas::decided_at.eq(agenda.decided_at.map(micros)),
            agendas::updated_at.eq(micros(agenda.updated_at)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The sessions whose agendas are in one status, most recently changed last.
pub fn sessions_in(conn: &mut Conn, status: AgendaStatus) -> QueryResult<Vec<SessionId>> {
    agendas::table
        .filter(agendas::status.eq(status))
        .order((agendas::updated_at.asc(), agendas::session_id.asc()))
        .select(agendas::session_id)
        .load(conn)
}

/// The working copy's items, by start.
pub fn items_of(conn: &mut Conn, session_id: &str) -> QueryResult<Vec<Item>> {
    let rows: Vec<ItemRow> = agenda_items::table
        .filter(agenda_items::session_id.eq(session_id))
        .order((agenda_items::starts_at.asc(), agenda_items::id.asc()))
        .select(ItemRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(ItemRow::into_domain).collect())
}

/// The working copies' items of several sessions, each with its session, by start, in one query.
pub fn items_of_sessions(
    conn: &mut Conn,
    session_ids: &[SessionId],
) -> QueryResult<Vec<(SessionId, Item)>> {
    let rows: Vec<ItemRow> = agenda_items::table
        .filter(agenda_items::session_id.eq_any(session_ids.iter().map(SessionId::as_str)))
        .order((agenda_items::starts_at.asc(), agenda_items::id.asc()))
        .select(ItemRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| (row.session_id.clone(), row.into_domain()))
        .collect())
}

/// Inserts a working-copy item.
pub fn insert_item(
    conn: &mut Conn,
    session_id: &SessionId,
    item: &Item,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let row = ItemRow {
        id: item.id.clone(),
        session_id: session_id.clone(),
        kind: item.kind,
        title: item.title.clone(),
        description: item.description.clone(),
        starts_at: micros(item.starts_at),
        ends_at: micros(item.ends_at),
        created_at: micros(now),
        updated_at: micros(now),
    };
    diesel::insert_into(agenda_items::table)
        .values(&row)
        .execute(conn)
        .map(|_| ())
}

/// Writes an item's content and times.
pub fn update_item(conn: &mut Conn, item: &Item, now: DateTime<Utc>) -> QueryResult<()> {
    diesel::update(agenda_items::table.find(&item.id))
        .set((
            agenda_items::kind.eq(item.kind),
            agenda_items::title.eq(&item.title),
            agenda_items::description.eq(&item.description),
            agenda_items::starts_at.eq(micros(item.starts_at)),
            agenda_items::ends_at.eq(micros(item.ends_at)),
            agenda_items::updated_at.eq(micros(now)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Deletes a working-copy item.
pub fn delete_item(conn: &mut Conn, id: &AgendaItemId) -> QueryResult<usize> {
    diesel::delete(agenda_items::table.find(id)).execute(conn)
}

/// Active accounts that may hold the organiser role (the service reads their roles exactly).
pub fn organiser_candidates(conn: &mut Conn) -> QueryResult<Vec<(String, String, String, String)>> {
    users::table
        .filter(users::active.eq(true))
        .filter(users::roles.like("%organiser%"))
        .order(users::email.asc())
        .select((users::id, users::email, users::name, users::roles))
        .load(conn)
}

/// The sessions a rapporteur is assigned to.
pub fn sessions_of_rapporteur(conn: &mut Conn, user_id: &str) -> QueryResult<Vec<SessionId>> {
    session_rapporteurs::table
        .filter(session_rapporteurs::user_id.eq(user_id))
        .select(session_rapporteurs::session_id)
        .load(conn)
}
