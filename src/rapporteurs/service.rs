//! Use cases of rapporteur assignment.

use std::collections::BTreeSet;

use serde_json::json;

use super::domain::{self, Candidate};
use crate::access::domain::parse_roles;
use crate::accounts::store::{self as accounts, UserRow};
use crate::audit::Actor;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::sessions::domain::SessionId;

fn candidates(conn: &mut Conn, user_ids: &BTreeSet<String>) -> Result<Vec<Candidate>, AppError> {
    let mut found = Vec::with_capacity(user_ids.len());
    for id in user_ids {
        let account = accounts::find(conn, id)?.map(|row| (row.active, parse_roles(&row.roles)));
        found.push(Candidate {
            id: id.clone(),
            account,
        });
    }
    Ok(found)
}

/// Replaces the rapporteurs of a session; every id must be an active account with the
/// rapporteur role. Answers the accounts now assigned.
pub fn assign(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    session_id: &SessionId,
    user_ids: &BTreeSet<String>,
) -> Result<Vec<UserRow>, AppError> {
    db::write(conn, |conn| {
        crate::sessions::store::find(conn, session_id)?.ok_or(AppError::NotFound)?;
        domain::check_candidates(&candidates(conn, user_ids)?)?;
        let before: BTreeSet<String> = crate::rapporteurs::store::of_session(conn, session_id)?
            .into_iter()
            .collect();
        crate::rapporteurs::store::replace(conn, session_id, user_ids, db::micros(ctx.now))?;
        let (added, removed) = domain::turnover(&before, user_ids);
        let changes = json!({"rapporteurs": {"added": added, "removed": removed}});
        let action = "session.rapporteurs_set";
        crate::audit::store::record(conn, actor, action, "session", session_id, changes)?;
        Ok(crate::rapporteurs::store::accounts_of(conn, session_id)?)
    })
}
