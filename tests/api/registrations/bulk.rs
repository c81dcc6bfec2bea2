//! Bulk email to delegates: a preview before sending, the greeting the organiser chooses, and
//! replies that go to the organiser.

use reqwest::Method;
use serde_json::{json, Value};

use super::{delegate, mail_to, open_session, register};
use crate::on_both_backends;
use crate::support::TestApp;
use seminars::access::Role;

on_both_backends!(
    the_bulk_email_page_previews_for_the_first_ticked_delegate_and_sends_with_the_chosen_greeting,
    a_bulk_email_replies_to_the_organiser_and_greets_by_name_unless_told_not_to,
    a_preview_never_applies_a_decision,
);

/// An organiser's email and bearer token.
pub async fn organiser_with_email(app: &TestApp) -> (String, String) {
    let (email, password) = app.account(&[Role::Organiser]).await;
    let response = app
        .request(
            Method::POST,
            "/api/v1/auth/token",
            None,
            Some(json!({"email": email, "password": password})),
        )
        .await;
    let body: Value = response.json().await.unwrap();
    (email, body["token"].as_str().unwrap().to_string())
}

/// A session with Amina (first to register) and Kenji; answers the session and their ids.
async fn two_delegates(app: &TestApp, token: &str) -> (String, Vec<String>) {
    let session = open_session(app, token, json!({})).await;
    let mut ids = Vec::new();
    for (name, email) in [
        ("Amina Diallo", "amina@example.sn"),
        ("Kenji Sato", "kenji@example.jp"),
    ] {
        let mut body = delegate(email, "JP");
        body["name"] = json!(name);
        let (_, placed) = register(app, &session, body).await;
        ids.push(placed["id"].as_str().unwrap().to_string());
    }
    (session, ids)
}

async fn post_form(
    app: &TestApp,
    token: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .form(fields)
        .send()
        .await
        .unwrap()
}

const MESSAGE: &str = "Dear colleagues,\n\nPlease send your visa documents.";

async fn the_bulk_email_page_previews_for_the_first_ticked_delegate_and_sends_with_the_chosen_greeting(
    app: TestApp,
) {
    let (organiser_email, token) = organiser_with_email(&app).await;
    let (session, ids) = two_delegates(&app, &token).await;
    let path = format!("/sessions/{session}/registrations/bulk");
    let form = |greeting: bool, preview: bool| {
        let mut fields = vec![
            ("action", "email"),
            ("ids", ids[1].as_str()),
            ("ids", ids[0].as_str()),
            ("subject", "Visa letters"),
            ("message", MESSAGE),
        ];
        if greeting {
            fields.push(("greeting", "1"));
        }
        if preview {
            fields.push(("preview", "1"));
        }
        fields
    };
    let page = post_form(&app, &token, &path, &form(true, true)).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    let preview = "<pre class=\"mail-preview\">";
    assert!(
        page.contains(&format!("{preview}Dear Amina Diallo,\n\nDear colleagues,")),
        "rendered for the first to register: {page}"
    );
    assert!(page.contains("Recipients: 2") && page.contains(&organiser_email));
    assert!(page.contains("name=\"greeting\" value=\"1\" checked"));
    let sent = |email: &'static str| {
        let app = &app;
        async move {
            mail_to(app, email)
                .await
                .into_iter()
                .filter(|m| m.subject == "Visa letters")
                .collect::<Vec<_>>()
        }
    };
    assert!(
        sent("amina@example.sn").await.is_empty(),
        "a preview sends nothing"
    );
    let page = post_form(&app, &token, &path, &form(false, true)).await;
    let page = page.text().await.unwrap();
    assert!(
        page.contains(&format!("{preview}Dear colleagues,")),
        "{page}"
    );
    assert!(!page.contains("checked"), "the greeting stays off");
    let done = post_form(&app, &token, &path, &form(false, false)).await;
    assert_eq!(done.status(), 303);
    for email in ["amina@example.sn", "kenji@example.jp"] {
        let mail = sent(email).await;
        assert_eq!(mail.len(), 1);
        assert!(
            mail[0].text_body.starts_with(MESSAGE),
            "{}",
            mail[0].text_body
        );
        assert!(
            !mail[0].html_body.contains("Dear Amina") && !mail[0].html_body.contains("Dear Kenji")
        );
        assert_eq!(
            mail[0].reply_to_email.as_deref(),
            Some(organiser_email.as_str())
        );
    }
}

async fn a_bulk_email_replies_to_the_organiser_and_greets_by_name_unless_told_not_to(app: TestApp) {
    let (organiser_email, token) = organiser_with_email(&app).await;
    let (session, ids) = two_delegates(&app, &token).await;
    let bulk = format!("/api/v1/sessions/{session}/registrations/bulk");
    let body = json!({"action": "email", "ids": &ids[..1], "subject": "Programme",
        "message": "The programme is online."});
    assert_eq!(app.post_as(&token, &bulk, body).await.status(), 200);
    let mail = mail_to(&app, "amina@example.sn").await;
    let greeted = mail.last().unwrap();
    assert!(greeted
        .text_body
        .starts_with("Dear Amina Diallo,\n\nThe programme is online."));
    assert_eq!(
        greeted.reply_to_email.as_deref(),
        Some(organiser_email.as_str())
    );
    assert_eq!(greeted.reply_to_name.as_deref(), Some("Test Account"));
    let body = json!({"action": "email", "ids": &ids[1..], "subject": "Programme",
        "message": "Dear Kenji,\nsee you there.", "greeting": false});
    assert_eq!(app.post_as(&token, &bulk, body).await.status(), 200);
    let mail = mail_to(&app, "kenji@example.jp").await;
    assert!(mail
        .last()
        .unwrap()
        .text_body
        .starts_with("Dear Kenji,\nsee you there."));
    let registered = &mail_to(&app, "kenji@example.jp").await[0];
    assert_eq!(
        registered.reply_to_email, None,
        "other emails reply to the sender"
    );
}

async fn a_preview_never_applies_a_decision(app: TestApp) {
    let (_, token) = organiser_with_email(&app).await;
    let (session, ids) = two_delegates(&app, &token).await;
    let path = format!("/sessions/{session}/registrations/bulk");
    let fields = [
        ("action", "reject"),
        ("ids", ids[0].as_str()),
        ("preview", "1"),
    ];
    let refused = post_form(&app, &token, &path, &fields).await;
    assert_eq!(refused.status(), 422);
    let list: Value = app
        .get_as(
            &token,
            &format!("/api/v1/sessions/{session}/registrations?status=rejected"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0);
}
