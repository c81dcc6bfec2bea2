//! Sessions held along with a meeting: their kinds, life cycle and the rules on their times and capacities.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;

use crate::audit::Actor;
use crate::input::{Check, Invalid};
use crate::meetings::domain::{Meeting, MeetingId};

crate::typed_id!(
    /// A session's id.
    SessionId
);

crate::text_enum!(
    /// What kind of event a session is.
    SessionKind {
        AdhocSession = "adhoc_session",
        Seminar = "seminar",
        Workshop = "workshop",
    }
);

crate::text_enum!(
    /// Where a session is in its life: draft → scheduled → cancelled.
    SessionStatus {
        Draft = "draft",
        Scheduled = "scheduled",
        Cancelled = "cancelled",
    }
);

/// Why a change to a session's life cycle is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SessionError {
    #[error("the session is scheduled already")]
    AlreadyScheduled,
    #[error("a cancelled session cannot be published")]
    CancelledCannotBePublished,
    #[error("the session is cancelled already")]
    AlreadyCancelled,
    #[error("a cancelled session cannot be changed")]
    CancelledCannotBeChanged,
}

/// A session with its validated fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: SessionId,
    pub meeting_id: MeetingId,
    pub fields: SessionFields,
    pub status: SessionStatus,
    pub cancel_reason: Option<String>,
    pub sequence: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The fields of a session a caller may set; serialised as the audit trail records them.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

impl SessionFields {
    /// The rules between fields: order of times, inside the meeting, registration window, seats.
    pub fn check_rules(&self, meeting: &Meeting) -> Result<(), Invalid> {
        let mut check = Check::new();
        self.check_times(&mut check, meeting);
        self.check_registration(&mut check);
        if self.reserved_seats > self.capacity {
            check.fail(
                "reserved_seats",
                "must not be more than the in-person capacity",
            );
        }
        check.finish()
    }

    fn check_times(&self, check: &mut Check, meeting: &Meeting) {
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
    }

    fn check_registration(&self, check: &mut Check) {
        let (opens, closes) = (self.registration_opens_at, self.registration_closes_at);
        if let (Some(opens), Some(closes)) = (opens, closes) {
            if closes <= opens {
                check.fail(
                    "registration_closes_at",
                    "must be after registration_opens_at",
                );
            }
        }
        if closes.is_some_and(|c| c > self.ends_at) {
            check.fail(
                "registration_closes_at",
                "must not be after the session ends",
            );
        }
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
    pub fn publish(&self) -> Result<SessionStatus, SessionError> {
        match self.status {
            SessionStatus::Draft => Ok(SessionStatus::Scheduled),
            SessionStatus::Scheduled => Err(SessionError::AlreadyScheduled),
            SessionStatus::Cancelled => Err(SessionError::CancelledCannotBePublished),
        }
    }

    /// The status after cancelling, or why it cannot be cancelled.
    pub fn cancel(&self) -> Result<SessionStatus, SessionError> {
        match self.status {
            SessionStatus::Cancelled => Err(SessionError::AlreadyCancelled),
            _ => Ok(SessionStatus::Cancelled),
        }
    }

    /// Cancels the session for a reason; holders of its invitation get the next SEQUENCE.
    pub fn cancel_for(&mut self, reason: String) -> Result<(), SessionError> {
        self.status = self.cancel()?;
        self.cancel_reason = Some(reason);
        self.sequence += 1;
        Ok(())
    }

    /// Takes new fields (and meeting), answering the old fields. A change of time, place or
    /// title raises the calendar SEQUENCE, so invitations already sent are updated.
    pub fn edit(
        &mut self,
        fields: SessionFields,
        meeting_id: MeetingId,
        now: NaiveDateTime,
    ) -> SessionFields {
        if fields.calendar_differs(&self.fields) || meeting_id != self.meeting_id {
            self.sequence += 1;
        }
        self.meeting_id = meeting_id;
        self.updated_at = now;
        std::mem::replace(&mut self.fields, fields)
    }

    /// Only sessions that are not cancelled can be edited.
    pub fn ensure_editable(&self) -> Result<(), SessionError> {
        match self.status {
            SessionStatus::Cancelled => Err(SessionError::CancelledCannotBeChanged),
            _ => Ok(()),
        }
    }

    /// Drafts are seen by staff only.
    pub fn is_public(&self) -> bool {
        self.status != SessionStatus::Draft
    }

    /// Open for registration at this instant: scheduled, and inside its registration window.
    pub fn registration_open(&self, now: DateTime<Utc>) -> bool {
        self.status == SessionStatus::Scheduled && self.fields.registration_window_open(now)
    }
}

/// The statuses a caller may see: everything for staff (no filter), no drafts for anyone else.
pub fn visible_statuses(staff: bool) -> Vec<SessionStatus> {
    if staff {
        Vec::new()
    } else {
        vec![SessionStatus::Scheduled, SessionStatus::Cancelled]
    }
}

/// The statuses a list shows: those asked for (all when none) that the caller may see; `None`
/// when nothing asked for may be seen.
pub fn listed_statuses(staff: bool, asked: Vec<SessionStatus>) -> Option<Vec<SessionStatus>> {
    let visible = visible_statuses(staff);
    if visible.is_empty() {
        return Some(asked);
    }
    if asked.is_empty() {
        return Some(visible);
    }
    let shown: Vec<SessionStatus> = asked.into_iter().filter(|s| visible.contains(s)).collect();
    (!shown.is_empty()).then_some(shown)
}

/// What happened to a session, announced to the capabilities that follow it (rooms, calendar
/// holds, registrations, and later agendas and speakers), inside the same transaction.
#[derive(Debug, Clone)]
pub struct SessionEvent {
    pub actor: Actor,
    /// The session as it is now.
    pub session: Session,
    pub meeting: Meeting,
    pub change: SessionChange,
}

/// The kind of change.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionChange {
    /// Fields changed (time, title, capacity, ...); `before` holds the old ones.
    Edited {
        before: Box<SessionFields>,
        moved_meeting: bool,
    },
    /// A draft was published: it is public and open for registration.
    Published,
    /// The session was cancelled.
    Cancelled,
}

impl SessionEvent {
    /// The new start and end, when the session moved in time.
    pub fn moved_to(&self) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        match &self.change {
            SessionChange::Edited { before, .. }
                if (before.starts_at, before.ends_at)
                    != (self.session.fields.starts_at, self.session.fields.ends_at) =>
            {
                Some((self.session.fields.starts_at, self.session.fields.ends_at))
            }
            _ => None,
        }
    }

    /// True when invitation holders must get an update: time, place or title changed on a
    /// scheduled session.
    pub fn calendar_changed(&self) -> bool {
        match &self.change {
            SessionChange::Edited {
                before,
                moved_meeting,
            } => {
                self.session.status == SessionStatus::Scheduled
                    && (self.session.fields.calendar_differs(before) || *moved_meeting)
            }
            _ => false,
        }
    }
}

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;
