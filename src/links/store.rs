//! Queries on secret links.
//!
//! A link opens one record for one purpose. Only the SHA-256 of its token is stored; a wrong,
//! expired, used or revoked token finds nothing, and callers answer 404 without saying which.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::domain::Purpose;
use crate::db::schema::secret_links;
use crate::db::{self, Conn};
use crate::security::secrets;

crate::text_column!(Purpose);

/// A link as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = secret_links, treat_none_as_null = true)]
pub struct LinkRow {
    pub id: String,
    pub purpose: Purpose,
    pub record_id: String,
    pub token_hash: String,
    pub created_at: chrono::NaiveDateTime,
    pub expires_at: Option<chrono::NaiveDateTime>,
    pub used_at: Option<chrono::NaiveDateTime>,
    pub revoked_at: Option<chrono::NaiveDateTime>,
}

/// Issues a new link for a record and answers the token, which is shown once (in an email).
pub fn issue(
    conn: &mut Conn,
    purpose: Purpose,
    record_id: &str,
    ttl: Option<Duration>,
    now: DateTime<Utc>,
) -> QueryResult<String> {
    let token = secrets::new_token();
    let row = LinkRow {
        id: Uuid::new_v4().to_string(),
        purpose,
        record_id: record_id.into(),
        token_hash: secrets::token_hash(&token),
        created_at: db::micros(now),
        expires_at: ttl.map(|ttl| db::micros(now + ttl)),
        used_at: None,
        revoked_at: None,
    };
    crate::db::deferred::insert(conn, row, |conn, rows| {
        crate::db::deferred::insert_rows!(conn, secret_links::table, rows)
    })?;
    Ok(token)
}

/// The live link with this token and purpose: not expired, used or revoked.
pub fn resolve(
    conn: &mut Conn,
    purpose: Purpose,
    token: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<LinkRow>> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let now = db::micros(now);
    secret_links::table
        .filter(secret_links::token_hash.eq(secrets::token_hash(token)))
        .filter(secret_links::purpose.eq(purpose))
        .filter(secret_links::revoked_at.is_null())
        .filter(secret_links::used_at.is_null())
        .filter(
            secret_links::expires_at
                .is_null()
                .or(secret_links::expires_at.gt(now)),
        )
        .select(LinkRow::as_select())
        .first(conn)
        .optional()
}

/// Marks a single-use link used, so it opens nothing again.
pub fn consume(conn: &mut Conn, link_id: &str, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::update(
        secret_links::table
            .find(link_id)
            .filter(secret_links::used_at.is_null()),
    )
    .set(secret_links::used_at.eq(Some(db::micros(now))))
    .execute(conn)
}

/// Revokes every live link of a record for a purpose.
pub fn revoke(
    conn: &mut Conn,
    purpose: Purpose,
    record_id: &str,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(
        secret_links::table
            .filter(secret_links::purpose.eq(purpose))
            .filter(secret_links::record_id.eq(record_id))
            .filter(secret_links::revoked_at.is_null()),
    )
    .set(secret_links::revoked_at.eq(Some(db::micros(now))))
    .execute(conn)
}

/// Revokes the record's links and issues a fresh one (staff re-sending a lost email).
pub fn reissue(
    conn: &mut Conn,
    purpose: Purpose,
    record_id: &str,
    ttl: Option<Duration>,
    now: DateTime<Utc>,
) -> QueryResult<String> {
    revoke(conn, purpose, record_id, now)?;
    issue(conn, purpose, record_id, ttl, now)
}

/// The newest link of a record for a purpose, live or not.
pub fn latest(conn: &mut Conn, purpose: Purpose, record_id: &str) -> QueryResult<Option<LinkRow>> {
    secret_links::table
        .filter(secret_links::purpose.eq(purpose))
        .filter(secret_links::record_id.eq(record_id))
        .order((secret_links::created_at.desc(), secret_links::id.desc()))
        .select(LinkRow::as_select())
        .first(conn)
        .optional()
}
