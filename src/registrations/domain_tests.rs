use std::collections::BTreeSet;

use chrono::TimeZone;

use super::*;

const DEV: CountryGroup = CountryGroup::Developed;
const LDC: CountryGroup = CountryGroup::Ldc;

fn seats(capacity: i32, reserved: i32) -> Seats {
    Seats { capacity, reserved }
}

fn taken(developed: i32, developing_or_ldc: i32) -> Taken {
    Taken {
        developed,
        developing_or_ldc,
    }
}

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
fn registering_past_capacity_puts_the_delegate_on_the_waiting_list() {
    assert_eq!(
        placement(false, seats(2, 0), DEV, taken(1, 0)),
        Status::Confirmed
    );
    assert_eq!(
        placement(false, seats(2, 0), LDC, taken(1, 1)),
        Status::Waitlisted
    );
}

#[test]
fn a_session_with_approval_leaves_every_new_registration_pending() {
    assert_eq!(
        placement(true, seats(10, 0), DEV, taken(0, 0)),
        Status::Pending
    );
}

#[test]
fn reserved_seats_are_kept_for_developing_countries_and_ldcs() {
    let s = seats(10, 4);
    assert!(s.has_seat_for(DEV, taken(5, 0)));
    assert!(!s.has_seat_for(DEV, taken(6, 0)), "four seats stay held");
    assert!(s.has_seat_for(LDC, taken(6, 3)));
    assert!(s.has_seat_for(CountryGroup::Developing, taken(6, 3)));
    assert!(!s.has_seat_for(LDC, taken(6, 4)), "the room is full");
    assert!(
        s.has_seat_for(DEV, taken(5, 4)),
        "developing delegates beyond the reservation take general seats"
    );
}

#[test]
fn a_reservation_ends_at_its_date_and_never_exceeds_capacity() {
    let at = |d| Utc.with_ymd_and_hms(2027, 3, d, 0, 0, 0).unwrap();
    let fields = SessionFields {
        kind: crate::sessions::domain::SessionKind::Seminar,
        title: "t".into(),
        description: String::new(),
        starts_at: at(20),
        ends_at: at(21),
        capacity: 3,
        remote_capacity: 7,
        registration_opens_at: None,
        registration_closes_at: None,
        remote_url: None,
        approval_required: false,
        reserved_seats: 5,
        reserved_until: Some(at(10)),
    };
    assert_eq!(Seats::of(&fields, Attendance::InPerson, at(9)), seats(3, 3));
    assert_eq!(
        Seats::of(&fields, Attendance::InPerson, at(10)),
        seats(3, 0)
    );
    assert_eq!(Seats::of(&fields, Attendance::Remote, at(9)), seats(7, 0));
}

#[test]
fn promotion_takes_the_first_waiting_who_fit_in_arrival_order() {
    let waiting = [DEV, LDC, DEV, LDC];
    assert_eq!(promotions(seats(3, 0), taken(1, 0), &waiting), vec![0, 1]);
    assert_eq!(
        promotions(seats(4, 2), taken(2, 0), &waiting),
        vec![1, 3],
        "developed delegates wait while seats are held"
    );
    assert!(promotions(seats(2, 0), taken(1, 1), &waiting).is_empty());
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
    assert_eq!(decision(Status::Pending, true), Ok(None));
    assert_eq!(
        decision(Status::Confirmed, false),
        Ok(Some(Status::Rejected))
    );
    assert!(decision(Status::Confirmed, true).is_err());
    assert!(decision(Status::Cancelled, false).is_err());
}

#[test]
fn every_wire_name_reads_back() {
    for c in Category::ALL {
        assert_eq!(Category::parse(c.as_str()), Some(*c));
    }
    for s in Status::ALL {
        assert_eq!(Status::parse(s.as_str()), Some(*s));
    }
    assert_eq!(Attendance::parse("hybrid"), None);
}

#[test]
fn more_confirmed_than_seats_is_said_plainly_and_otherwise_nothing() {
    assert_eq!(
        over_capacity(Attendance::InPerson, 1, 3).as_deref(),
        Some(
            "3 delegates are confirmed in person for 1 seat: nobody is moved to the waiting list, \
             and nobody else is confirmed until 3 of them cancel"
        )
    );
    assert_eq!(over_capacity(Attendance::Remote, 2, 2), None);
    assert_eq!(over_capacity(Attendance::InPerson, 5, 1), None);
}
