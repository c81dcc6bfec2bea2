//! JSON handler: organisers assign a session's rapporteurs.

use std::collections::BTreeSet;

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::service;
use crate::access::Organiser;
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{Check, Field};
use crate::sessions::domain::SessionId;
use crate::state::AppState;

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
    pub session_id: SessionId,
    pub rapporteurs: Vec<RapporteurView>,
}

/// Sets who reviews a session's agenda.
#[utoipa::path(put, path = "/api/v1/sessions/{id}/rapporteurs", tag = "sessions", request_body = RapporteursInput,
    params(("id" = String, Path)),
    responses((status = 200, body = RapporteursAnswer), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put_rapporteurs(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<SessionId>,
    body: web::Json<RapporteursInput>,
) -> Result<HttpResponse, AppError> {
    let mut check = Check::new();
    let ids = check.required("user_ids", body.into_inner().user_ids);
    check.finish()?;
    let ids: BTreeSet<String> = ids.unwrap_or_default().into_iter().collect();
    let (actor, session_id, ctx) = (Actor::User(user.id), id.into_inner(), state.ctx());
    let answer_id = session_id.clone();
    let rows = db::run(&state.pool, move |conn| {
        service::assign(conn, &ctx, &actor, &session_id, &ids)
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
