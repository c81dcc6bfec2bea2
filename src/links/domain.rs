//! Secret links for people without accounts, and for account set-up and resets: what a link opens.

/// What a link opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A delegate's registration: view, cancel, private calendar feed.
    Registration,
    /// A speaker's invitation to a slot: confirm, decline, travel, slides, feed.
    SpeakerInvitation,
    /// A new account's first password.
    AccountSetup,
    /// A forgotten password.
    PasswordReset,
    /// A focal point's decision on one registration, from the notification email.
    FocalPointDecision,
}

impl Purpose {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Registration => "registration",
            Purpose::SpeakerInvitation => "speaker_invitation",
            Purpose::AccountSetup => "account_setup",
            Purpose::PasswordReset => "password_reset",
            Purpose::FocalPointDecision => "focal_point_decision",
        }
    }

    /// Reads a stored name.
    pub fn parse(name: &str) -> Option<Purpose> {
        [
            Purpose::Registration,
            Purpose::SpeakerInvitation,
            Purpose::AccountSetup,
            Purpose::PasswordReset,
            Purpose::FocalPointDecision,
        ]
        .into_iter()
        .find(|p| p.as_str() == name)
    }
}
