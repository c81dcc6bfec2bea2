//! Agendas: the working copy, the approval workflow, versions and their differences, the public
//! programme, reuse, the pages, and a real browser going through it all.

mod browser;
mod events;
mod pages;
mod races;
mod reuse;
mod workflow;

use reqwest::Method;
use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::{fixture, fixture_year, TestApp};
use seminars::access::Role;
use seminars::db;

/// A session (10 March 2026, 14:30–17:30 Geneva) with an organiser and an assigned rapporteur.
pub struct Setup {
    pub organiser: String,
    pub rapporteur: String,
    pub rapporteur_id: String,
    pub session: String,
    pub meeting: String,
}

/// The id of the account behind a token.
pub async fn id_of(app: &TestApp, token: &str) -> String {
    let me: Value = app.get_as(token, "/api/v1/me").await.json().await.unwrap();
    me["id"].as_str().unwrap().to_string()
}

/// Assigns the session's rapporteurs.
pub async fn assign(app: &TestApp, organiser: &str, session: &str, ids: &[&str]) {
    let path = format!("/api/v1/sessions/{session}/rapporteurs");
    let body = Some(json!({"user_ids": ids}));
    let response = app.request(Method::PUT, &path, Some(organiser), body).await;
    assert_eq!(response.status(), 200);
}

/// A draft session with a rapporteur assigned.
pub async fn setup(app: &TestApp) -> Setup {
    let organiser = app.organiser().await;
    let meeting = app.meeting(&organiser).await;
    let meeting = meeting["id"].as_str().unwrap().to_string();
    let session = app.session(&organiser, &meeting).await;
    let session = session["id"].as_str().unwrap().to_string();
    let rapporteur = app.token(&[Role::Rapporteur]).await;
    let rapporteur_id = id_of(app, &rapporteur).await;
    assign(app, &organiser, &session, &[&rapporteur_id]).await;
    Setup {
        organiser,
        rapporteur,
        rapporteur_id,
        session,
        meeting,
    }
}

/// An instant of 10 March 2026 in Geneva.
pub fn at(hm: &str) -> String {
    format!("{}-03-10T{hm}:00+01:00", fixture_year())
}

/// Posts an item; answers the status and body.
pub async fn add(
    app: &TestApp,
    s: &Setup,
    kind: &str,
    title: &str,
    from: &str,
    to: &str,
) -> (u16, Value) {
    let body = json!({"kind": kind, "title": title, "description": "", "starts_at": at(from), "ends_at": at(to)});
    let path = format!("/api/v1/sessions/{}/agenda/items", s.session);
    let response = app.post_as(&s.organiser, &path, body).await;
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

/// Adds an item that must be accepted, and answers its id.
pub async fn added(
    app: &TestApp,
    s: &Setup,
    kind: &str,
    title: &str,
    from: &str,
    to: &str,
) -> String {
    let (status, item) = add(app, s, kind, title, from, to).await;
    assert_eq!(status, 201, "{item}");
    item["id"].as_str().unwrap().to_string()
}

/// Opening, a presentation, a break, a discussion: 14:30–16:45.
pub async fn four_items(app: &TestApp, s: &Setup) -> Vec<String> {
    vec![
        added(app, s, "opening", "Opening", "14:30", "14:45").await,
        added(
            app,
            s,
            "expert_presentation",
            "CIRT in Japan",
            "14:45",
            "15:30",
        )
        .await,
        added(app, s, "break", "Coffee", "15:30", "15:45").await,
        added(app, s, "discussion", "Discussion", "15:45", "16:45").await,
    ]
}

/// POSTs a workflow step (`submit`, `approve`, …) and answers the status and body.
pub async fn step(
    app: &TestApp,
    token: &str,
    session: &str,
    name: &str,
    body: Value,
) -> (u16, Value) {
    let path = format!("/api/v1/sessions/{session}/agenda/{name}");
    let response = app.post_as(token, &path, body).await;
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

/// The working copy as its organiser sees it.
pub async fn agenda(app: &TestApp, s: &Setup) -> Value {
    let path = format!("/api/v1/sessions/{}/agenda", s.session);
    app.get_as(&s.organiser, &path).await.json().await.unwrap()
}

/// The agenda's emails: (to, subject, text).
pub async fn mail_about(app: &TestApp, session: &str) -> Vec<(String, String, String)> {
    let id = session.to_string();
    let rows = db::run(&app.pool, move |conn| {
        Ok(seminars::mail::outbox::of_record(
            conn,
            seminars::agendas::notices::AGENDA,
            &id,
        )?)
    })
    .await
    .unwrap();
    rows.into_iter()
        .map(|r| (r.to_email, r.subject, r.text_body))
        .collect()
}

/// The audit actions recorded about a session's agenda, in order.
pub async fn audited(app: &TestApp, session: &str) -> Vec<String> {
    let id = session.to_string();
    let rows = db::run(&app.pool, move |conn| {
        Ok(seminars::audit::store::of_record(conn, "agenda", &id)?)
    })
    .await
    .unwrap();
    rows.into_iter().map(|r| r.action).collect()
}

on_both_backends!(
    items_inside_the_session_are_kept_in_time_order_and_answered_in_utc,
    an_item_outside_the_session_or_overlapping_another_is_refused_with_422,
    a_bad_body_names_each_field_and_an_unknown_session_or_item_is_404,
    an_item_is_changed_moved_and_removed_keeping_its_id,
    a_growing_item_shifts_the_following_ones_only_when_asked_and_only_inside_the_session,
    only_organisers_and_the_sessions_rapporteurs_see_the_working_copy,
);

async fn items_inside_the_session_are_kept_in_time_order_and_answered_in_utc(app: TestApp) {
    let s = setup(&app).await;
    added(&app, &s, "closing", "Closing", "17:00", "17:30").await;
    added(&app, &s, "opening", "Opening", "14:30", "14:45").await;
    let agenda = agenda(&app, &s).await;
    assert_eq!(agenda["status"], "draft");
    assert_eq!(agenda["timezone"], "Europe/Zurich");
    assert_eq!(agenda["based_on_version"], Value::Null);
    let items = agenda["items"].as_array().unwrap();
    assert_eq!(items[0]["title"], "Opening");
    assert_eq!(items[0]["starts_at"], fixture("YYYY-03-10T13:30:00Z"));
    assert_eq!(items[1]["ends_at"], fixture("YYYY-03-10T16:30:00Z"));
    assert_eq!(items[1]["speakers"], json!([]));
    assert_eq!(audited(&app, &s.session).await, ["agenda.item_added"; 2]);
}

async fn an_item_outside_the_session_or_overlapping_another_is_refused_with_422(app: TestApp) {
    let s = setup(&app).await;
    four_items(&app, &s).await;
    let (status, problem) = add(&app, &s, "opening", "Too early", "14:00", "14:30").await;
    assert_eq!(status, 422);
    assert!(problem["errors"]["starts_at"][0]
        .as_str()
        .unwrap()
        .contains("14:30–17:30"));
    let (status, problem) = add(&app, &s, "closing", "Too late", "17:15", "17:45").await;
    assert_eq!(
        (status, problem["errors"]["ends_at"].is_array()),
        (422, true)
    );
    let (status, problem) = add(&app, &s, "discussion", "Questions", "15:40", "15:50").await;
    assert_eq!(status, 422);
    assert_eq!(
        problem["errors"]["starts_at"][0],
        "overlaps “Coffee” (15:30–15:45)"
    );
    let (status, _) = add(&app, &s, "closing", "Backwards", "17:30", "17:00").await;
    assert_eq!(status, 422);
    assert_eq!(agenda(&app, &s).await["items"].as_array().unwrap().len(), 4);
}

async fn a_bad_body_names_each_field_and_an_unknown_session_or_item_is_404(app: TestApp) {
    let s = setup(&app).await;
    let path = format!("/api/v1/sessions/{}/agenda/items", s.session);
    let body = json!({"kind": "party", "title": " ", "starts_at": fixture("YYYY-03-10T14:30:00")});
    let response = app.post_as(&s.organiser, &path, body).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    for field in ["kind", "title", "starts_at", "ends_at"] {
        assert!(problem["errors"][field].is_array(), "{field}: {problem}");
    }
    let nul = json!({"kind": "opening", "title": "A\u{0}B", "starts_at": at("14:30"), "ends_at": at("14:45")});
    assert_eq!(app.post_as(&s.organiser, &path, nul).await.status(), 422);
    let unknown = format!("/api/v1/sessions/{}/agenda/items", uuid::Uuid::new_v4());
    let good = json!({"kind": "opening", "title": "Opening", "starts_at": at("14:30"), "ends_at": at("14:45")});
    assert_eq!(
        app.post_as(&s.organiser, &unknown, good).await.status(),
        404
    );
    let item = format!(
        "/api/v1/sessions/{}/agenda/items/{}",
        s.session,
        uuid::Uuid::new_v4()
    );
    assert_eq!(
        app.patch_as(&s.organiser, &item, json!({"title": "x"}))
            .await
            .status(),
        404
    );
    let deleted = app
        .request(Method::DELETE, &item, Some(&s.organiser), None)
        .await;
    assert_eq!(deleted.status(), 404);
}

async fn an_item_is_changed_moved_and_removed_keeping_its_id(app: TestApp) {
    let s = setup(&app).await;
    let ids = four_items(&app, &s).await;
    let path = format!("/api/v1/sessions/{}/agenda/items/{}", s.session, ids[3]);
    let moved = app
        .patch_as(
            &s.organiser,
            &path,
            json!({"starts_at": at("16:00"), "title": "Open discussion"}),
        )
        .await;
    assert_eq!(moved.status(), 200);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(
        (moved["id"].as_str().unwrap(), &moved["title"]),
        (ids[3].as_str(), &json!("Open discussion"))
    );
    assert_eq!(
        moved["ends_at"],
        fixture("YYYY-03-10T16:00:00Z"),
        "moving keeps the length"
    );
    let deleted = app
        .request(
            Method::DELETE,
            &path.replace(&ids[3], &ids[2]),
            Some(&s.organiser),
            None,
        )
        .await;
    assert_eq!(deleted.status(), 204);
    let items = agenda(&app, &s).await["items"].clone();
    let titles: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Opening", "CIRT in Japan", "Open discussion"]);
    let actions = audited(&app, &s.session).await;
    assert_eq!(
        &actions[4..],
        ["agenda.item_changed", "agenda.item_removed"]
    );
}

async fn a_growing_item_shifts_the_following_ones_only_when_asked_and_only_inside_the_session(
    app: TestApp,
) {
    let s = setup(&app).await;
    let ids = four_items(&app, &s).await;
    let path = format!("/api/v1/sessions/{}/agenda/items/{}", s.session, ids[1]);
    let longer = json!({"ends_at": at("15:40")});
    assert_eq!(
        app.patch_as(&s.organiser, &path, longer.clone())
            .await
            .status(),
        422
    );
    let mut shifted = longer;
    shifted["shift_following"] = json!(true);
    assert_eq!(
        app.patch_as(&s.organiser, &path, shifted).await.status(),
        200
    );
    let items = agenda(&app, &s).await["items"].clone();
    let ends: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["ends_at"].as_str().unwrap())
        .collect();
    assert_eq!(
        ends,
        [
            fixture("YYYY-03-10T13:45:00Z"),
            fixture("YYYY-03-10T14:40:00Z"),
            fixture("YYYY-03-10T14:55:00Z"),
            fixture("YYYY-03-10T15:55:00Z")
        ]
    );
    let too_long = json!({"ends_at": at("16:40"), "shift_following": true});
    let response = app.patch_as(&s.organiser, &path, too_long).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert!(problem["errors"]["shift_following"][0]
        .as_str()
        .unwrap()
        .contains("Discussion"));
    let unchanged = agenda(&app, &s).await["items"].clone();
    assert_eq!(unchanged, items, "a refused shift changes nothing");
}

async fn only_organisers_and_the_sessions_rapporteurs_see_the_working_copy(app: TestApp) {
    let s = setup(&app).await;
    four_items(&app, &s).await;
    let path = format!("/api/v1/sessions/{}/agenda", s.session);
    assert_eq!(app.get_as(&s.rapporteur, &path).await.status(), 200);
    let other = app.token(&[Role::Rapporteur]).await;
    assert_eq!(app.get_as(&other, &path).await.status(), 404);
    assert_eq!(app.get(&path).await.status(), 401);
    let body = json!({"kind": "closing", "title": "Closing", "starts_at": at("17:00"), "ends_at": at("17:30")});
    let items = format!("{path}/items");
    assert_eq!(app.post_as(&s.rapporteur, &items, body).await.status(), 403);
}
