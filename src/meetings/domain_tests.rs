use super::*;

fn meeting(tz: &str, first: (i32, u32, u32), last: (i32, u32, u32)) -> Meeting {
    let day = |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    Meeting {
        id: "m".into(),
        kind: MeetingKind::StudyGroup,
        study_group: 1,
        question: "22-1/1".into(),
        title: "SG1".into(),
        venue: "Geneva".into(),
        timezone: tz.parse().unwrap(),
        first_day: day(first),
        last_day: day(last),
        created_at: NaiveDateTime::default(),
        updated_at: NaiveDateTime::default(),
    }
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn valid_input() -> MeetingInput {
    MeetingInput {
        kind: Field::Value("rapporteur_group".into()),
        question: Field::Value("22-1/1".into()),
        title: Field::Value("Rapporteur Group meeting".into()),
        venue: Field::Value("Geneva".into()),
        timezone: Field::Value("Europe/Zurich".into()),
        first_day: Field::Value(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()),
        last_day: Field::Value(NaiveDate::from_ymd_opt(2026, 3, 13).unwrap()),
        ..MeetingInput::default()
    }
}

#[test]
fn a_session_on_the_last_evening_in_geneva_lies_inside_the_meeting() {
    let m = meeting("Europe/Zurich", (2026, 3, 9), (2026, 3, 13));
    assert!(m.contains(utc("2026-03-13T17:00:00Z"), utc("2026-03-13T22:59:00Z")));
    assert!(!m.contains(utc("2026-03-13T22:30:00Z"), utc("2026-03-13T23:30:00Z")));
}

#[test]
fn the_first_morning_is_counted_in_the_meetings_time_zone_not_utc() {
    let m = meeting("Asia/Tokyo", (2026, 3, 9), (2026, 3, 9));
    // 08:00 in Tokyo on 9 March is 23:00 UTC on 8 March.
    assert!(m.contains(utc("2026-03-08T23:00:00Z"), utc("2026-03-09T01:00:00Z")));
    assert!(!m.contains(utc("2026-03-08T14:00:00Z"), utc("2026-03-08T16:00:00Z")));
}

#[test]
fn question_numbers_follow_the_itu_form() {
    assert!(is_question_number("22-1/1"));
    assert!(is_question_number("3/2"));
    for bad in ["22", "22-/1", "/1", "a-1/1", "22-1/"] {
        assert!(!is_question_number(bad), "{bad}");
    }
}

#[test]
fn a_meeting_ending_before_it_starts_is_refused_with_every_field_named() {
    let input = MeetingInput {
        kind: Field::Value("plenary".into()),
        timezone: Field::Value("Mars/Base".into()),
        first_day: Field::Value(NaiveDate::from_ymd_opt(2026, 3, 13).unwrap()),
        last_day: Field::Value(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()),
        ..MeetingInput::default()
    };
    let Err(Invalid(errors)) = input.validate() else {
        panic!("expected Invalid")
    };
    for field in ["kind", "question", "title", "venue", "timezone", "last_day"] {
        assert!(errors.contains_key(field), "{field} not named: {errors:?}");
    }
}

#[test]
fn a_valid_meeting_defaults_to_study_group_one() {
    let fields = valid_input().validate().unwrap();
    assert_eq!(fields.kind, MeetingKind::RapporteurGroup);
    assert_eq!(fields.study_group, 1);
    assert_eq!(fields.timezone, chrono_tz::Europe::Zurich);
}

#[test]
fn a_meeting_of_more_than_a_month_is_refused() {
    let mut input = valid_input();
    input.last_day = Field::Value(NaiveDate::from_ymd_opt(2026, 4, 9).unwrap());
    let Err(Invalid(errors)) = input.validate() else {
        panic!("expected Invalid")
    };
    assert!(errors["last_day"][0].contains("at most 31 days"));
}

#[test]
fn a_new_meeting_takes_its_id_and_times_from_the_caller() {
    let now = utc("2026-01-05T10:00:00Z").naive_utc();
    let meeting = valid_input()
        .validate()
        .unwrap()
        .into_meeting(MeetingId::from("m-1"), now);
    assert_eq!(meeting.id.as_str(), "m-1");
    assert_eq!((meeting.created_at, meeting.updated_at), (now, now));
}

#[test]
fn a_meeting_that_ended_yesterday_still_counts_as_upcoming_for_a_day() {
    let now = utc("2026-03-14T06:00:00Z");
    assert_eq!(
        upcoming_last_day(now),
        NaiveDate::from_ymd_opt(2026, 3, 13).unwrap()
    );
}
