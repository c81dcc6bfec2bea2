//! The approval workflow: every transition and every refusal, versions, differences, programme.

use reqwest::Method;
use serde_json::{json, Value};

use super::{add, added, agenda, assign, at, audited, four_items, mail_about, setup, step, Setup};
use crate::on_both_backends;
use crate::support::{fixture, TestApp};
use seminars::access::Role;

on_both_backends!(
    an_empty_agenda_or_one_without_a_rapporteur_cannot_be_submitted,
    submitting_emails_each_rapporteur_a_review_link_and_locks_the_agenda,
    only_a_rapporteur_of_the_session_decides,
    approving_makes_version_one_emails_the_organisers_and_publishes_the_programme,
    requesting_changes_needs_a_comment_and_sends_it_to_the_organisers,
    an_organiser_withdraws_a_submission_to_edit_it_again,
    a_decision_is_taken_once_and_only_on_a_submitted_agenda,
    editing_an_approved_agenda_starts_a_new_version_while_the_public_keeps_the_approved_one,
    versions_of_a_draft_session_are_for_its_staff_only,
);

async fn submitted(app: &TestApp) -> Setup {
    let s = setup(app).await;
    four_items(app, &s).await;
    let (status, body) = step(app, &s.organiser, &s.session, "submit", json!({})).await;
    assert_eq!(status, 200, "{body}");
    s
}

async fn publish(app: &TestApp, s: &Setup) {
    let path = format!("/api/v1/sessions/{}/publish", s.session);
    assert_eq!(
        app.post_as(&s.organiser, &path, json!({})).await.status(),
        200
    );
}

async fn an_empty_agenda_or_one_without_a_rapporteur_cannot_be_submitted(app: TestApp) {
    let s = setup(&app).await;
    let (status, problem) = step(&app, &s.organiser, &s.session, "submit", json!({})).await;
    assert_eq!(status, 409);
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("without items"));
    four_items(&app, &s).await;
    assign(&app, &s.organiser, &s.session, &[]).await;
    let (status, problem) = step(&app, &s.organiser, &s.session, "submit", json!({})).await;
    assert_eq!(status, 409);
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("no rapporteur"));
    assert_eq!(agenda(&app, &s).await["status"], "draft");
    assert!(mail_about(&app, &s.session).await.is_empty());
}

async fn submitting_emails_each_rapporteur_a_review_link_and_locks_the_agenda(app: TestApp) {
    let s = submitted(&app).await;
    assert_eq!(agenda(&app, &s).await["status"], "submitted");
    let mail = mail_about(&app, &s.session).await;
    assert_eq!(mail.len(), 1, "one rapporteur, one email");
    let (_, subject, text) = &mail[0];
    assert_eq!(
        subject,
        "Agenda to review: Sharing cybersecurity best practices"
    );
    let link = format!(
        "{}/sessions/{}/agenda/review",
        app.settings.base_url(),
        s.session
    );
    assert!(text.contains(&link), "{text}");
    let (status, _) = add(&app, &s, "closing", "Closing", "17:00", "17:30").await;
    assert_eq!(status, 409, "adding to a submitted agenda");
    let items = agenda(&app, &s).await["items"].clone();
    let path = format!(
        "/api/v1/sessions/{}/agenda/items/{}",
        s.session,
        items[0]["id"].as_str().unwrap()
    );
    assert_eq!(
        app.patch_as(&s.organiser, &path, json!({"title": "x"}))
            .await
            .status(),
        409
    );
    assert_eq!(
        app.request(Method::DELETE, &path, Some(&s.organiser), None)
            .await
            .status(),
        409
    );
    let (status, _) = step(&app, &s.organiser, &s.session, "submit", json!({})).await;
    assert_eq!(status, 409, "submitted twice");
}

async fn only_a_rapporteur_of_the_session_decides(app: TestApp) {
    let s = submitted(&app).await;
    let admin = app.token(&[Role::Admin]).await;
    let other = app.token(&[Role::Rapporteur]).await;
    let focal = app.token(&[Role::FocalPoint]).await;
    for (who, token, expected) in [
        ("organiser", &s.organiser, 403),
        ("admin", &admin, 403),
        ("other rapporteur", &other, 404),
        ("focal point", &focal, 404),
    ] {
        for name in ["approve", "request-changes"] {
            let (status, _) = step(&app, token, &s.session, name, json!({"comment": "No"})).await;
            assert_eq!(status, expected, "{who} {name}");
        }
    }
    let unknown = uuid::Uuid::new_v4().to_string();
    assert_eq!(
        step(&app, &s.rapporteur, &unknown, "approve", json!({}))
            .await
            .0,
        404
    );
    assert_eq!(
        agenda(&app, &s).await["status"],
        "submitted",
        "nothing was decided"
    );
}

async fn approving_makes_version_one_emails_the_organisers_and_publishes_the_programme(
    app: TestApp,
) {
    let s = submitted(&app).await;
    publish(&app, &s).await;
    let programme = format!("/api/v1/sessions/{}/programme", s.session);
    assert_eq!(
        app.get(&programme).await.status(),
        404,
        "nothing approved yet"
    );
    let (status, body) = step(
        &app,
        &s.rapporteur,
        &s.session,
        "approve",
        json!({"comment": "Well balanced"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (&body["status"], &body["version"]),
        (&json!("approved"), &json!(1))
    );
    let answer: Value = app.get(&programme).await.json().await.unwrap();
    assert_eq!(
        (&answer["number"], &answer["comment"]),
        (&json!(1), &json!("Well balanced"))
    );
    assert_eq!(answer["items"].as_array().unwrap().len(), 4);
    assert_eq!(answer["items"][0]["since_version"], 1);
    assert_eq!(
        answer["items"][0]["starts_at"],
        fixture("YYYY-03-10T13:30:00Z")
    );
    let mail = mail_about(&app, &s.session).await;
    let approved: Vec<_> = mail
        .iter()
        .filter(|(_, subject, _)| subject.starts_with("Agenda approved"))
        .collect();
    assert!(!approved.is_empty(), "the organisers are emailed: {mail:?}");
    assert!(approved[0].2.contains("Well balanced"));
    assert_eq!(agenda(&app, &s).await["based_on_version"], 1);
    let actions = audited(&app, &s.session).await;
    assert_eq!(
        &actions[actions.len() - 2..],
        ["agenda.submitted", "agenda.approved"]
    );
}

async fn requesting_changes_needs_a_comment_and_sends_it_to_the_organisers(app: TestApp) {
    let s = submitted(&app).await;
    let (status, problem) = step(
        &app,
        &s.rapporteur,
        &s.session,
        "request-changes",
        json!({}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(problem["errors"]["comment"].is_array());
    let (status, _) = step(
        &app,
        &s.rapporteur,
        &s.session,
        "request-changes",
        json!({"comment": "  "}),
    )
    .await;
    assert_eq!(status, 422, "a blank comment");
    let comment = "Please add a closing session.";
    let (status, body) = step(
        &app,
        &s.rapporteur,
        &s.session,
        "request-changes",
        json!({"comment": comment}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (&body["status"], &body["comment"]),
        (&json!("changes_requested"), &json!(comment))
    );
    let mail = mail_about(&app, &s.session).await;
    let asked: Vec<_> = mail
        .iter()
        .filter(|(_, subject, _)| subject.starts_with("Changes requested"))
        .collect();
    assert!(
        !asked.is_empty() && asked[0].2.contains(comment),
        "{mail:?}"
    );
    added(&app, &s, "closing", "Closing", "17:00", "17:30").await;
    assert_eq!(
        agenda(&app, &s).await["status"],
        "changes_requested",
        "editable, still marked"
    );
    assert_eq!(
        step(&app, &s.organiser, &s.session, "submit", json!({}))
            .await
            .0,
        200
    );
    assert_eq!(
        audited(&app, &s.session).await.last().unwrap(),
        "agenda.submitted"
    );
}

async fn an_organiser_withdraws_a_submission_to_edit_it_again(app: TestApp) {
    let s = submitted(&app).await;
    let (status, body) = step(&app, &s.organiser, &s.session, "withdraw", json!({})).await;
    assert_eq!((status, &body["status"]), (200, &json!("draft")));
    added(&app, &s, "closing", "Closing", "17:00", "17:30").await;
    assert_eq!(
        step(&app, &s.organiser, &s.session, "withdraw", json!({}))
            .await
            .0,
        409
    );
    assert_eq!(
        step(&app, &s.rapporteur, &s.session, "approve", json!({}))
            .await
            .0,
        409,
        "nothing to decide"
    );
    assert!(audited(&app, &s.session)
        .await
        .contains(&"agenda.withdrawn".to_string()));
}

async fn a_decision_is_taken_once_and_only_on_a_submitted_agenda(app: TestApp) {
    let s = submitted(&app).await;
    let path = format!("/api/v1/sessions/{}/agenda/approve", s.session);
    let bare = app
        .request(Method::POST, &path, Some(&s.rapporteur), None)
        .await;
    assert_eq!(bare.status(), 200, "approving needs no body");
    assert_eq!(
        step(&app, &s.rapporteur, &s.session, "approve", json!({}))
            .await
            .0,
        409
    );
    let (status, problem) = step(
        &app,
        &s.rapporteur,
        &s.session,
        "request-changes",
        json!({"comment": "Late"}),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(
        problem["detail"],
        "cannot request changes to an agenda that is approved"
    );
    let versions: Value = app
        .get_as(
            &s.organiser,
            &format!("/api/v1/sessions/{}/agenda/versions", s.session),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(versions["total"], 1);
}

async fn editing_an_approved_agenda_starts_a_new_version_while_the_public_keeps_the_approved_one(
    app: TestApp,
) {
    let s = submitted(&app).await;
    publish(&app, &s).await;
    step(&app, &s.rapporteur, &s.session, "approve", json!({})).await;
    let ids: Vec<String> = agenda(&app, &s).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    let item = |id: &str| format!("/api/v1/sessions/{}/agenda/items/{id}", s.session);
    assert_eq!(
        app.patch_as(&s.organiser, &item(&ids[0]), json!({"title": "Welcome"}))
            .await
            .status(),
        200
    );
    let copy = agenda(&app, &s).await;
    assert_eq!(
        (&copy["status"], &copy["based_on_version"]),
        (&json!("draft"), &json!(1))
    );
    let programme: Value = app
        .get(&format!("/api/v1/sessions/{}/programme", s.session))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (&programme["number"], &programme["items"][0]["title"]),
        (&json!(1), &json!("Opening")),
        "the public keeps version 1"
    );
    app.patch_as(
        &s.organiser,
        &item(&ids[3]),
        json!({"starts_at": at("16:00"), "kind": "closing"}),
    )
    .await;
    app.request(Method::DELETE, &item(&ids[2]), Some(&s.organiser), None)
        .await;
    added(
        &app,
        &s,
        "stakeholder_presentation",
        "Kenya's CIRT",
        "15:40",
        "16:00",
    )
    .await;
    step(&app, &s.organiser, &s.session, "submit", json!({})).await;
    let (status, body) = step(&app, &s.rapporteur, &s.session, "approve", json!({})).await;
    assert_eq!((status, &body["version"]), (200, &json!(2)));
    let base = format!("/api/v1/sessions/{}/agenda/versions", s.session);
    let one: Value = app.get(&format!("{base}/1")).await.json().await.unwrap();
    assert_eq!(
        (
            &one["items"][0]["title"],
            one["items"].as_array().unwrap().len()
        ),
        (&json!("Opening"), 4),
        "version 1 is kept whole"
    );
    let two: Value = app.get(&format!("{base}/2")).await.json().await.unwrap();
    assert_eq!(
        two["items"][1]["since_version"], 1,
        "an unchanged item keeps its version"
    );
    assert_eq!(two["items"][0]["since_version"], 2);
    let diff: Value = app
        .get(&format!("{base}/1/diff/2"))
        .await
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["change"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["retitled", "removed", "added", "moved", "kind_changed"]
    );
    assert_eq!(
        diff["changes"][0]["summary"],
        "Renamed “Opening” to “Welcome”"
    );
    assert_eq!(
        (&diff["changes"][3]["before"], &diff["changes"][3]["after"]),
        (&json!("15:45–16:45"), &json!("16:00–17:00"))
    );
    assert_eq!(app.get(&format!("{base}/3")).await.status(), 404);
    assert_eq!(app.get(&format!("{base}/two")).await.status(), 404);
    assert_eq!(app.get(&format!("{base}/1/diff/9")).await.status(), 404);
    let list: Value = app.get(&base).await.json().await.unwrap();
    assert_eq!(
        (&list["total"], &list["items"][0]["number"]),
        (&json!(2), &json!(2))
    );
}

async fn versions_of_a_draft_session_are_for_its_staff_only(app: TestApp) {
    let s = submitted(&app).await;
    step(&app, &s.rapporteur, &s.session, "approve", json!({})).await;
    let base = format!("/api/v1/sessions/{}/agenda/versions", s.session);
    assert_eq!(
        app.get(&base).await.status(),
        404,
        "a draft session is not public"
    );
    assert_eq!(
        app.get(&format!("/api/v1/sessions/{}/programme", s.session))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get_as(&s.rapporteur, &format!("{base}/1"))
            .await
            .status(),
        200
    );
    let focal = app.token(&[Role::FocalPoint]).await;
    assert_eq!(app.get_as(&focal, &base).await.status(), 404);
}
