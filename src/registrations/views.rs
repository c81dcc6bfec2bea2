//! Registrations as the API shows them to each reader, and the list's query.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::domain::{Attendance, Category, Registration, Status};
use super::store::Filter;
use crate::countries::CountryGroup;
use crate::error::AppError;
use crate::input::Check;

/// What anyone who registers is answered (also for the same email again).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PlacedView {
    pub id: String,
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
    pub id: String,
    pub session_id: String,
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
