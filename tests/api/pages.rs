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
    let mut past = crate::support::meeting_body();
    past["first_day"] = json!(crate::support::days_from_now(-10).to_string());
    past["last_day"] = json!(crate::support::days_from_now(-8).to_string());
    let created = app.post_as(&token, "/api/v1/meetings", past).await;
    assert_eq!(created.status(), 201, "a past meeting, which is not listed");
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
    let shown = chrono::NaiveDate::from_ymd_opt(crate::support::fixture_year(), 3, 10)
        .unwrap()
        .format("%a %Y-%m-%d 14:30–17:30")
        .to_string();
    assert!(page.contains(&shown), "{shown}");
    assert!(page.contains("Europe/Zurich"));
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains("&lt;script&gt;"));
}

use chrono::Datelike;
