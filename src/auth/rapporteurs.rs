//! Rapporteurs assigned to sessions: only they review a session's agenda.

use std::collections::BTreeSet;

use actix_web::{put, web, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::domain::Role;
use super::extract::Organiser;
use super::store::{self as accounts, UserRow};
use crate::app::AppState;
use crate::audit::{self, Actor};
use crate::db::schema::{session_rapporteurs, users};
use crate::db::{self, Conn};
use crate::error::{AppError, Problem};
use crate::input::{Check, Field};

/// The ids of the accounts assigned to a session, in assignment order.
pub fn of_session(conn: &mut Conn, session_id: &str) -> QueryResult<Vec<String>> {
    session_rapporteurs::table
        .filter(session_rapporteurs::session_id.eq(session_id))
        .order((
            session_rapporteurs::assigned_at.asc(),
            session_rapporteurs::user_id.asc(),
        ))
        .select(session_rapporteurs::user_id)
        .load(conn)
}

/// True when the account is assigned to the session.
pub fn is_assigned(conn: &mut Conn, session_id: &str, user_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        session_rapporteurs::table
            .filter(session_rapporteurs::session_id.eq(session_id))
            .filter(session_rapporteurs::user_id.eq(user_id)),
    ))
    .get_result(conn)
}

/// The accounts assigned to a session.
pub fn accounts_of(conn: &mut Conn, session_id: &str) -> QueryResult<Vec<UserRow>> {
    session_rapporteurs::table
        .inner_join(users::table)
        .filter(session_rapporteurs::session_id.eq(session_id))
        .order(users::email.asc())
        .select(UserRow::as_select())
        .load(conn)
}

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
                row.active && super::domain::parse_roles(&row.roles).contains(&Role::Rapporteur)
            });
            if !ok {
                check.fail("user_ids", format!("{id} is not an active rapporteur"));
            }
        }
        check.finish()?;
        let before: BTreeSet<String> = of_session(conn, session_id)?.into_iter().collect();
        let now = db::micros(Utc::now());
        diesel::delete(
            session_rapporteurs::table.filter(session_rapporteurs::session_id.eq(session_id)),
        )
        .execute(conn)?;
        for id in user_ids {
            diesel::insert_into(session_rapporteurs::table)
                .values((
                    session_rapporteurs::session_id.eq(session_id),
                    session_rapporteurs::user_id.eq(id),
                    session_rapporteurs::assigned_at.eq(now),
                ))
                .execute(conn)?;
        }
        let added: Vec<_> = user_ids.difference(&before).collect();
        let removed: Vec<_> = before.difference(user_ids).collect();
        let changes = json!({"rapporteurs": {"added": added, "removed": removed}});
        audit::record(
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

/// The rapporteurs to assign.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RapporteursInput {
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub user_ids: Field<Vec<String>>,
}

/// A rapporteur of a session.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RapporteurView {
    pub id: String,
    pub name: String,
    pub email: String,
}

/// The rapporteurs of a session after a change.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RapporteursAnswer {
    pub session_id: String,
    pub rapporteurs: Vec<RapporteurView>,
}

/// Sets who reviews a session's agenda.
#[utoipa::path(put, path = "/api/v1/sessions/{id}/rapporteurs", tag = "sessions", request_body = RapporteursInput,
    params(("id" = String, Path)),
    responses((status = 200, body = RapporteursAnswer), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
#[put("/api/v1/sessions/{id}/rapporteurs")]
pub async fn put_rapporteurs(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<String>,
    body: web::Json<RapporteursInput>,
) -> Result<HttpResponse, AppError> {
    let mut check = Check::new();
    let ids = check.required("user_ids", body.into_inner().user_ids);
    check.finish()?;
    let ids: BTreeSet<String> = ids.unwrap_or_default().into_iter().collect();
    let (actor, session_id) = (Actor::User(user.id), id.into_inner());
    let answer_id = session_id.clone();
    let rows = db::run(&state.pool, move |conn| {
        assign(conn, &actor, &session_id, &ids)
    })
    .await?;
    let rapporteurs = rows
        .into_iter()
        .map(|r| RapporteurView {
            id: r.id,
            name: r.name,
            email: r.email,
        })
        .collect();
    Ok(HttpResponse::Ok().json(RapporteursAnswer {
        session_id: answer_id,
        rapporteurs,
    }))
}
