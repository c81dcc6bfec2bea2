//! Queries on sessions.

use chrono::{NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;

use super::domain::{Session, SessionFields, SessionId, SessionKind, SessionStatus};
use crate::db::schema::sessions;
use crate::db::{micros, Conn};
use crate::meetings::domain::MeetingId;

crate::text_column!(SessionId);
crate::text_column!(SessionKind);
crate::text_column!(SessionStatus);

/// A session as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sessions, treat_none_as_null = true)]
pub struct SessionRow {
    pub id: SessionId,
    pub meeting_id: MeetingId,
    pub kind: SessionKind,
    pub title: String,
    pub description: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub capacity: i32,
    pub remote_capacity: i32,
    pub registration_opens_at: Option<NaiveDateTime>,
    pub registration_closes_at: Option<NaiveDateTime>,
    pub remote_url: Option<String>,
    pub status: SessionStatus,
    pub cancel_reason: Option<String>,
    pub sequence: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub approval_required: bool,
    pub reserved_seats: i32,
    pub reserved_until: Option<NaiveDateTime>,
}

impl SessionRow {
    /// The domain value.
    pub fn into_domain(self) -> Session {
        let utc = |t: NaiveDateTime| Utc.from_utc_datetime(&t);
        Session {
            fields: SessionFields {
                kind: self.kind,
                title: self.title,
                description: self.description,
                starts_at: utc(self.starts_at),
                ends_at: utc(self.ends_at),
                capacity: self.capacity,
                remote_capacity: self.remote_capacity,
                registration_opens_at: self.registration_opens_at.map(utc),
                registration_closes_at: self.registration_closes_at.map(utc),
                remote_url: self.remote_url,
                approval_required: self.approval_required,
                reserved_seats: self.reserved_seats,
                reserved_until: self.reserved_until.map(utc),
            },
            status: self.status,
            id: self.id,
            meeting_id: self.meeting_id,
            cancel_reason: self.cancel_reason,
            sequence: self.sequence,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }

    /// The row for a domain value.
    pub fn from_domain(s: &Session) -> SessionRow {
        let f = &s.fields;
        SessionRow {
            id: s.id.clone(),
            meeting_id: s.meeting_id.clone(),
            kind: f.kind,
            title: f.title.clone(),
            description: f.description.clone(),
            starts_at: micros(f.starts_at),
            ends_at: micros(f.ends_at),
            capacity: f.capacity,
            remote_capacity: f.remote_capacity,
            registration_opens_at: f.registration_opens_at.map(micros),
            registration_closes_at: f.registration_closes_at.map(micros),
            remote_url: f.remote_url.clone(),
            status: s.status,
            cancel_reason: s.cancel_reason.clone(),
            sequence: s.sequence,
            created_at: s.created_at,
            updated_at: s.updated_at,
            approval_required: f.approval_required,
            reserved_seats: f.reserved_seats,
            reserved_until: f.reserved_until.map(micros),
        }
    }
}

/// Which sessions a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub meeting_ids: Option<Vec<MeetingId>>,
    pub statuses: Vec<SessionStatus>,
    pub ends_after: Option<NaiveDateTime>,
}

fn filtered(filter: &Filter) -> sessions::BoxedQuery<'static, crate::db::MultiBackend> {
    let mut query = sessions::table.into_boxed();
    if let Some(ids) = &filter.meeting_ids {
        let ids: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
        query = query.filter(sessions::meeting_id.eq_any(ids));
    }
    if !filter.statuses.is_empty() {
        let names: Vec<&'static str> = filter.statuses.iter().map(|s| s.as_str()).collect();
        query = query.filter(sessions::status.eq_any(names));
    }
    if let Some(after) = filter.ends_after {
        query = query.filter(sessions::ends_at.gt(after));
    }
    query
}

/// Sessions ordered by start, a page at a time, with the total count.
pub fn list(
    conn: &mut Conn,
    filter: &Filter,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Session>, i64)> {
    let total = filtered(filter).count().get_result(conn)?;
    let rows = filtered(filter)
        .order((sessions::starts_at.asc(), sessions::id.asc()))
        .limit(limit)
        .offset(offset)
        .select(SessionRow::as_select())
        .load(conn)?;
    Ok((
        rows.into_iter().map(SessionRow::into_domain).collect(),
        total,
    ))
}

/// Finds one session. Takes the id as text, so other capabilities may pass any id they hold.
pub fn find(conn: &mut Conn, id: &str) -> QueryResult<Option<Session>> {
    Ok(sessions::table
        .find(id)
        .select(SessionRow::as_select())
        .first(conn)
        .optional()?
        .map(SessionRow::into_domain))
}

/// Inserts a session.
pub fn insert(conn: &mut Conn, session: &Session) -> QueryResult<usize> {
    diesel::insert_into(sessions::table)
        .values(&SessionRow::from_domain(session))
        .execute(conn)
}

/// Writes every field of a session.
pub fn update(conn: &mut Conn, session: &Session) -> QueryResult<usize> {
    diesel::update(sessions::table.find(&session.id))
        .set(&SessionRow::from_domain(session))
        .execute(conn)
}

/// Finds a session by meeting and title (for idempotent demo data).
pub fn find_by_title(
    conn: &mut Conn,
    meeting_id: &MeetingId,
    title: &str,
) -> QueryResult<Option<Session>> {
    Ok(sessions::table
        .filter(sessions::meeting_id.eq(meeting_id))
        .filter(sessions::title.eq(title))
        .select(SessionRow::as_select())
        .first(conn)
        .optional()?
        .map(SessionRow::into_domain))
}

/// The sessions with these ids, in one query.
pub fn many(conn: &mut Conn, ids: Vec<SessionId>) -> QueryResult<Vec<Session>> {
    let ids: Vec<String> = ids.into_iter().map(|id| id.to_string()).collect();
    sessions::table
        .filter(sessions::id.eq_any(ids))
        .order((sessions::starts_at.asc(), sessions::id.asc()))
        .select(SessionRow::as_select())
        .load(conn)
        .map(|rows| rows.into_iter().map(SessionRow::into_domain).collect())
}
