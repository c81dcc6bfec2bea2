//! The dispatch board: every slot (breaks aside) with its speaker and status, per session and
//! across the meeting, filtered, from the API and on the session's tab.

use serde_json::{json, Value};

use super::{answer, invited, speaker, stage};
use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(the_board_shows_every_slot_with_its_status_and_filters);

async fn board(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.get_as(token, path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

async fn the_board_shows_every_slot_with_its_status_and_filters(app: TestApp) {
    let st = stage(&app).await;
    let (_, token) = invited(&app, &st, &st.items[1], &st.speaker).await;
    assert_eq!(answer(&app, &token, "confirm", json!({})).await.0, 200);
    let other = speaker(&app, &st.s.organiser, "Amina Diallo", "amina@artp.sn").await;
    invited(&app, &st, &st.items[3], &other).await;
    let path = format!("/api/v1/sessions/{}/invitations", st.s.session);
    let all = board(&app, &st.s.organiser, &path).await;
    let statuses: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["not_invited", "confirmed", "invited"], "{all}");
    assert_eq!(all["items"][2]["days_since_invitation"], 0);
    assert_eq!(all["items"][1]["speaker"]["name"], "Aiko Tanaka");
    let invited_only = board(&app, &st.s.organiser, &format!("{path}?status=invited")).await;
    assert_eq!(invited_only["total"], 1);
    assert_eq!(
        invited_only["items"][0]["speaker"]["email"],
        "amina@artp.sn"
    );
    let bad = app
        .get_as(&st.s.organiser, &format!("{path}?status=maybe"))
        .await;
    assert_eq!(bad.status(), 422);
    let meeting = format!(
        "/api/v1/meetings/{}/invitations?status=confirmed",
        st.s.meeting
    );
    assert_eq!(board(&app, &st.s.organiser, &meeting).await["total"], 1);
    assert_eq!(app.get_as(&st.s.rapporteur, &path).await.status(), 403);
}

on_both_backends!(the_session_tab_invites_from_its_form_and_the_meeting_board_lists_every_session);

async fn form(app: &TestApp, token: &str, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let response = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .form(fields)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn the_session_tab_invites_from_its_form_and_the_meeting_board_lists_every_session(
    app: TestApp,
) {
    let tabs = seminars::app::session_tabs();
    let tab = tabs
        .iter()
        .find(|t| t.path == "/sessions/{id}/speakers")
        .expect("a tab of the session's staff page");
    assert_eq!(tab.label, "speakers_tab");
    let st = stage(&app).await;
    let page = format!("/sessions/{}/speakers", st.s.session);
    let html = app
        .get_as(&st.s.organiser, &page)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("CIRT in Japan") && html.contains("Not yet invited"),
        "{html}"
    );
    assert!(
        html.contains("Europe/Zurich"),
        "times in the meeting's zone"
    );
    let (status, html) = form(
        &app,
        &st.s.organiser,
        &page,
        &[("item_id", &st.items[1]), ("role", "speaker")],
    )
    .await;
    assert_eq!(status, 422, "no speaker chosen");
    assert!(html.contains("field-error"), "{html}");
    let fields = [
        ("item_id", st.items[1].as_str()),
        ("speaker_id", &st.speaker),
        ("role", "moderator"),
    ];
    let (status, _) = form(&app, &st.s.organiser, &page, &fields).await;
    assert_eq!(status, 303);
    let (status, html) = form(&app, &st.s.organiser, &page, &fields).await;
    assert_eq!(status, 409, "invited already");
    assert!(html.contains("already"), "{html}");
    let html = app
        .get_as(&st.s.organiser, &page)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Aiko Tanaka") && html.contains("aiko@example.jp"),
        "by name and email"
    );
    let meeting = format!("/meetings/{}/speakers?status=invited", st.s.meeting);
    let html = app
        .get_as(&st.s.organiser, &meeting)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Aiko Tanaka") && html.contains("Sharing cybersecurity best practices"),
        "{html}"
    );
    assert!(
        !html.contains("<strong>Opening</strong>"),
        "filtered: {html}"
    );
    assert_eq!(app.get_as(&st.s.rapporteur, &page).await.status(), 403);
}
