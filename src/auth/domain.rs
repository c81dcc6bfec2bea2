//! Accounts and roles: who a signed-in caller is and what each role may do.

use std::collections::BTreeSet;

use serde::Serialize;

/// A role held by an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Organiser,
    Rapporteur,
    FocalPoint,
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Organiser,
        Role::Rapporteur,
        Role::FocalPoint,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Organiser => "organiser",
            Role::Rapporteur => "rapporteur",
            Role::FocalPoint => "focal_point",
        }
    }

    /// Reads a wire name.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// Reads the stored space-separated role list, skipping names this build does not know.
pub fn parse_roles(stored: &str) -> BTreeSet<Role> {
    stored.split_whitespace().filter_map(Role::parse).collect()
}

/// Writes a role set as stored.
pub fn format_roles(roles: &BTreeSet<Role>) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A signed-in account.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub roles: BTreeSet<Role>,
    pub focal_point_country: Option<String>,
    pub focal_point_entity: Option<String>,
}

impl User {
    /// True when the account holds the role.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Organisers manage meetings and sessions; admins may do everything organisers do.
    pub fn is_organiser(&self) -> bool {
        self.has(Role::Organiser) || self.has(Role::Admin)
    }

    /// Staff are all signed-in accounts with at least one role.
    pub fn is_staff(&self) -> bool {
        !self.roles.is_empty()
    }
}

/// Normalises an email address for storage and comparison.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A plausible address: one @, something on both sides, a dot in the domain, no spaces or controls.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && email.len() <= 254
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"(),;:\\[]".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_stored_form() {
        let roles: BTreeSet<Role> = [Role::Rapporteur, Role::Admin].into();
        assert_eq!(parse_roles(&format_roles(&roles)), roles);
    }

    #[test]
    fn an_admin_counts_as_an_organiser() {
        let user = User {
            id: "u".into(),
            email: "a@b.org".into(),
            name: "A".into(),
            roles: [Role::Admin].into(),
            focal_point_country: None,
            focal_point_entity: None,
        };
        assert!(user.is_organiser());
        assert!(!user.has(Role::Rapporteur));
    }

    #[test]
    fn implausible_emails_are_refused() {
        assert!(is_plausible_email("kenji.sato@soumu.go.jp"));
        for bad in [
            "",
            "no-at",
            "a@b",
            "a b@c.org",
            "a@b.org\r\nBcc: x@y.z",
            "<a@b.org>",
        ] {
            assert!(!is_plausible_email(bad), "{bad:?}");
        }
    }
}
