//! Registrations by hand: an organiser registers a delegate on their behalf, corrects, cancels,
//! moves one from the waiting list and re-sends a link, from pages.

use serde_json::{json, Value};

use super::{delegate, mail_to, open_session, register, token_of};
use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    an_organiser_registers_a_delegate_by_hand_who_gets_their_link,
    the_by_hand_form_shows_errors_beside_fields_and_keeps_what_was_typed,
    an_organiser_corrects_promotes_cancels_and_resends_from_the_page,
);

async fn post_form(app: &TestApp, token: &str, path: &str, body: &str) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    assert_eq!(response.status(), 303);
    response.headers()["location"].to_str().unwrap().to_string()
}

async fn page(app: &TestApp, token: &str, path: &str) -> String {
    let response = app.get_as(token, path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

const FORM: &str = "name=Amina+Diallo&email=amina%40example.sn&organisation=ARTP&job_title=Director&country=SN&stakeholder_category=regulator&attendance=in_person&gender=female";

async fn an_organiser_registers_a_delegate_by_hand_who_gets_their_link(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({"approval_required": true})).await;
    let list = page(&app, &token, &format!("/sessions/{session}/registrations")).await;
    assert!(list.contains(&format!("href=\"/sessions/{session}/registrations/new\"")));
    let form = page(
        &app,
        &token,
        &format!("/sessions/{session}/registrations/new"),
    )
    .await;
    assert!(form.contains("<label for=\"email\">"));
    let created = post_form(
        &app,
        &token,
        &format!("/sessions/{session}/registrations/new"),
        FORM,
    )
    .await;
    let to = location(&created);
    assert!(to.ends_with("/manage?done=created"), "{to}");
    let manage = page(&app, &token, &to).await;
    assert!(
        manage.contains("Registered; the delegate was emailed their link."),
        "{manage}"
    );
    assert!(manage.contains("amina@example.sn"));
    // The organiser decided: no focal point's approval is awaited.
    let api: Value = app
        .get_as(&token, &format!("/api/v1/sessions/{session}/registrations"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(api["items"][0]["status"], "confirmed");
    assert_eq!(api["items"][0]["gender"], "female");
    let link = token_of(&app, "amina@example.sn").await;
    assert_eq!(
        app.get(&format!("/registrations/{link}")).await.status(),
        200
    );
    let again = post_form(
        &app,
        &token,
        &format!("/sessions/{session}/registrations/new"),
        FORM,
    )
    .await;
    assert_eq!(again.status(), 422, "the same email twice");
    assert!(again
        .text()
        .await
        .unwrap()
        .contains("is already registered"));
}

async fn the_by_hand_form_shows_errors_beside_fields_and_keeps_what_was_typed(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    let body = FORM
        .replace("amina%40example.sn", "not-an-email")
        .replace("gender=female", "gender=robot");
    let response = post_form(
        &app,
        &token,
        &format!("/sessions/{session}/registrations/new"),
        &body,
    )
    .await;
    assert_eq!(response.status(), 422);
    let text = response.text().await.unwrap();
    assert!(text.contains("aria-describedby=\"email-error\""), "{text}");
    assert!(text.contains("id=\"email-error\""));
    assert!(text.contains("id=\"gender-error\""));
    assert!(
        text.contains("value=\"Amina Diallo\""),
        "what was typed is kept"
    );
    assert!(text.contains("value=\"not-an-email\""));
    assert!(mail_to(&app, "not-an-email").await.is_empty());
}

async fn an_organiser_corrects_promotes_cancels_and_resends_from_the_page(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({"capacity": 1, "remote_capacity": 0})).await;
    let (_, first) = register(&app, &session, delegate("first@example.org", "KE")).await;
    let (_, second) = register(&app, &session, delegate("second@example.org", "KE")).await;
    assert_eq!(second["status"], "waitlisted");
    let (first, second) = (
        first["id"].as_str().unwrap(),
        second["id"].as_str().unwrap(),
    );

    let edit = FORM
        .replace("amina%40example.sn", "second%40example.org")
        .replace("Amina+Diallo", "Second+Delegate");
    let saved = post_form(
        &app,
        &token,
        &format!("/registrations/{second}/edit"),
        &edit,
    )
    .await;
    assert!(location(&saved).ends_with("done=edited"));
    let manage = page(&app, &token, &format!("/registrations/{second}/manage")).await;
    assert!(manage.contains("Second Delegate") && manage.contains("Move to a seat"));

    let moved = post_form(
        &app,
        &token,
        &format!("/registrations/{second}/promote"),
        "",
    )
    .await;
    assert!(location(&moved).ends_with("done=promoted"));
    let mail = mail_to(&app, "second@example.org").await;
    assert!(
        mail.last().unwrap().calendar.is_some(),
        "the invitation goes with the seat"
    );
    let again = post_form(
        &app,
        &token,
        &format!("/registrations/{second}/promote"),
        "",
    )
    .await;
    assert_eq!(again.status(), 409, "only from the waiting list");

    let cancelled = post_form(
        &app,
        &token,
        &format!("/registrations/{first}/withdraw"),
        "confirm=1",
    )
    .await;
    assert!(location(&cancelled).ends_with("done=cancelled"));
    let list: Value = app
        .get_as(
            &token,
            &format!("/api/v1/sessions/{session}/registrations?status=cancelled"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], first);

    let old = token_of(&app, "second@example.org").await;
    let resent = post_form(&app, &token, &format!("/registrations/{second}/resend"), "").await;
    assert!(location(&resent).ends_with("done=resent"));
    assert_eq!(
        app.get(&format!("/registrations/{old}")).await.status(),
        404,
        "the old link ends"
    );
    let last = mail_to(&app, "second@example.org").await;
    assert!(last.last().unwrap().text_body.contains("/registrations/"));
    let outsider = app.token(&[seminars::access::Role::Rapporteur]).await;
    let refused = post_form(
        &app,
        &outsider,
        &format!("/registrations/{second}/withdraw"),
        "",
    )
    .await;
    assert_eq!(refused.status(), 403);
}
