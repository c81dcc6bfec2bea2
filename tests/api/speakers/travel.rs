//! Travel and dispatch details: the speaker gives them through the link, an organiser sees and
//! edits them, and the travel desk's CSV carries them with a byte-order mark and no formulas.

use serde_json::{json, Value};

use super::{invited, speaker, stage};
use crate::on_both_backends;
use crate::support::{days_from_now, TestApp};

on_both_backends!(
    the_speaker_gives_travel_details_and_bad_ones_are_named,
    an_organiser_edits_travel_and_the_csv_is_safe_for_spreadsheets,
);

async fn put(app: &TestApp, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    let body = Some(body);
    let response = app.request(reqwest::Method::PUT, path, token, body).await;
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

async fn the_speaker_gives_travel_details_and_bad_ones_are_named(app: TestApp) {
    let st = stage(&app).await;
    let (_, token) = invited(&app, &st, &st.items[1], &st.speaker).await;
    let path = format!("/api/v1/invitations/{token}/travel");
    let bad = json!({"needs_travel": true, "funded_by": "embassy", "arrival": "2026-03-12", "departure": "2026-03-08"});
    let (status, problem) = put(&app, &path, None, bad).await;
    assert_eq!(status, 422);
    assert!(problem["errors"]["funded_by"].is_array(), "{problem}");
    assert!(problem["errors"]["departure"].is_array(), "{problem}");
    let (arrival, departure) = (days_from_now(30).to_string(), days_from_now(35).to_string());
    let good = json!({"needs_travel": true, "funded_by": "mic", "arrival": arrival, "departure": departure,
        "visa_letter_needed": true, "notes": "Vegetarian"});
    let (status, body) = put(&app, &path, None, good).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["travel"]["funded_by"], "mic");
    assert_eq!(body["travel"]["arrival"], arrival.as_str());
    let mine: Value = app
        .get(&format!("/api/v1/invitations/{token}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["travel"]["visa_letter_needed"], true);
    assert_eq!(mine["travel"]["notes"], "Vegetarian");
}

async fn an_organiser_edits_travel_and_the_csv_is_safe_for_spreadsheets(app: TestApp) {
    let st = stage(&app).await;
    let who = speaker(
        &app,
        &st.s.organiser,
        "=HYPERLINK(\"http://x\")",
        "eve@example.org",
    )
    .await;
    let (id, _) = invited(&app, &st, &st.items[1], &who).await;
    let (_, _) = invited(&app, &st, &st.items[3], &st.speaker).await;
    let path = format!("/api/v1/sessions/{}/invitations/{id}/travel", st.s.session);
    let edit = json!({"needs_travel": true, "funded_by": "self", "notes": "+81 3 1234 5678 José"});
    let (status, body) = put(&app, &path, Some(&st.s.organiser), edit).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["travel"]["funded_by"], "self");
    let board: Value = app
        .get_as(
            &st.s.organiser,
            &format!("/api/v1/sessions/{}/invitations", st.s.session),
        )
        .await
        .json()
        .await
        .unwrap();
    let line = board["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["invitation_id"] == id.as_str())
        .expect("the line of the invitation");
    assert_eq!(line["needs_travel"], true);
    let csv = app
        .get_as(
            &st.s.organiser,
            &format!("/api/v1/sessions/{}/invitations.csv", st.s.session),
        )
        .await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let bytes = csv.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a UTF-8 byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert_eq!(
        text.lines().count(),
        3,
        "a header and two invitations: {text}"
    );
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
    assert!(text.contains("\"'+81 3 1234 5678 José\""), "{text}");
    assert!(!text.contains(",\"=") && !text.contains(",\"+"), "{text}");
    let elsewhere = format!(
        "/api/v1/sessions/{}/invitations/{id}/travel",
        uuid::Uuid::new_v4()
    );
    let (status, _) = put(&app, &elsewhere, Some(&st.s.organiser), json!({})).await;
    assert_eq!(status, 404, "an invitation of another session");
}

on_both_backends!(
    an_organiser_edits_travel_on_the_invitations_page_and_a_refusal_keeps_what_was_typed
);

async fn an_organiser_edits_travel_on_the_invitations_page_and_a_refusal_keeps_what_was_typed(
    app: TestApp,
) {
    let st = stage(&app).await;
    let (id, token) = invited(&app, &st, &st.items[1], &st.speaker).await;
    let page = format!("/sessions/{}/speakers/{id}", st.s.session);
    let html = app
        .get_as(&st.s.organiser, &page)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Aiko Tanaka") && html.contains("aiko@example.jp"),
        "{html}"
    );
    let post = |fields: Vec<(&'static str, String)>| {
        app.client
            .post(app.url(&page))
            .bearer_auth(&st.s.organiser)
            .form(&fields)
            .send()
    };
    let bad = vec![
        ("needs_travel", "yes".to_string()),
        ("arrival", "2031-03-12".to_string()),
        ("departure", "2031-03-08".to_string()),
        ("notes", "Needs a visa from Abuja".to_string()),
    ];
    let refused = post(bad).await.unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("field-error") && html.contains("Needs a visa from Abuja"),
        "{html}"
    );
    let good = vec![
        ("needs_travel", "yes".to_string()),
        ("funded_by", "mic".to_string()),
        ("visa_letter_needed", "yes".to_string()),
        ("notes", "Letter sent".to_string()),
    ];
    assert_eq!(post(good).await.unwrap().status(), 303);
    let mine: Value = app
        .get(&format!("/api/v1/invitations/{token}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["travel"]["funded_by"], "mic");
    assert_eq!(mine["travel"]["notes"], "Letter sent");
    let speaker_page = app
        .get(&format!("/invitations/{token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        speaker_page.contains("Letter sent"),
        "the speaker sees what the organiser set"
    );
}
