//! Queries on accounts and API tokens.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{api_tokens, users};
use crate::db::Conn;

/// An account as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub roles: String,
    pub focal_point_country: Option<String>,
    pub focal_point_entity: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Browser sessions carry the value they started with; raising it ends them all.
    pub session_generation: i32,
}

/// An API token as stored (the token itself is never stored).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct TokenRow {
    pub id: String,
    pub user_id: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// Finds an account by its normalised email.
pub fn find_by_email(conn: &mut Conn, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Finds an account by id.
pub fn find(conn: &mut Conn, id: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Inserts a new account.
pub fn insert(conn: &mut Conn, row: &UserRow) -> QueryResult<usize> {
    diesel::insert_into(users::table).values(row).execute(conn)
}

/// Replaces name, roles and password of an existing account; `end_sessions` also ends every
/// browser session of it (a new role or password must not ride on an old session).
pub fn update_account(conn: &mut Conn, row: &UserRow, end_sessions: bool) -> QueryResult<usize> {
    diesel::update(users::table.find(&row.id))
        .set((
            users::name.eq(&row.name),
            users::roles.eq(&row.roles),
            users::password_hash.eq(&row.password_hash),
            users::updated_at.eq(row.updated_at),
            users::session_generation.eq(users::session_generation + i32::from(end_sessions)),
        ))
        .execute(conn)
}

/// Ends every browser session of an account, on every instance: the sessions carry the old
/// generation, which no longer matches.
pub fn end_sessions(conn: &mut Conn, id: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::session_generation.eq(users::session_generation + 1))
        .execute(conn)
}

/// Stores a new API token's hash.
pub fn insert_token(conn: &mut Conn, row: &TokenRow) -> QueryResult<usize> {
    diesel::insert_into(api_tokens::table)
        .values(row)
        .execute(conn)
}

/// The active account holding an unexpired token with this hash.
pub fn user_of_token(
    conn: &mut Conn,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<UserRow>> {
    api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(hash))
        .filter(api_tokens::expires_at.gt(now))
        .filter(users::active.eq(true))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Removes expired tokens.
pub fn purge_expired_tokens(conn: &mut Conn, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(api_tokens::table.filter(api_tokens::expires_at.le(now))).execute(conn)
}

/// A page of accounts by email, with the total count.
pub fn list(conn: &mut Conn, limit: i64, offset: i64) -> QueryResult<(Vec<UserRow>, i64)> {
    let total = users::table.count().get_result(conn)?;
    let rows = users::table
        .order(users::email.asc())
        .limit(limit)
        .offset(offset)
        .select(UserRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Sets the focal point's scope of an account.
pub fn set_scope(
    conn: &mut Conn,
    id: &str,
    country: Option<&str>,
    entity: Option<&str>,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::focal_point_country.eq(country),
            users::focal_point_entity.eq(entity),
        ))
        .execute(conn)
}

/// Replaces an account's password hash and ends every browser session of the account.
pub fn set_password(
    conn: &mut Conn,
    id: &str,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::updated_at.eq(now),
            users::session_generation.eq(users::session_generation + 1),
        ))
        .execute(conn)
}

/// Removes every API token of an account (after a password change or "sign out everywhere").
pub fn delete_tokens_of(conn: &mut Conn, user_id: &str) -> QueryResult<usize> {
    diesel::delete(api_tokens::table.filter(api_tokens::user_id.eq(user_id))).execute(conn)
}
