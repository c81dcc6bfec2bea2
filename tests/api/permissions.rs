//! Walks every route of the API and every page as every kind of caller, against the table in
//! permissions_table.rs: with and without the CSRF token, what a 200 contains where scope
//! matters, and that every form of every page carries the token. Fails when a route the app
//! mounts has no row there (or a row no route), and when a route's declared `Access` disagrees
//! with the statuses its row expects.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::json;

use crate::browser::{emailed_link, scoped_account, Browser};
use crate::permissions_table::{Call, Fixture, Row, CALLERS, FILLS, ROWS};
use crate::support::{spawn_with, Backend, TestApp};
use seminars::access::domain::{FocalScope, Role};
use seminars::accounts::users::{self, Invitation};
use seminars::audit::Actor;
use seminars::db;
use seminars::links::{self, Purpose};
use seminars::web::routes::{Access, Face};

/// Every route the app mounts (API and pages), as ("GET", "/path/{param}") with who may call it
/// and how it answers: from the app itself, so a route cannot be mounted without a row.
fn declared_routes() -> BTreeMap<(String, String), (Access, Face)> {
    seminars::app::routes()
        .0
        .into_iter()
        .map(|r| ((r.method.to_string(), r.path), (r.access, r.face)))
        .collect()
}

fn calls(row: &Row) -> impl Iterator<Item = &Call> {
    row.calls.iter().flatten()
}

/// What the gate answers each kind of caller for a route's declared access, in API terms:
/// Some(401 or 403) for a caller it refuses, None for one it lets through to the handler.
fn gate(access: Access) -> [Option<u16>; 9] {
    // Columns: three without an account, two focal points, two rapporteurs, organiser, admin.
    let rank = [0, 0, 0, 1, 1, 1, 1, 2, 3];
    let needs = match access {
        Access::Anyone => 0,
        Access::Staff => 1,
        Access::Organiser => 2,
        Access::Admin => 3,
    };
    rank.map(|r| match (r, needs) {
        (r, n) if r >= n => None,
        (0, _) => Some(401),
        _ => Some(403),
    })
}

/// The least access a row's statuses imply: 401 for every caller without an account (while some
/// account gets another answer) means signing in is needed; 403 for every account below
/// organiser, or below admin, means that role is.
fn implied(expect: &[u16; 9]) -> Access {
    let accounts_differ = expect[3..].iter().any(|s| *s != 401);
    if expect[3..8].iter().all(|s| *s == 403) && expect[8] != 403 {
        Access::Admin
    } else if expect[3..7].iter().all(|s| *s == 403) && expect[7] != 403 {
        Access::Organiser
    } else if expect[..3].iter().all(|s| *s == 401) && accounts_differ {
        Access::Staff
    } else {
        Access::Anyone
    }
}

/// The status a call should answer a caller, given the row's status in API terms: a page that
/// needs an account sends those without one to sign in (a public page's 401, such as wrong
/// credentials on the sign-in form, stays 401).
fn expected(call: &Call, (access, face): (Access, Face), status: u16) -> u16 {
    match (face, status) {
        (Face::Page, 401) if access != Access::Anyone => 303,
        (_, 200) => call.ok,
        (_, other) => other,
    }
}

fn is_unsafe(method: &str) -> bool {
    !matches!(method, "GET" | "HEAD" | "OPTIONS")
}

#[test]
fn every_mounted_route_has_a_row_and_every_row_a_route() {
    let mut in_table = BTreeSet::new();
    for call in ROWS.iter().flat_map(calls) {
        let key = (call.method.to_string(), call.path.to_string());
        assert!(in_table.insert(key.clone()), "{key:?} is in two rows");
    }
    let declared: BTreeSet<_> = declared_routes().into_keys().collect();
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
}

#[test]
fn every_routes_declared_access_agrees_with_the_statuses_its_row_expects() {
    let declared = declared_routes();
    let mut wrong = Vec::new();
    for row in ROWS {
        for call in calls(row) {
            let key = (call.method.to_string(), call.path.to_string());
            let Some((access, _)) = declared.get(&key) else {
                continue;
            };
            for (i, refusal) in gate(*access).iter().enumerate() {
                if let Some(status) = refusal {
                    if row.expect[i] != *status {
                        wrong.push(format!(
                            "{} {} is mounted for {access:?}, so {} gets {status}; the table says {}",
                            call.method, call.path, CALLERS[i], row.expect[i]
                        ));
                    }
                }
            }
            let needed = implied(&row.expect);
            if gate(*access).iter().flatten().count() < gate(needed).iter().flatten().count() {
                wrong.push(format!(
                    "{} {} is mounted for {access:?}, but its row refuses callers as {needed:?} would",
                    call.method, call.path
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The `<form method="post">` elements of a page that carry no CSRF token (neither the hidden
/// field nor, for multipart forms, the query parameter).
fn forms_without_token(page: &str) -> Vec<String> {
    page.split("<form")
        .skip(1)
        .map(|rest| rest.split("</form>").next().unwrap_or(rest))
        .filter(|form| {
            let tag = form.split('>').next().unwrap_or("").to_ascii_lowercase();
            tag.contains("method=\"post\"")
        })
        .filter(|form| !form.contains("name=\"csrf_token\"") && !form.contains("csrf_token="))
        .map(|form| form.chars().take(120).collect())
        .collect()
}

#[test]
fn a_post_form_without_its_token_is_found() {
    let page = r#"<form method="get" action="/x"></form>
        <form method="post" action="/a"><input type="hidden" name="csrf_token" value="t"></form>
        <form method="POST" action="/b"><button>Go</button></form>"#;
    let found = forms_without_token(page);
    assert_eq!(found.len(), 1);
    assert!(found[0].contains("/b"));
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
        Fixture::SpareAccount => "spare_account",
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

/// Live set-up and reset tokens, and the id of the account the reset is for.
async fn account_links(app: &TestApp) -> (String, String, String) {
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
    (last(setup), last(reset), id)
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
    let (setup, reset, spare_account) = account_links(app).await;
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
    values.insert("spare_account", spare_account);
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

/// Sends a row's request as a caller (with the CSRF token, or without it) and answers the status,
/// the Location header and the body.
async fn send(
    app: &TestApp,
    caller: &Caller,
    call: &Call,
    path: &str,
    with_token: bool,
) -> (u16, String, String) {
    let (method, body) = (call.method, call.body);
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = caller.browser.client.request(method, app.url(path));
    if with_token {
        request = request.header("x-csrf-token", &caller.browser.csrf);
    }
    if let Some(form) = body.strip_prefix("form:") {
        request = request
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.to_string());
    } else if !body.is_empty() {
        request = request.json(&serde_json::from_str::<serde_json::Value>(body).unwrap());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, location, response.text().await.unwrap_or_default())
}

/// What went wrong when `caller` (column `i`) asked one call of a row, if anything.
async fn check_call(
    app: &TestApp,
    (i, caller): (usize, &Caller),
    row: &Row,
    call: &Call,
    (path, access, face): (&str, Access, Face),
) -> Vec<String> {
    let mut wrong = Vec::new();
    let who = format!("{} {} as {}", call.method, call.path, CALLERS[i]);
    if is_unsafe(call.method) {
        let (status, _, _) = send(app, caller, call, path, false).await;
        if status != row.no_csrf {
            wrong.push(format!(
                "{who} without the CSRF token: {status}, table says {}",
                row.no_csrf
            ));
        }
    }
    let (status, location, body) = send(app, caller, call, path, true).await;
    let want = expected(call, (access, face), row.expect[i]);
    if status != want {
        wrong.push(format!("{who}: {status}, table says {want}"));
    } else if want == 303 && row.expect[i] == 401 && !location.starts_with("/sign-in?next=") {
        wrong.push(format!("{who}: sent to {location:?}, not to sign in"));
    }
    if status == 200 {
        if let Some((text, sees)) = row.sees {
            match (sees.as_bytes()[i], body.contains(text)) {
                (b'y', false) => wrong.push(format!("{who}: the answer lacks {text:?}")),
                (b'n', true) => {
                    wrong.push(format!("{who}: the answer shows {text:?}, out of scope"))
                }
                _ => {}
            }
        }
        if face == Face::Page && call.method == "GET" {
            for form in forms_without_token(&body) {
                wrong.push(format!("{who}: a form without the CSRF token: {form}"));
            }
        }
    }
    wrong
}

async fn every_route_answers_every_kind_of_caller_as_the_table_says(backend: Backend) {
    // Rate limits would turn hundreds of requests from one address into 429s; they have their own tests.
    let Some(app) = spawn_with(backend, |s| s.limits.enabled = false).await else {
        return;
    };
    let declared = declared_routes();
    let (callers, fixtures) = callers_and_fixtures(&app).await;
    let mut wrong = Vec::new();
    for row in ROWS {
        assert!(row.sees.is_none_or(|(_, sees)| sees.len() == CALLERS.len()));
        for call in calls(row) {
            let key = (call.method.to_string(), call.path.to_string());
            let (access, face) = declared[&key];
            for (i, caller) in callers.iter().enumerate() {
                let path = fill(call.path, caller, &fixtures).unwrap_or_else(|e| panic!("{e}"));
                wrong.extend(check_call(&app, (i, caller), row, call, (&path, access, face)).await);
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
