//! Who may decide on a registration, what a decision moves it to, and how many one batch may
//! name. Pure.

use std::collections::BTreeSet;

use crate::access::{Role, User};
use crate::input::Invalid;
use crate::registrations::domain::{Registration, RegistrationError, RegistrationId, Status};

/// Most registrations one decision or bulk email may name.
pub const MAX_BATCH: usize = 1000;

/// What a registration's scope is judged on.
#[derive(Debug, Clone, Copy)]
pub struct ScopeOf<'a> {
    pub country: &'a str,
    pub organisation: &'a str,
}

impl<'a> ScopeOf<'a> {
    /// The scope of a registration: its delegate's country and organisation.
    pub fn of(r: &'a Registration) -> ScopeOf<'a> {
        ScopeOf {
            country: &r.delegate.country,
            organisation: &r.delegate.organisation,
        }
    }
}

/// True when a focal point's scope covers the registration: their administration's country, or
/// their entity (a Sector Member), compared without regard to case or surrounding spaces.
pub fn focal_point_covers(user: &User, of: ScopeOf) -> bool {
    if !user.has(Role::FocalPoint) {
        return false;
    }
    let country = user
        .focal_point_country
        .as_deref()
        .is_some_and(|c| c.trim().eq_ignore_ascii_case(of.country.trim()));
    let entity = user
        .focal_point_entity
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .is_some_and(|e| !e.is_empty() && e == of.organisation.trim().to_lowercase());
    country || entity
}

/// May this account approve or reject the registration? Organisers always; focal points in scope.
pub fn may_decide(user: &User, of: ScopeOf) -> bool {
    user.is_organiser() || focal_point_covers(user, of)
}

/// True when a decision can apply to a registration in this status: only a pending one is
/// approved; any that is not cancelled or rejected already can be rejected.
pub fn applies(status: Status, approve: bool) -> bool {
    match status {
        Status::Pending => true,
        Status::Confirmed | Status::Waitlisted => !approve,
        Status::Cancelled | Status::Rejected => false,
    }
}

/// The decision applies to every registration, or the refusal names those it cannot apply to.
pub fn check_states(found: &[Registration], approve: bool) -> Result<(), RegistrationError> {
    let ids: Vec<RegistrationId> = found
        .iter()
        .filter(|r| !applies(r.status, approve))
        .map(|r| r.id.clone())
        .collect();
    if ids.is_empty() {
        Ok(())
    } else {
        Err(RegistrationError::WrongState {
            approving: approve,
            ids,
        })
    }
}

/// The distinct ids of a batch, in order; a batch names at least one and at most `MAX_BATCH`.
pub fn batch(ids: &[RegistrationId]) -> Result<Vec<RegistrationId>, RegistrationError> {
    let ids: Vec<RegistrationId> = ids
        .iter()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if ids.is_empty() {
        return Err(Invalid::field("ids", "name at least one registration").into());
    }
    if ids.len() > MAX_BATCH {
        let message = format!("at most {MAX_BATCH} registrations at once");
        return Err(Invalid::field("ids", message).into());
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(roles: &[Role], country: Option<&str>, entity: Option<&str>) -> User {
        User {
            id: "u".into(),
            email: "fp@example.org".into(),
            name: "Focal Point".into(),
            roles: roles.iter().copied().collect::<BTreeSet<_>>(),
            focal_point_country: country.map(str::to_string),
            focal_point_entity: entity.map(str::to_string),
        }
    }

    fn of<'a>(country: &'a str, organisation: &'a str) -> ScopeOf<'a> {
        ScopeOf {
            country,
            organisation,
        }
    }

    #[test]
    fn a_focal_point_covers_their_country_or_their_entity_only() {
        let kenya = user(&[Role::FocalPoint], Some("KE"), None);
        assert!(focal_point_covers(
            &kenya,
            of("KE", "Communications Authority")
        ));
        assert!(!focal_point_covers(&kenya, of("JP", "MIC")));
        let member = user(&[Role::FocalPoint], None, Some("NTT Corporation"));
        assert!(focal_point_covers(&member, of("JP", " ntt corporation ")));
        assert!(!focal_point_covers(&member, of("JP", "KDDI")));
        let empty = user(&[Role::FocalPoint], None, Some(""));
        assert!(!focal_point_covers(&empty, of("JP", "")));
    }

    #[test]
    fn a_scope_without_the_focal_point_role_counts_for_nothing() {
        let rapporteur = user(&[Role::Rapporteur], Some("KE"), None);
        assert!(!may_decide(&rapporteur, of("KE", "CA")));
        let organiser = user(&[Role::Organiser], None, None);
        assert!(may_decide(&organiser, of("KE", "CA")));
    }

    #[test]
    fn only_pending_registrations_are_approved_and_finished_ones_are_not_rejected() {
        assert!(applies(Status::Pending, true));
        assert!(applies(Status::Confirmed, false));
        assert!(applies(Status::Waitlisted, false));
        assert!(!applies(Status::Confirmed, true));
        assert!(!applies(Status::Cancelled, false));
        assert!(!applies(Status::Rejected, false));
    }

    #[test]
    fn a_batch_names_distinct_ids_and_at_most_a_thousand() {
        let id = |n: usize| RegistrationId::from(format!("id-{n:04}"));
        let twice = [id(2), id(1), id(2)];
        assert_eq!(batch(&twice), Ok(vec![id(1), id(2)]));
        let refused = |ids: &[RegistrationId]| match batch(ids) {
            Err(RegistrationError::Invalid(Invalid(errors))) => errors.contains_key("ids"),
            _ => false,
        };
        assert!(refused(&[]));
        let many: Vec<RegistrationId> = (0..=MAX_BATCH).map(id).collect();
        assert!(refused(&many));
        assert_eq!(batch(&many[..MAX_BATCH]).map(|b| b.len()), Ok(MAX_BATCH));
    }
}
