use chrono::TimeZone;

use super::*;

fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, hour, minute, 0).unwrap()
}

fn span(from: (u32, u32), to: (u32, u32)) -> Interval {
    Interval::new(at(from.0, from.1), at(to.0, to.1))
}

/// A load for the tests: `quantity` held over a span.
struct Lent(Interval, i32);

impl Load for Lent {
    fn span(&self) -> Interval {
        self.0
    }
    fn quantity(&self) -> i32 {
        self.1
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
        Lent(span((9, 0), (11, 0)), 1),
        Lent(span((11, 0), (13, 0)), 1),
        Lent(span((13, 0), (17, 0)), 1),
    ];
    assert_eq!(peak(&window, &list), 1);
    assert!(over_stock(1, &window, &list).is_empty());
}

#[test]
fn the_peak_counts_reservations_that_started_before_the_window() {
    let list = [
        Lent(span((8, 0), (12, 0)), 2),
        Lent(span((10, 0), (11, 0)), 3),
    ];
    assert_eq!(peak(&span((9, 0), (10, 30)), &list), 5);
    assert_eq!(peak(&span((9, 0), (10, 0)), &list), 2);
    assert_eq!(peak(&span((12, 0), (13, 0)), &list), 0);
}

#[test]
fn only_the_reservations_held_where_the_stock_is_exceeded_are_culprits() {
    let window = span((9, 0), (17, 0));
    let list = [
        Lent(span((9, 0), (10, 0)), 1),
        Lent(span((12, 0), (14, 0)), 1),
        Lent(span((9, 0), (17, 0)), 1),
        Lent(span((16, 0), (17, 0)), 1),
    ];
    assert_eq!(peak(&window, &list), 2);
    assert!(over_stock(2, &window, &list).is_empty());
    assert_eq!(over_stock(1, &window, &list), vec![0, 1, 2, 3]);
    let tight = [
        Lent(span((9, 0), (10, 0)), 1),
        Lent(span((13, 0), (15, 0)), 2),
        Lent(span((9, 0), (17, 0)), 1),
    ];
    assert_eq!(
        over_stock(2, &window, &tight),
        vec![1, 2],
        "the first fits beside the whole-day one"
    );
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

#[test]
fn an_availability_question_must_end_after_it_starts_and_span_at_most_92_days() {
    let Err(Invalid(errors)) = check_window(&span((10, 0), (9, 0))) else {
        panic!("expected Invalid")
    };
    assert_eq!(errors["to"], ["must be after from"]);
    let long = Interval::new(at(0, 0), at(0, 0) + Duration::days(93));
    assert!(check_window(&long).is_err());
    let quarter = Interval::new(at(0, 0), at(0, 0) + Duration::days(92));
    assert!(check_window(&quarter).is_ok());
}

#[test]
fn the_stock_horizon_starts_now_and_reaches_years_ahead() {
    let ahead = Interval::ahead(at(9, 0));
    assert_eq!(ahead.from, at(9, 0));
    assert!(ahead.to - ahead.from > Duration::days(3650));
}
