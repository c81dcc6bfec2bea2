//! Rapporteurs assigned to sessions: who may be assigned, and who joins or leaves.

use std::collections::BTreeSet;

use crate::access::domain::Role;
use crate::input::{Check, Invalid};

/// An account proposed as a session's rapporteur.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: String,
    /// Whether the account is active and what roles it has; `None` when no account has the id.
    pub account: Option<(bool, BTreeSet<Role>)>,
}

impl Candidate {
    /// Only an active account with the rapporteur role may review a session's agenda.
    pub fn may_be_assigned(&self) -> bool {
        self.account
            .as_ref()
            .is_some_and(|(active, roles)| *active && roles.contains(&Role::Rapporteur))
    }
}

/// Refuses the assignment when any candidate may not be assigned, naming each of them.
pub fn check_candidates(candidates: &[Candidate]) -> Result<(), Invalid> {
    let mut check = Check::new();
    for candidate in candidates.iter().filter(|c| !c.may_be_assigned()) {
        check.fail(
            "user_ids",
            format!("{} is not an active rapporteur", candidate.id),
        );
    }
    check.finish()
}

/// Who joins and who leaves when a session's rapporteurs go from `before` to `after`.
pub fn turnover<'a>(
    before: &'a BTreeSet<String>,
    after: &'a BTreeSet<String>,
) -> (Vec<&'a String>, Vec<&'a String>) {
    (
        after.difference(before).collect(),
        before.difference(after).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: &str, active: bool, roles: &[Role]) -> Candidate {
        Candidate {
            id: id.into(),
            account: Some((active, roles.iter().copied().collect())),
        }
    }

    #[test]
    fn only_active_accounts_with_the_rapporteur_role_may_be_assigned() {
        let ok = candidate("r", true, &[Role::Rapporteur, Role::Organiser]);
        let inactive = candidate("i", false, &[Role::Rapporteur]);
        let organiser = candidate("o", true, &[Role::Organiser]);
        let unknown = Candidate {
            id: "u".into(),
            account: None,
        };
        assert!(check_candidates(std::slice::from_ref(&ok)).is_ok());
        let Err(Invalid(errors)) = check_candidates(&[ok, inactive, organiser, unknown]) else {
            panic!("expected Invalid")
        };
        assert_eq!(errors["user_ids"].len(), 3);
        assert!(errors["user_ids"][0].starts_with("i "));
    }

    #[test]
    fn replacing_rapporteurs_names_who_joins_and_who_leaves() {
        let before: BTreeSet<String> = ["a", "b"].map(String::from).into();
        let after: BTreeSet<String> = ["b", "c"].map(String::from).into();
        let (added, removed) = turnover(&before, &after);
        assert_eq!(added, ["c"]);
        assert_eq!(removed, ["a"]);
    }
}
