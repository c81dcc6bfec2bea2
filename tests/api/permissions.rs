//! Walks every route of the API and every page as every kind of caller, against the table in
//! permissions_table.rs, and fails when a route the app mounts has no row there (or a row no route).

use std::collections::{BTreeSet, HashMap};

use serde_json::json;

use crate::browser::{emailed_link, scoped_account, Browser};
use crate::permissions_table::{Fixture, CALLERS, FILLS, ROWS};
use crate::support::{spawn_with, Backend, TestApp};
use seminars::access::domain::{FocalScope, Role};
use seminars::accounts::users::{self, Invitation};
use seminars::audit::Actor;
use seminars::db;
use seminars::links::{self, Purpose};

/// Every route the app mounts (API and pages), as ("GET", "/path/{param}"): from the app
/// itself, so a route cannot be mounted without a row.
fn declared_routes() -> BTreeSet<(String, String)> {
    seminars::app::routes()
        .0
        .into_iter()
        .map(|r| (r.method.to_string(), r.path))
        .collect()
}

/// One kind of caller: a browser (cookie session and CSRF token) and the links it holds.
struct Caller {
    browser: Browser,
    links: HashMap<&'static str, String>,
}

/// The records and links every row's placeholders are filled with.
struct Fixtures {
    values: HashMap<&'static str, String>,
}

fn kind_of(fixture: Fixture) -> &'static str {
    match fixture {
        Fixture::Session => "session",
        Fixture::Meeting => "meeting",
        Fixture::RegistrationPurpose => "purpose",
        Fixture::SpareRegistration => "spare_registration",
        Fixture::SetupToken => "setup_token",
        Fixture::ResetToken => "reset_token",
        Fixture::OwnRegistrationToken => "registration_token",
        Fixture::OwnInvitationToken => "invitation_token",
        Fixture::Unknown => "unknown",
        Fixture::Registration => "registration",
    }
}

async fn link(app: &TestApp, purpose: Purpose, record: &str) -> String {
    let record = record.to_string();
    db::run(&app.pool, move |conn| {
        Ok(links::store::issue(
            conn,
            purpose,
            &record,
            None,
            chrono::Utc::now(),
        )?)
    })
    .await
    .unwrap()
}

async fn account_links(app: &TestApp) -> (String, String) {
    let settings = app.settings.clone();
    let invited = db::run(&app.pool, move |conn| {
        let invitation = Invitation {
            email: "invited@example.org".into(),
            name: "Invited".into(),
            roles: [Role::Organiser].into(),
            scope: None,
        };
        users::invite(conn, &settings, &Actor::Cli, invitation)
    })
    .await
    .unwrap();
    let setup = emailed_link(app, &invited.id, "http").await;
    let (id, email, _) = scoped_account(app, &[Role::Organiser], None).await;
    let settings = app.settings.clone();
    db::run(&app.pool, move |conn| {
        users::request_reset(conn, &settings, &email)
    })
    .await
    .unwrap();
    let reset = emailed_link(app, &id, "http").await;
    let last = |l: String| l.rsplit('/').next().unwrap().to_string();
    (last(setup), last(reset))
}

async fn staff_caller(
    app: &TestApp,
    roles: &[Role],
    scope: Option<FocalScope>,
) -> (String, Caller) {
    let (id, email, password) = scoped_account(app, roles, scope).await;
    let mut browser = Browser::open(app).await;
    browser.sign_in(&email, &password).await;
    (
        id,
        Caller {
            browser,
            links: HashMap::new(),
        },
    )
}

/// A scheduled session next year, so that registration is open.
async fn open_session(app: &TestApp, organiser: &str) -> (serde_json::Value, serde_json::Value) {
    let year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    let mut body = crate::support::meeting_body();
    body["first_day"] = json!(format!("{year}-03-09"));
    body["last_day"] = json!(format!("{year}-03-13"));
    let meeting: serde_json::Value = app
        .post_as(organiser, "/api/v1/meetings", body)
        .await
        .json()
        .await
        .unwrap();
    let mut body = crate::support::session_body(meeting["id"].as_str().unwrap());
    body["starts_at"] = json!(format!("{year}-03-10T14:30:00+01:00"));
    body["ends_at"] = json!(format!("{year}-03-10T17:30:00+01:00"));
    let session: serde_json::Value = app
        .post_as(organiser, "/api/v1/sessions", body)
        .await
        .json()
        .await
        .unwrap();
    let path = format!(
        "/api/v1/sessions/{}/publish",
        session["id"].as_str().unwrap()
    );
    let published = app.post_as(organiser, &path, json!({})).await;
    assert_eq!(published.status(), 200);
    (published.json().await.unwrap(), meeting)
}

/// A confirmed registration of a delegate from Kenya.
async fn kenyan_delegate(app: &TestApp, session: &str) -> String {
    let body = json!({"name": "Wanjiru Kamau", "email": "wanjiru@ca.go.ke", "organisation": "Communications Authority of Kenya",
        "job_title": "Director", "country": "KE", "stakeholder_category": "regulator",
        "attendance": "in_person", "consent_directory": true});
    let response = app
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/sessions/{session}/registrations"),
            None,
            Some(body),
        )
        .await;
    assert_eq!(response.status(), 201);
    let registration: serde_json::Value = response.json().await.unwrap();
    registration["id"].as_str().unwrap().to_string()
}

async fn set_rapporteurs(app: &TestApp, organiser: &str, session: &str, ids: &[&str]) {
    let path = format!("/api/v1/sessions/{session}/rapporteurs");
    let response = app
        .request(
            reqwest::Method::PUT,
            &path,
            Some(organiser),
            Some(json!({"user_ids": ids})),
        )
        .await;
    assert_eq!(response.status(), 200);
}

async fn callers_and_fixtures(app: &TestApp) -> (Vec<Caller>, Fixtures) {
    let organiser = app.organiser().await;
    let (session, meeting) = open_session(app, &organiser).await;
    let (other_session, _) = app.scheduled_session(&organiser).await;
    let session = session["id"].as_str().unwrap().to_string();
    let (setup, reset) = account_links(app).await;
    let spare = uuid::Uuid::new_v4().to_string();
    link(app, Purpose::Registration, &spare).await;
    let mut values = HashMap::new();
    values.insert("session", session.clone());
    values.insert("meeting", meeting["id"].as_str().unwrap().to_string());
    values.insert("purpose", "registration".to_string());
    values.insert("unknown", uuid::Uuid::new_v4().to_string());
    values.insert("spare_registration", spare);
    values.insert("setup_token", setup);
    values.insert("reset_token", reset);
    let registration = kenyan_delegate(app, &session).await;
    values.insert("registration", registration.clone());
    let mut callers = Vec::new();
    for holds in [
        None,
        Some(("registration_token", Purpose::Registration)),
        Some(("invitation_token", Purpose::SpeakerInvitation)),
    ] {
        let mut caller = Caller {
            browser: Browser::open(app).await,
            links: HashMap::new(),
        };
        if let Some((name, purpose)) = holds {
            let record = match purpose {
                Purpose::Registration => registration.clone(),
                _ => uuid::Uuid::new_v4().to_string(),
            };
            caller.links.insert(name, link(app, purpose, &record).await);
        }
        callers.push(caller);
    }
    callers.push(
        staff_caller(
            app,
            &[Role::FocalPoint],
            Some(FocalScope::Country("FR".into())),
        )
        .await
        .1,
    );
    callers.push(
        staff_caller(
            app,
            &[Role::FocalPoint],
            Some(FocalScope::Country("KE".into())),
        )
        .await
        .1,
    );
    let (other_rapporteur, caller) = staff_caller(app, &[Role::Rapporteur], None).await;
    callers.push(caller);
    let (this_rapporteur, caller) = staff_caller(app, &[Role::Rapporteur], None).await;
    callers.push(caller);
    set_rapporteurs(
        app,
        &organiser,
        other_session["id"].as_str().unwrap(),
        &[&other_rapporteur],
    )
    .await;
    set_rapporteurs(app, &organiser, &session, &[&this_rapporteur]).await;
    callers.push(staff_caller(app, &[Role::Organiser], None).await.1);
    callers.push(staff_caller(app, &[Role::Admin], None).await.1);
    assert_eq!(callers.len(), CALLERS.len());
    (callers, Fixtures { values })
}

/// The path with every placeholder filled for this caller.
fn fill(template: &str, caller: &Caller, fixtures: &Fixtures) -> Result<String, String> {
    let mut path = template.to_string();
    while let Some(start) = path.find('{') {
        let end = path[start..]
            .find('}')
            .map(|e| start + e + 1)
            .ok_or("unclosed placeholder")?;
        let placeholder = path[start..end].to_string();
        let rule = FILLS
            .iter()
            .find(|(prefix, name, _)| template.starts_with(prefix) && *name == placeholder)
            .ok_or_else(|| format!("{template}: add a FILLS rule for {placeholder}"))?;
        let kind = kind_of(rule.2);
        let stranger = "f".repeat(64);
        let value = caller
            .links
            .get(kind)
            .or_else(|| fixtures.values.get(kind))
            .cloned()
            .unwrap_or(stranger);
        path.replace_range(start..end, &value);
    }
    Ok(path)
}

async fn send(app: &TestApp, caller: &Caller, method: &str, path: &str, body: &str) -> u16 {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = caller
        .browser
        .client
        .request(method, app.url(path))
        .header("x-csrf-token", &caller.browser.csrf);
    if let Some(form) = body.strip_prefix("form:") {
        request = request
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.to_string());
    } else if !body.is_empty() {
        request = request.json(&serde_json::from_str::<serde_json::Value>(body).unwrap());
    }
    request.send().await.unwrap().status().as_u16()
}

async fn every_route_answers_every_kind_of_caller_as_the_table_says(backend: Backend) {
    let in_table: BTreeSet<(String, String)> = ROWS
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    let declared = declared_routes();
    let missing: Vec<_> = declared.difference(&in_table).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in tests/api/permissions_table.rs: {missing:?}"
    );
    let stale: Vec<_> = in_table.difference(&declared).collect();
    assert!(
        stale.is_empty(),
        "rows for routes that no longer exist: {stale:?}"
    );
    // Rate limits would turn hundreds of requests from one address into 429s; they have their own tests.
    let Some(app) = spawn_with(backend, |s| s.limits.enabled = false).await else {
        return;
    };
    let (callers, fixtures) = callers_and_fixtures(&app).await;
    let mut wrong = Vec::new();
    for row in ROWS {
        for (i, caller) in callers.iter().enumerate() {
            let path = fill(row.path, caller, &fixtures).unwrap_or_else(|e| panic!("{e}"));
            let status = send(&app, caller, row.method, &path, row.body).await;
            if status != row.expect[i] {
                wrong.push(format!(
                    "{} {} as {}: {status}, table says {}",
                    row.method, row.path, CALLERS[i], row.expect[i]
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "answers that differ from the table:\n{}",
        wrong.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_every_kind_of_caller_as_the_table_says_on_sqlite() {
    every_route_answers_every_kind_of_caller_as_the_table_says(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_every_kind_of_caller_as_the_table_says_on_postgres() {
    every_route_answers_every_kind_of_caller_as_the_table_says(Backend::Postgres).await;
}
