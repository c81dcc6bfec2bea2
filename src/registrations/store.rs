//! Queries on registrations, and the session lock that keeps capacity exact under a rush.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{
    Attendance, Category, Delegate, Gender, Registration, RegistrationId, Status, Taken, Visa,
};
use crate::countries::CountryGroup;
use crate::db::schema::registrations;
use crate::db::Conn;
use crate::sessions::domain::SessionId;

crate::text_column!(RegistrationId);
crate::text_column!(Category);
crate::text_column!(Attendance);
crate::text_column!(Status);

/// A registration as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = registrations, treat_none_as_null = true)]
pub struct RegistrationRow {
    pub id: RegistrationId,
    pub session_id: SessionId,
    pub arrival: i32,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub job_title: String,
    pub country: String,
    /// Kept as text: the countries capability owns the group's mapping.
    pub country_group: String,
    pub stakeholder_category: Category,
    pub attendance: Attendance,
    pub status: Status,
    pub consent_directory: bool,
    pub consent_share_email: bool,
    pub accessibility_needs: String,
    pub visa_letter_needed: bool,
    pub passport_name: Option<String>,
    pub nationality: Option<String>,
    pub passport_number: Option<String>,
    pub passport_expiry: Option<chrono::NaiveDate>,
    pub lang: String,
    pub decided_by: Option<String>,
    pub decision_comment: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Kept as text (optional): see `Gender`.
    pub gender: Option<String>,
}

fn corrupt(id: &str, what: &str) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(format!("registration {id}: bad {what}").into())
}

impl RegistrationRow {
    /// The passport details, all or none as the rules write them.
    fn visa(&self) -> QueryResult<Option<Visa>> {
        match (
            self.visa_letter_needed,
            &self.passport_name,
            &self.nationality,
            &self.passport_number,
            self.passport_expiry,
        ) {
            (true, Some(name), Some(nationality), Some(number), Some(expiry)) => Ok(Some(Visa {
                passport_name: name.clone(),
                nationality: nationality.clone(),
                passport_number: number.clone(),
                passport_expiry: expiry,
            })),
            (false, ..) => Ok(None),
            _ => Err(corrupt(&self.id, "visa details")),
        }
    }

    /// The domain value; a row the rules could not have written is a corrupt database.
    pub fn into_domain(self) -> QueryResult<Registration> {
        let visa = self.visa()?;
        let gender = match self.gender.as_deref() {
            None => None,
            Some(text) => Some(Gender::parse(text).ok_or_else(|| corrupt(&self.id, "gender"))?),
        };
        Ok(Registration {
            delegate: Delegate {
                name: self.name,
                email: self.email,
                organisation: self.organisation,
                job_title: self.job_title,
                country: self.country,
                category: self.stakeholder_category,
                attendance: self.attendance,
                consent_directory: self.consent_directory,
                consent_share_email: self.consent_share_email,
                accessibility_needs: self.accessibility_needs,
                visa,
                gender,
            },
            country_group: CountryGroup::parse(&self.country_group)
                .ok_or_else(|| corrupt(&self.id, "country group"))?,
            status: self.status,
            id: self.id,
            session_id: self.session_id,
            arrival: self.arrival,
            lang: self.lang,
            decided_by: self.decided_by,
            decision_comment: self.decision_comment,
            decided_at: self.decided_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }

    /// The row for a domain value.
    pub fn from_domain(r: &Registration) -> RegistrationRow {
        let d = &r.delegate;
        let visa = d.visa.as_ref();
        RegistrationRow {
            id: r.id.clone(),
            session_id: r.session_id.clone(),
            arrival: r.arrival,
            name: d.name.clone(),
            email: d.email.clone(),
            organisation: d.organisation.clone(),
            job_title: d.job_title.clone(),
            country: d.country.clone(),
            country_group: r.country_group.as_str().into(),
            stakeholder_category: d.category,
            attendance: d.attendance,
            status: r.status,
            consent_directory: d.consent_directory,
            consent_share_email: d.consent_share_email,
            accessibility_needs: d.accessibility_needs.clone(),
            visa_letter_needed: visa.is_some(),
            passport_name: visa.map(|v| v.passport_name.clone()),
            nationality: visa.map(|v| v.nationality.clone()),
            passport_number: visa.map(|v| v.passport_number.clone()),
            passport_expiry: visa.map(|v| v.passport_expiry),
            lang: r.lang.clone(),
            decided_by: r.decided_by.clone(),
            decision_comment: r.decision_comment.clone(),
            decided_at: r.decided_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            gender: d.gender.map(|g| g.as_str().to_string()),
        }
    }
}

/// The domain values of stored rows.
pub fn decode(rows: Vec<RegistrationRow>) -> QueryResult<Vec<Registration>> {
    rows.into_iter().map(RegistrationRow::into_domain).collect()
}

fn one(row: Option<RegistrationRow>) -> QueryResult<Option<Registration>> {
    row.map(RegistrationRow::into_domain).transpose()
}

/// Takes the session's lock for the rest of the transaction, so that counting seats, numbering
/// arrivals and inserting happen one registration at a time. SQLite holds its single write lock
/// from BEGIN IMMEDIATE already; PostgreSQL locks the session row, which PATCH's UPDATE also takes.
pub fn lock_session(conn: &mut Conn, session_id: &str) -> QueryResult<()> {
    match conn {
        Conn::Sqlite(_) => Ok(()),
        Conn::Postgres(pg) => diesel::sql_query("SELECT id FROM sessions WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::Text, _>(session_id)
            .execute(pg)
            .map(|_| ()),
    }
}

/// The next arrival number of a session (call under `lock_session`).
pub fn next_arrival(conn: &mut Conn, session_id: &str) -> QueryResult<i32> {
    let max: Option<i32> = registrations::table
        .filter(registrations::session_id.eq(session_id))
        .select(diesel::dsl::max(registrations::arrival))
        .first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

/// One registration.
pub fn find(conn: &mut Conn, id: &str) -> QueryResult<Option<Registration>> {
    let query = registrations::table.find(id);
    one(query
        .select(RegistrationRow::as_select())
        .first(conn)
        .optional()?)
}

/// Several registrations by id (unknown ids are left out).
pub fn many(conn: &mut Conn, ids: &[RegistrationId]) -> QueryResult<Vec<Registration>> {
    let ids: Vec<&str> = ids.iter().map(RegistrationId::as_str).collect();
    decode(
        registrations::table
            .filter(registrations::id.eq_any(ids))
            .select(RegistrationRow::as_select())
            .load(conn)?,
    )
}

/// The registration of this (normalised) email for a session.
pub fn find_by_email(
    conn: &mut Conn,
    session_id: &str,
    email: &str,
) -> QueryResult<Option<Registration>> {
    let query = registrations::table
        .filter(registrations::session_id.eq(session_id))
        .filter(registrations::email.eq(email));
    one(query
        .select(RegistrationRow::as_select())
        .first(conn)
        .optional()?)
}

/// Inserts a registration.
pub fn insert(conn: &mut Conn, registration: &Registration) -> QueryResult<()> {
    let row = RegistrationRow::from_domain(registration);
    crate::db::deferred::insert(conn, row, |conn, rows| {
        crate::db::deferred::insert_rows!(conn, registrations::table, rows)
    })
}

/// Writes every field of a registration.
pub fn update(conn: &mut Conn, registration: &Registration) -> QueryResult<usize> {
    diesel::update(registrations::table.find(&registration.id))
        .set(&RegistrationRow::from_domain(registration))
        .execute(conn)
}

/// Confirmed seats of one attendance mode, by country group, from the tallies the triggers keep.
pub fn taken(conn: &mut Conn, session_id: &str, attendance: Attendance) -> QueryResult<Taken> {
    let mut taken = Taken::default();
    for (group, n) in tally(conn, session_id, attendance, Status::Confirmed)? {
        let group = CountryGroup::parse(&group)
            .ok_or_else(|| corrupt(&format!("of session {session_id}"), "country group"))?;
        taken.add_many(group, n);
    }
    Ok(taken)
}

/// How many wait for a seat of one attendance mode: the position of the newest among them.
pub fn waiting_count(
    conn: &mut Conn,
    session_id: &str,
    attendance: Attendance,
) -> QueryResult<i64> {
    let counts = tally(conn, session_id, attendance, Status::Waitlisted)?;
    Ok(counts.iter().map(|(_, n)| i64::from(*n)).sum())
}

/// A session's registrations of one attendance mode and status, counted by country group.
fn tally(
    conn: &mut Conn,
    session_id: &str,
    attendance: Attendance,
    status: Status,
) -> QueryResult<Vec<(String, i32)>> {
    use crate::db::schema::registration_tallies as t;
    t::table
        .filter(t::session_id.eq(session_id))
        .filter(t::attendance.eq(attendance.as_str()))
        .filter(t::status.eq(status.as_str()))
        .filter(t::n.gt(0))
        .select((t::country_group, t::n))
        .load(conn)
}

/// The first `limit` waiting for a seat of one attendance mode, in arrival order; only those of
/// `groups` when given.
pub fn waiting(
    conn: &mut Conn,
    session_id: &str,
    attendance: Attendance,
    (groups, limit): (Option<&[CountryGroup]>, i64),
) -> QueryResult<Vec<Registration>> {
    let mut query = registrations::table
        .filter(registrations::session_id.eq(session_id))
        .filter(registrations::attendance.eq(attendance))
        .filter(registrations::status.eq(Status::Waitlisted))
        .order(registrations::arrival.asc())
        .limit(limit)
        .select(RegistrationRow::as_select())
        .into_boxed();
    if let Some(groups) = groups {
        let groups: Vec<&str> = groups.iter().map(|g| g.as_str()).collect();
        query = query.filter(registrations::country_group.eq_any(groups));
    }
    decode(query.load(conn)?)
}

/// The position of one waitlisted registration.
pub fn position_of(conn: &mut Conn, registration: &Registration) -> QueryResult<Option<i64>> {
    if registration.status != Status::Waitlisted {
        return Ok(None);
    }
    registrations::table
        .filter(registrations::session_id.eq(&registration.session_id))
        .filter(registrations::attendance.eq(registration.delegate.attendance))
        .filter(registrations::status.eq(Status::Waitlisted))
        .filter(registrations::arrival.le(registration.arrival))
        .count()
        .get_result(conn)
        .map(Some)
}

/// Every registration of a session in one status, in arrival order.
pub fn of_status(
    conn: &mut Conn,
    session_id: &str,
    status: Status,
) -> QueryResult<Vec<Registration>> {
    decode(
        registrations::table
            .filter(registrations::session_id.eq(session_id))
            .filter(registrations::status.eq(status))
            .order(registrations::arrival.asc())
            .select(RegistrationRow::as_select())
            .load(conn)?,
    )
}

/// Active accounts with a focal-point scope (the caller checks role and scope).
pub fn focal_points(conn: &mut Conn) -> QueryResult<Vec<crate::access::User>> {
    use crate::accounts::store::UserRow;
    use crate::db::schema::users;
    Ok(users::table
        .filter(users::active.eq(true))
        .filter(
            users::focal_point_country
                .is_not_null()
                .or(users::focal_point_entity.is_not_null()),
        )
        .select(UserRow::as_select())
        .load(conn)?
        .into_iter()
        .map(crate::access::User::from)
        .collect())
}
