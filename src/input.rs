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
        } else if text.chars().count() > max {
            self.fail(field, format!("must be at most {max} characters"));
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

/// `?limit=&offset=` of every list.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::IntoParams)]
pub struct Paging {
    /// At most this many items (1–200, default 50).
    pub limit: Option<i64>,
    /// Skip this many items first.
    pub offset: Option<i64>,
}

impl Paging {
    /// Limit and offset clamped to sane bounds.
    pub fn bounds(&self) -> (i64, i64) {
        (
            self.limit.unwrap_or(50).clamp(1, 200),
            self.offset.unwrap_or(0).max(0),
        )
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
    fn paging_is_clamped() {
        let paging = Paging {
            limit: Some(10_000),
            offset: Some(-5),
        };
        assert_eq!(paging.bounds(), (200, 0));
    }
}
