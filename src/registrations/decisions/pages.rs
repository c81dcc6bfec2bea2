//! HTML for organisers and focal points: registrations with filters and bulk actions, statistics,
//! and the participants' directory.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::api::BulkInput;
use super::bulk::Action;
use super::service as decide;
use crate::access::Staff;
use crate::db;
use crate::error::AppError;
use crate::input::Field;
use crate::registrations::pages::{form_pairs, registration_values, render_page, SessionLine};
use crate::state::AppState;
use crate::web::PageError;

/// A focal point's decision page, from the link in their email.
pub async fn decision(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let token2 = token.clone();
    let (_, r, session, meeting) = db::run(&state.pool, move |conn| {
        decide::by_decision_token(conn, &token2)
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
    let settings = state.settings.clone();
    let r = db::run(&state.pool, move |conn| {
        decide::decide_by_token(conn, &settings, &token, approve, comment)
    })
    .await?;
    let context = json!({"r": registration_values(&r, None), "done": true});
    Ok(render_page(&req, "registrations/decide.html", context)?)
}

/// The bulk form: confirm, reject or email the ticked registrations, then back to the list.
pub async fn bulk(
    state: web::Data<AppState>,
    Staff(user): Staff,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let pairs = form_pairs(&body);
    let ids: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "ids")
        .map(|(_, v)| v.clone())
        .collect();
    let form: BTreeMap<String, String> = pairs.into_iter().filter(|(k, _)| k != "ids").collect();
    let text = |name: &str| {
        form.get(name)
            .cloned()
            .filter(|v| !v.trim().is_empty())
            .map_or(Field::Missing, Field::Value)
    };
    let input = BulkInput {
        action: text("action"),
        ids: Field::Value(ids),
        subject: text("subject"),
        message: text("message"),
        comment: text("comment"),
    };
    let action = Action::read(input, &user)?;
    let (settings, id) = (state.settings.clone(), id.into_inner());
    let session_id = id.clone();
    let count = db::run(&state.pool, move |conn| {
        action.run(conn, &settings, user, &id)
    })
    .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/sessions/{session_id}/registrations?done={count}"),
        ))
        .finish())
}
