use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::TestApp;
use seminars::access::Role;

on_both_backends!(
    a_token_from_email_and_password_opens_me,
    a_wrong_password_and_an_unknown_email_answer_the_same_401,
    a_garbage_token_is_401_and_a_missing_one_too,
);

async fn a_token_from_email_and_password_opens_me(app: TestApp) {
    let (email, password) = app.account(&[Role::Organiser, Role::Rapporteur]).await;
    let response = app
        .request(
            reqwest::Method::POST,
            "/api/v1/auth/token",
            None,
            Some(json!({"email": email.to_uppercase(), "password": password})),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert!(body["expires_at"].as_str().unwrap().ends_with('Z'));
    let me: Value = app
        .get_as(body["token"].as_str().unwrap(), "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], email);
    assert_eq!(me["roles"], json!(["organiser", "rapporteur"]));
}

async fn a_wrong_password_and_an_unknown_email_answer_the_same_401(app: TestApp) {
    let (email, _) = app.account(&[Role::Organiser]).await;
    let mut answers = Vec::new();
    for (email, password) in [
        (email.as_str(), "not the password at all"),
        ("nobody@example.org", "whatever it is here"),
    ] {
        let response = app
            .request(
                reqwest::Method::POST,
                "/api/v1/auth/token",
                None,
                Some(json!({"email": email, "password": password})),
            )
            .await;
        assert_eq!(response.status(), 401);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        answers.push(response.text().await.unwrap());
    }
    assert_eq!(answers[0], answers[1]);
}

async fn a_garbage_token_is_401_and_a_missing_one_too(app: TestApp) {
    assert_eq!(app.get("/api/v1/me").await.status(), 401);
    assert_eq!(
        app.get_as("0123456789abcdef", "/api/v1/me").await.status(),
        401
    );
    let response = app
        .client
        .get(app.url("/api/v1/me"))
        .header("authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}
