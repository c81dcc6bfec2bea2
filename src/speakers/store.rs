//! Queries on the speakers directory. The email is unique (stored lower-cased), so two requests
//! creating the same person at once give one row on both backends.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;

use super::domain::{OrganisationKind, Photo, Speaker, SpeakerFields, SpeakerId};
use crate::db::schema::speakers;
use crate::db::{micros, Conn};

crate::text_column!(SpeakerId);
crate::text_column!(OrganisationKind);

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}

/// A speaker as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = speakers)]
struct SpeakerRow {
    id: SpeakerId,
    name: String,
    email: String,
    organisation: String,
    organisation_kind: OrganisationKind,
    country: String,
    bio: String,
    photo_file: Option<String>,
    photo_type: Option<String>,
    public_profile: bool,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl SpeakerRow {
    fn into_domain(self) -> Speaker {
        let photo = match (self.photo_file, self.photo_type) {
            (Some(file), Some(media_type)) => Some(Photo { file, media_type }),
            _ => None,
        };
        Speaker {
            id: self.id,
            fields: SpeakerFields {
                name: self.name,
                email: self.email,
                organisation: self.organisation,
                organisation_kind: self.organisation_kind,
                country: self.country,
                bio: self.bio,
                public_profile: self.public_profile,
            },
            photo,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
        }
    }

    fn of(s: &Speaker) -> SpeakerRow {
        let f = &s.fields;
        SpeakerRow {
            id: s.id.clone(),
            name: f.name.clone(),
            email: f.email.clone(),
            organisation: f.organisation.clone(),
            organisation_kind: f.organisation_kind,
            country: f.country.clone(),
            bio: f.bio.clone(),
            photo_file: s.photo.as_ref().map(|p| p.file.clone()),
            photo_type: s.photo.as_ref().map(|p| p.media_type.clone()),
            public_profile: f.public_profile,
            created_at: micros(s.created_at),
            updated_at: micros(s.updated_at),
        }
    }
}

/// Inserts a new speaker; a second row for the same email is refused by the unique constraint.
pub fn insert(conn: &mut Conn, speaker: &Speaker) -> QueryResult<()> {
    diesel::insert_into(speakers::table)
        .values(&SpeakerRow::of(speaker))
        .execute(conn)
        .map(|_| ())
}

/// Writes a speaker's fields and photo.
pub fn update(conn: &mut Conn, speaker: &Speaker) -> QueryResult<()> {
    let row = SpeakerRow::of(speaker);
    diesel::update(speakers::table.find(&speaker.id))
        .set((
            speakers::name.eq(row.name),
            speakers::email.eq(row.email),
            speakers::organisation.eq(row.organisation),
            speakers::organisation_kind.eq(row.organisation_kind),
            speakers::country.eq(row.country),
            speakers::bio.eq(row.bio),
            speakers::photo_file.eq(row.photo_file),
            speakers::photo_type.eq(row.photo_type),
            speakers::public_profile.eq(row.public_profile),
            speakers::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// One speaker by id.
pub fn find(conn: &mut Conn, id: &str) -> QueryResult<Option<Speaker>> {
    speakers::table
        .find(id)
        .select(SpeakerRow::as_select())
        .first(conn)
        .optional()
        .map(|row| row.map(SpeakerRow::into_domain))
}

/// The speaker with this (lower-cased) email.
pub fn find_by_email(conn: &mut Conn, email: &str) -> QueryResult<Option<Speaker>> {
    speakers::table
        .filter(speakers::email.eq(email))
        .select(SpeakerRow::as_select())
        .first(conn)
        .optional()
        .map(|row| row.map(SpeakerRow::into_domain))
}

/// Several speakers by id.
pub fn many(conn: &mut Conn, ids: &[SpeakerId]) -> QueryResult<Vec<Speaker>> {
    let rows: Vec<SpeakerRow> = speakers::table
        .filter(speakers::id.eq_any(ids.iter().map(|id| id.to_string()).collect::<Vec<_>>()))
        .select(SpeakerRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(SpeakerRow::into_domain).collect())
}

/// A page of speakers by name whose name, email or organisation contains `q` (any case), and
/// how many match.
pub fn search(
    conn: &mut Conn,
    q: Option<&str>,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Speaker>, i64)> {
    use diesel::dsl::sql;
    use diesel::sql_types::{Bool, Text};
    let pattern = q
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty())
        .map(|q| format!("%{}%", q.replace(['%', '_'], "")));
    let filtered = || {
        let mut query = speakers::table.into_boxed();
        if let Some(p) = pattern.clone() {
            // LIKE ignores case on SQLite only: compare lower-cased text on both.
            query = query.filter(
                sql::<Bool>("(lower(name) LIKE ")
                    .bind::<Text, _>(p.clone())
                    .sql(" OR email LIKE ")
                    .bind::<Text, _>(p.clone())
                    .sql(" OR lower(organisation) LIKE ")
                    .bind::<Text, _>(p)
                    .sql(")"),
            );
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows: Vec<SpeakerRow> = filtered()
        .order((speakers::name.asc(), speakers::id.asc()))
        .limit(limit)
        .offset(offset)
        .select(SpeakerRow::as_select())
        .load(conn)?;
    Ok((
        rows.into_iter().map(SpeakerRow::into_domain).collect(),
        total,
    ))
}
