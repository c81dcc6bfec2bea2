//! The emails an account receives: the link to set a first password, and the one to reset it.

use serde::Serialize;

use crate::mail::notice::Notice;

/// An invited account's link to set its first password.
#[derive(Debug, Clone, Serialize)]
pub struct AccountSetup {
    pub name: String,
    pub url: String,
    /// How long the link stays valid.
    pub hours: i64,
}

impl Notice for AccountSetup {
    const TEMPLATE: &'static str = "account_setup";
}

/// A link to choose a new password, on request.
#[derive(Debug, Clone, Serialize)]
pub struct PasswordReset {
    pub name: String,
    pub url: String,
    /// How long the link stays valid.
    pub hours: i64,
}

impl Notice for PasswordReset {
    const TEMPLATE: &'static str = "password_reset";
}
