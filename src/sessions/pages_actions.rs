//! Staff actions on a session from its hub: publish, and cancel after a confirmation page that
//! asks the reason every delegate and invited person is sent.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::domain::SessionId;
use super::pages_forms::read;
use super::service;
use crate::access::Organiser;
use crate::audit::Actor;
use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::{local_span, render_form, see_other, PageError};
use crate::workspace::flash;

/// Publishes a draft; says how many were sent an invitation.
pub async fn publish(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<SessionId>,
) -> Result<HttpResponse, PageError> {
    let (actor, ctx, sid) = (Actor::User(user.id), state.ctx(), id.into_inner());
    let (start, back) = (ctx.now, format!("/staff/sessions/{sid}"));
    let done = db::run(&state.pool, move |conn| {
        let session = service::publish(conn, &ctx, &actor, &sid)?;
        Ok((session, crate::workspace::service::told_since(conn, start)?))
    })
    .await;
    match done {
        Ok((s, told)) => flash::set(
            &req,
            format!(
                "Published \"{}\"; {} sent an invitation.",
                s.fields.title,
                flash::people(told)
            ),
        ),
        Err(AppError::Conflict(detail, _)) => flash::set(&req, format!("Not published: {detail}.")),
        Err(other) => return Err(other.into()),
    }
    Ok(see_other(&back))
}

async fn confirm_page(
    state: &AppState,
    req: &HttpRequest,
    id: SessionId,
    reason: &str,
    error: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let (session, meeting) =
        db::run(&state.pool, move |conn| service::get(conn, &id, true)).await?;
    let tz = meeting.timezone;
    let values = json!({"s": {"id": session.id, "title": session.fields.title,
        "when": format!("{} ({})", local_span(tz, session.fields.starts_at, session.fields.ends_at), tz.name()),
        "cancelled": session.status.as_str() == "cancelled"},
        "reason": reason, "errors": error.map(|e| json!({"reason": [e]})).unwrap_or(json!({}))});
    let mut page = render_form(req, "sessions/cancel.html", values)?;
    if error.is_some() {
        *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(page)
}

/// Asks for the reason and a confirmation before cancelling.
pub async fn cancel_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    _o: Organiser,
    id: web::Path<SessionId>,
) -> Result<HttpResponse, PageError> {
    confirm_page(&state, &req, id.into_inner(), "", None).await
}

/// Cancels with the reason, once confirmed; says how many were told.
pub async fn cancel(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<SessionId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = read(&body);
    let reason = form
        .get("reason")
        .map(|r| r.trim().to_string())
        .unwrap_or_default();
    let sid = id.into_inner();
    if reason.is_empty() {
        return confirm_page(
            &state,
            &req,
            sid,
            "",
            Some("give the reason delegates will be sent"),
        )
        .await;
    }
    if !form.contains_key("confirm") {
        return confirm_page(
            &state,
            &req,
            sid,
            &reason,
            Some("tick the box to confirm the cancellation"),
        )
        .await;
    }
    let (actor, ctx, back) = (Actor::User(user.id), state.ctx(), sid.clone());
    let (start, sent) = (ctx.now, reason.clone());
    let done = db::run(&state.pool, move |conn| {
        let session = service::cancel(conn, &ctx, &actor, &sid, sent)?;
        Ok((session, crate::workspace::service::told_since(conn, start)?))
    })
    .await;
    match done {
        Ok((s, told)) => {
            let message = format!(
                "Cancelled \"{}\"; {} told, with your reason.",
                s.fields.title,
                flash::people(told)
            );
            flash::set(&req, message);
            Ok(see_other(&format!("/staff/sessions/{back}")))
        }
        Err(AppError::Invalid(errors)) => {
            let message = errors
                .values()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join("; ");
            confirm_page(&state, &req, back, &reason, Some(&message)).await
        }
        Err(AppError::Conflict(detail, _)) => {
            flash::set(&req, format!("Not cancelled: {detail}."));
            Ok(see_other(&format!("/staff/sessions/{back}")))
        }
        Err(other) => Err(other.into()),
    }
}
