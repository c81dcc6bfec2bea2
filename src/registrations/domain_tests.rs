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

#[test]
fn registering_past_capacity_puts_the_delegate_on_the_waiting_list() {
    assert_eq!(
        placement(&Approval::NotRequired, seats(2, 0), DEV, taken(1, 0)),
        Status::Confirmed
    );
    assert_eq!(
        placement(&Approval::NotRequired, seats(2, 0), LDC, taken(1, 1)),
        Status::Waitlisted
    );
}

#[test]
fn a_session_with_approval_leaves_every_new_registration_pending() {
    assert_eq!(
        placement(&Approval::Awaited, seats(10, 0), DEV, taken(0, 0)),
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

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, day, 0, 0, 0).unwrap()
}

fn fields() -> SessionFields {
    SessionFields {
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
    }
}

fn user(id: &str, roles: &[Role]) -> User {
    User {
        id: id.into(),
        email: format!("{id}@example.org"),
        name: id.into(),
        roles: roles.iter().copied().collect::<BTreeSet<_>>(),
        focal_point_country: Some("KE".into()),
        focal_point_entity: None,
    }
}

#[test]
fn a_reservation_ends_at_its_date_and_never_exceeds_capacity() {
    let fields = fields();
    assert_eq!(Seats::of(&fields, Attendance::InPerson, at(9)), seats(3, 3));
    assert_eq!(
        Seats::of(&fields, Attendance::InPerson, at(10)),
        seats(3, 0)
    );
    assert_eq!(Seats::of(&fields, Attendance::Remote, at(9)), seats(7, 0));
}

#[test]
fn registration_opens_and_closes_with_the_window_and_never_for_drafts_or_cancelled_sessions() {
    let mut fields = fields();
    fields.registration_opens_at = Some(at(5));
    let scheduled = SessionStatus::Scheduled;
    assert_eq!(admission(scheduled, &fields, at(5)), Ok(()));
    assert_eq!(
        admission(scheduled, &fields, at(4)),
        Err(RegistrationError::Closed {
            opens_at: Some(at(5)),
            closes_at: at(20)
        }),
        "without a closing date, registration closes when the session starts"
    );
    assert!(matches!(
        admission(scheduled, &fields, at(20)),
        Err(RegistrationError::Closed { .. })
    ));
    assert_eq!(
        admission(SessionStatus::Draft, &fields, at(6)),
        Err(RegistrationError::Unknown)
    );
    assert_eq!(
        admission(SessionStatus::Cancelled, &fields, at(6)),
        Err(RegistrationError::Cancelled)
    );
}

#[test]
fn a_focal_point_registering_themselves_needs_no_other_approval() {
    let focal_point = user("fp", &[Role::FocalPoint]);
    let organiser = user("org", &[Role::Organiser]);
    assert_eq!(
        Approval::of(true, Some(&focal_point)),
        Approval::Own("fp".into())
    );
    assert_eq!(Approval::of(true, Some(&organiser)), Approval::Awaited);
    assert_eq!(Approval::of(true, None), Approval::Awaited);
    assert_eq!(
        Approval::of(false, Some(&focal_point)),
        Approval::NotRequired
    );
    assert_eq!(
        Approval::Own("fp".into()).decided_by().as_deref(),
        Some("fp")
    );
    assert_eq!(Approval::NotRequired.decided_by(), None);
}

#[test]
fn sharing_an_email_needs_consent_to_the_directory() {
    assert_eq!(consent(false, true), (false, false));
    assert_eq!(consent(true, true), (true, true));
    assert_eq!(consent(true, false), (true, false));
}

#[test]
fn cancelling_twice_is_harmless_and_a_rejected_registration_stays_rejected() {
    assert_eq!(cancellation(Status::Cancelled), Ok(None));
    assert_eq!(
        cancellation(Status::Rejected),
        Err(RegistrationError::Rejected)
    );
    assert_eq!(
        cancellation(Status::Waitlisted),
        Ok(Some(Status::Waitlisted))
    );
}

#[test]
fn only_a_confirmed_remote_delegate_sees_the_connection_link() {
    assert!(sees_remote_link(Status::Confirmed, Attendance::Remote));
    assert!(!sees_remote_link(Status::Waitlisted, Attendance::Remote));
    assert!(!sees_remote_link(Status::Pending, Attendance::Remote));
    assert!(!sees_remote_link(Status::Confirmed, Attendance::InPerson));
}

#[test]
fn a_passport_must_outlive_today_and_choices_list_every_wire_name() {
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    assert!(passport_valid(today.succ_opt().unwrap(), today));
    assert!(!passport_valid(today, today));
    assert_eq!(
        choices(Category::ALL),
        "policy_maker, regulator, operator, manufacturer, other"
    );
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
