//! Who may call a route: the coarse rule every mounted route carries, checked before its handler.

use super::domain::{Role, User};

/// Who may call a route. Finer rules (the rapporteur of this session, the focal point of this
/// administration, the holder of this secret link) are checked by the service behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (public pages, secret links, sign-in).
    Anyone,
    /// Any signed-in account with a role.
    Staff,
    /// Organisers and admins.
    Organiser,
    /// Admins.
    Admin,
}

impl Access {
    /// True when this account may pass.
    pub fn admits(self, user: &User) -> bool {
        match self {
            Access::Anyone => true,
            Access::Staff => user.is_staff(),
            Access::Organiser => user.is_organiser(),
            Access::Admin => user.has(Role::Admin),
        }
    }
}
