//! Reading request bodies and queries leniently, so that every invalid field is named at once.
//! Pure: domain rules validate with `Check` and answer `Invalid`, which the app turns into 422.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use std::collections::BTreeMap;

/// Messages per field name.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Fields that are not valid, each with its messages (the API answers 422; a form shows them
/// beside their fields).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid fields: {0:?}")]
pub struct Invalid(pub FieldErrors);

impl Invalid {
    /// One message on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Invalid {
        let mut errors = FieldErrors::new();
        errors.insert(field.to_string(), vec![message.into()]);
        Invalid(errors)
    }
}

/// What a refused field or parameter is told.
pub const MESSAGE: &str = "must not contain control characters";

/// True for a control character that text fields may not hold: any but TAB, LF and CR.
pub fn is_forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// True when a text holds a control character other than TAB, LF and CR.
pub fn has_forbidden(text: &str) -> bool {
    text.chars().any(is_forbidden)
}

/// One field of a JSON body: absent, null, a value, or a value of the wrong shape.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Field<T> {
    #[default]
    Missing,
    Null,
    Value(T),
    Invalid(String),
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        if value.is_null() {
            return Ok(Field::Null);
        }
        let shape = describe(&value);
        Ok(match T::deserialize(value) {
            Ok(v) => Field::Value(v),
            Err(e) => Field::Invalid(clean_serde_message(&e.to_string(), shape)),
        })
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn clean_serde_message(message: &str, shape: &str) -> String {
    if message.starts_with("invalid type") {
        let expected = message.rsplit("expected ").next().unwrap_or("another type");
        format!("expected {expected}, got {shape}")
    } else {
        message.to_string()
    }
}

/// Collects the errors of every field before answering 422.
#[derive(Debug, Default)]
pub struct Check {
    errors: FieldErrors,
}

impl Check {
    /// A fresh collector.
    pub fn new() -> Check {
        Check::default()
    }

    /// Records one message against a field.
    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors
            .entry(field.to_string())
            .or_default()
            .push(message.into());
    }

    /// True when nothing has failed so far.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// True when the given field has failed already.
    pub fn failed(&self, field: &str) -> bool {
        self.errors.contains_key(field)
    }

    /// A field that must be present and well-formed.
    pub fn required<T>(&mut self, field: &str, value: Field<T>) -> Option<T> {
        match value {
            Field::Value(v) => Some(v),
            Field::Missing | Field::Null => {
                self.fail(field, "is required");
                None
            }
            Field::Invalid(m) => {
                self.fail(field, m);
                None
            }
        }
    }

    /// A field that may be absent or null.
    pub fn optional<T>(&mut self, field: &str, value: Field<T>) -> Option<T> {
        match value {
            Field::Value(v) => Some(v),
            Field::Missing | Field::Null => None,
            Field::Invalid(m) => {
                self.fail(field, m);
                None
            }
        }
    }

    /// For PATCH: `None` leaves the field, `Some(None)` clears it, `Some(Some(v))` sets it.
    pub fn change<T>(&mut self, field: &str, value: Field<T>) -> Option<Option<T>> {
        match value {
            Field::Missing => None,
            Field::Null => Some(None),
            Field::Value(v) => Some(Some(v)),
            Field::Invalid(m) => {
                self.fail(field, m);
                None
            }
        }
    }

    /// A required text, trimmed, non-empty and at most `max` characters.
    pub fn text(&mut self, field: &str, value: Field<String>, max: usize) -> Option<String> {
        let text = self.required(field, value)?;
        self.valid_text(field, text, max)
    }

    /// Validates a text that is already known to be present.
    pub fn valid_text(&mut self, field: &str, text: String, max: usize) -> Option<String> {
        let text = text.trim().to_string();
        if text.is_empty() {
            self.fail(field, "must not be empty");
            None
        } else if has_forbidden(&text) {
            self.fail(field, MESSAGE);
            None
        } else if text.chars().count() > max {
            self.fail(field, format!("must be at most {max} characters"));
            None
        } else {
            Some(text)
        }
    }

    /// A required single-line text (a name, a title, an address): like `text`, and refusing
    /// line breaks, which would split a mail subject, a CSV row or a calendar property.
    pub fn line(&mut self, field: &str, value: Field<String>, max: usize) -> Option<String> {
        let text = self.required(field, value)?;
        self.valid_line(field, text, max)
    }

    /// Validates a single-line text that is already known to be present.
    pub fn valid_line(&mut self, field: &str, text: String, max: usize) -> Option<String> {
        let text = self.valid_text(field, text, max)?;
        if text.contains(['\n', '\r']) {
            self.fail(field, "must be a single line");
            None
        } else {
            Some(text)
        }
    }

    /// Ends validation: Ok when clean, otherwise every failing field with its messages.
    pub fn finish(self) -> Result<(), Invalid> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.errors))
        }
    }
}

/// The page size a list answers when `limit` is not given.
pub const DEFAULT_LIMIT: i64 = 50;
/// The largest `limit` a list accepts.
pub const MAX_LIMIT: i64 = 200;

/// `?limit=&offset=` of every list.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::IntoParams)]
pub struct Paging {
    /// At most this many items: 1–200, default 50; anything else answers 422 naming `limit`.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// Skip this many items first: 0 or more, default 0; a negative value answers 422.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

impl Paging {
    /// Limit and offset for the API: a value out of range is a 422 naming the parameter, never
    /// silently another page than the client asked for.
    pub fn checked(&self) -> Result<(i64, i64), Invalid> {
        let mut check = Check::new();
        if self.limit.is_some_and(|l| !(1..=MAX_LIMIT).contains(&l)) {
            check.fail("limit", format!("must be between 1 and {MAX_LIMIT}"));
        }
        if self.offset.is_some_and(|o| o < 0) {
            check.fail("offset", "must be 0 or more");
        }
        check.finish()?;
        Ok(self.bounds())
    }

    /// Limit and offset for pages: a value out of range falls back to the default, since a page
    /// answers a person following a link rather than a program that must hear of its mistake.
    pub fn bounds(&self) -> (i64, i64) {
        (
            self.limit
                .filter(|l| (1..=MAX_LIMIT).contains(l))
                .unwrap_or(DEFAULT_LIMIT),
            self.offset.filter(|o| *o >= 0).unwrap_or(0),
        )
    }

    /// The paging of a page's query string, where a value that is not a number counts as absent.
    pub fn lenient(query: &str) -> Paging {
        let mut paging = Paging::default();
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            match key.as_ref() {
                "limit" => paging.limit = value.trim().parse().ok(),
                "offset" => paging.offset = value.trim().parse().ok(),
                _ => {}
            }
        }
        paging
    }
}

/// A page of a list, as every list answers.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ListOf<T> {
    pub items: Vec<T>,
    pub total: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Body {
        #[serde(default)]
        capacity: Field<u32>,
        #[serde(default)]
        title: Field<String>,
    }

    #[test]
    fn a_field_of_the_wrong_type_is_kept_as_an_error_instead_of_failing_the_body() {
        let body: Body = serde_json::from_str(r#"{"capacity": "many"}"#).unwrap();
        assert!(matches!(body.capacity, Field::Invalid(_)));
        assert_eq!(body.title, Field::Missing);
    }

    #[test]
    fn every_failing_field_is_reported_together() {
        let body: Body = serde_json::from_str(r#"{"capacity": -1, "title": "  "}"#).unwrap();
        let mut check = Check::new();
        check.required("capacity", body.capacity);
        check.text("title", body.title, 10);
        match check.finish() {
            Err(Invalid(errors)) => {
                assert!(errors.contains_key("capacity"));
                assert!(errors.contains_key("title"));
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn a_single_line_field_refuses_a_line_break_and_every_text_a_nul() {
        let mut check = Check::new();
        assert_eq!(
            check.valid_line("title", " A title ".into(), 20),
            Some("A title".into())
        );
        assert_eq!(check.valid_line("title", "two\nlines".into(), 20), None);
        assert_eq!(check.valid_line("venue", "a\rb".into(), 20), None);
        assert_eq!(
            check.valid_text("description", "two\r\nlines\tok".into(), 20),
            Some("two\r\nlines\tok".into())
        );
        assert_eq!(check.valid_text("description", "a\0b".into(), 20), None);
        assert!(check.failed("title") && check.failed("venue") && check.failed("description"));
    }

    #[test]
    fn a_page_shows_the_default_for_a_limit_or_offset_out_of_range() {
        for limit in [0, -1, 10_000] {
            let paging = Paging {
                limit: Some(limit),
                offset: Some(-5),
            };
            assert_eq!(paging.bounds(), (DEFAULT_LIMIT, 0));
        }
        assert_eq!(Paging::lenient("limit=abc&offset=x").bounds(), (50, 0));
        assert_eq!(Paging::lenient("limit=7&offset=14").bounds(), (7, 14));
    }

    #[test]
    fn the_api_refuses_a_limit_or_offset_out_of_range_naming_each() {
        for (limit, offset, named) in [
            (Some(0), None, vec!["limit"]),
            (Some(-1), None, vec!["limit"]),
            (Some(MAX_LIMIT + 1), Some(-1), vec!["limit", "offset"]),
            (None, Some(-3), vec!["offset"]),
        ] {
            match (Paging { limit, offset }).checked() {
                Err(Invalid(errors)) => {
                    assert_eq!(errors.keys().collect::<Vec<_>>(), named)
                }
                other => panic!("{limit:?} {offset:?} gave {other:?}"),
            }
        }
        let paging = Paging {
            limit: Some(MAX_LIMIT),
            offset: Some(0),
        };
        assert_eq!(paging.checked().unwrap(), (MAX_LIMIT, 0));
        assert_eq!(Paging::default().checked().unwrap(), (DEFAULT_LIMIT, 0));
    }
}
