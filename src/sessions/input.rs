//! A session as a client sends it, and the checks that turn it into a session's fields.

use chrono::{DateTime, FixedOffset, Utc};
use serde::Deserialize;

use super::domain::{SessionFields, SessionKind};
use crate::input::{Check, Field, Invalid};
use crate::meetings::domain::Meeting;

/// Largest capacity accepted, in person or remote.
pub const MAX_CAPACITY: i64 = 100_000;
const INSTANT_HINT: &str =
    "must be an RFC 3339 instant with an offset, e.g. 2026-03-10T09:30:00+01:00";

/// A session as a client sends it, for creating (all required fields) or patching (any).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionInput {
    #[serde(default)]
    #[schema(value_type = String, format = Uuid)]
    pub meeting_id: Field<String>,
    #[serde(default)]
    #[schema(value_type = SessionKind)]
    pub kind: Field<String>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub title: Field<String>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub description: Field<String>,
    #[serde(default)]
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: Field<DateTime<FixedOffset>>,
    #[serde(default)]
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: Field<DateTime<FixedOffset>>,
    #[serde(default)]
    #[schema(value_type = i32)]
    pub capacity: Field<i64>,
    #[serde(default)]
    #[schema(value_type = i32)]
    pub remote_capacity: Field<i64>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub registration_opens_at: Field<DateTime<FixedOffset>>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub registration_closes_at: Field<DateTime<FixedOffset>>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub remote_url: Field<String>,
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub approval_required: Field<bool>,
    #[serde(default)]
    #[schema(value_type = Option<i32>)]
    pub reserved_seats: Field<i64>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub reserved_until: Field<DateTime<FixedOffset>>,
}

/// What an input sets; `None` leaves the current value (`Some(None)` clears an optional one).
struct Changes {
    kind: Option<SessionKind>,
    title: Option<String>,
    description: Option<String>,
    starts_at: Option<DateTime<Utc>>,
    ends_at: Option<DateTime<Utc>>,
    capacity: Option<i32>,
    remote_capacity: Option<i32>,
    registration_opens_at: Option<Option<DateTime<Utc>>>,
    registration_closes_at: Option<Option<DateTime<Utc>>>,
    remote_url: Option<Option<String>>,
    approval_required: Option<bool>,
    reserved_seats: Option<i32>,
    reserved_until: Option<Option<DateTime<Utc>>>,
}

impl Changes {
    fn onto(self, base: &SessionFields) -> SessionFields {
        let b = base.clone();
        SessionFields {
            kind: self.kind.unwrap_or(b.kind),
            title: self.title.unwrap_or(b.title),
            description: self.description.unwrap_or(b.description),
            starts_at: self.starts_at.unwrap_or(b.starts_at),
            ends_at: self.ends_at.unwrap_or(b.ends_at),
            capacity: self.capacity.unwrap_or(b.capacity),
            remote_capacity: self.remote_capacity.unwrap_or(b.remote_capacity),
            registration_opens_at: self
                .registration_opens_at
                .unwrap_or(b.registration_opens_at),
            registration_closes_at: self
                .registration_closes_at
                .unwrap_or(b.registration_closes_at),
            remote_url: self.remote_url.unwrap_or(b.remote_url),
            approval_required: self.approval_required.unwrap_or(b.approval_required),
            reserved_seats: self.reserved_seats.unwrap_or(b.reserved_seats),
            reserved_until: self.reserved_until.unwrap_or(b.reserved_until),
        }
    }
}

/// What a new session starts from; every required field replaces its value.
fn blank() -> SessionFields {
    SessionFields {
        kind: SessionKind::Seminar,
        title: String::new(),
        description: String::new(),
        starts_at: DateTime::<Utc>::UNIX_EPOCH,
        ends_at: DateTime::<Utc>::UNIX_EPOCH,
        capacity: 0,
        remote_capacity: 0,
        registration_opens_at: None,
        registration_closes_at: None,
        remote_url: None,
        approval_required: false,
        reserved_seats: 0,
        reserved_until: None,
    }
}

fn instant(
    check: &mut Check,
    field: &str,
    value: Field<DateTime<FixedOffset>>,
) -> Field<DateTime<Utc>> {
    match value {
        Field::Value(t) => Field::Value(t.with_timezone(&Utc)),
        Field::Invalid(_) => {
            check.fail(field, INSTANT_HINT);
            Field::Missing
        }
        Field::Missing => Field::Missing,
        Field::Null => Field::Null,
    }
}

/// A field required when creating and optional when patching.
fn pick<T>(check: &mut Check, creating: bool, field: &str, value: Field<T>) -> Option<T> {
    if creating {
        check.required(field, value)
    } else {
        check.optional(field, value)
    }
}

/// A text required when creating; when patching, absent or null leaves it.
fn text(check: &mut Check, creating: bool, field: &str, value: Field<String>) -> Option<String> {
    if creating {
        check.required(field, value)
    } else {
        check.change(field, value).flatten()
    }
}

fn capacity(check: &mut Check, field: &str, value: Option<i64>) -> Option<i32> {
    match value {
        Some(n) if (0..=MAX_CAPACITY).contains(&n) => Some(n as i32),
        Some(_) => {
            check.fail(field, format!("must be between 0 and {MAX_CAPACITY}"));
            None
        }
        None => None,
    }
}

fn kind(check: &mut Check, name: &str) -> Option<SessionKind> {
    let kind = SessionKind::parse(name);
    if kind.is_none() {
        check.fail("kind", "must be adhoc_session, seminar or workshop");
    }
    kind
}

fn description(check: &mut Check, value: Field<String>) -> Option<String> {
    let description = check
        .change("description", value)
        .map(|d| d.unwrap_or_default().trim().to_string());
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 20_000)
    {
        check.fail("description", "must be at most 20000 characters");
    }
    description
}

fn remote_url(check: &mut Check, value: Field<String>) -> Option<Option<String>> {
    let url = check
        .change("remote_url", value)
        .map(|u| u.map(|u| u.trim().to_string()).filter(|u| !u.is_empty()));
    if let Some(Some(link)) = &url {
        if !(link.starts_with("https://") || link.starts_with("http://")) || link.len() > 500 {
            check.fail(
                "remote_url",
                "must be an http(s) link of at most 500 characters",
            );
        }
    }
    url
}

impl SessionInput {
    /// Checks a patch (or, with `current` = None, a new session) against the meeting's rules.
    pub fn apply(
        self,
        current: Option<&SessionFields>,
        meeting: &Meeting,
    ) -> Result<SessionFields, Invalid> {
        let mut check = Check::new();
        let changes = self.changes(&mut check, current.is_none());
        check.finish()?;
        let fields = changes.onto(current.unwrap_or(&blank()));
        fields.check_rules(meeting)?;
        Ok(fields)
    }

    fn changes(self, check: &mut Check, creating: bool) -> Changes {
        let kind = text(check, creating, "kind", self.kind).and_then(|k| kind(check, &k));
        let title = text(check, creating, "title", self.title)
            .and_then(|t| check.valid_line("title", t, 200));
        let description = description(check, self.description);
        let starts_at = instant(check, "starts_at", self.starts_at);
        let ends_at = instant(check, "ends_at", self.ends_at);
        let opens = instant(check, "registration_opens_at", self.registration_opens_at);
        let closes = instant(check, "registration_closes_at", self.registration_closes_at);
        let (starts_at, ends_at) = (
            pick(check, creating, "starts_at", starts_at),
            pick(check, creating, "ends_at", ends_at),
        );
        let seats = pick(check, creating, "capacity", self.capacity);
        let remote = check.optional("remote_capacity", self.remote_capacity);
        let reserved = check.optional("reserved_seats", self.reserved_seats);
        let until = instant(check, "reserved_until", self.reserved_until);
        Changes {
            kind,
            title,
            description,
            starts_at,
            ends_at,
            capacity: capacity(check, "capacity", seats),
            remote_capacity: capacity(check, "remote_capacity", remote),
            registration_opens_at: check.change("registration_opens_at", opens),
            registration_closes_at: check.change("registration_closes_at", closes),
            remote_url: remote_url(check, self.remote_url),
            approval_required: check.optional("approval_required", self.approval_required),
            reserved_seats: capacity(check, "reserved_seats", reserved),
            reserved_until: check.change("reserved_until", until),
        }
    }
}
