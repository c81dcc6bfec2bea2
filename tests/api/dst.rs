//! Sessions around Geneva's changes of clock (last Sunday of March and of October): the times
//! shown on pages, written in the public feed and in invitations are right on both sides, and
//! for a session that spans the change itself.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde_json::{json, Value};

use crate::on_both_backends;
use crate::registrations::{calendar_of, delegate, mail_to, register};
use crate::support::{fixture_year, TestApp};

on_both_backends!(
    sessions_before_across_and_after_the_march_change_show_feed_and_invite_the_right_times,
    sessions_before_across_and_after_the_october_change_show_feed_and_invite_the_right_times,
);

/// The last Sunday of a month.
fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let mut day = NaiveDate::from_ymd_opt(year, month + 1, 1).unwrap() - Duration::days(1);
    while day.weekday() != Weekday::Sun {
        day -= Duration::days(1);
    }
    day
}

/// One session: local start and end as sent (with their offsets), and what must come back.
struct Case {
    starts_at: String,
    ends_at: String,
    /// The instants in UTC, as the API answers them.
    utc: (String, String),
    /// DTSTART and DTEND as written in calendars.
    ics: (String, String),
    /// The local span the pages and emails show.
    shown: String,
}

fn case(start: (NaiveDate, &str, &str), end: (NaiveDate, &str, &str), utc: (&str, &str)) -> Case {
    let ((sd, st, so), (ed, et, eo)) = (start, end);
    let utc_of = |s: &str| -> (NaiveDate, String) {
        let (day, time) = s.split_once(' ').unwrap();
        let shift: i64 = day.parse().unwrap();
        (sd + Duration::days(shift), time.to_string())
    };
    let ((ud1, ut1), (ud2, ut2)) = (utc_of(utc.0), utc_of(utc.1));
    let shown = if sd == ed {
        format!("{} {st}–{et}", sd.format("%a %Y-%m-%d"))
    } else {
        format!(
            "{} {st} – {} {et}",
            sd.format("%a %Y-%m-%d"),
            ed.format("%a %Y-%m-%d")
        )
    };
    Case {
        starts_at: format!("{sd}T{st}:00{so}"),
        ends_at: format!("{ed}T{et}:00{eo}"),
        utc: (format!("{ud1}T{ut1}:00Z"), format!("{ud2}T{ut2}:00Z")),
        ics: (
            format!(
                "DTSTART:{}T{}00Z",
                ud1.format("%Y%m%d"),
                ut1.replace(':', "")
            ),
            format!("DTEND:{}T{}00Z", ud2.format("%Y%m%d"), ut2.replace(':', "")),
        ),
        shown,
    }
}

async fn check_cases(app: &TestApp, change: NaiveDate, cases: Vec<Case>) {
    let token = app.organiser().await;
    let mut meeting = crate::support::meeting_body();
    meeting["first_day"] = json!((change - Duration::days(3)).to_string());
    meeting["last_day"] = json!((change + Duration::days(3)).to_string());
    let meeting: Value = app
        .post_as(&token, "/api/v1/meetings", meeting)
        .await
        .json()
        .await
        .unwrap();
    for (n, case) in cases.iter().enumerate() {
        let mut body = crate::support::session_body(meeting["id"].as_str().unwrap());
        body["starts_at"] = json!(case.starts_at);
        body["ends_at"] = json!(case.ends_at);
        let created = app.post_as(&token, "/api/v1/sessions", body).await;
        assert_eq!(created.status(), 201, "{}", case.starts_at);
        let session: Value = created.json().await.unwrap();
        let id = session["id"].as_str().unwrap();
        let published = app
            .post_as(&token, &format!("/api/v1/sessions/{id}/publish"), json!({}))
            .await;
        assert_eq!(published.status(), 200);
        assert_eq!(
            (&session["starts_at"], &session["ends_at"]),
            (&json!(case.utc.0), &json!(case.utc.1)),
            "the API answers the instants in UTC"
        );

        let page = app
            .get(&format!("/sessions/{id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(&case.shown),
            "page shows {}: {page}",
            case.shown
        );

        let feed = app
            .get(&format!("/sessions/{id}/calendar.ics"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            feed.contains(&case.ics.0) && feed.contains(&case.ics.1),
            "feed holds {} and {}: {feed}",
            case.ics.0,
            case.ics.1
        );

        let email = format!("dst{n}@example.org");
        let (status, body) = register(app, id, delegate(&email, "KE")).await;
        assert_eq!((status, body["status"].as_str()), (201, Some("confirmed")));
        let rows = mail_to(app, &email).await;
        let invitation = rows
            .iter()
            .find(|r| r.calendar.is_some())
            .expect("an invitation");
        let (method, event) = calendar_of(invitation);
        assert_eq!(method, "REQUEST");
        assert_eq!(
            (event.starts_at.to_rfc3339(), event.ends_at.to_rfc3339()),
            (
                case.utc.0.replace('Z', "+00:00"),
                case.utc.1.replace('Z', "+00:00")
            ),
        );
        let ics = invitation.calendar.as_deref().unwrap();
        assert!(
            ics.contains(&case.ics.0) && ics.contains(&case.ics.1),
            "{ics}"
        );
        assert!(
            invitation.text_body.contains(&case.shown),
            "the email shows {}: {}",
            case.shown,
            invitation.text_body
        );
    }
}

/// Clocks go forward at 02:00 CET to 03:00 CEST on the last Sunday of March.
async fn sessions_before_across_and_after_the_march_change_show_feed_and_invite_the_right_times(
    app: TestApp,
) {
    let sunday = last_sunday(fixture_year(), 3);
    let (friday, saturday, monday) = (
        sunday - Duration::days(2),
        sunday - Duration::days(1),
        sunday + Duration::days(1),
    );
    let cases = vec![
        case(
            (friday, "14:30", "+01:00"),
            (friday, "17:30", "+01:00"),
            ("0 13:30", "0 16:30"),
        ),
        case(
            (saturday, "22:00", "+01:00"),
            (sunday, "04:00", "+02:00"),
            ("0 21:00", "1 02:00"),
        ),
        case(
            (monday, "14:30", "+02:00"),
            (monday, "17:30", "+02:00"),
            ("0 12:30", "0 15:30"),
        ),
    ];
    check_cases(&app, sunday, cases).await;
}

/// Clocks go back at 03:00 CEST to 02:00 CET on the last Sunday of October.
async fn sessions_before_across_and_after_the_october_change_show_feed_and_invite_the_right_times(
    app: TestApp,
) {
    let sunday = last_sunday(fixture_year(), 10);
    let (friday, saturday, monday) = (
        sunday - Duration::days(2),
        sunday - Duration::days(1),
        sunday + Duration::days(1),
    );
    let cases = vec![
        case(
            (friday, "14:30", "+02:00"),
            (friday, "17:30", "+02:00"),
            ("0 12:30", "0 15:30"),
        ),
        case(
            (saturday, "22:00", "+02:00"),
            (sunday, "04:00", "+01:00"),
            ("0 20:00", "1 03:00"),
        ),
        case(
            (monday, "14:30", "+01:00"),
            (monday, "17:30", "+01:00"),
            ("0 13:30", "0 16:30"),
        ),
    ];
    check_cases(&app, sunday, cases).await;
}
