//! Secret links for people without accounts, and for account set-up and resets: what a link
//! opens, which links staff may manage, and how long a replacement lives.

use chrono::{Duration, NaiveDateTime};

crate::text_enum!(
    /// What a link opens.
    Purpose {
        /// A delegate's registration: view, cancel, private calendar feed.
        Registration = "registration",
        /// A speaker's invitation to a slot: confirm, decline, travel, slides, feed.
        SpeakerInvitation = "speaker_invitation",
        /// A new account's first password.
        AccountSetup = "account_setup",
        /// A forgotten password.
        PasswordReset = "password_reset",
        /// A focal point's decision on one registration, from the notification email.
        FocalPointDecision = "focal_point_decision",
    }
);

impl Purpose {
    /// The purpose a staff path names, if staff may manage such links; account links are the
    /// account holder's business.
    pub fn managed_by_staff(name: &str) -> Option<Purpose> {
        match Purpose::parse(name)? {
            p @ (Purpose::Registration
            | Purpose::SpeakerInvitation
            | Purpose::FocalPointDecision) => Some(p),
            Purpose::AccountSetup | Purpose::PasswordReset => None,
        }
    }

    /// The audit record kind of the record a link opens.
    pub fn record_kind(self) -> &'static str {
        match self {
            Purpose::Registration | Purpose::FocalPointDecision => "registration",
            Purpose::SpeakerInvitation => "invitation",
            Purpose::AccountSetup | Purpose::PasswordReset => "user",
        }
    }
}

/// A link issued again lives as long as the one it replaces did (forever if that one did).
pub fn reissued_lifetime(
    created_at: NaiveDateTime,
    expires_at: Option<NaiveDateTime>,
) -> Option<Duration> {
    expires_at.map(|e| e - created_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_manage_delegates_speakers_and_focal_point_links_but_not_account_links() {
        for name in ["registration", "speaker_invitation", "focal_point_decision"] {
            assert!(Purpose::managed_by_staff(name).is_some(), "{name}");
        }
        for name in ["account_setup", "password_reset", "nonsense"] {
            assert_eq!(Purpose::managed_by_staff(name), None, "{name}");
        }
    }

    #[test]
    fn a_focal_points_link_is_audited_on_the_registration_it_decides() {
        assert_eq!(Purpose::FocalPointDecision.record_kind(), "registration");
        assert_eq!(Purpose::SpeakerInvitation.record_kind(), "invitation");
    }

    #[test]
    fn a_reissued_link_lives_as_long_as_the_one_it_replaces() {
        let created = NaiveDateTime::default();
        assert_eq!(
            reissued_lifetime(created, Some(created + Duration::days(3))),
            Some(Duration::days(3))
        );
        assert_eq!(reissued_lifetime(created, None), None);
    }
}
