//! Reading what organisers and speakers send about invitations: who to invite in which role, a
//! reason, and travel details (JSON or a page's form). Pure: every invalid field is named at once.

use chrono::NaiveDate;
use serde::Deserialize;

use super::domain::{Funding, SlotRole, Travel};
use crate::input::{Check, Field, Invalid};

/// Longest reason or travel note accepted.
pub const MAX_TEXT: usize = 2000;

/// An invitation as an organiser sends it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteInput {
    #[serde(default)]
    #[schema(value_type = String)]
    pub speaker_id: Field<String>,
    #[serde(default)]
    #[schema(value_type = SlotRole)]
    pub role: Field<String>,
}

impl InviteInput {
    /// The speaker's id and the role.
    pub fn read(self) -> Result<(String, SlotRole), Invalid> {
        let mut check = Check::new();
        let speaker = check.line("speaker_id", self.speaker_id, 100);
        let role = check.required("role", self.role);
        let role = role.and_then(|r| SlotRole::parse(r.trim()));
        if role.is_none() && !check.failed("role") {
            check.fail("role", "must be speaker or moderator");
        }
        check.finish()?;
        Ok((
            speaker.unwrap_or_default(),
            role.unwrap_or(SlotRole::Speaker),
        ))
    }
}

/// A speaker's reason for declining or withdrawing.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub reason: Field<String>,
}

/// A reason: required when declining (the organisers read it), optional when withdrawing.
pub fn reason(value: Field<String>, required: bool) -> Result<Option<String>, Invalid> {
    let mut check = Check::new();
    let text = match (required, value) {
        (true, value) => check.text("reason", value, MAX_TEXT),
        (false, Field::Value(v)) if !v.trim().is_empty() => check.valid_text("reason", v, MAX_TEXT),
        (false, Field::Invalid(m)) => {
            check.fail("reason", m);
            None
        }
        (false, _) => None,
    };
    check.finish()?;
    Ok(text)
}

/// Travel and dispatch details as a speaker or organiser sends them; every field optional.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TravelInput {
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub needs_travel: Field<bool>,
    #[serde(default)]
    #[schema(value_type = Option<Funding>)]
    pub funded_by: Field<String>,
    /// Day of arrival, `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub arrival: Field<String>,
    /// Day of departure, `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub departure: Field<String>,
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub visa_letter_needed: Field<bool>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub notes: Field<String>,
}

fn day(check: &mut Check, field: &str, value: Field<String>) -> Option<NaiveDate> {
    let text = check.optional(field, value)?;
    if text.trim().is_empty() {
        return None;
    }
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    if day.is_none() {
        check.fail(field, "must be a day such as 2026-03-09");
    }
    day
}

impl TravelInput {
    /// The details, each checked: a departure before the arrival, a funder other than mic, self
    /// or other, or control characters in the notes are refused.
    pub fn read(self) -> Result<Travel, Invalid> {
        let mut check = Check::new();
        let needs_travel = check.optional("needs_travel", self.needs_travel);
        let funded = check.optional("funded_by", self.funded_by);
        let funded_by = funded
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(|f| Funding::parse(f).ok_or(f.to_string()));
        if let Some(Err(_)) = funded_by {
            check.fail("funded_by", "must be mic, self or other");
        }
        let arrival = day(&mut check, "arrival", self.arrival);
        let departure = day(&mut check, "departure", self.departure);
        if let (Some(a), Some(d)) = (arrival, departure) {
            if d < a {
                check.fail("departure", "must not be before the arrival");
            }
        }
        let visa = check.optional("visa_letter_needed", self.visa_letter_needed);
        let notes = match check.optional("notes", self.notes) {
            Some(n) if !n.trim().is_empty() => check.valid_text("notes", n, MAX_TEXT),
            _ => None,
        };
        check.finish()?;
        Ok(Travel {
            needs_travel,
            funded_by: funded_by.and_then(Result::ok),
            arrival,
            departure,
            visa_letter_needed: visa,
            notes: notes.unwrap_or_default(),
            updated_at: None,
        })
    }

    /// The details a page's form gives: radio buttons `yes`/`no`, days, a funder, notes.
    pub fn from_form(form: &[(String, String)]) -> TravelInput {
        let get = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let text = |name: &str| get(name).map_or(Field::Missing, Field::Value);
        let yes_no = |name: &str| match get(name).as_deref() {
            Some("yes") => Field::Value(true),
            Some("no") => Field::Value(false),
            Some("") | None => Field::Missing,
            Some(_) => Field::Invalid("must be yes or no".into()),
        };
        TravelInput {
            needs_travel: yes_no("needs_travel"),
            funded_by: text("funded_by"),
            arrival: text("arrival"),
            departure: text("departure"),
            visa_letter_needed: yes_no("visa_letter_needed"),
            notes: text("notes"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn travel_details_are_read_and_each_bad_one_named() {
        let good = TravelInput {
            needs_travel: Field::Value(true),
            funded_by: Field::Value("mic".into()),
            arrival: Field::Value("2026-03-08".into()),
            departure: Field::Value("2026-03-11".into()),
            visa_letter_needed: Field::Value(true),
            notes: Field::Value("Vegetarian".into()),
        };
        let travel = good.read().unwrap();
        assert_eq!(travel.funded_by, Some(Funding::Mic));
        assert_eq!(travel.notes, "Vegetarian");
        let bad = TravelInput {
            funded_by: Field::Value("the bank".into()),
            arrival: Field::Value("2026-03-12".into()),
            departure: Field::Value("2026-03-11".into()),
            notes: Field::Value("a\u{0}".into()),
            ..TravelInput::default()
        };
        let Err(Invalid(errors)) = bad.read() else {
            panic!("expected errors")
        };
        for field in ["funded_by", "departure", "notes"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
    }

    #[test]
    fn declining_needs_a_reason_and_withdrawing_does_not() {
        assert!(reason(Field::Missing, true).is_err());
        assert!(reason(Field::Value("  ".into()), true).is_err());
        assert_eq!(reason(Field::Missing, false), Ok(None));
        assert_eq!(
            reason(Field::Value("Clash".into()), true),
            Ok(Some("Clash".into()))
        );
    }
}
