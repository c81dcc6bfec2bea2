//! Staff pages to create, edit and move a session: times typed in the meeting's zone, a form
//! that comes back with its errors beside the fields and what was typed, a flash message after.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use serde_json::json;

use super::domain::{Session, SessionId};
use super::input::SessionInput;
use super::service;
use crate::access::Organiser;
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, FieldErrors};
use crate::input::Field;
use crate::meetings::domain::{Meeting, MeetingId};
use crate::state::AppState;
use crate::web::{render_form, see_other, PageError};

/// The fields of a form, by name.
pub type Form = BTreeMap<String, String>;

/// Reads an urlencoded form.
pub fn read(body: &[u8]) -> Form {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn value(form: &Form, name: &str) -> Option<String> {
    form.get(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// A date and time typed in the meeting's zone, as an instant with its offset.
fn local(
    tz: Tz,
    date: Option<String>,
    time: Option<String>,
) -> Result<Option<DateTime<FixedOffset>>, String> {
    let (Some(date), Some(time)) = (date, time) else {
        return Ok(None);
    };
    let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
        .map_err(|_| "the date must look like 2026-03-10".to_string())?;
    let time = NaiveTime::parse_from_str(&time, "%H:%M")
        .map_err(|_| "the time must look like 14:30".to_string())?;
    tz.from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|t| Some(t.fixed_offset()))
        .ok_or_else(|| {
            format!(
                "this time does not exist in {} (the clocks go forward)",
                tz.name()
            )
        })
}

fn number(form: &Form, name: &str, errors: &mut FieldErrors) -> Field<i64> {
    match value(form, name) {
        None => Field::Missing,
        Some(v) => v.parse().map_or_else(
            |_| {
                errors.insert(name.into(), vec!["must be a whole number".into()]);
                Field::Missing
            },
            Field::Value,
        ),
    }
}

/// The input the form describes, and the errors of its own (dates and numbers it could not read).
fn input(form: &Form, tz: Tz, creating: bool) -> (SessionInput, FieldErrors) {
    let mut errors = FieldErrors::new();
    let mut at =
        |field: &str, date: &str, time: &str| match local(tz, value(form, date), value(form, time))
        {
            Ok(Some(t)) => Field::Value(t),
            Ok(None) if creating => Field::Missing,
            Ok(None) => Field::Null,
            Err(m) => {
                errors.insert(field.into(), vec![m]);
                Field::Missing
            }
        };
    let starts_at = at("start", "date", "start");
    let ends_at = at("end", "date", "end");
    let opens = at("registration_opens_at", "opens_date", "opens_time");
    let closes = at("registration_closes_at", "closes_date", "closes_time");
    let optional = |name: &str| value(form, name).map_or(Field::Null, Field::Value);
    let input = SessionInput {
        kind: form
            .get("kind")
            .cloned()
            .map_or(Field::Missing, Field::Value),
        title: form
            .get("title")
            .cloned()
            .map_or(Field::Missing, Field::Value),
        description: form
            .get("description")
            .cloned()
            .map_or(Field::Missing, Field::Value),
        starts_at: if creating {
            starts_at
        } else {
            starts_at.or_keep()
        },
        ends_at: if creating { ends_at } else { ends_at.or_keep() },
        capacity: number(form, "capacity", &mut errors),
        remote_capacity: number(form, "remote_capacity", &mut errors),
        registration_opens_at: opens,
        registration_closes_at: closes,
        remote_url: optional("remote_url"),
        approval_required: Field::Value(form.contains_key("approval_required")),
        ..SessionInput::default()
    };
    (input, errors)
}

trait OrKeep {
    fn or_keep(self) -> Self;
}

impl<T> OrKeep for Field<T> {
    /// A required time left empty while editing keeps the session's.
    fn or_keep(self) -> Self {
        match self {
            Field::Null => Field::Missing,
            other => other,
        }
    }
}

/// Moves the service's field names to the form's (`starts_at` is typed as a date and a start).
fn on_form(service: FieldErrors, own: FieldErrors) -> FieldErrors {
    let mut errors: FieldErrors = service
        .into_iter()
        .map(|(k, v)| {
            let k = match k.as_str() {
                "starts_at" => "start".to_string(),
                "ends_at" => "end".to_string(),
                _ => k,
            };
            (k, v)
        })
        .collect();
    errors.extend(own);
    errors
}

/// Every error of a form that will not be sent: its own, and the rules' on the rest (nothing
/// is written).
fn checked(
    input: SessionInput,
    current: Option<&Session>,
    meeting: &Meeting,
    own: FieldErrors,
) -> FieldErrors {
    let rules = match input.apply(current.map(|s| &s.fields), meeting) {
        Err(invalid) => invalid.0,
        Ok(_) => FieldErrors::new(),
    };
    on_form(rules, own)
}

/// The form's fields for an existing session, in the meeting's zone.
fn typed(s: &Session, tz: Tz) -> Form {
    let f = &s.fields;
    let (start, end) = (f.starts_at.with_timezone(&tz), f.ends_at.with_timezone(&tz));
    let mut form: Form = [
        ("kind", f.kind.as_str().to_string()),
        ("title", f.title.clone()),
        ("description", f.description.clone()),
        ("date", start.format("%Y-%m-%d").to_string()),
        ("start", start.format("%H:%M").to_string()),
        ("end", end.format("%H:%M").to_string()),
        ("capacity", f.capacity.to_string()),
        ("remote_capacity", f.remote_capacity.to_string()),
        ("remote_url", f.remote_url.clone().unwrap_or_default()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    for (prefix, at) in [
        ("opens", f.registration_opens_at),
        ("closes", f.registration_closes_at),
    ] {
        if let Some(t) = at.map(|t| t.with_timezone(&tz)) {
            form.insert(format!("{prefix}_date"), t.format("%Y-%m-%d").to_string());
            form.insert(format!("{prefix}_time"), t.format("%H:%M").to_string());
        }
    }
    if f.approval_required {
        form.insert("approval_required".into(), "true".into());
    }
    form
}

fn page(
    req: &HttpRequest,
    meeting: &Meeting,
    action: &str,
    editing: Option<&str>,
    form: &Form,
    errors: Option<FieldErrors>,
) -> Result<HttpResponse, PageError> {
    let kinds = [
        ("seminar", "Seminar"),
        ("workshop", "Workshop"),
        ("adhoc_session", "Ad-hoc session"),
    ];
    let values = json!({"action": action, "editing": editing, "form": form,
        "meeting": {"id": meeting.id, "title": meeting.title, "timezone": meeting.timezone.name(),
            "days": format!("{} – {}", meeting.first_day, meeting.last_day)},
        "kinds": kinds.iter().map(|(v, l)| json!({"value": v, "label": l})).collect::<Vec<_>>(),
        "errors": errors.clone().unwrap_or_default()});
    let mut response = render_form(req, "sessions/form.html", values)?;
    if errors.is_some() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// The form for a new session of a meeting.
pub async fn new_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    _o: Organiser,
    id: web::Path<MeetingId>,
) -> Result<HttpResponse, PageError> {
    let meeting = db::run(&state.pool, move |conn| {
        crate::meetings::store::find(conn, &id)?.ok_or(AppError::NotFound)
    })
    .await?;
    let mut form = Form::new();
    form.insert("date".into(), meeting.first_day.to_string());
    form.insert("capacity".into(), "40".into());
    form.insert("remote_capacity".into(), "0".into());
    let action = format!("/staff/meetings/{}/sessions", meeting.id);
    page(&req, &meeting, &action, None, &form, None)
}

/// Creates a draft session and goes to its hub; a refused form comes back with its errors.
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<MeetingId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = read(&body);
    let (actor, ctx, mid) = (Actor::User(user.id), state.ctx(), id.into_inner());
    let sent = form.clone();
    let (created, meeting) = db::run(&state.pool, move |conn| {
        let meeting = crate::meetings::store::find(conn, &mid)?.ok_or(AppError::NotFound)?;
        let (mut input, own) = input(&sent, meeting.timezone, true);
        input.meeting_id = Field::Value(meeting.id.to_string());
        if !own.is_empty() {
            return Ok((Err(checked(input, None, &meeting, own)), meeting));
        }
        let done = match service::create(conn, &ctx, &actor, input) {
            Ok(s) => Ok(s),
            Err(AppError::Invalid(e)) => Err(on_form(e, own)),
            Err(other) => return Err(other),
        };
        Ok((done, meeting))
    })
    .await?;
    let action = format!("/staff/meetings/{}/sessions", meeting.id);
    match created {
        Ok(s) => {
            crate::workspace::flash::set(
                &req,
                format!(
                    "Draft \"{}\" created. Nothing was sent: publish it when ready.",
                    s.fields.title
                ),
            );
            Ok(see_other(&format!("/staff/sessions/{}", s.id)))
        }
        Err(errors) => page(&req, &meeting, &action, None, &form, Some(errors)),
    }
}

/// The form to change or move a session, filled with its fields in the meeting's zone.
pub async fn edit_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    _o: Organiser,
    id: web::Path<SessionId>,
) -> Result<HttpResponse, PageError> {
    let (session, meeting) =
        db::run(&state.pool, move |conn| service::get(conn, &id, true)).await?;
    let action = format!("/staff/sessions/{}/edit", session.id);
    let form = typed(&session, meeting.timezone);
    page(
        &req,
        &meeting,
        &action,
        Some(session.id.as_str()),
        &form,
        None,
    )
}

/// Saves a session's changes (a move included); says who was told.
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<SessionId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = read(&body);
    let (actor, ctx, sid) = (Actor::User(user.id), state.ctx(), id.into_inner());
    let (sent, start) = (form.clone(), ctx.now);
    let back = sid.clone();
    let (saved, meeting) = db::run(&state.pool, move |conn| {
        let (session, meeting) = service::get(conn, &sid, true)?;
        let (input, own) = input(&sent, meeting.timezone, false);
        if !own.is_empty() {
            let errors = checked(input, Some(&session), &meeting, own);
            return Ok((Err(errors), meeting));
        }
        let done = match service::patch(conn, &ctx, &actor, &sid, input) {
            Ok(s) => Ok((s, crate::workspace::service::told_since(conn, start)?)),
            Err(AppError::Invalid(e)) => Err(on_form(e, own)),
            Err(AppError::Conflict(detail, _)) => Err(on_form(
                FieldErrors::new(),
                [("start".to_string(), vec![detail])].into(),
            )),
            Err(other) => return Err(other),
        };
        Ok((done, meeting))
    })
    .await?;
    match saved {
        Ok((s, told)) => {
            let message = format!(
                "Saved \"{}\"; {} told of the change.",
                s.fields.title,
                crate::workspace::flash::people(told)
            );
            crate::workspace::flash::set(&req, message);
            Ok(see_other(&format!("/staff/sessions/{}", s.id)))
        }
        Err(errors) => {
            let action = format!("/staff/sessions/{back}/edit");
            page(
                &req,
                &meeting,
                &action,
                Some(back.as_str()),
                &form,
                Some(errors),
            )
        }
    }
}
