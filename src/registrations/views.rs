//! Registrations as each reader sees them: the API's views and the list's query, and what the
//! pages of registrations and of their sub-capabilities share (the session line, the labels,
//! the form reading, the rendering with a CSRF token).

use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::domain::{Attendance, Category, Gender, Registration, RegistrationId, Status};
use super::reports::store::Filter;
use crate::countries::CountryGroup;
use crate::error::AppError;
use crate::input::Check;
use crate::meetings::domain::Meeting;
use crate::sessions::domain::{Session, SessionId};
use crate::web::{local_span, render, Lang};

/// What anyone who registers is answered (also for the same email again).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PlacedView {
    pub id: RegistrationId,
    pub status: Status,
    pub country_group: CountryGroup,
    pub attendance: Attendance,
    /// From 1, among those waiting for the same attendance mode; only while waitlisted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waitlist_position: Option<i64>,
}

impl PlacedView {
    /// The answer for a registration.
    pub fn of(r: &Registration, position: Option<i64>) -> PlacedView {
        PlacedView {
            id: r.id.clone(),
            status: r.status,
            country_group: r.country_group,
            attendance: r.delegate.attendance,
            waitlist_position: position,
        }
    }
}

/// Passport details, for organisers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VisaView {
    pub passport_name: String,
    pub nationality: String,
    pub passport_number: String,
    pub passport_expiry: NaiveDate,
}

/// A registration in full, for organisers (focal points see it without the passport details,
/// delegates see their own likewise).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RegistrationView {
    pub id: RegistrationId,
    pub session_id: SessionId,
    /// Order of arrival within the session, from 1.
    pub arrival: i32,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waitlist_position: Option<i64>,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub job_title: String,
    pub country: String,
    pub country_group: CountryGroup,
    pub stakeholder_category: Category,
    pub attendance: Attendance,
    pub consent_directory: bool,
    pub consent_share_email: bool,
    pub accessibility_needs: String,
    pub visa_letter_needed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visa: Option<VisaView>,
    pub decision_comment: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Absent when the delegate did not answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
}

impl RegistrationView {
    /// The view; passport details only when `with_visa`.
    pub fn of(r: &Registration, position: Option<i64>, with_visa: bool) -> RegistrationView {
        let d = &r.delegate;
        RegistrationView {
            id: r.id.clone(),
            session_id: r.session_id.clone(),
            arrival: r.arrival,
            status: r.status,
            waitlist_position: position,
            name: d.name.clone(),
            email: d.email.clone(),
            organisation: d.organisation.clone(),
            job_title: d.job_title.clone(),
            country: d.country.clone(),
            country_group: r.country_group,
            stakeholder_category: d.category,
            attendance: d.attendance,
            consent_directory: d.consent_directory,
            consent_share_email: d.consent_share_email,
            accessibility_needs: d.accessibility_needs.clone(),
            visa_letter_needed: d.visa.is_some(),
            visa: d.visa.as_ref().filter(|_| with_visa).map(|v| VisaView {
                passport_name: v.passport_name.clone(),
                nationality: v.nationality.clone(),
                passport_number: v.passport_number.clone(),
                passport_expiry: v.passport_expiry,
            }),
            decision_comment: r.decision_comment.clone(),
            created_at: r.created_at.and_utc(),
            gender: d.gender,
        }
    }
}

/// Filters of a session's registration list.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// pending, confirmed, waitlisted, cancelled or rejected.
    pub status: Option<String>,
    /// policy_maker, regulator, operator, manufacturer or other.
    pub stakeholder_category: Option<String>,
    /// developed, developing or ldc.
    pub country_group: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// in_person or remote.
    pub attendance: Option<String>,
}

fn pick<T>(
    check: &mut Check,
    field: &str,
    value: &Option<String>,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
    let parsed = parse(value);
    if parsed.is_none() {
        check.fail(field, format!("{value:?} is not a known value"));
    }
    parsed
}

impl ListQuery {
    /// The store's filter, or 422 naming the bad values (an empty value means no filter).
    pub fn filter(&self) -> Result<Filter, AppError> {
        let mut check = Check::new();
        let filter = Filter {
            status: pick(&mut check, "status", &self.status, Status::parse),
            category: pick(
                &mut check,
                "stakeholder_category",
                &self.stakeholder_category,
                Category::parse,
            ),
            group: pick(
                &mut check,
                "country_group",
                &self.country_group,
                CountryGroup::parse,
            ),
            country: pick(&mut check, "country", &self.country, |c| {
                (c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
                    .then(|| c.to_ascii_uppercase())
            }),
            attendance: pick(
                &mut check,
                "attendance",
                &self.attendance,
                Attendance::parse,
            ),
            scope: None,
        };
        check.finish()?;
        Ok(filter)
    }
}

/// What every registration page shows of its session.
#[derive(Debug, Serialize)]
pub struct SessionLine {
    pub id: SessionId,
    pub title: String,
    pub when: String,
    pub timezone: &'static str,
    /// The meeting's venue, or the booked room where a page knows it.
    pub venue: String,
}

impl SessionLine {
    /// The line of a session.
    pub fn of(session: &Session, meeting: &Meeting) -> SessionLine {
        let f = &session.fields;
        SessionLine {
            id: session.id.clone(),
            title: f.title.clone(),
            when: local_span(meeting.timezone, f.starts_at, f.ends_at),
            timezone: meeting.timezone.name(),
            venue: meeting.venue.clone(),
        }
    }

    /// The same line at a known place (the booked room).
    pub fn at(self, venue: String) -> SessionLine {
        SessionLine { venue, ..self }
    }
}

/// The words for every category, attendance, group (`v`) and status (`st`) in a language.
pub fn labels(lang: Lang) -> Value {
    let text = |prefix: &str, name: &str| crate::i18n::text(lang.0, &format!("{prefix}{name}"));
    let names = Category::ALL
        .iter()
        .map(|c| c.as_str())
        .chain(Attendance::ALL.iter().map(|a| a.as_str()))
        .chain(CountryGroup::ALL.iter().map(|g| g.as_str()));
    let v: serde_json::Map<String, Value> = names
        .map(|name| (name.to_string(), json!(text("registration_value_", name))))
        .collect();
    let st: serde_json::Map<String, Value> = Status::ALL
        .iter()
        .map(|s| {
            (
                s.to_string(),
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

/// A registration as its pages show it.
pub fn registration_values(r: &Registration, position: Option<i64>) -> Value {
    let d = &r.delegate;
    json!({
        "id": r.id, "status": r.status, "position": position, "arrival": r.arrival,
        "name": d.name, "email": d.email, "organisation": d.organisation, "job_title": d.job_title,
        "country": d.country, "group": r.country_group.as_str(), "category": d.category,
        "attendance": d.attendance, "consent_directory": d.consent_directory,
        "active": r.status.is_active(), "visa": d.visa.is_some(),
        "comment": r.decision_comment,
    })
}
