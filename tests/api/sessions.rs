use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::{fixture, session_body, TestApp};
use seminars::access::Role;

on_both_backends!(
    a_new_session_is_a_draft_seen_only_by_staff,
    publishing_makes_a_session_public_and_twice_is_a_conflict,
    a_session_outside_its_meetings_days_is_422,
    moving_a_session_raises_its_calendar_sequence,
    a_cancelled_session_keeps_its_reason_and_cannot_be_changed,
    sessions_are_filtered_by_meeting_and_status,
    every_change_is_in_the_audit_trail,
);

async fn a_new_session_is_a_draft_seen_only_by_staff(app: TestApp) {
    let token = app.organiser().await;
    let meeting = app.meeting(&token).await;
    let session = app.session(&token, meeting["id"].as_str().unwrap()).await;
    assert_eq!(session["status"], "draft");
    assert_eq!(session["starts_at"], fixture("YYYY-03-10T13:30:00Z"));
    let id = session["id"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/sessions/{id}")).await.status(),
        404
    );
    assert_eq!(app.get(&format!("/sessions/{id}")).await.status(), 404);
    let public: Value = app.get("/api/v1/sessions").await.json().await.unwrap();
    assert_eq!(public["total"], 0);
    let rapporteur = app.token(&[Role::Rapporteur]).await;
    assert_eq!(
        app.get_as(&rapporteur, &format!("/api/v1/sessions/{id}"))
            .await
            .status(),
        200
    );
    let staff: Value = app
        .get_as(&rapporteur, "/api/v1/sessions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(staff["total"], 1);
}

async fn publishing_makes_a_session_public_and_twice_is_a_conflict(app: TestApp) {
    let token = app.organiser().await;
    let (session, _) = app.scheduled_session(&token).await;
    assert_eq!(session["status"], "scheduled");
    let id = session["id"].as_str().unwrap();
    let public: Value = app
        .get(&format!("/api/v1/sessions/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["title"], session["title"]);
    assert!(public.get("remote_url").is_none());
    let again = app
        .post_as(&token, &format!("/api/v1/sessions/{id}/publish"), json!({}))
        .await;
    assert_eq!(again.status(), 409);
    assert_eq!(again.headers()["content-type"], "application/problem+json");
}

async fn a_session_outside_its_meetings_days_is_422(app: TestApp) {
    let token = app.organiser().await;
    let meeting = app.meeting(&token).await;
    let mut body = session_body(meeting["id"].as_str().unwrap());
    body["starts_at"] = json!(fixture("YYYY-03-13T23:30:00+01:00"));
    body["ends_at"] = json!(fixture("YYYY-03-14T01:00:00+01:00"));
    let response = app.post_as(&token, "/api/v1/sessions", body).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert!(problem["errors"]["starts_at"][0]
        .as_str()
        .unwrap()
        .contains(&fixture("YYYY-03-09 to YYYY-03-13")));
    let mut body = session_body("8b0c3b6e-0000-4000-8000-000000000000");
    body["capacity"] = json!(-3);
    let problem: Value = app
        .post_as(&token, "/api/v1/sessions", body)
        .await
        .json()
        .await
        .unwrap();
    assert!(problem["errors"]["meeting_id"].is_array(), "{problem}");
}

async fn moving_a_session_raises_its_calendar_sequence(app: TestApp) {
    let token = app.organiser().await;
    let (session, _) = app.scheduled_session(&token).await;
    let path = format!("/api/v1/sessions/{}", session["id"].as_str().unwrap());
    let moved: Value = app.patch_as(&token, &path, json!({"starts_at": fixture("YYYY-03-11T09:00:00+01:00"), "ends_at": fixture("YYYY-03-11T12:00:00+01:00")})).await.json().await.unwrap();
    assert_eq!(moved["starts_at"], fixture("YYYY-03-11T08:00:00Z"));
    assert_eq!(moved["sequence"], session["sequence"].as_i64().unwrap() + 1);
    let recounted: Value = app
        .patch_as(&token, &path, json!({"capacity": 80}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(recounted["capacity"], 80);
    assert_eq!(
        recounted["sequence"], moved["sequence"],
        "seats are not a calendar change"
    );
    let bad = app
        .patch_as(
            &token,
            &path,
            json!({"ends_at": fixture("YYYY-03-11T08:00:00+01:00")}),
        )
        .await;
    assert_eq!(bad.status(), 422);
}

async fn a_cancelled_session_keeps_its_reason_and_cannot_be_changed(app: TestApp) {
    let token = app.organiser().await;
    let (session, _) = app.scheduled_session(&token).await;
    let id = session["id"].as_str().unwrap();
    let no_reason = app
        .post_as(&token, &format!("/api/v1/sessions/{id}/cancel"), json!({}))
        .await;
    assert_eq!(no_reason.status(), 422);
    let cancelled: Value = app
        .post_as(
            &token,
            &format!("/api/v1/sessions/{id}/cancel"),
            json!({"reason": "Venue closed"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancel_reason"], "Venue closed");
    assert_eq!(
        app.patch_as(
            &token,
            &format!("/api/v1/sessions/{id}"),
            json!({"title": "x"})
        )
        .await
        .status(),
        409
    );
    assert_eq!(
        app.post_as(
            &token,
            &format!("/api/v1/sessions/{id}/cancel"),
            json!({"reason": "again"})
        )
        .await
        .status(),
        409
    );
    let page = app
        .get(&format!("/sessions/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("This session has been cancelled.") && page.contains("Venue closed"));
}

async fn sessions_are_filtered_by_meeting_and_status(app: TestApp) {
    let token = app.organiser().await;
    let (scheduled, meeting) = app.scheduled_session(&token).await;
    let draft = app.session(&token, meeting["id"].as_str().unwrap()).await;
    let other_meeting = app.meeting(&token).await;
    app.session(&token, other_meeting["id"].as_str().unwrap())
        .await;
    let path = format!(
        "/api/v1/sessions?meeting_id={}",
        meeting["id"].as_str().unwrap()
    );
    let mine: Value = app.get_as(&token, &path).await.json().await.unwrap();
    assert_eq!(mine["total"], 2);
    let drafts: Value = app
        .get_as(&token, &format!("{path}&status=draft"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(drafts["items"][0]["id"], draft["id"]);
    let public: Value = app
        .get(&format!("{path}&status=draft"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        public["total"], 0,
        "the public never sees drafts, even when asking for them"
    );
    let public: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(public["items"][0]["id"], scheduled["id"]);
    assert_eq!(app.get("/api/v1/sessions?status=maybe").await.status(), 422);
}

async fn every_change_is_in_the_audit_trail(app: TestApp) {
    let token = app.organiser().await;
    let (session, _) = app.scheduled_session(&token).await;
    let id = session["id"].as_str().unwrap().to_string();
    app.patch_as(
        &token,
        &format!("/api/v1/sessions/{id}"),
        json!({"title": "Renamed"}),
    )
    .await;
    let events = seminars::db::run(&app.pool, move |conn| {
        Ok(seminars::audit::store::of_record(conn, "session", &id)?)
    })
    .await
    .unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["session.created", "session.published", "session.updated"]
    );
    let changes: Value = serde_json::from_str(&events[2].changes).unwrap();
    assert_eq!(changes["title"]["to"], "Renamed");
    assert!(events[2].actor.starts_with("user:"));
}
