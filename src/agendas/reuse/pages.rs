//! Pages for reuse: start an empty agenda from an earlier approved one (a form on the agenda
//! page), and copy a whole session to another meeting.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::service::{self, Source, Target};
use crate::access::{Organiser, User};
use crate::agendas::agenda_page::{form_fields, show_agenda, Redisplay};
use crate::agendas::input;
use crate::audit::Actor;
use crate::db;
use crate::error::AppError;
use crate::input::Check;
use crate::state::AppState;
use crate::web::{local_span, render_form, see_other, PageError};

fn field(fields: &[(String, String)], name: &str) -> Option<String> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// Starts the agenda from the chosen session's latest approved version.
pub async fn start_from(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (fields, id) = (form_fields(&body), id.into_inner());
    let (actor, ctx, sid) = (Actor::User(user.id.clone()), state.ctx(), id.clone());
    let chosen = field(&fields, "source_session_id").filter(|s| !s.trim().is_empty());
    let started = match chosen {
        None => Err(AppError::invalid("source_session_id", "choose a session")),
        Some(source) => {
            let source = Source {
                session_id: source,
                version: None,
            };
            db::run(&state.pool, move |conn| {
                service::start_from(conn, &ctx, &actor, &sid, source)
            })
            .await
        }
    };
    match started {
        Ok(_) => Ok(see_other(&format!("/sessions/{id}/agenda?done=started"))),
        Err(e) => show_agenda(&state, &req, user, id, Redisplay::after(e, &fields)?).await,
    }
}

async fn show_copy(
    state: &AppState,
    req: &HttpRequest,
    user: User,
    id: String,
    redisplay: Redisplay,
) -> Result<HttpResponse, PageError> {
    let (copy, meetings) = db::run(&state.pool, move |conn| {
        let copy = crate::agendas::service::working_copy(conn, &user, &id)?;
        Ok((copy, service::meetings(conn)?))
    })
    .await?;
    let (s, m) = (&copy.session, &copy.meeting);
    let local = s.fields.starts_at.with_timezone(&m.timezone);
    let blank = json!({"meeting_id": m.id, "date": local.format("%Y-%m-%d").to_string(),
        "start": local.format("%H:%M").to_string(), "title": s.fields.title});
    let meetings: Vec<Value> = meetings
        .iter()
        .map(|m| json!({"id": m.id, "title": m.title, "days": format!("{} – {}", m.first_day, m.last_day), "timezone": m.timezone.name()}))
        .collect();
    let values = json!({"s": {"id": s.id, "title": s.fields.title, "when": local_span(m.timezone, s.fields.starts_at, s.fields.ends_at), "timezone": m.timezone.name()},
        "items": copy.items.len(), "meetings": meetings, "form": redisplay.form.unwrap_or(blank),
        "errors": redisplay.errors, "notice": redisplay.notice});
    let mut page = render_form(req, "agendas/copy.html", values)?;
    *page.status_mut() = redisplay.status.unwrap_or(StatusCode::OK);
    Ok(page)
}

/// The form to copy a session to another meeting.
pub async fn copy_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    show_copy(&state, &req, user, id.into_inner(), Redisplay::default()).await
}

/// Reads the copy form: the start is a date and a clock time in the chosen meeting's zone.
fn target(conn: &mut db::Conn, fields: &[(String, String)]) -> Result<Target, AppError> {
    let meeting_id = field(fields, "meeting_id").unwrap_or_default();
    let tz = service::zone_of(conn, &meeting_id)?;
    let mut check = Check::new();
    let starts_at = match field(fields, "date").and_then(|d| input::local_date(&d)) {
        None => {
            check.fail("date", "must be a date such as 2026-03-10");
            None
        }
        Some(day) => {
            let start = field(fields, "start").unwrap_or_default();
            input::local_instant(tz, day, &start)
                .map_err(|message| check.fail("start", message))
                .ok()
        }
    };
    check.finish()?;
    Ok(Target {
        meeting_id,
        starts_at: starts_at.unwrap_or_default(),
        title: service::title(field(fields, "title"))?,
    })
}

/// Copies the session from the form: on to the copy's agenda, or the form again with its errors.
pub async fn copy(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (fields, id) = (form_fields(&body), id.into_inner());
    let (actor, ctx, sid, form) = (
        Actor::User(user.id.clone()),
        state.ctx(),
        id.clone(),
        fields.clone(),
    );
    let copied = db::run(&state.pool, move |conn| {
        let target = target(conn, &form)?;
        service::copy_session(conn, &ctx, &actor, &sid, target)
    })
    .await;
    match copied {
        Ok((session, _)) => Ok(see_other(&format!(
            "/sessions/{}/agenda?done=copied",
            session.id
        ))),
        Err(e) => show_copy(&state, &req, user, id, Redisplay::after(e, &fields)?).await,
    }
}
