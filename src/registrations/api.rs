//! JSON handlers for registrations.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::decide::{self, Decider};
use super::input::RegistrationInput;
use super::reports;
use super::service;
use super::stats::Stats;
use super::views::{ListQuery, PlacedView, RegistrationView};
use crate::app::AppState;
use crate::audit::Actor;
use crate::auth::{Organiser, Staff};
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{Check, Field, ListOf, Paging};
use crate::web::Lang;

/// An optional comment on a decision.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub comment: Field<String>,
}

/// A bulk action on registrations of one session.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkInput {
    /// confirm (approve pending), reject, or email.
    #[serde(default)]
    #[schema(value_type = String)]
    pub action: Field<String>,
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub ids: Field<Vec<String>>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub subject: Field<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub message: Field<String>,
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

/// Registers a delegate for a session while registration is open.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/registrations", tag = "registrations", request_body = RegistrationInput, params(("id" = String, Path)),
    responses((status = 201, body = PlacedView), (status = 200, description = "This email had registered already", body = PlacedView),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/api/v1/sessions/{id}/registrations")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Json<RegistrationInput>,
) -> Result<HttpResponse, AppError> {
    crate::auth::limits::check(&state, "registration", &crate::auth::limits::address(&req)).await?;
    let (settings, lang) = (state.settings.clone(), Lang::of(&req).0);
    let placed = db::run(&state.pool, move |conn| {
        service::register(conn, &settings, &id, body.into_inner(), lang)
    })
    .await?;
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
#[get("/api/v1/registrations/{token}")]
pub async fn mine(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (placed, _, _) = db::run(&state.pool, move |conn| service::by_token(conn, &token)).await?;
    Ok(HttpResponse::Ok().json(RegistrationView::of(
        &placed.registration,
        placed.position,
        false,
    )))
}

/// The delegate cancels; the first waiting person is promoted.
#[utoipa::path(post, path = "/api/v1/registrations/{token}/cancel", tag = "registrations", params(("token" = String, Path)),
    responses((status = 200, body = RegistrationView), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/api/v1/registrations/{token}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let settings = state.settings.clone();
    let registration = db::run(&state.pool, move |conn| {
        service::cancel(conn, &settings, &token)
    })
    .await?;
    Ok(HttpResponse::Ok().json(RegistrationView::of(&registration, None, false)))
}

/// A session's registrations: organisers see all, focal points those in their scope.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/registrations", tag = "registrations", params(("id" = String, Path), Paging, ListQuery),
    responses((status = 200, body = ListOf<RegistrationView>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/api/v1/sessions/{id}/registrations")]
pub async fn list(
    state: web::Data<AppState>,
    Staff(user): Staff,
    id: web::Path<String>,
    paging: web::Query<Paging>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let (filter, bounds, organiser) = (query.filter()?, paging.checked()?, user.is_organiser());
    let page = db::run(&state.pool, move |conn| {
        reports::list(conn, &user, &id, filter, bounds)
    })
    .await?;
    let items = page
        .items
        .iter()
        .map(|r| RegistrationView::of(r, page.positions.get(&r.id).copied(), organiser))
        .collect();
    Ok(HttpResponse::Ok().json(ListOf {
        items,
        total: page.total,
    }))
}

/// The same list as CSV, every matching registration, passport details included.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/registrations.csv", tag = "registrations", params(("id" = String, Path), ListQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/api/v1/sessions/{id}/registrations.csv")]
pub async fn csv(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = query.filter()?;
    let name = format!("registrations-{id}.csv");
    let page = db::run(&state.pool, move |conn| {
        reports::list(conn, &user, &id, filter, (i64::MAX, 0))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(reports::csv(&page.items, &page.positions)))
}

/// Counts by stakeholder category × country group (in person, remote) and by status.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/registrations/stats", tag = "registrations", params(("id" = String, Path)),
    responses((status = 200, body = Stats), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/api/v1/sessions/{id}/registrations/stats")]
pub async fn stats(
    state: web::Data<AppState>,
    _organiser: Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (_, _, numbers) = db::run(&state.pool, move |conn| reports::stats(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(numbers))
}

async fn decide_one(
    state: web::Data<AppState>,
    user: crate::auth::User,
    id: String,
    body: DecisionInput,
    approving: bool,
) -> Result<HttpResponse, AppError> {
    let (settings, comment) = (state.settings.clone(), comment(body.comment)?);
    let mut decided = db::run(&state.pool, move |conn| {
        decide::decide(
            conn,
            &settings,
            &Decider::account(user),
            None,
            &[id],
            approving,
            comment,
        )
    })
    .await?;
    let registration = decided.pop().ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(RegistrationView::of(&registration, None, false)))
}

/// Emails the delegate a fresh link to their registration; the earlier links stop working.
#[utoipa::path(post, path = "/api/v1/registrations/{id}/resend-link", tag = "registrations", params(("id" = String, Path)),
    responses((status = 200, body = RegistrationView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[post("/api/v1/registrations/{id}/resend-link")]
pub async fn resend_link(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (settings, actor) = (state.settings.clone(), Actor::User(user.id));
    let registration = db::run(&state.pool, move |conn| {
        service::resend_link(conn, &settings, &actor, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(RegistrationView::of(&registration, None, true)))
}

/// Approves a pending registration (focal point in scope, or organiser).
#[utoipa::path(post, path = "/api/v1/registrations/{id}/approve", tag = "registrations", request_body = DecisionInput, params(("id" = String, Path)),
    responses((status = 200, body = RegistrationView), (status = 404, description = "Unknown, or outside the caller's scope", body = Problem), (status = 409, body = Problem)))]
#[post("/api/v1/registrations/{id}/approve")]
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
#[post("/api/v1/registrations/{id}/reject")]
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
#[post("/api/v1/sessions/{id}/registrations/bulk")]
pub async fn bulk(
    state: web::Data<AppState>,
    Staff(user): Staff,
    id: web::Path<String>,
    body: web::Json<BulkInput>,
) -> Result<HttpResponse, AppError> {
    let action = super::bulk::Action::read(body.into_inner(), &user)?;
    let settings = state.settings.clone();
    let count = db::run(&state.pool, move |conn| {
        action.run(conn, &settings, user, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "count": count })))
}
