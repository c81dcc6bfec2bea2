//! JSON handlers of the approval workflow: submit, withdraw, approve, request changes.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::service;
use crate::access::{Organiser, Staff};
use crate::agendas::domain::{Agenda, AgendaStatus};
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{Check, Field};
use crate::state::AppState;

/// Where an agenda stands after a step of the workflow.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AgendaStatusView {
    pub session_id: String,
    pub status: AgendaStatus,
    /// The latest approved version: after an approval, the new one.
    pub based_on_version: Option<i32>,
    /// The number of the version an approval created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
    pub comment: Option<String>,
}

impl AgendaStatusView {
    fn of(agenda: &Agenda) -> AgendaStatusView {
        AgendaStatusView {
            session_id: agenda.session_id.to_string(),
            status: agenda.status,
            based_on_version: agenda.based_on_version,
            version: None,
            comment: agenda.comment.clone(),
        }
    }
}

/// A rapporteur's decision.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = AgendaDecisionInput)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// Optional when approving; required when requesting changes.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub comment: Field<String>,
}

impl DecisionInput {
    /// The comment of a body that may be empty (an approval needs none).
    fn read(body: &[u8]) -> Result<Option<String>, AppError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        let input: DecisionInput = serde_json::from_slice(body)
            .map_err(|e| AppError::BadRequest(format!("malformed JSON: {e}")))?;
        let mut check = Check::new();
        let comment = check.optional("comment", input.comment);
        check.finish()?;
        Ok(comment)
    }
}

/// Sends the agenda to the session's rapporteurs, who are emailed; 409 when empty, submitted
/// already, or no rapporteur is assigned.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/agenda/submit", tag = "agendas", params(("id" = String, Path)),
    responses((status = 200, body = AgendaStatusView), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn submit(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ctx = state.ctx();
    let agenda = db::run(&state.pool, move |conn| {
        service::submit(conn, &ctx, &user, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(AgendaStatusView::of(&agenda)))
}

/// Takes a submission back: the agenda is a draft again; 409 unless submitted.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/agenda/withdraw", tag = "agendas", params(("id" = String, Path)),
    responses((status = 200, body = AgendaStatusView), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn withdraw(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ctx = state.ctx();
    let agenda = db::run(&state.pool, move |conn| {
        service::withdraw(conn, &ctx, &user, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(AgendaStatusView::of(&agenda)))
}

/// Approves the submission as a new version; only a rapporteur of the session (403 for other
/// staff who see it, 404 for the rest); 409 unless submitted.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/agenda/approve", tag = "agendas", request_body = DecisionInput,
    params(("id" = String, Path)),
    responses((status = 200, body = AgendaStatusView), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn approve(
    state: web::Data<AppState>,
    Staff(user): Staff,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let comment = DecisionInput::read(&body)?;
    let ctx = state.ctx();
    let session_id = id.into_inner();
    let sid = session_id.clone();
    let version = db::run(&state.pool, move |conn| {
        service::approve(conn, &ctx, &user, &sid, comment)
    })
    .await?;
    Ok(HttpResponse::Ok().json(AgendaStatusView {
        session_id,
        status: AgendaStatus::Approved,
        based_on_version: Some(version.number),
        version: Some(version.number),
        comment: version.comment,
    }))
}

/// Sends the submission back with a comment (required); only a rapporteur of the session.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/agenda/request-changes", tag = "agendas", request_body = DecisionInput,
    params(("id" = String, Path)),
    responses((status = 200, body = AgendaStatusView), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn request_changes(
    state: web::Data<AppState>,
    Staff(user): Staff,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let comment = DecisionInput::read(&body)?;
    let ctx = state.ctx();
    let agenda = db::run(&state.pool, move |conn| {
        service::request_changes(conn, &ctx, &user, &id, comment)
    })
    .await?;
    Ok(HttpResponse::Ok().json(AgendaStatusView::of(&agenda)))
}
