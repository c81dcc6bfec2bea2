//! Ending sessions: sign-out, a password or role change and an admin's "sign out everywhere" end
//! every browser session of the account, copied cookies included, on every instance.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::browser::{csrf_of, expect_status, Browser};
use crate::on_both_backends;
use crate::support::{spawn_with, Backend, TestApp};
use seminars::access::Role;
use seminars::accounts::service::{self as accounts, NewUser};
use seminars::audit::Actor;
use seminars::db;

on_both_backends!(
    signing_out_ends_every_session_of_the_account_in_every_browser,
    a_role_change_or_a_new_password_ends_the_accounts_sessions,
    an_admin_signs_an_account_out_everywhere_ending_its_sessions_and_api_tokens,
    the_users_page_signs_an_account_out_everywhere_with_a_csrf_protected_button,
);

/// Signs in through the page and answers the browser and a copy of its session cookie, as an
/// attacker who lifted it would hold it.
async fn sign_in_copying_the_cookie(
    app: &TestApp,
    email: &str,
    password: &str,
) -> (Browser, String) {
    let mut browser = Browser::open(app).await;
    let response = browser
        .post_form(
            "/sign-in",
            &[("email", email), ("password", password)],
            true,
        )
        .await;
    assert_eq!(response.status(), 303);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    browser.refresh_csrf().await;
    (browser, cookie)
}

/// The status of the staff page for a bare cookie at `address`.
async fn staff_page_with(app: &TestApp, address: &str, cookie: &str) -> u16 {
    app.client
        .get(format!("{address}/staff"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn token_of(app: &TestApp, email: &str, password: &str) -> String {
    let body = json!({"email": email, "password": password});
    let response = app
        .request(
            reqwest::Method::POST,
            "/api/v1/auth/token",
            None,
            Some(body),
        )
        .await;
    let body: Value = response.json().await.unwrap();
    body["token"].as_str().unwrap().to_string()
}

async fn signing_out_ends_every_session_of_the_account_in_every_browser(app: TestApp) {
    let (email, password) = app.account(&[Role::Organiser]).await;
    let (browser, copied) = sign_in_copying_the_cookie(&app, &email, &password).await;
    let (other_browser, _) = sign_in_copying_the_cookie(&app, &email, &password).await;
    let (bystander, _) = {
        let (email, password) = app.account(&[Role::Organiser]).await;
        sign_in_copying_the_cookie(&app, &email, &password).await
    };
    assert_eq!(staff_page_with(&app, &app.address, &copied).await, 200);
    let out = browser.post_form("/sign-out", &[], true).await;
    assert_eq!(out.status(), 303);
    assert_eq!(
        staff_page_with(&app, &app.address, &copied).await,
        303,
        "a copied cookie no longer opens the staff page"
    );
    assert_eq!(browser.get("/staff").await.status(), 303);
    assert_eq!(
        other_browser.get("/api/v1/me").await.status(),
        401,
        "the account's session in another browser ended too"
    );
    assert_eq!(
        bystander.get("/staff").await.status(),
        200,
        "other accounts stay signed in"
    );
    let (again, _) = sign_in_copying_the_cookie(&app, &email, &password).await;
    assert_eq!(
        again.get("/staff").await.status(),
        200,
        "signing in again works"
    );
}

/// Two instances sharing one database and one cookie key: a sign-out on one ends the session on
/// the other.
async fn a_sign_out_on_one_instance_ends_the_session_on_another(backend: Backend) {
    let key = hex::encode([7u8; 64]);
    let Some(app) = spawn_with(backend, |s| s.auth.session_key = key.into()).await else {
        return;
    };
    let other = seminars::app::build(app.settings.clone()).expect("a second instance starts");
    let other_address = format!("http://{}", other.addr);
    let other_handle = other.server.handle();
    tokio::spawn(other.server);
    let (email, password) = app.account(&[Role::Organiser]).await;
    let (browser, copied) = sign_in_copying_the_cookie(&app, &email, &password).await;
    assert_eq!(staff_page_with(&app, &other_address, &copied).await, 200);
    assert_eq!(
        browser.post_form("/sign-out", &[], true).await.status(),
        303
    );
    assert_eq!(staff_page_with(&app, &other_address, &copied).await, 303);
    other_handle.stop(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_out_on_one_instance_ends_the_session_on_another_on_sqlite() {
    a_sign_out_on_one_instance_ends_the_session_on_another(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_out_on_one_instance_ends_the_session_on_another_on_postgres() {
    a_sign_out_on_one_instance_ends_the_session_on_another(Backend::Postgres).await;
}

async fn update_account(app: &TestApp, email: &str, roles: &[Role], password: Option<&str>) {
    let new = NewUser {
        email: email.to_string(),
        name: "Test Account".into(),
        roles: roles.iter().copied().collect::<BTreeSet<_>>(),
        password: password.map(str::to_string),
        scope: roles
            .contains(&Role::FocalPoint)
            .then(|| seminars::access::domain::FocalScope::Country("KE".into())),
    };
    let auth = app.settings.auth.clone();
    db::run(&app.pool, move |conn| {
        accounts::add_user(conn, &auth, &Actor::Cli, new)
    })
    .await
    .unwrap();
}

async fn a_role_change_or_a_new_password_ends_the_accounts_sessions(app: TestApp) {
    let (email, password) = app.account(&[Role::Organiser]).await;
    let (_, copied) = sign_in_copying_the_cookie(&app, &email, &password).await;
    update_account(&app, &email, &[Role::Organiser], None).await;
    assert_eq!(
        staff_page_with(&app, &app.address, &copied).await,
        200,
        "the same roles again change nothing"
    );
    update_account(&app, &email, &[Role::FocalPoint, Role::Organiser], None).await;
    assert_eq!(
        staff_page_with(&app, &app.address, &copied).await,
        303,
        "a new role ends the session"
    );
    let (_, copied) = sign_in_copying_the_cookie(&app, &email, &password).await;
    let token = token_of(&app, &email, &password).await;
    assert_eq!(app.get_as(&token, "/api/v1/me").await.status(), 200);
    let new_password = "another long enough password";
    update_account(
        &app,
        &email,
        &[Role::FocalPoint, Role::Organiser],
        Some(new_password),
    )
    .await;
    assert_eq!(staff_page_with(&app, &app.address, &copied).await, 303);
    assert_eq!(
        app.get_as(&token, "/api/v1/me").await.status(),
        401,
        "a new password revokes the API tokens"
    );
}

async fn user_id(app: &TestApp, email: &str) -> String {
    let email = email.to_string();
    db::run(&app.pool, move |conn| {
        Ok(seminars::accounts::store::find_by_email(conn, &email)?
            .unwrap()
            .id)
    })
    .await
    .unwrap()
}

async fn an_admin_signs_an_account_out_everywhere_ending_its_sessions_and_api_tokens(app: TestApp) {
    let (email, password) = app.account(&[Role::Organiser]).await;
    let id = user_id(&app, &email).await;
    let (browser, copied) = sign_in_copying_the_cookie(&app, &email, &password).await;
    let token = token_of(&app, &email, &password).await;
    let admin = app.token(&[Role::Admin]).await;
    let organiser = app.organiser().await;
    let path = format!("/api/v1/users/{id}/sign-out-everywhere");
    assert_eq!(
        app.post_as(&organiser, &path, json!({})).await.status(),
        403
    );
    assert_eq!(app.get(&path).await.status(), 405);
    let unknown = format!("/api/v1/users/{}/sign-out-everywhere", uuid::Uuid::new_v4());
    assert_eq!(app.post_as(&admin, &unknown, json!({})).await.status(), 404);
    assert_eq!(
        browser.get("/staff").await.status(),
        200,
        "nothing ended yet"
    );
    let response = app.post_as(&admin, &path, json!({})).await;
    let body = expect_status(response, 200).await;
    let view: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(view["email"], email);
    assert_eq!(browser.get("/staff").await.status(), 303);
    assert_eq!(staff_page_with(&app, &app.address, &copied).await, 303);
    assert_eq!(app.get_as(&token, "/api/v1/me").await.status(), 401);
    assert_eq!(
        app.get_as(&organiser, "/api/v1/me").await.status(),
        200,
        "other accounts keep their tokens"
    );
    let audit = format!("/api/v1/audit?record_kind=user&record_id={id}");
    let events: Value = app.get_as(&admin, &audit).await.json().await.unwrap();
    let ended = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "user.signed_out_everywhere")
        .expect("an audit event");
    assert_eq!(ended["changes"]["api_tokens_revoked"], 1);
    assert!(ended["actor"].as_str().unwrap().starts_with("user:"));
    let (again, _) = sign_in_copying_the_cookie(&app, &email, &password).await;
    assert_eq!(
        again.get("/staff").await.status(),
        200,
        "the password still works"
    );
}

async fn the_users_page_signs_an_account_out_everywhere_with_a_csrf_protected_button(app: TestApp) {
    let (email, password) = app.account(&[Role::Rapporteur]).await;
    let id = user_id(&app, &email).await;
    let (victim, _) = sign_in_copying_the_cookie(&app, &email, &password).await;
    let (admin_email, admin_password) = app.account(&[Role::Admin]).await;
    let (admin, _) = sign_in_copying_the_cookie(&app, &admin_email, &admin_password).await;
    let page = expect_status(admin.get("/admin/users").await, 200).await;
    let action = format!("action=\"/admin/users/{id}/sign-out-everywhere\"");
    let form = page
        .split("<form")
        .find(|f| f.contains(&action))
        .expect("a sign-out-everywhere button per account");
    assert!(form.contains("method=\"post\""));
    assert_eq!(csrf_of(form).as_deref(), Some(admin.csrf.as_str()));
    let path = format!("/admin/users/{id}/sign-out-everywhere");
    let refused = admin.post_form(&path, &[], false).await;
    assert_eq!(refused.status(), 403, "no token, no action");
    assert_eq!(victim.get("/staff").await.status(), 200);
    let done = admin.post_form(&path, &[], true).await;
    assert_eq!(done.status(), 303);
    let location = done.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with("/admin/users?signed_out="),
        "{location}"
    );
    let notice = expect_status(admin.get(&location).await, 200).await;
    assert!(
        notice.contains(&email),
        "the page says whose sessions ended"
    );
    assert_eq!(victim.get("/staff").await.status(), 303);
    assert_eq!(admin.get("/staff").await.status(), 200, "the admin stays");
}
