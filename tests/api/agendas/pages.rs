//! The agenda pages as a form-posting browser uses them: forms keep what was typed and show each
//! error beside its field; the review page; the rapporteur's list; the public programme.

use serde_json::json;

use super::{assign, four_items, setup, step, Setup};
use crate::browser::{scoped_account, signed_in, Browser};
use crate::on_both_backends;
use crate::support::{fixture, TestApp};
use seminars::access::Role;

on_both_backends!(
    the_agenda_page_adds_an_item_in_local_time_and_a_refused_form_keeps_what_was_typed,
    the_item_page_moves_an_item_shifting_the_following_ones_and_removes_it,
    organisers_submit_and_withdraw_from_the_agenda_page,
    the_rapporteur_reviews_on_a_page_that_requires_a_comment_to_request_changes,
    the_public_page_shows_the_approved_programme_never_the_working_copy,
    a_session_is_copied_from_its_page,
);

async fn organiser_browser(app: &TestApp) -> Browser {
    signed_in(app, &[Role::Organiser]).await
}

/// A browser signed in as the setup's session's (second) rapporteur.
async fn rapporteur_browser(app: &TestApp, s: &Setup) -> Browser {
    let (id, email, password) = scoped_account(app, &[Role::Rapporteur], None).await;
    assign(app, &s.organiser, &s.session, &[&s.rapporteur_id, &id]).await;
    let mut browser = Browser::open(app).await;
    browser.sign_in(&email, &password).await;
    browser
}

async fn page(browser: &Browser, path: &str) -> (u16, String) {
    let response = browser.get(path).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

const ITEM: [(&str, &str); 6] = [
    ("kind", "expert_presentation"),
    ("title", "National CIRT experience"),
    ("description", "Lessons from Japan"),
    ("date", "YYYY-03-10"),
    ("start", "14:30"),
    ("end", "15:00"),
];

async fn the_agenda_page_adds_an_item_in_local_time_and_a_refused_form_keeps_what_was_typed(
    app: TestApp,
) {
    let s = setup(&app).await;
    let browser = organiser_browser(&app).await;
    let path = format!("/sessions/{}/agenda", s.session);
    let (status, body) = page(&browser, &path).await;
    assert_eq!(status, 200);
    assert!(body.contains("name=\"csrf_token\"") && body.contains("The agenda has no items yet."));
    assert!(
        body.contains("value=\"14:30\""),
        "the form starts at the session's start"
    );
    let added = browser
        .post_form(&format!("{path}/items"), &ITEM, true)
        .await;
    assert_eq!(
        (added.status().as_u16(), location(&added)),
        (303, path.clone())
    );
    let (_, body) = page(&browser, &path).await;
    assert!(
        body.contains("14:30–15:00") && body.contains("National CIRT experience"),
        "{body}"
    );
    let mut clash = ITEM;
    clash[1] = ("title", "Typed & kept");
    clash[4] = ("start", "14:45");
    clash[5] = ("end", "quarter past");
    let refused = browser
        .post_form(&format!("{path}/items"), &clash, true)
        .await;
    assert_eq!(refused.status(), 422);
    let body = refused.text().await.unwrap();
    assert!(
        body.contains("id=\"end-error\">must be a time such as 14:30"),
        "{body}"
    );
    assert!(body.contains("value=\"Typed &amp; kept\"") && body.contains("value=\"quarter past\""));
    clash[5] = ("end", "15:15");
    let refused = browser
        .post_form(&format!("{path}/items"), &clash, true)
        .await;
    let body = refused.text().await.unwrap();
    assert!(
        body.contains("id=\"start-error\">overlaps “National CIRT experience” (14:30–15:00)"),
        "{body}"
    );
    assert!(!body.contains("id=\"title-error\""));
    let forged = browser
        .post_form(&format!("{path}/items"), &ITEM, false)
        .await;
    assert_eq!(
        forged.status(),
        403,
        "a form without its CSRF token is refused"
    );
}

async fn the_item_page_moves_an_item_shifting_the_following_ones_and_removes_it(app: TestApp) {
    let s = setup(&app).await;
    let ids = four_items(&app, &s).await;
    let browser = organiser_browser(&app).await;
    let item = format!("/sessions/{}/agenda/items/{}", s.session, ids[1]);
    let (status, body) = page(&browser, &item).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("value=\"CIRT in Japan\"")
            && body.contains("value=\"15:30\"")
            && body.contains("shift_following")
    );
    let mut longer = [
        ("kind", "expert_presentation"),
        ("title", "CIRT in Japan"),
        ("description", ""),
        ("date", "YYYY-03-10"),
        ("start", "14:45"),
        ("end", "15:40"),
    ];
    let refused = browser.post_form(&item, &longer, true).await;
    assert_eq!(refused.status(), 422);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("id=\"start-error\">overlaps “Coffee”"));
    let mut with_shift = longer.to_vec();
    with_shift.push(("shift_following", "on"));
    let saved = browser.post_form(&item, &with_shift, true).await;
    assert_eq!(saved.status(), 303);
    let (_, body) = page(&browser, &format!("/sessions/{}/agenda", s.session)).await;
    assert!(
        body.contains("15:40–15:55") && body.contains("15:55–16:55"),
        "the following items moved: {body}"
    );
    longer[5] = ("end", "17:00");
    let mut too_far = longer.to_vec();
    too_far.push(("shift_following", "on"));
    let refused = browser.post_form(&item, &too_far, true).await;
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("id=\"shift_following-error\""));
    let removed = browser
        .post_form(&format!("{item}/delete"), &[], true)
        .await;
    assert_eq!(removed.status(), 303);
    let (status, _) = page(&browser, &item).await;
    assert_eq!(status, 404);
}

async fn organisers_submit_and_withdraw_from_the_agenda_page(app: TestApp) {
    let s = setup(&app).await;
    let browser = organiser_browser(&app).await;
    let path = format!("/sessions/{}/agenda", s.session);
    let empty = browser
        .post_form(&format!("{path}/submit"), &[], true)
        .await;
    assert_eq!(empty.status(), 409);
    assert!(empty
        .text()
        .await
        .unwrap()
        .contains("an agenda without items cannot be submitted"));
    four_items(&app, &s).await;
    let submitted = browser
        .post_form(&format!("{path}/submit"), &[], true)
        .await;
    assert_eq!(location(&submitted), format!("{path}?done=submitted"));
    let (_, body) = page(&browser, &format!("{path}?done=submitted")).await;
    assert!(
        body.contains("the rapporteurs have been emailed")
            && body.contains("Submitted for approval")
    );
    assert!(
        !body.contains("Add an item"),
        "a submitted agenda has no add form"
    );
    assert!(body.contains("id=\"withdraw-agenda\""));
    let withdrawn = browser
        .post_form(&format!("{path}/withdraw"), &[], true)
        .await;
    assert_eq!(location(&withdrawn), format!("{path}?done=withdrawn"));
    let (_, body) = page(&browser, &path).await;
    assert!(body.contains("Add an item") && body.contains("id=\"submit-agenda\""));
}

async fn the_rapporteur_reviews_on_a_page_that_requires_a_comment_to_request_changes(app: TestApp) {
    let s = setup(&app).await;
    let ids = four_items(&app, &s).await;
    step(&app, &s.organiser, &s.session, "submit", json!({})).await;
    let rapporteur = rapporteur_browser(&app, &s).await;
    let (_, reviews) = page(&rapporteur, "/reviews").await;
    assert!(reviews.contains(&format!("/sessions/{}/agenda/review", s.session)));
    let (_, others) = page(&signed_in(&app, &[Role::Rapporteur]).await, "/reviews").await;
    assert!(others.contains("No agenda waits for your decision."));
    let review = format!("/sessions/{}/agenda/review", s.session);
    let (status, body) = page(&rapporteur, &review).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("id=\"approve\"")
            && body.contains("id=\"request-changes\"")
            && body.contains("every item is new")
    );
    let refused = rapporteur
        .post_form(
            &review,
            &[("action", "request_changes"), ("comment", " ")],
            true,
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("id=\"comment-error\">is required when requesting changes"));
    let asked = rapporteur
        .post_form(
            &review,
            &[
                ("action", "request_changes"),
                ("comment", "Shorten the break"),
            ],
            true,
        )
        .await;
    assert_eq!(location(&asked), format!("{review}?done=changes_requested"));
    let organiser = organiser_browser(&app).await;
    let (_, body) = page(&organiser, &format!("/sessions/{}/agenda", s.session)).await;
    assert!(body.contains("id=\"rapporteur-comment\"") && body.contains("Shorten the break"));
    step(&app, &s.organiser, &s.session, "submit", json!({})).await;
    let approved = rapporteur
        .post_form(&review, &[("action", "approve"), ("comment", "")], true)
        .await;
    assert_eq!(approved.status(), 303);
    let path = format!("/api/v1/sessions/{}/agenda/items/{}", s.session, ids[2]);
    app.patch_as(
        &s.organiser,
        &path,
        json!({"ends_at": super::at("15:40"), "title": "Tea"}),
    )
    .await;
    step(&app, &s.organiser, &s.session, "submit", json!({})).await;
    let (_, body) = page(&rapporteur, &review).await;
    assert!(
        body.contains("Changed the time of “Tea” from")
            && body.contains("<del>15:30–15:45</del>")
            && body.contains("<ins>15:30–15:40</ins>"),
        "{body}"
    );
    assert!(
        body.contains("class=\"item kind-break changed\""),
        "the changed item is highlighted"
    );
    let organiser_decides = organiser
        .post_form(&review, &[("action", "approve")], true)
        .await;
    assert_eq!(organiser_decides.status(), 403);
}

async fn the_public_page_shows_the_approved_programme_never_the_working_copy(app: TestApp) {
    let s = setup(&app).await;
    four_items(&app, &s).await;
    app.post_as(
        &s.organiser,
        &format!("/api/v1/sessions/{}/publish", s.session),
        json!({}),
    )
    .await;
    let public = format!("/sessions/{}", s.session);
    let body = app.get(&public).await.text().await.unwrap();
    assert!(body.contains("The programme is in preparation.") && !body.contains("CIRT in Japan"));
    step(&app, &s.organiser, &s.session, "submit", json!({})).await;
    step(&app, &s.rapporteur, &s.session, "approve", json!({})).await;
    let item = super::added(&app, &s, "closing", "Draft closing", "17:00", "17:30").await;
    assert!(!item.is_empty());
    let body = app.get(&public).await.text().await.unwrap();
    assert!(
        body.contains("Version 1 · approved on") && body.contains("Times are in Europe/Zurich"),
        "{body}"
    );
    assert!(body.contains("14:45–15:30") && body.contains("CIRT in Japan"));
    assert!(
        !body.contains("Draft closing"),
        "the working copy is never public"
    );
    let css = app.get("/static/app.css").await.text().await.unwrap();
    assert!(css.contains("@media print"));
}

async fn a_session_is_copied_from_its_page(app: TestApp) {
    let s = setup(&app).await;
    four_items(&app, &s).await;
    let browser = organiser_browser(&app).await;
    let path = format!("/sessions/{}/copy", s.session);
    let (status, body) = page(&browser, &path).await;
    assert_eq!(status, 200);
    assert!(
        body.contains(&format!("value=\"{}\"", fixture("YYYY-03-10")))
            && body.contains("value=\"14:30\"")
    );
    let form = [
        ("meeting_id", s.meeting.as_str()),
        ("date", "YYYY-03-12"),
        ("start", "9:00"),
        ("title", "Second run"),
    ];
    let copied = browser.post_form(&path, &form, true).await;
    assert_eq!(copied.status(), 303);
    let agenda = location(&copied);
    assert!(agenda.ends_with("/agenda?done=copied") && !agenda.contains(&s.session));
    let (_, body) = page(&browser, &agenda).await;
    assert!(
        body.contains("Second run")
            && body.contains("09:00–09:15")
            && body.contains("The session was copied.")
    );
    let late = [
        ("meeting_id", s.meeting.as_str()),
        ("date", "YYYY-03-20"),
        ("start", "09:00"),
        ("title", ""),
    ];
    let refused = browser.post_form(&path, &late, true).await;
    assert_eq!(refused.status(), 422);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("id=\"start-error\">the session must lie within the meeting"));
}
