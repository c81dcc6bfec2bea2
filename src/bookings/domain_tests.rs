use chrono::{NaiveDateTime, TimeZone};
use serde_json::json;

use super::*;
use crate::bookings::request::BookingInput;
use crate::rooms::domain::{EquipmentKind, Feature};
use crate::sessions::domain::{SessionFields, SessionKind};

fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, hour, minute, 0).unwrap()
}

fn span(from: (u32, u32), to: (u32, u32)) -> Interval {
    Interval::new(at(from.0, from.1), at(to.0, to.1))
}

fn room(capacity: i32) -> Room {
    Room {
        id: "r".into(),
        name: "Room K".into(),
        location: "Annex".into(),
        capacity,
        features: vec![Feature::StepFreeAccess],
    }
}

fn projectors(quantity: i32) -> Equipment {
    Equipment {
        id: "p".into(),
        name: "Projector".into(),
        kind: EquipmentKind::Projector,
        quantity,
    }
}

fn session(id: &str, capacity: i32, status: SessionStatus) -> Session {
    Session {
        id: id.into(),
        meeting_id: "m".into(),
        fields: SessionFields {
            kind: SessionKind::Seminar,
            title: "Cybersecurity".into(),
            description: String::new(),
            starts_at: at(14, 30),
            ends_at: at(17, 30),
            capacity,
            remote_capacity: 0,
            registration_opens_at: None,
            registration_closes_at: None,
            remote_url: None,
            approval_required: false,
            reserved_seats: 0,
            reserved_until: None,
        },
        status,
        cancel_reason: None,
        sequence: 0,
        created_at: NaiveDateTime::default(),
        updated_at: NaiveDateTime::default(),
    }
}

/// A booking of room `r` by a session, holding `projectors` projectors over `interval`.
fn booking(session: &str, interval: Interval, projectors: i32) -> Booking {
    Booking {
        id: format!("b-{session}").into(),
        session_id: session.into(),
        room_id: "r".into(),
        setup_minutes: 0,
        teardown_minutes: 0,
        interval,
        capacity_overridden: false,
        equipment: (projectors > 0)
            .then(|| Reservation {
                equipment_id: "p".into(),
                quantity: projectors,
            })
            .into_iter()
            .collect(),
    }
}

fn held(b: &Booking) -> Held {
    b.held(&"p".into()).unwrap()
}

fn fields_of(error: Invalid) -> Vec<String> {
    error.0.keys().cloned().collect()
}

#[test]
fn a_booking_request_takes_the_default_buffers_and_names_every_bad_field() {
    let input: BookingInput = serde_json::from_value(json!({"room_id": "r"})).unwrap();
    let request = input.validate(30, 15).unwrap();
    assert_eq!((request.setup_minutes, request.teardown_minutes), (30, 15));
    assert!(!request.override_capacity && request.equipment.is_empty());
    let input: BookingInput = serde_json::from_value(json!({
        "setup_minutes": -1, "teardown_minutes": 9999,
        "equipment": [{"equipment_id": "p", "quantity": 0}, {"equipment_id": "m", "quantity": 1},
                      {"equipment_id": "m", "quantity": 2}]
    }))
    .unwrap();
    assert_eq!(
        fields_of(input.validate(30, 15).unwrap_err()),
        [
            "equipment[0].quantity",
            "equipment[2].equipment_id",
            "room_id",
            "setup_minutes",
            "teardown_minutes"
        ]
    );
}

#[test]
fn a_booking_blocks_the_session_widened_by_its_buffers_and_notes_a_small_room() {
    let input: BookingInput = serde_json::from_value(
        json!({"room_id": "r", "setup_minutes": 30, "teardown_minutes": 15,
            "equipment": [{"equipment_id": "p", "quantity": 2}]}),
    )
    .unwrap();
    let request = input.validate(0, 0).unwrap();
    let session = session("s", 50, SessionStatus::Draft);
    let b = request.booking("b".into(), &session, &room(20));
    assert_eq!(b.interval, span((14, 0), (17, 45)));
    assert!(b.capacity_overridden);
    assert_eq!(b.equipment[0].quantity, 2);
}

#[test]
fn a_room_smaller_than_the_session_is_refused_unless_knowingly_overridden() {
    let small = room(20);
    assert_eq!(
        check_capacity(&small, 50, false),
        Err(BookingError::UnderCapacity {
            room: "Room K".into(),
            seats: 20,
            wanted: 50
        })
    );
    assert!(check_capacity(&small, 50, true).is_ok());
    assert!(check_capacity(&small, 20, false).is_ok());
}

#[test]
fn a_cancelled_session_cannot_be_booked() {
    let cancelled = session("s", 10, SessionStatus::Cancelled);
    assert_eq!(
        check_bookable(&cancelled),
        Err(BookingError::SessionCancelled)
    );
    assert!(check_bookable(&session("s", 10, SessionStatus::Draft)).is_ok());
}

#[test]
fn unknown_items_and_quantities_over_the_whole_stock_are_named_by_line() {
    let lines = [("p".into(), 3), ("x".into(), 1), ("p".into(), 1)];
    let error = check_stock(&lines, &[projectors(2)]).unwrap_err();
    assert_eq!(
        fields_of(error),
        ["equipment[0].quantity", "equipment[1].equipment_id"]
    );
}

#[test]
fn every_booking_of_the_room_at_that_time_is_a_room_clash() {
    let candidate = booking("new", span((14, 0), (18, 0)), 0);
    let taken = Taken {
        room: vec![
            booking("a", span((13, 0), (15, 0)), 0),
            booking("b", span((17, 0), (19, 0)), 0),
        ],
        items: vec![],
    };
    let found = clashes(&[candidate], &[taken], &[]);
    let with: Vec<&str> = found.iter().map(|c| c.with_session_id.as_str()).collect();
    assert_eq!(with, ["a", "b"]);
    assert!(found.iter().all(|c| c.kind == ClashKind::Room));
}

#[test]
fn an_item_over_its_stock_clashes_with_the_other_reservations_but_not_the_candidate() {
    let candidate = booking("new", span((14, 0), (18, 0)), 1);
    let other = booking("a", span((13, 0), (15, 0)), 1);
    let taken = Taken {
        room: vec![],
        items: vec![("p".into(), vec![held(&other)])],
    };
    let found = clashes(
        std::slice::from_ref(&candidate),
        std::slice::from_ref(&taken),
        &[projectors(1)],
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, ClashKind::Equipment);
    assert_eq!(found[0].with_booking_id.as_str(), "b-a");
    assert_eq!(found[0].quantity, Some(1));
    assert!(clashes(&[candidate], &[taken], &[projectors(2)]).is_empty());
}

#[test]
fn a_moving_sessions_own_bookings_count_against_each_other_but_are_never_reported() {
    let mut second = booking("s", span((14, 0), (18, 0)), 1);
    second.id = "b-s2".into();
    second.room_id = "r2".into();
    let first = booking("s", span((14, 0), (18, 0)), 1);
    let other = booking("a", span((15, 0), (16, 0)), 1);
    let taken_by_other = || Taken {
        room: vec![],
        items: vec![("p".into(), vec![held(&other)])],
    };
    let candidates = [first, second];
    let found = clashes(
        &candidates,
        &[taken_by_other(), taken_by_other()],
        &[projectors(2)],
    );
    assert_eq!(found.len(), 1, "reported once, not once per candidate");
    assert_eq!(found[0].with_session_id.as_str(), "a");
}

#[test]
fn lowering_a_stock_below_what_is_reserved_at_once_lists_those_reservations() {
    let a = booking("a", span((9, 0), (12, 0)), 2);
    let b = booking("b", span((11, 0), (13, 0)), 1);
    let c = booking("c", span((13, 0), (14, 0)), 1);
    let held = [held(&a), held(&b), held(&c)];
    assert!(check_new_stock(&projectors(3), &held).is_ok());
    let Err(BookingError::OverReserved(over)) = check_new_stock(&projectors(2), &held) else {
        panic!("expected OverReserved")
    };
    let with: Vec<&str> = over.iter().map(|c| c.with_session_id.as_str()).collect();
    assert_eq!(with, ["a", "b"], "c fits on its own");
}

#[test]
fn a_booking_follows_its_session_with_the_same_buffers() {
    let mut b = booking("s", span((14, 0), (17, 45)), 0);
    b.setup_minutes = 30;
    b.teardown_minutes = 15;
    b.follow(at(9, 0), at(10, 0));
    assert_eq!(b.interval, span((8, 30), (10, 15)));
}

#[test]
fn a_sessions_room_is_the_room_of_its_first_booking() {
    let mut second = room(10);
    second.id = "r2".into();
    let rooms = room_per_session(vec![
        ("s".into(), room(20)),
        ("t".into(), second.clone()),
        ("s".into(), second),
    ]);
    assert_eq!(rooms[&SessionId::from("s")].id.as_str(), "r");
    assert_eq!(rooms[&SessionId::from("t")].id.as_str(), "r2");
}
