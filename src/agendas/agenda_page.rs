//! The agenda page of a session, rendered for the editing, review and reuse handlers alike: the
//! working copy, the versions, the sources to start from, and a form being corrected.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use chrono::Duration;
use serde_json::{json, Value};

use super::domain::{AgendaStatus, ItemKind};
use super::service::{self, WorkingCopy};
use super::views;
use crate::access::User;
use crate::db;
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use crate::web::{local_span, render_form, Lang, PageError};

/// The fields of an urlencoded form, in order.
pub fn form_fields(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// What a page shows besides the agenda: a form being corrected, its errors, a notice.
#[derive(Debug, Default)]
pub struct Redisplay {
    pub form: Option<Value>,
    pub errors: FieldErrors,
    pub notice: Option<String>,
    pub status: Option<StatusCode>,
}

impl Redisplay {
    /// The page again after a refused post: 422 with the errors, 409 with the conflict; any
    /// other error is answered as an error page.
    pub fn after(error: AppError, fields: &[(String, String)]) -> Result<Redisplay, PageError> {
        let form =
            (!fields.is_empty()).then(|| json!(fields.iter().cloned().collect::<BTreeMap<_, _>>()));
        match error {
            AppError::Invalid(errors) => Ok(Redisplay {
                form,
                errors: on_form_fields(errors),
                notice: None,
                status: Some(StatusCode::UNPROCESSABLE_ENTITY),
            }),
            AppError::Conflict(detail, _) => Ok(Redisplay {
                form,
                errors: FieldErrors::new(),
                notice: Some(detail),
                status: Some(StatusCode::CONFLICT),
            }),
            other => Err(other.into()),
        }
    }
}

/// The rules name instants as the API does; a form has a start and an end clock time.
fn on_form_fields(errors: FieldErrors) -> FieldErrors {
    let mut renamed = FieldErrors::new();
    for (field, messages) in errors {
        let name = match field.as_str() {
            "starts_at" => "start".to_string(),
            "ends_at" => "end".to_string(),
            _ => field,
        };
        renamed.entry(name).or_default().extend(messages);
    }
    renamed
}

/// The facts of a session every agenda page shows.
pub fn session_line(copy: &WorkingCopy) -> Value {
    let (s, tz) = (&copy.session, copy.meeting.timezone);
    json!({"id": s.id, "title": s.fields.title, "when": local_span(tz, s.fields.starts_at, s.fields.ends_at),
        "timezone": tz.name(), "meeting": copy.meeting.title, "public": s.is_public()})
}

/// The agenda's state as every agenda page shows it.
pub fn agenda_line(copy: &WorkingCopy) -> Value {
    let a = &copy.agenda;
    json!({"status": a.status, "based_on_version": a.based_on_version, "comment": a.comment,
        "editable": copy.editor && a.status != AgendaStatus::Submitted,
        "submittable": copy.editor && matches!(a.status, AgendaStatus::Draft | AgendaStatus::ChangesRequested),
        "withdrawable": copy.editor && a.status == AgendaStatus::Submitted})
}

/// The values of the add form: after the last item (or at the session's start), 30 minutes.
fn blank_form(copy: &WorkingCopy) -> Value {
    let frame = copy.frame();
    let start = copy.items.last().map_or(frame.starts_at, |i| i.ends_at);
    let end = (start + Duration::minutes(30)).min(frame.ends_at);
    let local = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&frame.tz);
    json!({"kind": "expert_presentation", "title": "", "description": "",
        "date": local(start).format("%Y-%m-%d").to_string(),
        "start": local(start).format("%H:%M").to_string(), "end": local(end).format("%H:%M").to_string()})
}

/// Every item kind with its words, for the forms' choices.
pub fn kinds(lang: Lang) -> Vec<Value> {
    ItemKind::ALL
        .iter()
        .map(|k| json!({"value": k.as_str(), "label": views::kind_label(*k, lang.0)}))
        .collect()
}

/// What a post just did, told on the page it leads back to (`?done=submitted`).
const DONE: [&str; 6] = [
    "submitted",
    "withdrawn",
    "approved",
    "changes_requested",
    "started",
    "copied",
];

/// The known `?done=` of a page's address.
pub fn done_of(req: &HttpRequest) -> Option<&'static str> {
    let (_, done) =
        url::form_urlencoded::parse(req.query_string().as_bytes()).find(|(k, _)| k == "done")?;
    DONE.iter().find(|d| **d == done).copied()
}

/// Renders the agenda page of a session for this caller, with a form being corrected if any.
pub async fn show_agenda(
    state: &AppState,
    req: &HttpRequest,
    user: User,
    id: String,
    redisplay: Redisplay,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(req);
    let service::AgendaPage {
        copy,
        versions,
        sources,
    } = db::run(&state.pool, move |conn| {
        service::agenda_page(conn, &user, &id)
    })
    .await?;
    let frame = copy.frame();
    let sources: Vec<Value> = sources
        .iter()
        .filter(|(s, _)| s.id != copy.session.id)
        .map(|(s, n)| json!({"id": s.id, "title": s.fields.title, "day": s.fields.starts_at.with_timezone(&frame.tz).format("%Y-%m-%d").to_string(), "version": n}))
        .collect();
    let values = json!({
        "s": session_line(&copy), "a": agenda_line(&copy), "editor": copy.editor, "reviewer": copy.reviewer,
        "items": views::lines(&copy.items, &frame, lang.0, &[]), "kinds": kinds(lang),
        "versions": versions.iter().map(|v| views::version_line(v, &frame)).collect::<Vec<_>>(),
        "sources": sources, "form": redisplay.form.unwrap_or_else(|| blank_form(&copy)),
        "errors": redisplay.errors, "notice": redisplay.notice, "done": done_of(req),
    });
    let mut page = render_form(req, "agendas/agenda.html", values)?;
    *page.status_mut() = redisplay.status.unwrap_or(StatusCode::OK);
    Ok(page)
}
