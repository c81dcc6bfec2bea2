//! Public HTML: the registration form, the confirmation and the delegate's page.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::domain::{Category, Status};
use super::input::{RegistrationInput, FORM_FIELDS};
use super::intake;
use super::service;
use super::views::{form_pairs, registration_values, render_page, SessionLine};
use crate::db;
use crate::effects::Ctx;
use crate::error::{AppError, FieldErrors};
use crate::sessions::domain::SessionStatus;
use crate::state::AppState;
use crate::web::{Lang, PageError};

fn form_context(
    conn: &mut db::Conn,
    ctx: &Ctx,
    id: &str,
    values: Value,
    (errors, notice): (&FieldErrors, Option<String>),
) -> Result<Value, AppError> {
    let (session, meeting) = service::session_and_meeting(conn, id)?;
    if session.status == SessionStatus::Draft {
        return Err(AppError::NotFound);
    }
    let open = service::open_session(conn, ctx, id).is_ok();
    let place = crate::holds::service::place(conn, &session, &meeting)?.in_person();
    let countries: Vec<Value> = crate::countries::store::all(conn)?
        .into_iter()
        .map(|c| json!({"code": c.alpha2, "name": c.name}))
        .collect();
    let categories: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    // Every field is present for the template, so comparisons never meet an undefined value.
    let mut v: serde_json::Map<String, Value> = FORM_FIELDS
        .iter()
        .map(|f| (f.to_string(), json!("")))
        .collect();
    if let Value::Object(given) = values {
        v.extend(given);
    }
    Ok(json!({
        "s": SessionLine::of(&session, &meeting).at(place), "open": open, "notice": notice,
        "remote": session.fields.remote_capacity > 0, "v": v, "errors": errors,
        "countries": countries, "categories": categories,
        "genders": super::domain::Gender::ALL.iter().map(|g| g.as_str()).collect::<Vec<_>>(),
    }))
}

/// The registration form of a session.
pub async fn register_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (values, ctx) = (json!({"attendance": "in_person"}), state.ctx());
    let context = db::run(&state.pool, move |conn| {
        form_context(conn, &ctx, &id, values, (&FieldErrors::new(), None))
    })
    .await?;
    Ok(render_page(&req, "registrations/form.html", context)?)
}

/// Registers from the form: the confirmation page, or the form again with its errors.
pub async fn register_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    crate::security::limits::check(
        &state,
        "registration",
        &crate::security::limits::address(&req),
    )
    .await?;
    let form: BTreeMap<String, String> = form_pairs(&body).into_iter().collect();
    let (ctx, lang) = (state.ctx(), Lang::of(&req));
    let input = RegistrationInput::from_form(&form);
    let result = intake::register_grouped(&state, ctx.clone(), id.clone(), input, lang.0).await;
    let (errors, notice, status) = match result {
        Ok(placed) => {
            let context = json!({"status": placed.registration.status, "position": placed.position,
                "again": !placed.created, "session_id": placed.registration.session_id});
            return Ok(render_page(&req, "registrations/done.html", context)?);
        }
        Err(AppError::Invalid(errors)) => (errors, None, StatusCode::UNPROCESSABLE_ENTITY),
        Err(AppError::Conflict(detail, _)) => {
            (FieldErrors::new(), Some(detail), StatusCode::CONFLICT)
        }
        Err(other) => return Err(other.into()),
    };
    let values = json!(form);
    let context = db::run(&state.pool, move |conn| {
        form_context(conn, &ctx, &id, values, (&errors, notice))
    })
    .await?;
    let mut response = render_page(&req, "registrations/form.html", context)?;
    *response.status_mut() = status;
    Ok(response)
}

async fn delegate_page(
    state: &AppState,
    req: &HttpRequest,
    token: String,
    notice: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let (token2, ctx) = (token.clone(), state.ctx());
    let (placed, line) = db::run(&state.pool, move |conn| {
        let (placed, session, meeting) = service::by_token(conn, &ctx, &token2)?;
        let place = crate::holds::service::place(conn, &session, &meeting)?.in_person();
        Ok((placed, SessionLine::of(&session, &meeting).at(place)))
    })
    .await?;
    let r = &placed.registration;
    let context = json!({
        "s": line, "r": registration_values(r, placed.position),
        "token": token, "notice": notice,
        "directory": r.status == Status::Confirmed && r.delegate.consent_directory,
    });
    Ok(render_page(req, "registrations/show.html", context)?)
}

/// The delegate's page behind their secret link.
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    delegate_page(&state, &req, token.into_inner(), None).await
}

/// The delegate cancels from their page.
pub async fn cancel(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (ctx, token) = (state.ctx(), token.into_inner());
    let token2 = token.clone();
    db::run(&state.pool, move |conn| {
        service::cancel(conn, &ctx, &token2)
    })
    .await?;
    delegate_page(&state, &req, token, Some("cancelled")).await
}
