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

/// The administration or Sector Member a focal point speaks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum FocalScope {
    /// A Member State's administration, by ISO 3166-1 alpha-2 code.
    Country(String),
    /// A Sector Member or other entity, by its name.
    Entity(String),
}

impl User {
    /// The focal point's scope, if the account is a focal point with one.
    pub fn focal_scope(&self) -> Option<FocalScope> {
        if !self.has(Role::FocalPoint) {
            return None;
        }
        match (&self.focal_point_country, &self.focal_point_entity) {
            (Some(country), _) => Some(FocalScope::Country(country.clone())),
            (None, Some(entity)) => Some(FocalScope::Entity(entity.clone())),
            (None, None) => None,
        }
    }
}

/// Compares entity names as people type them: case, spacing and punctuation aside.
pub fn same_entity(a: &str, b: &str) -> bool {
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (a, b) = (key(a), key(b));
    !a.is_empty() && a == b
}

/// True when a focal point speaks for a delegate of this country and organisation.
pub fn focal_point_covers(scope: &FocalScope, country: &str, organisation: &str) -> bool {
    match scope {
        FocalScope::Country(code) => code.eq_ignore_ascii_case(country.trim()),
        FocalScope::Entity(name) => same_entity(name, organisation),
    }
}

/// Who may approve or reject a registration: organisers, and the focal point of the delegate's
/// administration or entity. Anyone else must not learn that the registration exists (404).
pub fn may_decide_registration(user: &User, country: &str, organisation: &str) -> bool {
    user.is_organiser()
        || user
            .focal_scope()
            .is_some_and(|scope| focal_point_covers(&scope, country, organisation))
}

/// Who may review (approve, request changes to) a session's agenda: its assigned rapporteurs.
pub fn may_review_agenda(user: &User, rapporteurs_of_session: &[String]) -> bool {
    user.has(Role::Rapporteur) && rapporteurs_of_session.contains(&user.id)
}

/// Who may see a session's staff-only parts (agenda drafts, invitations): organisers and the
/// session's rapporteurs.
pub fn may_see_session_work(user: &User, rapporteurs_of_session: &[String]) -> bool {
    user.is_organiser() || may_review_agenda(user, rapporteurs_of_session)
}

/// Who manages meetings, sessions, speakers, bookings and mail: organisers (and admins).
pub fn may_manage_sessions(user: &User) -> bool {
    user.is_organiser()
}

/// Who manages accounts, reference data and reads the audit trail: admins.
pub fn may_administer(user: &User) -> bool {
    user.has(Role::Admin)
}

/// Checks the roles and scope asked for a new account: a focal point needs exactly one scope,
/// and only a focal point may have one. Answers the message for the field at fault.
pub fn check_scope(
    roles: &BTreeSet<Role>,
    scope: Option<&FocalScope>,
) -> Result<(), (&'static str, &'static str)> {
    match (roles.contains(&Role::FocalPoint), scope) {
        (true, None) => Err((
            "focal_point_scope",
            "a focal point needs a country or an entity",
        )),
        (false, Some(_)) => Err(("focal_point_scope", "only a focal point has a scope")),
        (_, Some(FocalScope::Country(c)))
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) =>
        {
            Err((
                "focal_point_scope",
                "country must be an ISO 3166-1 alpha-2 code",
            ))
        }
        (_, Some(FocalScope::Entity(e))) if e.trim().is_empty() || e.chars().count() > 200 => {
            Err((
                "focal_point_scope",
                "entity must be a name of 1 to 200 characters",
            ))
        }
        _ => Ok(()),
    }
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

    fn account(roles: &[Role], country: Option<&str>, entity: Option<&str>) -> User {
        User {
            id: "me".into(),
            email: "a@b.org".into(),
            name: "A".into(),
            roles: roles.iter().copied().collect(),
            focal_point_country: country.map(str::to_string),
            focal_point_entity: entity.map(str::to_string),
        }
    }

    #[test]
    fn a_focal_point_decides_only_for_their_own_administration_or_entity() {
        let kenya = account(&[Role::FocalPoint], Some("KE"), None);
        assert!(may_decide_registration(
            &kenya,
            "ke",
            "Communications Authority"
        ));
        assert!(!may_decide_registration(
            &kenya,
            "JP",
            "Communications Authority"
        ));
        let operator = account(&[Role::FocalPoint], None, Some("NTT Docomo, Inc."));
        assert!(may_decide_registration(&operator, "JP", "ntt docomo inc"));
        assert!(!may_decide_registration(&operator, "JP", "KDDI"));
        assert!(!may_decide_registration(&operator, "JP", ""));
    }

    #[test]
    fn a_scope_without_the_focal_point_role_grants_nothing() {
        let rapporteur = account(&[Role::Rapporteur], Some("KE"), None);
        assert_eq!(rapporteur.focal_scope(), None);
        assert!(!may_decide_registration(&rapporteur, "KE", "x"));
        assert!(may_decide_registration(
            &account(&[Role::Organiser], None, None),
            "KE",
            "x"
        ));
    }

    #[test]
    fn only_the_sessions_own_rapporteurs_review_its_agenda() {
        let rapporteur = account(&[Role::Rapporteur], None, None);
        let assigned = vec!["other".to_string(), "me".to_string()];
        assert!(may_review_agenda(&rapporteur, &assigned));
        assert!(!may_review_agenda(&rapporteur, &["other".to_string()]));
        let organiser = account(&[Role::Organiser], None, None);
        assert!(!may_review_agenda(&organiser, &assigned));
        assert!(may_see_session_work(&organiser, &[]));
        assert!(!may_see_session_work(&rapporteur, &[]));
    }

    #[test]
    fn admins_administer_and_organisers_manage_sessions() {
        let admin = account(&[Role::Admin], None, None);
        let organiser = account(&[Role::Organiser], None, None);
        assert!(may_administer(&admin) && may_manage_sessions(&admin));
        assert!(!may_administer(&organiser) && may_manage_sessions(&organiser));
    }

    #[test]
    fn a_focal_point_needs_one_valid_scope_and_nobody_else_has_one() {
        let fp: BTreeSet<Role> = [Role::FocalPoint].into();
        let org: BTreeSet<Role> = [Role::Organiser].into();
        let ke = FocalScope::Country("KE".into());
        assert!(check_scope(&fp, Some(&ke)).is_ok());
        assert!(check_scope(&fp, None).is_err());
        assert!(check_scope(&org, Some(&ke)).is_err());
        assert!(check_scope(&org, None).is_ok());
        assert!(check_scope(&fp, Some(&FocalScope::Country("Kenya".into()))).is_err());
        assert!(check_scope(&fp, Some(&FocalScope::Entity(" ".into()))).is_err());
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
