//! Reuse: an agenda started from an earlier approved version, a session copied to another meeting.

use serde_json::{json, Value};

use super::{agenda, four_items, setup, step, Setup};
use crate::on_both_backends;
use crate::support::{fixture, TestApp};

on_both_backends!(
    an_agenda_starts_from_an_earlier_approved_version_at_the_new_sessions_time,
    a_session_is_copied_to_another_meeting_with_its_rapporteurs_and_agenda,
);

async fn approved(app: &TestApp) -> Setup {
    let s = setup(app).await;
    four_items(app, &s).await;
    assert_eq!(
        step(app, &s.organiser, &s.session, "submit", json!({}))
            .await
            .0,
        200
    );
    assert_eq!(
        step(app, &s.rapporteur, &s.session, "approve", json!({}))
            .await
            .0,
        200
    );
    s
}

async fn session_at(app: &TestApp, s: &Setup, from: &str, to: &str) -> String {
    let mut body = crate::support::session_body(&s.meeting);
    body["starts_at"] = json!(from);
    body["ends_at"] = json!(to);
    let session: Value = app
        .post_as(&s.organiser, "/api/v1/sessions", body)
        .await
        .json()
        .await
        .unwrap();
    session["id"].as_str().unwrap().to_string()
}

async fn start_from(app: &TestApp, s: &Setup, target: &str, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/sessions/{target}/agenda/start-from");
    let response = app.post_as(&s.organiser, &path, body).await;
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn an_agenda_starts_from_an_earlier_approved_version_at_the_new_sessions_time(app: TestApp) {
    let s = approved(&app).await;
    let later = session_at(
        &app,
        &s,
        &fixture("YYYY-03-12T09:00:00+01:00"),
        &fixture("YYYY-03-12T12:00:00+01:00"),
    )
    .await;
    let (status, body) =
        start_from(&app, &s, &later, json!({"source_session_id": s.session})).await;
    assert_eq!(status, 201, "{body}");
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(
        (&items[0]["starts_at"], &items[0]["ends_at"]),
        (
            &json!(fixture("YYYY-03-12T08:00:00Z")),
            &json!(fixture("YYYY-03-12T08:15:00Z"))
        )
    );
    assert_eq!(
        items[3]["ends_at"],
        fixture("YYYY-03-12T10:15:00Z"),
        "lengths and order kept"
    );
    let original = agenda(&app, &s).await;
    assert_ne!(
        items[0]["id"], original["items"][0]["id"],
        "the copy's items have ids of their own"
    );
    let (status, _) = start_from(
        &app,
        &s,
        &later,
        json!({"source_session_id": s.session, "version": 1}),
    )
    .await;
    assert_eq!(status, 409, "the agenda has items already");
    let short = session_at(
        &app,
        &s,
        &fixture("YYYY-03-12T14:00:00+01:00"),
        &fixture("YYYY-03-12T15:30:00+01:00"),
    )
    .await;
    let (status, problem) =
        start_from(&app, &s, &short, json!({"source_session_id": s.session})).await;
    assert_eq!(status, 422);
    let refused = problem["errors"]["items"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "{problem}");
    assert!(refused[0].as_str().unwrap().contains("“Discussion”"));
    let (status, problem) = start_from(&app, &s, &short, json!({"source_session_id": later})).await;
    assert_eq!(status, 422, "a session without an approved agenda");
    assert!(problem["errors"]["source_session_id"].is_array());
    let (status, problem) = start_from(
        &app,
        &s,
        &short,
        json!({"source_session_id": s.session, "version": 7}),
    )
    .await;
    assert_eq!(
        (status, problem["errors"]["version"].is_array()),
        (422, true)
    );
}

async fn a_session_is_copied_to_another_meeting_with_its_rapporteurs_and_agenda(app: TestApp) {
    let s = approved(&app).await;
    let mut meeting = crate::support::meeting_body();
    meeting["kind"] = json!("rapporteur_group");
    meeting["title"] = json!("Rapporteur Group Q22-1/1, September 2026");
    meeting["timezone"] = json!("Asia/Tokyo");
    meeting["first_day"] = json!(fixture("YYYY-09-14"));
    meeting["last_day"] = json!(fixture("YYYY-09-18"));
    let meeting: Value = app
        .post_as(&s.organiser, "/api/v1/meetings", meeting)
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/sessions/{}/copy", s.session);
    let body =
        json!({"meeting_id": meeting["id"], "starts_at": fixture("YYYY-09-15T10:00:00+09:00")});
    let response = app.post_as(&s.organiser, &path, body).await;
    assert_eq!(response.status(), 201);
    let copy: Value = response.json().await.unwrap();
    assert_eq!(
        (&copy["status"], &copy["title"]),
        (
            &json!("draft"),
            &json!("Sharing cybersecurity best practices")
        )
    );
    assert_eq!(
        (&copy["starts_at"], &copy["ends_at"]),
        (
            &json!(fixture("YYYY-09-15T01:00:00Z")),
            &json!(fixture("YYYY-09-15T04:00:00Z"))
        )
    );
    assert_eq!(
        copy["items"][0]["starts_at"],
        fixture("YYYY-09-15T01:00:00Z")
    );
    let copied = format!("/api/v1/sessions/{}/agenda", copy["id"].as_str().unwrap());
    let working: Value = app
        .get_as(&s.rapporteur, &copied)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            &working["status"],
            working["items"].as_array().unwrap().len()
        ),
        (&json!("draft"), 4),
        "the rapporteur follows the copy"
    );
    let outside = json!({"meeting_id": meeting["id"], "starts_at": fixture("YYYY-10-01T10:00:00+09:00"), "title": "Later"});
    let response = app.post_as(&s.organiser, &path, outside).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert!(problem["errors"]["starts_at"].is_array(), "{problem}");
    let nowhere = json!({"meeting_id": uuid::Uuid::new_v4(), "starts_at": fixture("YYYY-09-15T10:00:00+09:00")});
    assert_eq!(
        app.post_as(&s.organiser, &path, nowhere).await.status(),
        422
    );
    assert_eq!(
        app.post_as(&s.rapporteur, &path, json!({})).await.status(),
        403
    );
}
