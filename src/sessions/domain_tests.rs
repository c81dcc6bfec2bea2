use chrono::{FixedOffset, NaiveDate};

use super::*;
use crate::input::Field;
use crate::meetings::domain::MeetingKind;
use crate::sessions::input::SessionInput;

fn meeting() -> Meeting {
    Meeting {
        id: "m".into(),
        kind: MeetingKind::StudyGroup,
        study_group: 1,
        question: "22-1/1".into(),
        title: "SG1".into(),
        venue: "Geneva".into(),
        timezone: "Europe/Zurich".parse().unwrap(),
        first_day: NaiveDate::from_ymd_opt(2026, 3, 9).unwrap(),
        last_day: NaiveDate::from_ymd_opt(2026, 3, 13).unwrap(),
        created_at: NaiveDateTime::default(),
        updated_at: NaiveDateTime::default(),
    }
}

fn at(s: &str) -> Field<DateTime<FixedOffset>> {
    Field::Value(DateTime::parse_from_rfc3339(s).unwrap())
}

fn valid_input() -> SessionInput {
    SessionInput {
        kind: Field::Value("seminar".into()),
        title: Field::Value("Sharing cybersecurity best practices".into()),
        starts_at: at("2026-03-10T14:30:00+01:00"),
        ends_at: at("2026-03-10T17:30:00+01:00"),
        capacity: Field::Value(50),
        ..SessionInput::default()
    }
}

#[test]
fn a_valid_session_is_stored_in_utc() {
    let fields = valid_input().apply(None, &meeting()).unwrap();
    assert_eq!(fields.starts_at.to_rfc3339(), "2026-03-10T13:30:00+00:00");
    assert_eq!(fields.remote_capacity, 0);
}

#[test]
fn a_session_outside_the_meetings_days_is_refused() {
    let input = SessionInput {
        starts_at: at("2026-03-14T09:00:00+01:00"),
        ends_at: at("2026-03-14T10:00:00+01:00"),
        ..valid_input()
    };
    let Err(Invalid(errors)) = input.apply(None, &meeting()) else {
        panic!()
    };
    assert!(errors.contains_key("starts_at"));
}

#[test]
fn a_session_ending_before_it_starts_is_refused() {
    let input = SessionInput {
        ends_at: at("2026-03-10T14:00:00+01:00"),
        ..valid_input()
    };
    let Err(Invalid(errors)) = input.apply(None, &meeting()) else {
        panic!()
    };
    assert!(errors.contains_key("ends_at"));
}

#[test]
fn negative_capacities_and_unknown_kinds_are_each_named() {
    let input = SessionInput {
        kind: Field::Value("party".into()),
        capacity: Field::Value(-1),
        remote_capacity: Field::Value(-5),
        ..valid_input()
    };
    let Err(Invalid(errors)) = input.apply(None, &meeting()) else {
        panic!()
    };
    for field in ["kind", "capacity", "remote_capacity"] {
        assert!(errors.contains_key(field), "{field}: {errors:?}");
    }
}

#[test]
fn a_time_without_an_offset_is_refused_with_a_hint() {
    let input: SessionInput =
        serde_json::from_str(r#"{"starts_at": "2026-03-10T14:30:00"}"#).unwrap();
    let Err(Invalid(errors)) = input.apply(None, &meeting()) else {
        panic!()
    };
    assert!(errors["starts_at"][0].contains("RFC 3339"));
}

#[test]
fn a_patch_keeps_the_fields_it_does_not_name() {
    let current = valid_input().apply(None, &meeting()).unwrap();
    let patch = SessionInput {
        title: Field::Value("Renamed".into()),
        ..SessionInput::default()
    };
    let patched = patch.apply(Some(&current), &meeting()).unwrap();
    assert_eq!(patched.title, "Renamed");
    assert_eq!(patched.starts_at, current.starts_at);
    assert!(patched.calendar_differs(&current));
}

#[test]
fn a_patch_can_clear_the_registration_window_with_null() {
    let mut current = valid_input().apply(None, &meeting()).unwrap();
    current.registration_opens_at = Some(current.starts_at - chrono::Duration::days(10));
    let patch: SessionInput = serde_json::from_str(r#"{"registration_opens_at": null}"#).unwrap();
    assert_eq!(
        patch
            .apply(Some(&current), &meeting())
            .unwrap()
            .registration_opens_at,
        None
    );
}

#[test]
fn publishing_twice_or_after_cancelling_is_a_conflict() {
    let fields = valid_input().apply(None, &meeting()).unwrap();
    let mut session = Session {
        id: "s".into(),
        meeting_id: "m".into(),
        fields,
        status: SessionStatus::Draft,
        cancel_reason: None,
        sequence: 0,
        created_at: NaiveDateTime::default(),
        updated_at: NaiveDateTime::default(),
    };
    assert_eq!(session.publish().unwrap(), SessionStatus::Scheduled);
    session.status = SessionStatus::Scheduled;
    assert_eq!(session.publish(), Err(SessionError::AlreadyScheduled));
    session.status = SessionStatus::Cancelled;
    assert_eq!(
        session.publish(),
        Err(SessionError::CancelledCannotBePublished)
    );
    assert_eq!(session.cancel(), Err(SessionError::AlreadyCancelled));
    assert_eq!(
        session.ensure_editable(),
        Err(SessionError::CancelledCannotBeChanged)
    );
}

fn draft() -> Session {
    Session {
        id: "s".into(),
        meeting_id: "m".into(),
        fields: valid_input().apply(None, &meeting()).unwrap(),
        status: SessionStatus::Draft,
        cancel_reason: None,
        sequence: 0,
        created_at: NaiveDateTime::default(),
        updated_at: NaiveDateTime::default(),
    }
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn a_new_session_without_its_required_fields_names_each_of_them() {
    let Err(Invalid(errors)) = SessionInput::default().apply(None, &meeting()) else {
        panic!()
    };
    let named: Vec<&String> = errors.keys().collect();
    assert_eq!(named, ["capacity", "ends_at", "kind", "starts_at", "title"]);
}

#[test]
fn reserved_seats_beyond_the_in_person_capacity_are_refused() {
    let input = SessionInput {
        reserved_seats: Field::Value(51),
        ..valid_input()
    };
    let Err(Invalid(errors)) = input.apply(None, &meeting()) else {
        panic!()
    };
    assert!(errors.contains_key("reserved_seats"));
}

#[test]
fn registration_may_not_close_after_the_session_ends_or_before_it_opens() {
    let input = SessionInput {
        registration_opens_at: at("2026-03-09T09:00:00+01:00"),
        registration_closes_at: at("2026-03-08T09:00:00+01:00"),
        ..valid_input()
    };
    let Err(Invalid(errors)) = input.apply(None, &meeting()) else {
        panic!()
    };
    assert_eq!(errors["registration_closes_at"].len(), 1);
    let late = SessionInput {
        registration_closes_at: at("2026-03-10T18:00:00+01:00"),
        ..valid_input()
    };
    let Err(Invalid(errors)) = late.apply(None, &meeting()) else {
        panic!()
    };
    assert!(errors["registration_closes_at"][0].contains("after the session ends"));
}

#[test]
fn a_remote_link_must_be_http() {
    let input = SessionInput {
        remote_url: Field::Value("ftp://meet.example.org".into()),
        ..valid_input()
    };
    let Err(Invalid(errors)) = input.apply(None, &meeting()) else {
        panic!()
    };
    assert!(errors.contains_key("remote_url"));
}

#[test]
fn registration_is_open_only_for_a_scheduled_session_inside_its_window() {
    let mut session = draft();
    let before = utc("2026-03-10T12:00:00Z");
    assert!(!session.registration_open(before), "a draft");
    session.status = SessionStatus::Scheduled;
    assert!(session.registration_open(before));
    assert!(
        !session.registration_open(session.fields.starts_at),
        "it has started"
    );
    session.fields.registration_opens_at = Some(utc("2026-03-10T12:30:00Z"));
    assert!(!session.registration_open(before), "not open yet");
}

#[test]
fn anonymous_callers_see_no_drafts_even_when_they_ask_for_them() {
    use SessionStatus::*;
    assert_eq!(listed_statuses(true, vec![]), Some(vec![]));
    assert_eq!(listed_statuses(true, vec![Draft]), Some(vec![Draft]));
    assert_eq!(
        listed_statuses(false, vec![]),
        Some(vec![Scheduled, Cancelled])
    );
    assert_eq!(
        listed_statuses(false, vec![Scheduled]),
        Some(vec![Scheduled])
    );
    assert_eq!(listed_statuses(false, vec![Draft]), None);
}

#[test]
fn moving_a_scheduled_session_changes_its_calendar_but_a_new_capacity_does_not() {
    let mut session = draft();
    session.status = SessionStatus::Scheduled;
    let before = session.fields.clone();
    session.fields.capacity = 80;
    let event = |session: &Session| SessionEvent {
        actor: Actor::System,
        session: session.clone(),
        meeting: meeting(),
        change: SessionChange::Edited {
            before: Box::new(before.clone()),
            moved_meeting: false,
        },
    };
    assert!(!event(&session).calendar_changed());
    assert_eq!(event(&session).moved_to(), None);
    session.fields.starts_at += chrono::Duration::hours(1);
    session.fields.ends_at += chrono::Duration::hours(1);
    assert!(event(&session).calendar_changed());
    assert_eq!(
        event(&session).moved_to(),
        Some((session.fields.starts_at, session.fields.ends_at))
    );
}

#[test]
fn moving_or_retitling_raises_the_calendar_sequence_but_a_new_capacity_does_not() {
    let mut session = draft();
    let now = NaiveDateTime::default() + chrono::Duration::days(1);
    let mut bigger = session.fields.clone();
    bigger.capacity = 90;
    let before = session.edit(bigger, "m".into(), now);
    assert_eq!((session.sequence, before.capacity), (0, 50));
    assert_eq!(session.updated_at, now);
    let mut later = session.fields.clone();
    later.starts_at += chrono::Duration::minutes(30);
    session.edit(later, "m".into(), now);
    assert_eq!(session.sequence, 1);
    session.edit(session.fields.clone(), "other meeting".into(), now);
    assert_eq!(session.sequence, 2, "a new place");
}

#[test]
fn cancelling_keeps_the_reason_and_raises_the_sequence_once() {
    let mut session = draft();
    session.cancel_for("speaker unavailable".into()).unwrap();
    assert_eq!(session.status, SessionStatus::Cancelled);
    assert_eq!(
        session.cancel_reason.as_deref(),
        Some("speaker unavailable")
    );
    assert_eq!(session.sequence, 1);
    assert_eq!(
        session.cancel_for("again".into()),
        Err(SessionError::AlreadyCancelled)
    );
    assert_eq!(session.sequence, 1);
}
