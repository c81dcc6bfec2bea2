//! JSON handlers for registrations.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::input::RegistrationInput;
use super::intake;
use super::service;
use super::views::{PlacedView, RegistrationView};
use crate::access::Organiser;
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, Problem};
use crate::state::AppState;
use crate::web::Lang;

/// Registers a delegate for a session while registration is open.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/registrations", tag = "registrations", request_body = RegistrationInput, params(("id" = String, Path)),
    responses((status = 201, body = PlacedView), (status = 200, description = "This email had registered already", body = PlacedView),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Json<RegistrationInput>,
) -> Result<HttpResponse, AppError> {
    crate::security::limits::check(
        &state,
        "registration",
        &crate::security::limits::address(&req),
    )
    .await?;
    let (ctx, lang) = (state.ctx(), Lang::of(&req).0);
    let placed =
        intake::register_grouped(&state, ctx, id.into_inner(), body.into_inner(), lang).await?;
    let status = if placed.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(HttpResponse::build(status).json(PlacedView::of(&placed.registration, placed.position)))
}

/// The delegate's own registration, through their secret link.
#[utoipa::path(get, path = "/api/v1/registrations/{token}", tag = "registrations", params(("token" = String, Path)),
    responses((status = 200, body = RegistrationView), (status = 404, body = Problem)))]
pub async fn mine(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ctx = state.ctx();
    let (placed, _, _) = db::run(&state.pool, move |conn| {
        service::by_token(conn, &ctx, &token)
    })
    .await?;
    Ok(HttpResponse::Ok().json(RegistrationView::of(
        &placed.registration,
        placed.position,
        false,
    )))
}

/// The delegate cancels; the first waiting person is promoted.
#[utoipa::path(post, path = "/api/v1/registrations/{token}/cancel", tag = "registrations", params(("token" = String, Path)),
    responses((status = 200, body = RegistrationView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn cancel(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ctx = state.ctx();
    let registration =
        db::run(&state.pool, move |conn| service::cancel(conn, &ctx, &token)).await?;
    Ok(HttpResponse::Ok().json(RegistrationView::of(&registration, None, false)))
}

/// Emails the delegate a fresh link to their registration; the earlier links stop working.
#[utoipa::path(post, path = "/api/v1/registrations/{id}/resend-link", tag = "registrations", params(("id" = String, Path)),
    responses((status = 200, body = RegistrationView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn resend_link(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (ctx, actor) = (state.ctx(), Actor::User(user.id));
    let registration = db::run(&state.pool, move |conn| {
        service::resend_link(conn, &ctx, &actor, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(RegistrationView::of(&registration, None, true)))
}
