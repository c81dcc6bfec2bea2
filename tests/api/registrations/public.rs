//! The public side tells the truth: a full session says so with its waiting list, registration
//! says when it closes, and a cancelled session stays listed, marked.

use serde_json::json;

use super::{delegate, open_session, register};
use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    a_full_session_says_its_waiting_list_is_open_and_how_many_wait,
    the_public_page_says_when_registration_closes,
    a_cancelled_session_stays_listed_on_the_home_page_marked,
);

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

async fn a_full_session_says_its_waiting_list_is_open_and_how_many_wait(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(
        &app,
        &token,
        json!({ "capacity": 1, "remote_capacity": 0, "reserved_seats": 0 }),
    )
    .await;
    let before = page(&app, &format!("/sessions/{session}")).await;
    assert!(before.contains("0 seats taken in person"), "{before}");
    assert!(!before.contains("waiting list open"));
    for email in ["a@example.jp", "b@example.jp", "c@example.jp"] {
        let (status, _) = register(&app, &session, delegate(email, "JP")).await;
        assert_eq!(status, 201);
    }
    // Anonymous readers share a kept copy whose seat counts are at most 2 s old (README,
    // "Running at scale"): the page tells the truth within that bound.
    let started = std::time::Instant::now();
    let mut full = page(&app, &format!("/sessions/{session}")).await;
    while !full.contains("waiting list open") && started.elapsed().as_secs() < 4 {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        full = page(&app, &format!("/sessions/{session}")).await;
    }
    assert!(
        full.contains("Full:</strong> waiting list open, 2 waiting"),
        "{full}"
    );
}

async fn the_public_page_says_when_registration_closes(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    let text = page(&app, &format!("/sessions/{session}")).await;
    // Without a closing instant of its own, registration closes when the session starts.
    assert!(text.contains("Registration closes: "), "{text}");
    assert!(
        text.contains("14:30"),
        "the start in the meeting's zone: {text}"
    );
}

async fn a_cancelled_session_stays_listed_on_the_home_page_marked(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({ "title": "Threat intelligence" })).await;
    let cancel = format!("/api/v1/sessions/{session}/cancel");
    let response = app
        .post_as(&token, &cancel, json!({ "reason": "Speaker unavailable" }))
        .await;
    assert_eq!(response.status(), 200);
    let home = page(&app, "/").await;
    let at = home
        .find(&format!("href=\"/sessions/{session}\""))
        .expect("the cancelled session is still listed");
    let line = &home[at..at + home[at..].find("</li>").unwrap()];
    assert!(line.contains("badge cancelled\">Cancelled"), "{line}");
    let show = page(&app, &format!("/sessions/{session}")).await;
    assert!(show.contains("id=\"cancelled\""));
    assert!(show.contains("Speaker unavailable"));
    assert!(!show.contains("waiting list open"));
}
