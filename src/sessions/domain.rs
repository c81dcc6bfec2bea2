//! Sessions held along with a meeting: their kinds, life cycle and the rules on their times and capacities.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::input::{Check, Field};
use crate::meetings::domain::Meeting;

/// What kind of event a session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    AdhocSession,
    Seminar,
    Workshop,
}

impl SessionKind {
    /// Every kind.
    pub const ALL: [SessionKind; 3] = [
        SessionKind::AdhocSession,
        SessionKind::Seminar,
        SessionKind::Workshop,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::AdhocSession => "adhoc_session",
            SessionKind::Seminar => "seminar",
            SessionKind::Workshop => "workshop",
        }
    }

    /// Reads a wire name.
    pub fn parse(name: &str) -> Option<SessionKind> {
        SessionKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// Where a session is in its life: draft → scheduled → cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Draft,
    Scheduled,
    Cancelled,
}

impl SessionStatus {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Draft => "draft",
            SessionStatus::Scheduled => "scheduled",
            SessionStatus::Cancelled => "cancelled",
        }
    }

    /// Reads a wire name.
    pub fn parse(name: &str) -> Option<SessionStatus> {
        [
            SessionStatus::Draft,
            SessionStatus::Scheduled,
            SessionStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// A session with its validated fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: String,
    pub meeting_id: String,
    pub fields: SessionFields,
    pub status: SessionStatus,
    pub cancel_reason: Option<String>,
    pub sequence: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The fields of a session a caller may set.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionFields {
    pub kind: SessionKind,
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: i32,
    pub remote_capacity: i32,
    pub registration_opens_at: Option<DateTime<Utc>>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    pub remote_url: Option<String>,
    /// Registrations wait for the delegate's focal point (or an organiser) to approve them.
    pub approval_required: bool,
    /// In-person seats held for delegates from developing countries and LDCs …
    pub reserved_seats: i32,
    /// … until this instant (None: for as long as registration is open).
    pub reserved_until: Option<DateTime<Utc>>,
}

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

/// Largest capacity accepted, in person or remote.
pub const MAX_CAPACITY: i64 = 100_000;
const INSTANT_HINT: &str =
    "must be an RFC 3339 instant with an offset, e.g. 2026-03-10T09:30:00+01:00";

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

/// A changed value, or the current one when the input leaves it.
fn or_keep<T>(change: Option<T>, current: T) -> T {
    change.unwrap_or(current)
}

impl SessionInput {
    /// Checks a patch (or, with `current` = None, a new session) against the meeting's rules.
    pub fn apply(
        self,
        current: Option<&SessionFields>,
        meeting: &Meeting,
    ) -> Result<SessionFields, AppError> {
        let mut check = Check::new();
        let creating = current.is_none();
        let pick = |check: &mut Check, field: &str, value: Field<String>| {
            if creating {
                check.required(field, value).map(Some)
            } else {
                check.change(field, value)
            }
        };
        let kind = pick(&mut check, "kind", self.kind).flatten().and_then(|k| {
            let kind = SessionKind::parse(&k);
            if kind.is_none() {
                check.fail("kind", "must be adhoc_session, seminar or workshop");
            }
            kind
        });
        let title = pick(&mut check, "title", self.title)
            .flatten()
            .and_then(|t| check.valid_line("title", t, 200));
        let description = check
            .change("description", self.description)
            .map(|d| d.unwrap_or_default().trim().to_string());
        if description
            .as_ref()
            .is_some_and(|d| d.chars().count() > 20_000)
        {
            check.fail("description", "must be at most 20000 characters");
        }
        let starts_at = instant(&mut check, "starts_at", self.starts_at);
        let ends_at = instant(&mut check, "ends_at", self.ends_at);
        let opens = instant(
            &mut check,
            "registration_opens_at",
            self.registration_opens_at,
        );
        let closes = instant(
            &mut check,
            "registration_closes_at",
            self.registration_closes_at,
        );
        let (starts_at, ends_at) = if creating {
            (
                check.required("starts_at", starts_at),
                check.required("ends_at", ends_at),
            )
        } else {
            (
                check.optional("starts_at", starts_at),
                check.optional("ends_at", ends_at),
            )
        };
        let cap = if creating {
            check.required("capacity", self.capacity)
        } else {
            check.optional("capacity", self.capacity)
        };
        let cap = capacity(&mut check, "capacity", cap);
        let remote = check.optional("remote_capacity", self.remote_capacity);
        let remote = capacity(&mut check, "remote_capacity", remote);
        let remote_url = check
            .change("remote_url", self.remote_url)
            .map(|u| u.map(|u| u.trim().to_string()).filter(|u| !u.is_empty()));
        if let Some(Some(url)) = &remote_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() > 500 {
                check.fail(
                    "remote_url",
                    "must be an http(s) link of at most 500 characters",
                );
            }
        }
        let (opens, closes) = (
            check.change("registration_opens_at", opens),
            check.change("registration_closes_at", closes),
        );
        let approval = check.optional("approval_required", self.approval_required);
        let reserved = check.optional("reserved_seats", self.reserved_seats);
        let reserved = capacity(&mut check, "reserved_seats", reserved);
        let reserved_until = instant(&mut check, "reserved_until", self.reserved_until);
        let reserved_until = check.change("reserved_until", reserved_until);
        if !check.is_clean() {
            check.finish()?;
        }
        let fallback = SessionFields {
            kind: SessionKind::Seminar,
            title: String::new(),
            description: String::new(),
            starts_at: Utc::now(),
            ends_at: Utc::now(),
            capacity: 0,
            remote_capacity: 0,
            registration_opens_at: None,
            registration_closes_at: None,
            remote_url: None,
            approval_required: false,
            reserved_seats: 0,
            reserved_until: None,
        };
        let base = current.unwrap_or(&fallback);
        let fields = SessionFields {
            kind: or_keep(kind, base.kind),
            title: or_keep(title, base.title.clone()),
            description: or_keep(description, base.description.clone()),
            starts_at: or_keep(starts_at, base.starts_at),
            ends_at: or_keep(ends_at, base.ends_at),
            capacity: or_keep(cap, base.capacity),
            remote_capacity: or_keep(remote, base.remote_capacity),
            registration_opens_at: or_keep(opens, base.registration_opens_at),
            registration_closes_at: or_keep(closes, base.registration_closes_at),
            remote_url: or_keep(remote_url, base.remote_url.clone()),
            approval_required: or_keep(approval, base.approval_required),
            reserved_seats: or_keep(reserved, base.reserved_seats),
            reserved_until: or_keep(reserved_until, base.reserved_until),
        };
        fields.check_rules(meeting)?;
        Ok(fields)
    }
}

impl SessionFields {
    /// The rules between fields: order of times, inside the meeting, registration window.
    pub fn check_rules(&self, meeting: &Meeting) -> Result<(), AppError> {
        let mut check = Check::new();
        if self.ends_at <= self.starts_at {
            check.fail("ends_at", "must be after starts_at");
        } else if !meeting.contains(self.starts_at, self.ends_at) {
            let message = format!(
                "the session must lie within the meeting's days, {} to {} ({})",
                meeting.first_day, meeting.last_day, meeting.timezone
            );
            check.fail("starts_at", message.clone());
            check.fail("ends_at", message);
        }
        if let (Some(opens), Some(closes)) =
            (self.registration_opens_at, self.registration_closes_at)
        {
            if closes <= opens {
                check.fail(
                    "registration_closes_at",
                    "must be after registration_opens_at",
                );
            }
        }
        if self
            .registration_closes_at
            .is_some_and(|c| c > self.ends_at)
        {
            check.fail(
                "registration_closes_at",
                "must not be after the session ends",
            );
        }
        if self.reserved_seats > self.capacity {
            check.fail(
                "reserved_seats",
                "must not be more than the in-person capacity",
            );
        }
        check.finish()
    }

    /// True when time, place or title differ, which calendar invitations must follow.
    pub fn calendar_differs(&self, other: &SessionFields) -> bool {
        self.starts_at != other.starts_at
            || self.ends_at != other.ends_at
            || self.title != other.title
    }

    /// Is registration open at this instant (ignoring the session's status)?
    pub fn registration_window_open(&self, now: DateTime<Utc>) -> bool {
        let opened = self.registration_opens_at.is_none_or(|o| o <= now);
        let not_closed = self.registration_closes_at.unwrap_or(self.starts_at) > now;
        opened && not_closed
    }
}

impl Session {
    /// The status after publishing, or why it cannot be published.
    pub fn publish(&self) -> Result<SessionStatus, AppError> {
        match self.status {
            SessionStatus::Draft => Ok(SessionStatus::Scheduled),
            SessionStatus::Scheduled => Err(AppError::conflict("the session is scheduled already")),
            SessionStatus::Cancelled => Err(AppError::conflict(
                "a cancelled session cannot be published",
            )),
        }
    }

    /// The status after cancelling, or why it cannot be cancelled.
    pub fn cancel(&self) -> Result<SessionStatus, AppError> {
        match self.status {
            SessionStatus::Cancelled => Err(AppError::conflict("the session is cancelled already")),
            _ => Ok(SessionStatus::Cancelled),
        }
    }

    /// Only sessions that are not cancelled can be edited.
    pub fn ensure_editable(&self) -> Result<(), AppError> {
        match self.status {
            SessionStatus::Cancelled => {
                Err(AppError::conflict("a cancelled session cannot be changed"))
            }
            _ => Ok(()),
        }
    }

    /// Drafts are seen by staff only.
    pub fn is_public(&self) -> bool {
        self.status != SessionStatus::Draft
    }
}

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;
