//! Queries on meetings.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::domain::{Meeting, MeetingId, MeetingKind};
use crate::db::schema::meetings;
use crate::db::Conn;

crate::text_column!(MeetingId);
crate::text_column!(MeetingKind);

/// A meeting as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = meetings)]
pub struct MeetingRow {
    pub id: MeetingId,
    pub kind: MeetingKind,
    pub study_group: i32,
    pub question: String,
    pub title: String,
    pub venue: String,
    pub timezone: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl MeetingRow {
    /// The domain value; a time zone the rules could not have written is a corrupt database.
    pub fn into_domain(self) -> QueryResult<Meeting> {
        let timezone = self.timezone.parse().map_err(|_| {
            diesel::result::Error::DeserializationError(
                format!("meeting {}: bad timezone", self.id).into(),
            )
        })?;
        Ok(Meeting {
            timezone,
            id: self.id,
            kind: self.kind,
            study_group: self.study_group,
            question: self.question,
            title: self.title,
            venue: self.venue,
            first_day: self.first_day,
            last_day: self.last_day,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }

    /// The row for a domain value.
    pub fn from_domain(m: &Meeting) -> MeetingRow {
        MeetingRow {
            id: m.id.clone(),
            kind: m.kind,
            study_group: m.study_group,
            question: m.question.clone(),
            title: m.title.clone(),
            venue: m.venue.clone(),
            timezone: m.timezone.name().into(),
            first_day: m.first_day,
            last_day: m.last_day,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// Finds one meeting. Takes the id as text, so other capabilities may pass any id they hold.
pub fn find(conn: &mut Conn, id: &str) -> QueryResult<Option<Meeting>> {
    meetings::table
        .find(id)
        .select(MeetingRow::as_select())
        .first(conn)
        .optional()?
        .map(MeetingRow::into_domain)
        .transpose()
}

/// Meetings ordered by first day, a page at a time, with the total count; `from_day` keeps
/// those whose last day is on or after it.
pub fn list(
    conn: &mut Conn,
    from_day: Option<NaiveDate>,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Meeting>, i64)> {
    let mut query = meetings::table.into_boxed();
    let mut count = meetings::table.into_boxed();
    if let Some(day) = from_day {
        query = query.filter(meetings::last_day.ge(day));
        count = count.filter(meetings::last_day.ge(day));
    }
    let total = count.count().get_result(conn)?;
    let rows = query
        .order((meetings::first_day.asc(), meetings::id.asc()))
        .limit(limit)
        .offset(offset)
        .select(MeetingRow::as_select())
        .load(conn)?;
    let meetings = rows
        .into_iter()
        .map(MeetingRow::into_domain)
        .collect::<QueryResult<_>>()?;
    Ok((meetings, total))
}

/// Inserts a meeting.
pub fn insert(conn: &mut Conn, meeting: &Meeting) -> QueryResult<usize> {
    diesel::insert_into(meetings::table)
        .values(&MeetingRow::from_domain(meeting))
        .execute(conn)
}

/// Finds a meeting by its title and first day (for idempotent demo data).
pub fn find_by_title(
    conn: &mut Conn,
    title: &str,
    first_day: NaiveDate,
) -> QueryResult<Option<Meeting>> {
    meetings::table
        .filter(meetings::title.eq(title))
        .filter(meetings::first_day.eq(first_day))
        .select(MeetingRow::as_select())
        .first(conn)
        .optional()?
        .map(MeetingRow::into_domain)
        .transpose()
}

/// The meetings with these ids, in one query.
pub fn many(conn: &mut Conn, ids: Vec<MeetingId>) -> QueryResult<Vec<Meeting>> {
    let mut ids: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
    ids.sort();
    ids.dedup();
    meetings::table
        .filter(meetings::id.eq_any(ids))
        .select(MeetingRow::as_select())
        .load(conn)?
        .into_iter()
        .map(MeetingRow::into_domain)
        .collect()
}

/// Writes a meeting's fields (all but its id and creation).
pub fn update(conn: &mut Conn, meeting: &Meeting) -> QueryResult<usize> {
    diesel::update(meetings::table.find(&meeting.id))
        .set(&MeetingRow::from_domain(meeting))
        .execute(conn)
}
