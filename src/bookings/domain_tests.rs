use chrono::TimeZone;
use serde_json::json;

use super::*;
use crate::rooms::domain::{Feature, RoomInput};

fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, hour, minute, 0).unwrap()
}

fn span(from: (u32, u32), to: (u32, u32)) -> Interval {
    Interval::new(at(from.0, from.1), at(to.0, to.1))
}

fn held(session: &str, interval: Interval, quantity: i32) -> Held {
    Held {
        session_id: session.into(),
        booking_id: format!("b-{session}"),
        interval,
        quantity,
    }
}

fn errors_of(result: Result<impl std::fmt::Debug, AppError>) -> Vec<String> {
    match result {
        Err(AppError::Invalid(errors)) => errors.keys().cloned().collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn the_blocked_interval_is_the_session_widened_by_set_up_and_tear_down() {
    let blocked = Interval::blocked(at(14, 30), at(17, 30), 30, 15);
    assert_eq!(blocked, span((14, 0), (17, 45)));
}

#[test]
fn a_booking_that_ends_as_another_starts_does_not_overlap_it() {
    assert!(!span((9, 0), (10, 0)).overlaps(&span((10, 0), (11, 0))));
    assert!(!span((10, 0), (11, 0)).overlaps(&span((9, 0), (10, 0))));
    assert!(span((9, 0), (10, 1)).overlaps(&span((10, 0), (11, 0))));
    assert!(span((9, 0), (12, 0)).overlaps(&span((10, 0), (11, 0))));
}

#[test]
fn the_peak_of_reservations_that_follow_one_another_is_not_their_sum() {
    let window = span((9, 0), (17, 0));
    let list = [
        held("a", span((9, 0), (11, 0)), 1),
        held("b", span((11, 0), (13, 0)), 1),
        held("c", span((13, 0), (17, 0)), 1),
    ];
    assert_eq!(peak(&window, &list), 1);
    assert!(over_stock(1, &window, &list).is_empty());
}

#[test]
fn the_peak_counts_reservations_that_started_before_the_window() {
    let list = [
        held("a", span((8, 0), (12, 0)), 2),
        held("b", span((10, 0), (11, 0)), 3),
    ];
    assert_eq!(peak(&span((9, 0), (10, 30)), &list), 5);
    assert_eq!(peak(&span((9, 0), (10, 0)), &list), 2);
    assert_eq!(peak(&span((12, 0), (13, 0)), &list), 0);
}

#[test]
fn only_the_reservations_held_where_the_stock_is_exceeded_are_culprits() {
    let window = span((9, 0), (17, 0));
    let list = [
        held("early", span((9, 0), (10, 0)), 1),
        held("mid", span((12, 0), (14, 0)), 1),
        held("new", span((9, 0), (17, 0)), 1),
        held("late", span((16, 0), (17, 0)), 1),
    ];
    assert_eq!(peak(&window, &list), 2);
    assert!(over_stock(2, &window, &list).is_empty());
    assert_eq!(over_stock(1, &window, &list), vec![0, 1, 2, 3]);
    let tight = [
        held("a", span((9, 0), (10, 0)), 1),
        held("b", span((13, 0), (15, 0)), 2),
        held("new", span((9, 0), (17, 0)), 1),
    ];
    assert_eq!(
        over_stock(2, &window, &tight),
        vec![1, 2],
        "a fits beside new"
    );
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
        errors_of(input.validate(30, 15)),
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
fn a_room_with_an_unknown_feature_or_missing_fields_is_refused_with_each_named() {
    let input: RoomInput =
        serde_json::from_value(json!({"name": " ", "capacity": -2, "features": ["sauna"]}))
            .unwrap();
    assert_eq!(
        errors_of(input.apply("r".into(), None)),
        ["capacity", "features", "location", "name"]
    );
    let input: RoomInput = serde_json::from_value(json!({"name": "Room B", "location": "Tower, 2nd floor",
        "capacity": 40, "features": ["video_conferencing", "step_free_access", "video_conferencing"]}))
    .unwrap();
    let room = input.apply("r".into(), None).unwrap();
    assert_eq!(
        room.features,
        [Feature::VideoConferencing, Feature::StepFreeAccess]
    );
}

#[test]
fn a_room_smaller_than_the_session_is_refused_unless_knowingly_overridden() {
    let room = Room {
        id: "r".into(),
        name: "Room K".into(),
        location: "Annex".into(),
        capacity: 20,
        features: vec![],
    };
    assert_eq!(errors_of(check_capacity(&room, 50, false)), ["room_id"]);
    assert!(check_capacity(&room, 50, true).is_ok());
    assert!(check_capacity(&room, 20, false).is_ok());
}

#[test]
fn the_free_gaps_are_what_the_busy_intervals_leave_of_the_window() {
    let window = span((8, 0), (18, 0));
    let busy = [
        span((7, 0), (9, 0)),
        span((12, 0), (13, 0)),
        span((13, 0), (14, 0)),
    ];
    assert_eq!(
        free_gaps(&window, &busy),
        [span((9, 0), (12, 0)), span((14, 0), (18, 0))]
    );
    assert_eq!(free_gaps(&window, &[]), [window]);
    assert!(free_gaps(&window, &[span((6, 0), (19, 0))]).is_empty());
}
