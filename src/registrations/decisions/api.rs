//! JSON handlers for registrations.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::bulk::{Action, BulkInput};
use super::service::{self as decide, Decider};
use crate::access::Staff;
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{Check, Field};
use crate::registrations::domain::RegistrationId;
use crate::registrations::views::RegistrationView;
use crate::state::AppState;

/// An optional comment on a decision.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub comment: Field<String>,
}

fn comment(value: Field<String>) -> Result<Option<String>, AppError> {
    let mut check = Check::new();
    let comment = check
        .optional("comment", value)
        .map(|c| c.trim().to_string());
    if comment.as_ref().is_some_and(|c| c.chars().count() > 2000) {
        check.fail("comment", "must be at most 2000 characters");
    }
    check.finish()?;
    Ok(comment)
}

async fn decide_one(
    state: web::Data<AppState>,
    user: crate::access::User,
    id: String,
    body: DecisionInput,
    approving: bool,
) -> Result<HttpResponse, AppError> {
    let (ctx, comment) = (state.ctx(), comment(body.comment)?);
    let ids = [RegistrationId::from(id)];
    let mut decided = db::run(&state.pool, move |conn| {
        let decider = Decider::account(user);
        decide::decide(conn, &ctx, &decider, None, &ids, (approving, comment))
    })
    .await?;
    let registration = decided.pop().ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(RegistrationView::of(&registration, None, false)))
}

/// Approves a pending registration (focal point in scope, or organiser).
#[utoipa::path(post, path = "/api/v1/registrations/{id}/approve", tag = "registrations", request_body = DecisionInput, params(("id" = String, Path)),
    responses((status = 200, body = RegistrationView), (status = 404, description = "Unknown, or outside the caller's scope", body = Problem), (status = 409, body = Problem)))]
pub async fn approve(
    state: web::Data<AppState>,
    Staff(user): Staff,
    id: web::Path<String>,
    body: Option<web::Json<DecisionInput>>,
) -> Result<HttpResponse, AppError> {
    let body = body.map(web::Json::into_inner).unwrap_or_default();
    decide_one(state, user, id.into_inner(), body, true).await
}

/// Rejects a registration (focal point in scope, or organiser); a held seat goes to the next waiting.
#[utoipa::path(post, path = "/api/v1/registrations/{id}/reject", tag = "registrations", request_body = DecisionInput, params(("id" = String, Path)),
    responses((status = 200, body = RegistrationView), (status = 404, description = "Unknown, or outside the caller's scope", body = Problem), (status = 409, body = Problem)))]
pub async fn reject(
    state: web::Data<AppState>,
    Staff(user): Staff,
    id: web::Path<String>,
    body: Option<web::Json<DecisionInput>>,
) -> Result<HttpResponse, AppError> {
    let body = body.map(web::Json::into_inner).unwrap_or_default();
    decide_one(state, user, id.into_inner(), body, false).await
}

/// Confirms, rejects or emails many registrations of a session; an id outside the caller's
/// scope answers 404 and changes nothing.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/registrations/bulk", tag = "registrations", request_body = BulkInput, params(("id" = String, Path)),
    responses((status = 200, description = "{count}"), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn bulk(
    state: web::Data<AppState>,
    Staff(user): Staff,
    id: web::Path<String>,
    body: web::Json<BulkInput>,
) -> Result<HttpResponse, AppError> {
    let action = Action::read(body.into_inner(), &user)?;
    let ctx = state.ctx();
    let count = db::run(&state.pool, move |conn| action.run(conn, &ctx, user, &id)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "count": count })))
}
