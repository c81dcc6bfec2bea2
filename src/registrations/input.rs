//! The registration form as a delegate sends it (JSON or HTML form), read field by field; the
//! rules it applies on the way (consent, the categories, a valid passport) are the domain's.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use super::domain::{
    choices, consent, passport_valid, Attendance, Category, Delegate, Gender, Visa,
};
use crate::access::domain::{is_plausible_email, normalise_email};
use crate::countries::CountryGroup;
use crate::input::{Check, Field, Invalid};

/// A registration as sent by a delegate.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationInput {
    #[serde(default)]
    #[schema(value_type = String)]
    pub name: Field<String>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub email: Field<String>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub organisation: Field<String>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub job_title: Field<String>,
    /// ISO 3166-1 alpha-2 code, e.g. "JP".
    #[serde(default)]
    #[schema(value_type = String)]
    pub country: Field<String>,
    #[serde(default)]
    #[schema(value_type = Category)]
    pub stakeholder_category: Field<String>,
    #[serde(default)]
    #[schema(value_type = Attendance)]
    pub attendance: Field<String>,
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub consent_directory: Field<bool>,
    /// Show my email to other participants in the directory.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub consent_share_email: Field<bool>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub accessibility_needs: Field<String>,
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub visa_letter_needed: Field<bool>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub passport_name: Field<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub nationality: Field<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub passport_number: Field<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub passport_expiry: Field<String>,
    /// Optional; counted in the statistics (ITU reports the gender balance).
    #[serde(default)]
    #[schema(value_type = Option<Gender>)]
    pub gender: Field<String>,
}

/// Every field of the form, for a template that shows them again.
pub const FORM_FIELDS: [&str; 16] = [
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
    "gender",
];

fn one_of<T: Copy + std::fmt::Display>(
    check: &mut Check,
    field: &str,
    value: Field<String>,
    parse: fn(&str) -> Option<T>,
    all: &[T],
) -> Option<T> {
    let text = check.required(field, value)?;
    let parsed = parse(text.trim());
    if parsed.is_none() {
        check.fail(field, format!("must be one of {}", choices(all)));
    }
    parsed
}

fn visa(check: &mut Check, input: &mut RegistrationInput, today: NaiveDate) -> Option<Visa> {
    let passport_name = check.line(
        "passport_name",
        std::mem::take(&mut input.passport_name),
        200,
    );
    let nationality = check.line("nationality", std::mem::take(&mut input.nationality), 100);
    let number = check.line(
        "passport_number",
        std::mem::take(&mut input.passport_number),
        40,
    );
    let expiry = check
        .line(
            "passport_expiry",
            std::mem::take(&mut input.passport_expiry),
            10,
        )
        .and_then(|t| match NaiveDate::parse_from_str(&t, "%Y-%m-%d") {
            Ok(d) if passport_valid(d, today) => Some(d),
            Ok(_) => {
                check.fail("passport_expiry", "the passport has expired");
                None
            }
            Err(_) => {
                check.fail("passport_expiry", "must be a date as YYYY-MM-DD");
                None
            }
        });
    Some(Visa {
        passport_name: passport_name?,
        nationality: nationality?,
        passport_number: number?,
        passport_expiry: expiry?,
    })
}

/// Who the delegate is, once checked.
struct Who {
    name: String,
    email: String,
    organisation: String,
    job_title: String,
    country: String,
    group: CountryGroup,
}

/// How the delegate attends, once checked.
struct How {
    category: Category,
    attendance: Attendance,
    consent_directory: bool,
    consent_share_email: bool,
    accessibility_needs: String,
    visa: Option<Visa>,
    gender: Option<Gender>,
}

impl RegistrationInput {
    /// The input of the registration page's urlencoded form: a checkbox is ticked when present,
    /// and the passport fields count only when a visa letter is asked for.
    pub fn from_form(form: &BTreeMap<String, String>) -> RegistrationInput {
        let needs_visa = form.contains_key("visa_letter_needed");
        let text = |name: &str| Field::Value(form.get(name).cloned().unwrap_or_default());
        let visa = |name: &str| {
            if needs_visa {
                text(name)
            } else {
                Field::Missing
            }
        };
        let flag = |name: &str| Field::Value(form.contains_key(name));
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
            gender: text("gender"),
        }
    }

    /// Checks every field at once; `country_of` finds a country (by code or name) in the
    /// reference list and answers its code and group.
    pub fn validate(
        mut self,
        today: NaiveDate,
        country_of: impl FnMut(&str) -> Option<(String, CountryGroup)>,
    ) -> Result<(Delegate, CountryGroup), Invalid> {
        let mut check = Check::new();
        let who = self.who(&mut check, country_of);
        let how = self.how(&mut check, today);
        check.finish()?;
        let (Some(who), Some(how)) = (who, how) else {
            // Every part without a value failed a field above, so this is not reached.
            return Err(Invalid::field("form", "is incomplete"));
        };
        let (consent_directory, consent_share_email) =
            consent(how.consent_directory, how.consent_share_email);
        let delegate = Delegate {
            name: who.name,
            email: who.email,
            organisation: who.organisation,
            job_title: who.job_title,
            country: who.country,
            category: how.category,
            attendance: how.attendance,
            consent_directory,
            consent_share_email,
            accessibility_needs: how.accessibility_needs,
            visa: how.visa,
            gender: how.gender,
        };
        Ok((delegate, who.group))
    }

    fn who(
        &mut self,
        check: &mut Check,
        mut country_of: impl FnMut(&str) -> Option<(String, CountryGroup)>,
    ) -> Option<Who> {
        let name = check.line("name", std::mem::take(&mut self.name), 200);
        let email = check
            .line("email", std::mem::take(&mut self.email), 254)
            .map(|e| normalise_email(&e));
        if email.as_deref().is_some_and(|e| !is_plausible_email(e)) {
            check.fail("email", "is not an email address");
        }
        let organisation = check.line("organisation", std::mem::take(&mut self.organisation), 200);
        let job_title = check.line("job_title", std::mem::take(&mut self.job_title), 200);
        let typed = check.line("country", std::mem::take(&mut self.country), 100);
        let found = typed.as_deref().and_then(&mut country_of);
        if typed.is_some() && found.is_none() {
            check.fail(
                "country",
                "must be an ISO 3166-1 alpha-2 country code, e.g. JP",
            );
        }
        let (country, group) = found?;
        Some(Who {
            name: name?,
            email: email.filter(|e| is_plausible_email(e))?,
            organisation: organisation?,
            job_title: job_title?,
            country,
            group,
        })
    }

    fn how(&mut self, check: &mut Check, today: NaiveDate) -> Option<How> {
        let category = one_of(
            check,
            "stakeholder_category",
            std::mem::take(&mut self.stakeholder_category),
            Category::parse,
            Category::ALL,
        );
        let attendance = one_of(
            check,
            "attendance",
            std::mem::take(&mut self.attendance),
            Attendance::parse,
            Attendance::ALL,
        );
        let mut flag = |field: &str, value: &mut Field<bool>| {
            check
                .optional(field, std::mem::take(value))
                .unwrap_or(false)
        };
        let consent_directory = flag("consent_directory", &mut self.consent_directory);
        let consent_share_email = flag("consent_share_email", &mut self.consent_share_email);
        let needs_visa = flag("visa_letter_needed", &mut self.visa_letter_needed);
        let accessibility_needs =
            accessibility(check, std::mem::take(&mut self.accessibility_needs));
        let gender = gender(check, std::mem::take(&mut self.gender));
        let visa = if needs_visa {
            Some(visa(check, self, today)?)
        } else {
            None
        };
        Some(How {
            category: category?,
            attendance: attendance?,
            consent_directory,
            consent_share_email,
            accessibility_needs,
            visa,
            gender,
        })
    }
}

/// The optional gender: absent, null or empty is no answer.
fn gender(check: &mut Check, value: Field<String>) -> Option<Gender> {
    let text = check.optional("gender", value).unwrap_or_default();
    let text = text.trim();
    let parsed = Gender::parse(text);
    if !text.is_empty() && parsed.is_none() {
        check.fail("gender", format!("must be one of {}", choices(Gender::ALL)));
    }
    parsed
}

/// What the delegate needs to attend, in their words (optional, at most 2000 characters).
fn accessibility(check: &mut Check, value: Field<String>) -> String {
    let needs = check
        .optional("accessibility_needs", value)
        .unwrap_or_default()
        .trim()
        .to_string();
    if needs.chars().count() > 2000 {
        check.fail("accessibility_needs", "must be at most 2000 characters");
    }
    needs
}

#[cfg(test)]
#[path = "input_tests.rs"]
mod tests;
