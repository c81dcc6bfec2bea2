//! Pages of the approval workflow: organisers submit and withdraw from the agenda page; a
//! rapporteur sees what waits for them and reviews an agenda with the differences since the
//! last approved version highlighted.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::service::{self, Review};
use crate::access::{Organiser, Staff, User};
use crate::agendas::agenda_page::{
    agenda_line, done_of, form_fields, session_line, show_agenda, Redisplay,
};
use crate::agendas::domain::{AgendaStatus, ChangeKind};
use crate::agendas::views;
use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::{local_span, render_form, see_other, Lang, PageError};

async fn after_step(
    state: &AppState,
    req: &HttpRequest,
    user: User,
    id: String,
    done: Result<(), AppError>,
    what: &str,
) -> Result<HttpResponse, PageError> {
    match done {
        Ok(()) => Ok(see_other(&format!("/sessions/{id}/agenda?done={what}"))),
        Err(e) => show_agenda(state, req, user, id, Redisplay::after(e, &[])?).await,
    }
}

/// Submits the agenda to the session's rapporteurs.
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (ctx, caller, sid) = (state.ctx(), user.clone(), id.clone());
    let done = db::run(&state.pool, move |conn| {
        service::submit(conn, &ctx, &caller, &sid).map(|_| ())
    })
    .await;
    after_step(&state, &req, user, id.into_inner(), done, "submitted").await
}

/// Takes a submission back to edit it.
pub async fn withdraw(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (ctx, caller, sid) = (state.ctx(), user.clone(), id.clone());
    let done = db::run(&state.pool, move |conn| {
        service::withdraw(conn, &ctx, &caller, &sid).map(|_| ())
    })
    .await;
    after_step(&state, &req, user, id.into_inner(), done, "withdrawn").await
}

async fn show_review(
    state: &AppState,
    req: &HttpRequest,
    user: User,
    id: String,
    redisplay: Redisplay,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(req);
    let review: Review =
        db::run(&state.pool, move |conn| service::review(conn, &user, &id)).await?;
    let (copy, frame) = (&review.copy, review.copy.frame());
    let removed: Vec<_> = review
        .changes
        .iter()
        .filter(|c| c.change == ChangeKind::Removed)
        .filter_map(|c| {
            c.old
                .as_ref()
                .map(|old| views::line(old, &frame, lang.0, &review.changes))
        })
        .collect();
    let values = json!({
        "s": session_line(copy), "a": agenda_line(copy), "reviewer": copy.reviewer,
        "decide": copy.reviewer && copy.agenda.status == AgendaStatus::Submitted,
        "items": views::lines(&copy.items, &frame, lang.0, &review.changes), "removed": removed,
        "changes": views::describe_all(&review.changes, &frame, lang.0),
        "latest": review.latest.as_ref().map(|v| views::version_line(&v.info, &frame)),
        "form": redisplay.form, "errors": redisplay.errors, "notice": redisplay.notice, "done": done_of(req),
    });
    let mut page = render_form(req, "agendas/review.html", values)?;
    *page.status_mut() = redisplay.status.unwrap_or(StatusCode::OK);
    Ok(page)
}

/// The review page: the agenda with its differences since the last approved version, and the
/// rapporteur's two buttons.
pub async fn review(
    state: web::Data<AppState>,
    req: HttpRequest,
    Staff(user): Staff,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    show_review(&state, &req, user, id.into_inner(), Redisplay::default()).await
}

/// A rapporteur's decision from the review page: approve (comment optional) or request changes
/// (comment required).
pub async fn decide(
    state: web::Data<AppState>,
    req: HttpRequest,
    Staff(user): Staff,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let fields = form_fields(&body);
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let (approve, comment) = match get("action").as_deref() {
        Some("approve") => (true, get("comment")),
        Some("request_changes") => (false, get("comment")),
        _ => return Err(AppError::invalid("action", "must be approve or request_changes").into()),
    };
    let (ctx, caller, sid, id) = (state.ctx(), user.clone(), id.clone(), id.into_inner());
    let decided = db::run(&state.pool, move |conn| match approve {
        true => service::approve(conn, &ctx, &caller, &sid, comment).map(|_| "approved"),
        false => service::request_changes(conn, &ctx, &caller, &sid, comment)
            .map(|_| "changes_requested"),
    })
    .await;
    match decided {
        Ok(done) => Ok(see_other(&format!(
            "/sessions/{id}/agenda/review?done={done}"
        ))),
        Err(e) => show_review(&state, &req, user, id, Redisplay::after(e, &fields)?).await,
    }
}

/// The sessions whose agendas wait for this rapporteur's decision.
pub async fn reviews(
    state: web::Data<AppState>,
    req: HttpRequest,
    Staff(user): Staff,
) -> Result<HttpResponse, PageError> {
    let waiting = db::run(&state.pool, move |conn| service::waiting_for(conn, &user)).await?;
    let sessions: Vec<_> = waiting
        .iter()
        .map(|(s, m)| {
            json!({"id": s.id, "title": s.fields.title, "meeting": m.title, "timezone": m.timezone.name(),
                "when": local_span(m.timezone, s.fields.starts_at, s.fields.ends_at)})
        })
        .collect();
    Ok(render_form(
        &req,
        "agendas/reviews.html",
        json!({"sessions": sessions}),
    )?)
}
