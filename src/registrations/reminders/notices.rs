//! The reminder email, as a typed notice.

use serde::Serialize;

use crate::holds::notices::SessionSummary;
use crate::mail::notice::Notice;

/// Tomorrow (or in `days`): when, in the meeting's zone, and where — the room and its
/// location, or the join link for a confirmed remote delegate.
#[derive(Debug, Clone, Serialize)]
pub struct Reminder {
    /// The person the email greets.
    pub name: String,
    pub session: SessionSummary,
    /// The delegate's page, to cancel if they cannot come.
    pub link: String,
    pub remote: bool,
}

impl Notice for Reminder {
    const TEMPLATE: &'static str = "registration_reminder";
}
