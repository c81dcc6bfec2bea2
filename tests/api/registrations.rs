//! Delegate registration through the HTTP API: capacity, waiting list, links, approval, reports.

use chrono::Datelike;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::TestApp;
use seminars::access::Role;
use seminars::db;
use seminars::db::schema::{outbox, sessions};
use seminars::mail::outbox::OutboxRow;

mod approval;
pub mod bulk;
mod byhand;
mod cli;
mod links;
mod pages;
mod public;
mod reminders;
mod reports;
mod rush;
mod seats;
mod stats;

on_both_backends!(
    registering_past_capacity_puts_the_delegate_on_the_waiting_list,
    the_same_email_registering_twice_gets_back_the_first_registration,
    bad_fields_are_named_and_closed_cancelled_or_draft_sessions_refuse,
);

/// The next calendar year, so that registration is open whenever the tests run.
pub fn next_year() -> i32 {
    chrono::Utc::now().year() + 1
}

/// A scheduled session next March with these settings merged into the body; answers its id.
pub async fn open_session(app: &TestApp, token: &str, settings: Value) -> String {
    let y = next_year();
    let mut meeting = crate::support::meeting_body();
    meeting["first_day"] = json!(format!("{y}-03-09"));
    meeting["last_day"] = json!(format!("{y}-03-13"));
    let meeting: Value = app
        .post_as(token, "/api/v1/meetings", meeting)
        .await
        .json()
        .await
        .unwrap();
    let mut body = crate::support::session_body(meeting["id"].as_str().unwrap());
    body["starts_at"] = json!(format!("{y}-03-10T14:30:00+01:00"));
    body["ends_at"] = json!(format!("{y}-03-10T17:30:00+01:00"));
    for (key, value) in settings.as_object().unwrap() {
        body[key] = value.clone();
    }
    let response = app.post_as(token, "/api/v1/sessions", body).await;
    assert_eq!(response.status(), 201);
    let session: Value = response.json().await.unwrap();
    let id = session["id"].as_str().unwrap().to_string();
    let published = app
        .post_as(token, &format!("/api/v1/sessions/{id}/publish"), json!({}))
        .await;
    assert_eq!(published.status(), 200);
    id
}

/// A valid registration body.
pub fn delegate(email: &str, country: &str) -> Value {
    json!({
        "name": "Delegate", "email": email, "organisation": "Ministry of ICT", "job_title": "Director",
        "country": country, "stakeholder_category": "policy_maker", "attendance": "in_person",
        "consent_directory": true
    })
}

/// Registers and answers the HTTP status and body.
pub async fn register(app: &TestApp, session: &str, body: Value) -> (u16, Value) {
    let response = app
        .request(
            Method::POST,
            &format!("/api/v1/sessions/{session}/registrations"),
            None,
            Some(body),
        )
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// Every outbox row to an address, oldest first.
pub async fn mail_to(app: &TestApp, email: &str) -> Vec<OutboxRow> {
    let email = email.to_lowercase();
    db::run(&app.pool, move |conn| {
        Ok(outbox::table
            .filter(outbox::to_email.eq(email))
            .order((outbox::created_at.asc(), outbox::id.asc()))
            .select(OutboxRow::as_select())
            .load(conn)?)
    })
    .await
    .unwrap()
}

/// The delegate's secret token from the first email that carries a link.
pub async fn token_of(app: &TestApp, email: &str) -> String {
    let rows = mail_to(app, email).await;
    rows.iter()
        .find_map(|r| {
            let at = r.text_body.find("/registrations/")?;
            Some(r.text_body[at + 15..at + 15 + 64].to_string())
        })
        .expect("an email with the delegate's link")
}

/// The METHOD and parsed event of an outbox row's calendar.
pub fn calendar_of(row: &OutboxRow) -> (String, seminars::calendar::ParsedEvent) {
    let parsed = seminars::calendar::parse(row.calendar.as_deref().expect("a calendar")).unwrap();
    (parsed.method.unwrap(), parsed.events[0].clone())
}

/// A focal point scoped to a country or an entity, and their bearer token.
pub async fn focal_point(
    app: &TestApp,
    country: Option<&str>,
    entity: Option<&str>,
) -> (String, String) {
    use seminars::access::domain::FocalScope;
    let scope = country
        .map(|c| FocalScope::Country(c.into()))
        .or(entity.map(|e| FocalScope::Entity(e.into())));
    let (email, password) = app.account_scoped(&[Role::FocalPoint], scope).await;
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

async fn registering_past_capacity_puts_the_delegate_on_the_waiting_list(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({"capacity": 2})).await;
    let (s1, first) = register(&app, &session, delegate("a@example.org", "JP")).await;
    let (_, second) = register(&app, &session, delegate("b@example.org", "NP")).await;
    let (s3, third) = register(&app, &session, delegate("c@example.org", "ke")).await;
    assert_eq!((s1, s3), (201, 201));
    assert_eq!(first["status"], "confirmed");
    assert_eq!(first["country_group"], "developed");
    assert_eq!(second["country_group"], "ldc");
    assert!(first.get("waitlist_position").is_none());
    assert_eq!(third["status"], "waitlisted");
    assert_eq!(third["country_group"], "developing");
    assert_eq!(third["waitlist_position"], 1);
    let confirmed = mail_to(&app, "a@example.org").await;
    assert_eq!(confirmed.len(), 1);
    let (method, event) = calendar_of(&confirmed[0]);
    assert_eq!(method, "REQUEST");
    assert!(event.uid.contains(&session));
    assert_eq!(event.attendees, vec!["a@example.org"]);
    assert_eq!(event.location, "ITU headquarters, Geneva");
    assert!(
        confirmed[0].text_body.contains("/registrations/"),
        "the secret link"
    );
    let waiting = mail_to(&app, "c@example.org").await;
    assert_eq!(waiting.len(), 1);
    assert!(waiting[0].calendar.is_none());
    assert!(
        waiting[0].text_body.contains("position 1"),
        "{}",
        waiting[0].text_body
    );
}

async fn the_same_email_registering_twice_gets_back_the_first_registration(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({"capacity": 5})).await;
    let (_, first) = register(&app, &session, delegate("twice@example.org", "JP")).await;
    let mut again = delegate(" Twice@Example.ORG ", "KE");
    again["name"] = json!("Someone else");
    let (status, second) = register(&app, &session, again).await;
    assert_eq!(status, 200);
    assert_eq!(second["id"], first["id"]);
    assert_eq!(
        second["country_group"], "developed",
        "the first registration's data"
    );
    assert_eq!(
        mail_to(&app, "twice@example.org").await.len(),
        1,
        "no second email"
    );
}

async fn bad_fields_are_named_and_closed_cancelled_or_draft_sessions_refuse(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    let body = json!({"email": "nope", "country": "XX", "stakeholder_category": "press", "attendance": "both"});
    let (status, problem) = register(&app, &session, body).await;
    assert_eq!(status, 422);
    for field in [
        "name",
        "email",
        "organisation",
        "job_title",
        "country",
        "stakeholder_category",
        "attendance",
    ] {
        assert!(problem["errors"][field].is_array(), "{field}: {problem}");
    }
    let mut visa = delegate("v@example.org", "JP");
    visa["visa_letter_needed"] = json!(true);
    let (status, problem) = register(&app, &session, visa).await;
    assert_eq!(status, 422);
    assert!(problem["errors"]["passport_number"].is_array());
    let (status, _) = register(
        &app,
        "8b0c3b6e-0000-4000-8000-000000000000",
        delegate("x@example.org", "JP"),
    )
    .await;
    assert_eq!(status, 404);
    let y = next_year();
    let closed = app
        .patch_as(
            &token,
            &format!("/api/v1/sessions/{session}"),
            json!({"registration_opens_at": format!("{y}-03-01T00:00:00Z")}),
        )
        .await;
    assert_eq!(closed.status(), 200);
    let (status, problem) = register(&app, &session, delegate("early@example.org", "JP")).await;
    assert_eq!(status, 409, "{problem}");
    let cancel = app
        .post_as(
            &token,
            &format!("/api/v1/sessions/{session}/cancel"),
            json!({"reason": "storm"}),
        )
        .await;
    assert_eq!(cancel.status(), 200);
    assert_eq!(
        register(&app, &session, delegate("late@example.org", "JP"))
            .await
            .0,
        409
    );
    let meeting: Value = app.get("/api/v1/meetings").await.json().await.unwrap();
    let mut draft = crate::support::session_body(meeting["items"][0]["id"].as_str().unwrap());
    draft["starts_at"] = json!(format!("{y}-03-11T14:30:00+01:00"));
    draft["ends_at"] = json!(format!("{y}-03-11T17:30:00+01:00"));
    let draft: Value = app
        .post_as(&token, "/api/v1/sessions", draft)
        .await
        .json()
        .await
        .unwrap();
    let (status, _) = register(
        &app,
        draft["id"].as_str().unwrap(),
        delegate("d@example.org", "JP"),
    )
    .await;
    assert_eq!(status, 404, "a draft is not public");
}

pub async fn end_session(app: &TestApp, session: &str) {
    let id = session.to_string();
    db::run(&app.pool, move |conn| {
        let past = chrono::Utc::now().naive_utc() - chrono::Duration::days(1);
        diesel::update(sessions::table.find(id))
            .set((
                sessions::starts_at.eq(past - chrono::Duration::hours(3)),
                sessions::ends_at.eq(past),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await
    .unwrap();
}

/// How many outbox rows carry a calendar with this METHOD.
pub async fn count_calendars(app: &TestApp, method: &str) -> i64 {
    let method = method.to_string();
    db::run(&app.pool, move |conn| {
        Ok(outbox::table
            .filter(outbox::calendar_method.eq(method))
            .count()
            .get_result(conn)?)
    })
    .await
    .unwrap()
}
