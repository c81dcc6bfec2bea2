//! Queries of what organisers, focal points and participants read: filtered lists (a page, or a
//! chunk of an export), the waiting lists around them, counts for statistics, the directory.

use diesel::prelude::*;

use crate::countries::CountryGroup;
use crate::db::schema::registrations;
use crate::db::{Conn, MultiBackend};
use crate::registrations::domain::{Attendance, Category, Registration, Status};
use crate::registrations::store::{decode, RegistrationRow};

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

fn waitlisted(session_id: &str) -> registrations::BoxedQuery<'static, MultiBackend> {
    registrations::table
        .filter(registrations::session_id.eq(session_id.to_string()))
        .filter(registrations::status.eq(Status::Waitlisted))
        .into_boxed()
}

/// How many of a session's waitlisted registrations of each mode arrived before `arrival`.
pub fn waiting_before(
    conn: &mut Conn,
    session_id: &str,
    arrival: i32,
) -> QueryResult<Vec<(Attendance, i64)>> {
    registrations::table
        .filter(registrations::session_id.eq(session_id))
        .filter(registrations::status.eq(Status::Waitlisted))
        .filter(registrations::arrival.lt(arrival))
        .group_by(registrations::attendance)
        .select((registrations::attendance, diesel::dsl::count_star()))
        .load(conn)
}

/// The mode and arrival of a session's waitlisted registrations that arrived in `from..=to`,
/// in arrival order.
pub fn waiting_between(
    conn: &mut Conn,
    session_id: &str,
    (from, to): (i32, i32),
) -> QueryResult<Vec<(Attendance, i32)>> {
    waitlisted(session_id)
        .filter(registrations::arrival.between(from, to))
        .order(registrations::arrival.asc())
        .select((registrations::attendance, registrations::arrival))
        .load(conn)
}

/// Which registrations of a session a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<Status>,
    pub category: Option<Category>,
    pub group: Option<CountryGroup>,
    pub country: Option<String>,
    pub attendance: Option<Attendance>,
    /// A focal point's scope: their country, their entity (lower-case).
    pub scope: Option<(Option<String>, Option<String>)>,
}

impl Filter {
    /// True when every waitlisted registration passes (at most a status is asked for): the
    /// rows read are then the whole waiting list over their span.
    pub fn keeps_the_waiting_list(&self) -> bool {
        self.category.is_none()
            && self.group.is_none()
            && self.country.is_none()
            && self.attendance.is_none()
            && self.scope.is_none()
    }
}

fn filtered(session_id: &str, f: &Filter) -> registrations::BoxedQuery<'static, MultiBackend> {
    let mut query = registrations::table
        .filter(registrations::session_id.eq(session_id.to_string()))
        .into_boxed();
    if let Some(s) = f.status {
        query = query.filter(registrations::status.eq(s));
    }
    if let Some(c) = f.category {
        query = query.filter(registrations::stakeholder_category.eq(c));
    }
    if let Some(g) = f.group {
        query = query.filter(registrations::country_group.eq(g.as_str()));
    }
    if let Some(c) = &f.country {
        query = query.filter(registrations::country.eq(c.to_ascii_uppercase()));
    }
    if let Some(a) = f.attendance {
        query = query.filter(registrations::attendance.eq(a));
    }
    if let Some((country, entity)) = &f.scope {
        let country = country.clone().unwrap_or_default().to_ascii_uppercase();
        let entity = entity.clone().unwrap_or_default();
        query = query.filter(
            registrations::country
                .eq(country)
                .or(lower(registrations::organisation).eq(entity)),
        );
    }
    query
}

/// A page of a session's registrations in arrival order, with the total count.
pub fn list(
    conn: &mut Conn,
    session_id: &str,
    filter: &Filter,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Registration>, i64)> {
    let total = total(conn, session_id, filter)?;
    let rows = filtered(session_id, filter)
        .order(registrations::arrival.asc())
        .limit(limit)
        .offset(offset)
        .select(RegistrationRow::as_select())
        .load(conn)?;
    Ok((decode(rows)?, total))
}

/// The next `limit` of a session's registrations that the filter shows, arrived after `after`,
/// in arrival order (one chunk of an export: a range of the session's arrival index).
pub fn list_after(
    conn: &mut Conn,
    session_id: &str,
    filter: &Filter,
    after: i32,
    limit: i64,
) -> QueryResult<Vec<Registration>> {
    decode(
        filtered(session_id, filter)
            .filter(registrations::arrival.gt(after))
            .order(registrations::arrival.asc())
            .limit(limit)
            .select(RegistrationRow::as_select())
            .load(conn)?,
    )
}

/// (category, group as stored, attendance, status, how many).
pub type CountRow = (Category, String, Attendance, Status, i64);

/// Counts by (category, group, attendance, status) over some sessions, for statistics: read
/// from the counts the database keeps (`registration_statistics`), not from the rows.
pub fn counts(conn: &mut Conn, session_ids: &[String]) -> QueryResult<Vec<CountRow>> {
    use crate::db::schema::registration_statistics as t;
    let rows: Vec<(Category, String, Attendance, Status, Option<i64>)> = t::table
        .filter(t::session_id.eq_any(session_ids))
        .group_by((
            t::stakeholder_category,
            t::country_group,
            t::attendance,
            t::status,
        ))
        .select((
            t::stakeholder_category,
            t::country_group,
            t::attendance,
            t::status,
            diesel::dsl::sum(t::n),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(c, g, a, s, n)| Some((c, g, a, s, n.filter(|n| *n > 0)?)))
        .collect())
}

/// (gender as stored, attendance, status, how many).
pub type GenderRow = (Option<String>, Attendance, Status, i64);

/// Counts by (gender, attendance, status) over some sessions, for statistics (kept counts too).
pub fn gender_counts(conn: &mut Conn, session_ids: &[String]) -> QueryResult<Vec<GenderRow>> {
    use crate::db::schema::registration_statistics as t;
    let rows: Vec<(String, Attendance, Status, Option<i64>)> = t::table
        .filter(t::session_id.eq_any(session_ids))
        .group_by((t::gender, t::attendance, t::status))
        .select((t::gender, t::attendance, t::status, diesel::dsl::sum(t::n)))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(g, a, s, n)| {
            let gender = Some(g).filter(|g| !g.is_empty());
            Some((gender, a, s, n.filter(|n| *n > 0)?))
        })
        .collect())
}

/// How many of a session's registrations the filter shows: from the kept counts when the filter
/// asks only for axes they have (status, category, group, attendance), else counted in the rows.
pub fn total(conn: &mut Conn, session_id: &str, f: &Filter) -> QueryResult<i64> {
    use crate::db::schema::registration_statistics as t;
    if f.country.is_some() || f.scope.is_some() {
        return filtered(session_id, f).count().get_result(conn);
    }
    let mut query = t::table
        .filter(t::session_id.eq(session_id.to_string()))
        .select(diesel::dsl::sum(t::n))
        .into_boxed();
    if let Some(s) = f.status {
        query = query.filter(t::status.eq(s));
    }
    if let Some(c) = f.category {
        query = query.filter(t::stakeholder_category.eq(c));
    }
    if let Some(g) = f.group {
        query = query.filter(t::country_group.eq(g.as_str()));
    }
    if let Some(a) = f.attendance {
        query = query.filter(t::attendance.eq(a));
    }
    Ok(query.first::<Option<i64>>(conn)?.unwrap_or(0))
}

/// Confirmed participants who agreed to appear in the directory, by name.
pub fn directory(conn: &mut Conn, session_id: &str) -> QueryResult<Vec<Registration>> {
    decode(
        registrations::table
            .filter(registrations::session_id.eq(session_id))
            .filter(registrations::status.eq(Status::Confirmed))
            .filter(registrations::consent_directory.eq(true))
            .order((registrations::name.asc(), registrations::id.asc()))
            .select(RegistrationRow::as_select())
            .load(conn)?,
    )
}
