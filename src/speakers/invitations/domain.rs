//! Invitations of speakers to slots (agenda items): their states, the refusal of overlapping
//! slots, travel and dispatch details, and when reminders are due. Pure.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::agendas::domain::ItemKind;
use crate::sessions::domain::SessionId;
use crate::speakers::domain::SpeakerId;

crate::typed_id!(
    /// An invitation's id.
    InvitationId
);

crate::text_enum!(
    /// What the speaker does in the slot.
    SlotRole {
        Speaker = "speaker",
        Moderator = "moderator",
    }
);

crate::text_enum!(
    /// Where an invitation is: invited → confirmed | declined; confirmed → withdrawn; cancelled
    /// when its slot left the approved agenda.
    InvitationStatus {
        Invited = "invited",
        Confirmed = "confirmed",
        Declined = "declined",
        Withdrawn = "withdrawn",
        Cancelled = "cancelled",
    }
);

crate::text_enum!(
    /// Who pays the speaker's travel.
    Funding {
        Mic = "mic",
        SelfFunded = "self",
        Other = "other",
    }
);

/// Travel and dispatch details, given by the speaker or an organiser.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Travel {
    pub needs_travel: Option<bool>,
    pub funded_by: Option<Funding>,
    pub arrival: Option<NaiveDate>,
    pub departure: Option<NaiveDate>,
    pub visa_letter_needed: Option<bool>,
    pub notes: String,
    pub updated_at: Option<DateTime<Utc>>,
}

/// One invitation of one speaker to one slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invitation {
    pub id: InvitationId,
    pub session_id: SessionId,
    pub item_id: String,
    pub speaker_id: SpeakerId,
    pub role: SlotRole,
    pub status: InvitationStatus,
    /// Why the speaker declined or withdrew.
    pub reason: Option<String>,
    pub invited_by: String,
    pub invited_at: DateTime<Utc>,
    pub responded_at: Option<DateTime<Utc>>,
    pub reminders_sent: i32,
    pub last_reminded_at: Option<DateTime<Utc>>,
    pub travel: Travel,
    pub updated_at: DateTime<Utc>,
}

/// A slot as a speaker is told of it: the approved version's item when there is one (its
/// `since_version` is the SEQUENCE), else the working copy's (SEQUENCE 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slot {
    pub session_id: SessionId,
    pub item_id: String,
    pub kind: ItemKind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub sequence: i32,
}

impl Slot {
    /// True when the two slots share an instant.
    pub fn overlaps(&self, other: &Slot) -> bool {
        self.starts_at < other.ends_at && other.starts_at < self.ends_at
    }
}

/// Why an invitation cannot change so.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvitationError {
    #[error("this invitation is {}; it cannot be {action}", .status.as_str())]
    WrongState {
        action: &'static str,
        status: InvitationStatus,
    },
    #[error("a break has no speakers")]
    NotASlot,
    #[error("the speaker is confirmed already for an overlapping slot")]
    Overlap(Box<Slot>),
}

fn wrong(action: &'static str, status: InvitationStatus) -> InvitationError {
    InvitationError::WrongState { action, status }
}

impl InvitationStatus {
    /// Confirming: from an open invitation, or again after declining or withdrawing while the
    /// slot exists.
    pub fn confirm(self) -> Result<InvitationStatus, InvitationError> {
        match self {
            InvitationStatus::Invited
            | InvitationStatus::Declined
            | InvitationStatus::Withdrawn => Ok(InvitationStatus::Confirmed),
            other => Err(wrong("confirmed", other)),
        }
    }

    /// Declining an open invitation (a confirmed one is withdrawn instead).
    pub fn decline(self) -> Result<InvitationStatus, InvitationError> {
        match self {
            InvitationStatus::Invited => Ok(InvitationStatus::Declined),
            other => Err(wrong("declined", other)),
        }
    }

    /// Withdrawing after confirming.
    pub fn withdraw(self) -> Result<InvitationStatus, InvitationError> {
        match self {
            InvitationStatus::Confirmed => Ok(InvitationStatus::Withdrawn),
            other => Err(wrong("withdrawn", other)),
        }
    }
}

/// The first of `confirmed` (the speaker's other confirmed slots, in any session) that overlaps
/// `slot`: confirming would double-book the speaker.
pub fn overlap<'a>(slot: &Slot, confirmed: &'a [Slot]) -> Option<&'a Slot> {
    confirmed
        .iter()
        .find(|other| other.item_id != slot.item_id && other.overlaps(slot))
}

/// Breaks take no speakers.
pub fn takes_speakers(kind: ItemKind) -> Result<(), InvitationError> {
    match kind {
        ItemKind::Break => Err(InvitationError::NotASlot),
        _ => Ok(()),
    }
}

/// When reminders go: the first `first` after the invitation, the second `second` after the
/// first; never more than two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReminderPlan {
    pub first: Duration,
    pub second: Duration,
}

impl ReminderPlan {
    /// The reminder due for an invitation at `now` (1 or 2), if any: only open invitations.
    pub fn due(&self, invitation: &Invitation, now: DateTime<Utc>) -> Option<i32> {
        if invitation.status != InvitationStatus::Invited {
            return None;
        }
        match (invitation.reminders_sent, invitation.last_reminded_at) {
            (0, _) if now >= invitation.invited_at + self.first => Some(1),
            (1, Some(last)) if now >= last + self.second => Some(2),
            _ => None,
        }
    }
}

/// Whole days since `at` (0 on the same day).
pub fn days_since(at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (now - at).num_days().max(0)
}

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;
