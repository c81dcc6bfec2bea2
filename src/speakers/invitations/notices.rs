//! The emails of speakers' invitations: the invitation whose subject starts "Action required",
//! its reminders, the slot's calendar invitation, update and cancellation, and what organisers
//! are told when a speaker declines or withdraws.

use serde::Serialize;

use crate::config::Settings;
use crate::db::Conn;
use crate::error::AppError;
use crate::mail::notice::{self, Notice};
use crate::mail::outbox::{self, Email, RecordKind};
use crate::meetings::domain::Meeting;
use crate::sessions::domain::Session;
use crate::speakers::invitations::domain::{Slot, SlotRole};
use crate::web::{local_span, Lang};

/// The emails about an invitation are kept under this record kind.
pub const INVITATION: RecordKind = RecordKind::named("speaker_invitation");

/// A slot as an email shows it (`slot.*` in the templates).
#[derive(Debug, Clone, Serialize)]
pub struct SlotSummary {
    pub title: String,
    pub session: String,
    pub meeting: String,
    /// Its day and hours in the meeting's zone.
    pub when: String,
    pub timezone: &'static str,
    pub location: String,
    /// `speaker` or `moderator`.
    pub role: SlotRole,
    /// The session's public page.
    pub url: String,
}

impl SlotSummary {
    /// The summary of a slot of a session, at `location`.
    pub fn of(
        settings: &Settings,
        (session, meeting): (&Session, &Meeting),
        slot: &Slot,
        role: SlotRole,
        location: String,
    ) -> SlotSummary {
        SlotSummary {
            title: slot.title.clone(),
            session: session.fields.title.clone(),
            meeting: meeting.title.clone(),
            when: local_span(meeting.timezone, slot.starts_at, slot.ends_at),
            timezone: meeting.timezone.name(),
            location,
            role,
            url: format!("{}/sessions/{}", settings.base_url(), session.id),
        }
    }
}

/// Declares a notice to a speaker about a slot.
macro_rules! notice {
    ($(#[$doc:meta])* $name:ident = $template:literal { $($field:ident: $type:ty),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Serialize)]
        pub struct $name {
            /// The person the email greets.
            pub name: String,
            pub slot: SlotSummary,
            $(pub $field: $type),*
        }

        impl Notice for $name {
            const TEMPLATE: &'static str = $template;
        }
    };
}

notice!(
    /// The invitation: "Action required", with the secret link to answer.
    Invited = "speaker_invited" { link: String }
);
notice!(
    /// A reminder of an unanswered invitation (1 or 2).
    Reminder = "speaker_reminder" { link: String, number: i32 }
);
notice!(
    /// The slot is confirmed; its calendar invitation is attached.
    Confirmed = "speaker_confirmed" { link: String }
);
notice!(
    /// The slot changed (time, title or place); the update is attached.
    Updated = "speaker_slot_updated" {}
);
notice!(
    /// The slot is gone (removed from the agenda, or the session cancelled); the CANCEL is attached.
    SlotCancelled = "speaker_slot_cancelled" { reason: String }
);
notice!(
    /// The speaker withdrew; the CANCEL is attached.
    Withdrawn = "speaker_withdrawn" { link: String }
);
notice!(
    /// To an organiser: a speaker declined or withdrew, and why.
    Answered = "speaker_answered" { speaker: String, answer: String, reason: String, board: String }
);

/// Renders a notice and queues it to one address, about one invitation, with a calendar if any.
pub fn send<N: Notice>(
    conn: &mut Conn,
    settings: &Settings,
    (to_email, to_name): (&str, &str),
    invitation_id: &str,
    notice: &N,
) -> Result<(), AppError> {
    let mail = notice::render(settings, Lang("en"), notice)?;
    let email = Email {
        to_email: to_email.to_string(),
        to_name: to_name.to_string(),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        calendar: None,
        record_kind: INVITATION,
        record_id: invitation_id.to_string(),
        reply_to: None,
    };
    outbox::enqueue(conn, &settings.public_host(), email)?;
    Ok(())
}
