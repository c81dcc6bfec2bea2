//! Use cases of rapporteur assignment.

use std::collections::BTreeSet;

use chrono::Utc;
use serde_json::json;

use super::store::{accounts_of, of_session};
use crate::access::domain::Role;
use crate::accounts::store::{self as accounts, UserRow};
use crate::audit::{self, Actor};
use crate::db::{self, Conn};
use crate::error::AppError;
use crate::input::Check;

/// Replaces the rapporteurs of a session; every id must be an active account with the
/// rapporteur role. Answers the accounts now assigned.
pub fn assign(
    conn: &mut Conn,
    actor: &Actor,
    session_id: &str,
    user_ids: &BTreeSet<String>,
) -> Result<Vec<UserRow>, AppError> {
    db::write(conn, |conn| {
        crate::sessions::store::find(conn, session_id)?.ok_or(AppError::NotFound)?;
        let mut check = Check::new();
        for id in user_ids {
            let ok = accounts::find(conn, id)?.is_some_and(|row| {
                row.active
                    && crate::access::domain::parse_roles(&row.roles).contains(&Role::Rapporteur)
            });
            if !ok {
                check.fail("user_ids", format!("{id} is not an active rapporteur"));
            }
        }
        check.finish()?;
        let before: BTreeSet<String> = of_session(conn, session_id)?.into_iter().collect();
        let now = db::micros(Utc::now());
        super::store::replace(conn, session_id, user_ids, now)?;
        let added: Vec<_> = user_ids.difference(&before).collect();
        let removed: Vec<_> = before.difference(user_ids).collect();
        let changes = json!({"rapporteurs": {"added": added, "removed": removed}});
        audit::store::record(
            conn,
            actor,
            "session.rapporteurs_set",
            "session",
            session_id,
            changes,
        )?;
        Ok(accounts_of(conn, session_id)?)
    })
}
