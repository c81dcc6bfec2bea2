//! Staff pages to create and edit a meeting: a plain form that comes back with its errors beside
//! the fields and what was typed, and a flash message after the change.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde_json::{json, Value};

use super::domain::{Meeting, MeetingId, MeetingInput};
use super::service;
use crate::access::Organiser;
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, FieldErrors};
use crate::input::Field;
use crate::state::AppState;
use crate::web::{render_form, see_other, PageError};

type Form = BTreeMap<String, String>;

fn read(body: &[u8]) -> Form {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn text(form: &Form, name: &str) -> Field<String> {
    form.get(name)
        .map_or(Field::Missing, |v| Field::Value(v.clone()))
}

fn day(form: &Form, name: &str) -> Field<NaiveDate> {
    match form.get(name).map(|v| v.trim()) {
        None | Some("") => Field::Missing,
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d").map_or_else(
            |_| Field::Invalid("must be a date like 2026-03-09".into()),
            Field::Value,
        ),
    }
}

fn input(form: &Form) -> MeetingInput {
    let study_group = match form.get("study_group").map(|v| v.trim()) {
        None | Some("") => Field::Missing,
        Some(v) => v.parse().map_or_else(
            |_| Field::Invalid("must be a whole number".into()),
            Field::Value,
        ),
    };
    MeetingInput {
        kind: text(form, "kind"),
        study_group,
        question: text(form, "question"),
        title: text(form, "title"),
        venue: text(form, "venue"),
        timezone: text(form, "timezone"),
        first_day: day(form, "first_day"),
        last_day: day(form, "last_day"),
    }
}

fn typed(m: &Meeting) -> Form {
    [
        ("kind", m.kind.as_str().to_string()),
        ("study_group", m.study_group.to_string()),
        ("question", m.question.clone()),
        ("title", m.title.clone()),
        ("venue", m.venue.clone()),
        ("timezone", m.timezone.name().to_string()),
        ("first_day", m.first_day.to_string()),
        ("last_day", m.last_day.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn page(
    req: &HttpRequest,
    action: &str,
    editing: Option<&str>,
    form: &Form,
    errors: Option<FieldErrors>,
) -> Result<HttpResponse, PageError> {
    let zones: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect();
    let kinds = [
        ("study_group", "Study Group plenary"),
        ("rapporteur_group", "Rapporteur Group meeting"),
    ];
    let values = json!({"action": action, "editing": editing, "form": form, "zones": zones,
        "kinds": kinds.iter().map(|(v, l)| json!({"value": v, "label": l})).collect::<Vec<Value>>(),
        "errors": errors.clone().unwrap_or_default()});
    let mut response = render_form(req, "meetings/form.html", values)?;
    if errors.is_some() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// The form for a new meeting.
pub async fn new_form(req: HttpRequest, _o: Organiser) -> Result<HttpResponse, PageError> {
    let mut form = Form::new();
    form.insert("study_group".into(), "1".into());
    form.insert("question".into(), "22-1/1".into());
    form.insert("timezone".into(), "Europe/Zurich".into());
    page(&req, "/staff/meetings", None, &form, None)
}

/// Creates the meeting and goes to its page; a refused form comes back with its errors.
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = read(&body);
    let (actor, ctx, sent) = (Actor::User(user.id), state.ctx(), input(&form));
    match db::run(&state.pool, move |conn| {
        service::create(conn, &ctx, &actor, sent)
    })
    .await
    {
        Ok(m) => {
            crate::workspace::flash::set(
                &req,
                format!("Meeting \"{}\" created. Nothing was sent.", m.title),
            );
            Ok(see_other(&format!("/staff/meetings/{}", m.id)))
        }
        Err(AppError::Invalid(errors)) => page(&req, "/staff/meetings", None, &form, Some(errors)),
        Err(other) => Err(other.into()),
    }
}

/// The form to change a meeting, filled with its fields.
pub async fn edit_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    _o: Organiser,
    id: web::Path<MeetingId>,
) -> Result<HttpResponse, PageError> {
    let meeting = db::run(&state.pool, move |conn| {
        crate::meetings::store::find(conn, &id)?.ok_or(AppError::NotFound)
    })
    .await?;
    let action = format!("/staff/meetings/{}/edit", meeting.id);
    page(
        &req,
        &action,
        Some(meeting.id.as_str()),
        &typed(&meeting),
        None,
    )
}

/// Saves a meeting's changes; a refused form comes back with its errors.
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<MeetingId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = read(&body);
    let id = id.into_inner();
    let action = format!("/staff/meetings/{id}/edit");
    let (actor, ctx, sent, mid) = (Actor::User(user.id), state.ctx(), input(&form), id.clone());
    match db::run(&state.pool, move |conn| {
        service::update(conn, &ctx, &actor, &mid, sent)
    })
    .await
    {
        Ok(m) => {
            crate::workspace::flash::set(
                &req,
                format!("Meeting \"{}\" saved. Nothing was sent.", m.title),
            );
            Ok(see_other(&format!("/staff/meetings/{}", m.id)))
        }
        Err(AppError::Invalid(errors)) => {
            page(&req, &action, Some(id.as_str()), &form, Some(errors))
        }
        Err(other) => Err(other.into()),
    }
}
