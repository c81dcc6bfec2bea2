//! The speakers directory: one person per email (any case), also under concurrent requests.

use serde_json::{json, Value};

use super::{race, speaker};
use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    a_speaker_is_added_found_and_never_twice_for_one_email_in_any_case,
    concurrent_creations_of_one_email_give_one_person,
    a_bad_speaker_names_each_field,
);

fn body(email: &str) -> Value {
    json!({"name": "Amina Diallo", "email": email, "organisation": "ARTP", "organisation_kind": "organisation",
        "country": "sn", "bio": "Head of CERT."})
}

async fn a_speaker_is_added_found_and_never_twice_for_one_email_in_any_case(app: TestApp) {
    let organiser = app.organiser().await;
    let id = speaker(&app, &organiser, "Aiko Tanaka", "Aiko@Example.JP").await;
    let one: Value = app
        .get_as(&organiser, &format!("/api/v1/speakers/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["email"], "aiko@example.jp");
    assert_eq!(one["country"], "JP");
    let again = app
        .post_as(&organiser, "/api/v1/speakers", body("AIKO@example.jp"))
        .await;
    assert_eq!(again.status(), 409);
    let problem: Value = again.json().await.unwrap();
    assert_eq!(problem["speaker_id"], id.as_str(), "{problem}");
    speaker(&app, &organiser, "Amina Diallo", "amina@artp.sn").await;
    let found: Value = app
        .get_as(&organiser, "/api/v1/speakers?q=TANAKA")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["items"][0]["name"], "Aiko Tanaka");
}

async fn concurrent_creations_of_one_email_give_one_person(app: TestApp) {
    let organiser = app.organiser().await;
    let calls = (0..8)
        .map(|i| {
            let email = if i % 2 == 0 {
                "twin@example.org"
            } else {
                "TWIN@example.org"
            };
            (
                "/api/v1/speakers".to_string(),
                Some(organiser.clone()),
                body(email),
            )
        })
        .collect();
    let statuses = race(&app, calls).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        7,
        "{statuses:?}"
    );
    let found: Value = app
        .get_as(&organiser, "/api/v1/speakers?q=twin")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["total"], 1);
}

async fn a_bad_speaker_names_each_field(app: TestApp) {
    let organiser = app.organiser().await;
    let bad = json!({"name": " ", "email": "nobody", "organisation_kind": "club", "country": "XX"});
    let response = app.post_as(&organiser, "/api/v1/speakers", bad).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    for field in ["name", "email", "organisation_kind", "country"] {
        assert!(problem["errors"][field].is_array(), "{field}: {problem}");
    }
}

on_both_backends!(the_directory_page_lists_and_searches_speakers);

async fn the_directory_page_lists_and_searches_speakers(app: TestApp) {
    let organiser = app.organiser().await;
    speaker(&app, &organiser, "Aiko Tanaka", "aiko@example.jp").await;
    speaker(&app, &organiser, "Amina Diallo", "amina@artp.sn").await;
    let page = app.get_as(&organiser, "/speakers?q=diallo").await;
    let status = page.status();
    let html = page.text().await.unwrap();
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("Amina Diallo") && html.contains("Senegal"),
        "{html}"
    );
    assert!(!html.contains("Aiko Tanaka"), "searched");
}
