//! HTML for decisions: a focal point's decision page from their emailed link, and the bulk form
//! of the registrations list (with the preview of a bulk email).

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::bulk::{form_text, Action, BulkInput};
use super::service as decide;
use crate::access::{Staff, User};
use crate::db;
use crate::error::AppError;
use crate::input::Field;
use crate::registrations::domain::RegistrationId;
use crate::registrations::notices::Draft;
use crate::registrations::service::session_and_meeting;
use crate::registrations::views::{form_pairs, registration_values, render_page, SessionLine};
use crate::state::AppState;
use crate::web::PageError;

/// A focal point's decision page, from the link in their email.
pub async fn decision(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (token, ctx) = (token.into_inner(), state.ctx());
    let token2 = token.clone();
    let (_, r, session, meeting) = db::run(&state.pool, move |conn| {
        decide::by_decision_token(conn, &ctx, &token2)
    })
    .await?;
    let context = json!({"s": SessionLine::of(&session, &meeting), "r": registration_values(&r, None), "token": token, "done": false});
    Ok(render_page(&req, "registrations/decide.html", context)?)
}

/// The focal point approves or rejects from their link.
pub async fn decide_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    crate::security::limits::check(
        &state,
        "registration",
        &crate::security::limits::address(&req),
    )
    .await?;
    let form: BTreeMap<String, String> = form_pairs(&body).into_iter().collect();
    let approve = match form.get("action").map(String::as_str) {
        Some("approve") => true,
        Some("reject") => false,
        _ => return Err(AppError::invalid("action", "must be approve or reject").into()),
    };
    let comment = form
        .get("comment")
        .map(|c| c.trim().chars().take(2000).collect::<String>());
    let ctx = state.ctx();
    let r = db::run(&state.pool, move |conn| {
        decide::decide_by_token(conn, &ctx, &token, (approve, comment))
    })
    .await?;
    let context = json!({"r": registration_values(&r, None), "done": true});
    Ok(render_page(&req, "registrations/decide.html", context)?)
}

/// The bulk form as sent: the ticked ids apart, every other field by name.
fn bulk_input(body: &[u8]) -> (BulkInput, bool) {
    let pairs = form_pairs(body);
    let ids: Vec<RegistrationId> = pairs
        .iter()
        .filter(|(k, _)| k == "ids")
        .map(|(_, v)| RegistrationId::from(v.as_str()))
        .collect();
    let form: BTreeMap<String, String> = pairs.into_iter().filter(|(k, _)| k != "ids").collect();
    let input = BulkInput {
        action: form_text(form.get("action")),
        ids: Field::Value(ids),
        subject: form_text(form.get("subject")),
        message: form_text(form.get("message")),
        comment: form_text(form.get("comment")),
        // An unticked checkbox is not sent: no greeting.
        greeting: Field::Value(form.contains_key("greeting")),
    };
    (input, form.contains_key("preview"))
}

/// The bulk form: confirm, reject or email the ticked registrations, then back to the list; an
/// email asked to be previewed shows the preview page first.
pub async fn bulk(
    state: web::Data<AppState>,
    req: HttpRequest,
    Staff(user): Staff,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (input, preview) = bulk_input(&body);
    let action = Action::read(input, &user)?;
    let id = id.into_inner();
    match (preview, &action) {
        (true, Action::Email(ids, draft)) => {
            let email = (ids.clone(), draft.clone());
            return preview_page(&state, &req, user, id, email).await;
        }
        // A preview never applies a decision.
        (true, _) => return Err(AppError::invalid("action", "only an email has a preview").into()),
        (false, _) => {}
    }
    let (ctx, session_id) = (state.ctx(), id.clone());
    let count = db::run(&state.pool, move |conn| action.run(conn, &ctx, user, &id)).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/sessions/{session_id}/registrations?done={count}"),
        ))
        .finish())
}

/// The bulk email as the first ticked delegate would receive it, with the form to change the
/// subject, the message or the greeting, preview again, or send.
async fn preview_page(
    state: &AppState,
    req: &HttpRequest,
    organiser: User,
    session_id: String,
    (ids, draft): (Vec<RegistrationId>, Draft),
) -> Result<HttpResponse, PageError> {
    let (ctx, reply_to) = (state.ctx(), organiser.email.clone());
    let form = json!({"ids": ids, "subject": draft.subject, "message": draft.message,
        "greeting": draft.greeting});
    let (mail, first, count, line) = db::run(&state.pool, move |conn| {
        let (mail, first, count) =
            decide::preview(conn, &ctx, &organiser, (&session_id, &ids), &draft)?;
        let (session, meeting) = session_and_meeting(conn, &session_id)?;
        Ok((mail, first, count, SessionLine::of(&session, &meeting)))
    })
    .await?;
    let context = json!({
        "s": line, "count": count, "reply_to": reply_to, "draft": form,
        "to": {"name": first.delegate.name, "email": first.delegate.email},
        "mail": {"subject": mail.subject, "text": mail.text},
    });
    Ok(render_page(req, "registrations/bulk_email.html", context)?)
}
