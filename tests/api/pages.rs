use serde_json::json;

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    the_home_page_lists_upcoming_meetings_with_their_scheduled_sessions,
    the_home_page_has_a_friendly_empty_state,
    a_session_page_shows_times_in_the_meetings_zone_and_escapes_text,
);

async fn the_home_page_lists_upcoming_meetings_with_their_scheduled_sessions(app: TestApp) {
    let token = app.organiser().await;
    let next_year = chrono::Utc::now().date_naive().year_ce().1 + 1;
    let mut body = crate::support::meeting_body();
    body["first_day"] = json!(format!("{next_year}-03-09"));
    body["last_day"] = json!(format!("{next_year}-03-13"));
    let meeting: serde_json::Value = app
        .post_as(&token, "/api/v1/meetings", body)
        .await
        .json()
        .await
        .unwrap();
    let mut session = crate::support::session_body(meeting["id"].as_str().unwrap());
    session["starts_at"] = json!(format!("{next_year}-03-10T14:30:00+01:00"));
    session["ends_at"] = json!(format!("{next_year}-03-10T17:30:00+01:00"));
    let scheduled: serde_json::Value = app
        .post_as(&token, "/api/v1/sessions", session.clone())
        .await
        .json()
        .await
        .unwrap();
    app.post_as(
        &token,
        &format!(
            "/api/v1/sessions/{}/publish",
            scheduled["id"].as_str().unwrap()
        ),
        json!({}),
    )
    .await;
    session["title"] = json!("A draft nobody may see yet");
    app.post_as(&token, "/api/v1/sessions", session).await;
    app.meeting(&token).await; // a past meeting (March 2026) is not listed
    let page = app.get("/").await.text().await.unwrap();
    assert_eq!(
        page.matches("class=\"card\"").count(),
        1,
        "only the upcoming meeting"
    );
    assert!(page.contains("Sharing cybersecurity best practices"));
    assert!(page.contains("14:30–17:30"), "local time in Geneva");
    assert!(!page.contains("A draft nobody may see yet"));
}

async fn the_home_page_has_a_friendly_empty_state(app: TestApp) {
    let page = app.get("/").await.text().await.unwrap();
    assert!(page.contains("No meetings are planned yet"));
    assert!(page.contains("<html lang=\"en\""));
}

async fn a_session_page_shows_times_in_the_meetings_zone_and_escapes_text(app: TestApp) {
    let token = app.organiser().await;
    let (session, _) = app.scheduled_session(&token).await;
    let id = session["id"].as_str().unwrap();
    app.patch_as(
        &token,
        &format!("/api/v1/sessions/{id}"),
        json!({"title": "<script>alert(1)</script> & Co"}),
    )
    .await;
    let page = app
        .get(&format!("/sessions/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Tue 2026-03-10 14:30–17:30"));
    assert!(page.contains("Europe/Zurich"));
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains("&lt;script&gt;"));
}

use chrono::Datelike;
