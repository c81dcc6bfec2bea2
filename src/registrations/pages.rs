//! Public HTML: the registration form, the confirmation, the delegate's page and a focal point's decision page.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::{json, Value};

use super::domain::Attendance;
use super::domain::{Category, Registration, Status};
use super::input::RegistrationInput;
use super::service;
use crate::countries::CountryGroup;
use crate::db;
use crate::error::{AppError, FieldErrors};
use crate::input::Field;
use crate::meetings::domain::Meeting;
use crate::sessions::domain::{Session, SessionStatus};
use crate::state::AppState;
use crate::web::PageError;
use crate::web::{local_span, render, Lang};

/// What every registration page shows of its session.
#[derive(Debug, Serialize)]
pub struct SessionLine {
    pub id: String,
    pub title: String,
    pub when: String,
    pub timezone: &'static str,
    pub venue: String,
    pub ended: bool,
}

impl SessionLine {
    /// The line of a session.
    pub fn of(session: &Session, meeting: &Meeting) -> SessionLine {
        let f = &session.fields;
        SessionLine {
            id: session.id.to_string(),
            title: f.title.clone(),
            when: local_span(meeting.timezone, f.starts_at, f.ends_at),
            timezone: meeting.timezone.name(),
            venue: meeting.venue.clone(),
            ended: chrono::Utc::now() >= f.ends_at,
        }
    }
}

/// The words for every category, attendance, group (`v`) and status (`st`) in a language.
pub fn labels(lang: Lang) -> Value {
    let text = |prefix: &str, name: &str| crate::i18n::text(lang.0, &format!("{prefix}{name}"));
    let mut v = serde_json::Map::new();
    let names = Category::ALL
        .iter()
        .map(|c| c.as_str())
        .chain(Attendance::ALL.iter().map(|a| a.as_str()))
        .chain(CountryGroup::ALL.iter().map(|g| g.as_str()));
    for name in names {
        v.insert(name.into(), json!(text("registration_value_", name)));
    }
    let st: serde_json::Map<String, Value> = Status::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_string(),
                json!(text("registration_status_", s.as_str())),
            )
        })
        .collect();
    json!({"v": v, "st": st})
}

/// Renders a registration page with `l`, the labels of its values, and the form's CSRF token.
pub fn render_page(
    req: &HttpRequest,
    name: &str,
    mut context: Value,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::of(req);
    if let Some(map) = context.as_object_mut() {
        map.insert("l".into(), labels(lang));
        map.insert("csrf_token".into(), crate::security::csrf::of(req).into());
    }
    render(lang, name, context)
}

/// The fields of a urlencoded form body, in order (a name may repeat).
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn input_of(form: &BTreeMap<String, String>) -> RegistrationInput {
    let text = |name: &str| Field::Value(form.get(name).cloned().unwrap_or_default());
    let flag = |name: &str| Field::Value(form.contains_key(name));
    let needs_visa = form.contains_key("visa_letter_needed");
    let visa = |name: &str| {
        if needs_visa {
            text(name)
        } else {
            Field::Missing
        }
    };
    RegistrationInput {
        name: text("name"),
        email: text("email"),
        organisation: text("organisation"),
        job_title: text("job_title"),
        country: text("country"),
        stakeholder_category: text("stakeholder_category"),
        attendance: text("attendance"),
        consent_directory: flag("consent_directory"),
        consent_share_email: flag("consent_share_email"),
        accessibility_needs: text("accessibility_needs"),
        visa_letter_needed: flag("visa_letter_needed"),
        passport_name: visa("passport_name"),
        nationality: visa("nationality"),
        passport_number: visa("passport_number"),
        passport_expiry: visa("passport_expiry"),
    }
}

const FORM_FIELDS: [&str; 15] = [
    "name",
    "email",
    "organisation",
    "job_title",
    "country",
    "stakeholder_category",
    "attendance",
    "consent_directory",
    "consent_share_email",
    "accessibility_needs",
    "visa_letter_needed",
    "passport_name",
    "nationality",
    "passport_number",
    "passport_expiry",
];

fn form_context(
    conn: &mut db::Conn,
    id: &str,
    values: Value,
    errors: &FieldErrors,
    notice: Option<String>,
) -> Result<Value, AppError> {
    let (session, meeting) = service::session_and_meeting(conn, id)?;
    if session.status == SessionStatus::Draft {
        return Err(AppError::NotFound);
    }
    let open = service::open_session(conn, id).is_ok();
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
        "s": SessionLine::of(&session, &meeting), "open": open, "notice": notice,
        "remote": session.fields.remote_capacity > 0, "v": v, "errors": errors,
        "countries": countries, "categories": categories,
    }))
}

/// The registration form of a session.
pub async fn register_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let values = json!({"attendance": "in_person"});
    let context = db::run(&state.pool, move |conn| {
        form_context(conn, &id, values, &FieldErrors::new(), None)
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
    let (settings, lang) = (state.settings.clone(), Lang::of(&req));
    let (id2, input) = (id.clone(), input_of(&form));
    let result = db::run(&state.pool, move |conn| {
        service::register(conn, &settings, &id2, input, lang.0)
    })
    .await;
    let (errors, notice, status) = match result {
        Ok(placed) => {
            let context = json!({"status": placed.registration.status.as_str(), "position": placed.position,
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
        form_context(conn, &id, values, &errors, notice)
    })
    .await?;
    let mut response = render_page(&req, "registrations/form.html", context)?;
    *response.status_mut() = status;
    Ok(response)
}

/// A registration as its pages show it.
pub fn registration_values(r: &Registration, position: Option<i64>) -> Value {
    let d = &r.delegate;
    json!({
        "id": r.id, "status": r.status.as_str(), "position": position, "arrival": r.arrival,
        "name": d.name, "email": d.email, "organisation": d.organisation, "job_title": d.job_title,
        "country": d.country, "group": r.country_group.as_str(), "category": d.category.as_str(),
        "attendance": d.attendance.as_str(), "consent_directory": d.consent_directory,
        "active": r.status.is_active(), "visa": d.visa.is_some(),
        "comment": r.decision_comment,
    })
}

async fn delegate_page(
    state: &AppState,
    req: &HttpRequest,
    token: String,
    notice: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let token2 = token.clone();
    let (placed, session, meeting) =
        db::run(&state.pool, move |conn| service::by_token(conn, &token2)).await?;
    let r = &placed.registration;
    let context = json!({
        "s": SessionLine::of(&session, &meeting), "r": registration_values(r, placed.position),
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
    let (settings, token) = (state.settings.clone(), token.into_inner());
    let token2 = token.clone();
    db::run(&state.pool, move |conn| {
        service::cancel(conn, &settings, &token2)
    })
    .await?;
    delegate_page(&state, &req, token, Some("cancelled")).await
}
