//! The reminder the day before: confirmed delegates only, the time in the meeting's zone, the
//! booked room and its location or the join link, and never twice, even from two passes at once.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::{delegate, mail_to, next_year, open_session, register};
use crate::on_both_backends;
use crate::support::TestApp;
use seminars::registrations::reminders::service::{send_due, Pass};

on_both_backends!(
    a_reminder_goes_the_day_before_once_with_the_room_or_the_join_link,
    two_concurrent_passes_remind_each_delegate_once,
    reminders_turned_off_send_nothing,
);

fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{}-03-10T14:30:00+01:00", next_year()))
        .unwrap()
        .with_timezone(&Utc)
}

/// One reminders pass as the server runs it, at `now`.
async fn pass(app: &TestApp, now: DateTime<Utc>) -> Pass {
    let ctx = seminars::app::ctx(&app.settings).at(now);
    seminars::db::run(&app.pool, move |conn| send_due(conn, &ctx))
        .await
        .unwrap()
}

fn reminders(
    rows: &[seminars::mail::outbox::OutboxRow],
) -> Vec<&seminars::mail::outbox::OutboxRow> {
    rows.iter()
        .filter(|r| r.subject.starts_with("Reminder"))
        .collect()
}

async fn a_reminder_goes_the_day_before_once_with_the_room_or_the_join_link(app: TestApp) {
    let token = app.organiser().await;
    let admin = app.token(&[seminars::access::Role::Admin]).await;
    let session = open_session(
        &app,
        &token,
        json!({"capacity": 1, "remote_capacity": 1, "remote_url": "https://meet.example.org/q22"}),
    )
    .await;
    let room: Value = app
        .post_as(
            &admin,
            "/api/v1/rooms",
            json!({"name": "Room K", "location": "ITU tower, floor 2", "capacity": 40}),
        )
        .await
        .json()
        .await
        .unwrap();
    let booked = app
        .post_as(
            &token,
            &format!("/api/v1/sessions/{session}/bookings"),
            json!({"room_id": room["id"]}),
        )
        .await;
    assert_eq!(booked.status(), 201);
    register(&app, &session, delegate("here@example.org", "KE")).await;
    let mut remote = delegate("far@example.org", "TV");
    remote["attendance"] = json!("remote");
    register(&app, &session, remote).await;
    let (_, waiting) = register(&app, &session, delegate("wait@example.org", "KE")).await;
    assert_eq!(waiting["status"], "waitlisted");

    assert_eq!(
        pass(&app, start() - Duration::hours(30)).await.sent,
        0,
        "too early"
    );
    assert_eq!(pass(&app, start() - Duration::hours(20)).await.sent, 2);
    assert_eq!(
        pass(&app, start() - Duration::hours(19)).await.sent,
        0,
        "never twice"
    );
    assert_eq!(pass(&app, start() + Duration::hours(1)).await.sent, 0);

    let here = mail_to(&app, "here@example.org").await;
    let here = reminders(&here);
    assert_eq!(here.len(), 1);
    let text = &here[0].text_body;
    assert!(
        text.contains("14:30") && text.contains("Europe/Zurich"),
        "{text}"
    );
    assert!(
        text.contains("Room K") && text.contains("ITU tower, floor 2"),
        "{text}"
    );
    assert!(
        !text.contains("meet.example.org"),
        "no join link in person: {text}"
    );
    let far = mail_to(&app, "far@example.org").await;
    let far = reminders(&far);
    assert_eq!(far.len(), 1);
    assert!(
        far[0].text_body.contains("https://meet.example.org/q22"),
        "{}",
        far[0].text_body
    );
    assert!(
        reminders(&mail_to(&app, "wait@example.org").await).is_empty(),
        "confirmed only"
    );
}

async fn two_concurrent_passes_remind_each_delegate_once(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({"capacity": 20})).await;
    for n in 0..8 {
        let (status, _) =
            register(&app, &session, delegate(&format!("d{n}@example.org"), "KE")).await;
        assert_eq!(status, 201);
    }
    let now = start() - Duration::hours(12);
    let (a, b) = tokio::join!(pass(&app, now), pass(&app, now));
    assert_eq!(a.sent + b.sent, 8, "{a:?} {b:?}");
    for n in 0..8 {
        let rows = mail_to(&app, &format!("d{n}@example.org")).await;
        assert_eq!(reminders(&rows).len(), 1, "d{n}");
    }
}

async fn reminders_turned_off_send_nothing(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    register(&app, &session, delegate("off@example.org", "KE")).await;
    let mut settings = app.settings.clone();
    settings.reminders.enabled = false;
    let ctx = seminars::app::ctx(&settings).at(start() - Duration::hours(12));
    let off = seminars::db::run(&app.pool, move |conn| send_due(conn, &ctx))
        .await
        .unwrap();
    assert_eq!(off.sent, 0);
    assert_eq!(pass(&app, start() - Duration::hours(12)).await.sent, 1);
}
