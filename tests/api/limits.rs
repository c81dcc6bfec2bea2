//! Rate limits: sign-in slows down per account and address but never locks an account, the
//! per-address limits (behind trusted proxies, per client), public link routes, registrations
//! from one venue, and the switch.

use std::time::Duration;

use serde_json::json;

use crate::browser::{expect_status, Browser};
use crate::on_both_backends;
use crate::support::{spawn_with, Backend, TestApp};
use seminars::access::Role;
use seminars::config::Settings;

on_both_backends!(
    a_successful_sign_in_forgives_the_accounts_earlier_failures,
    concurrent_wrong_guesses_never_get_more_tries_than_the_limit,
);

async fn attempt(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    attempt_from(app, None, email, password).await
}

/// A token request, as a load balancer would forward it from `client` (None: straight from here).
async fn attempt_from(
    app: &TestApp,
    client: Option<&str>,
    email: &str,
    password: &str,
) -> reqwest::Response {
    let body = json!({"email": email, "password": password});
    let mut request = app.client.post(app.url("/api/v1/auth/token")).json(&body);
    if let Some(client) = client {
        request = request.header("x-forwarded-for", client);
    }
    request.send().await.unwrap()
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Behind a load balancer on 127.0.0.1, with short waits.
fn behind_a_proxy(settings: &mut Settings) {
    settings.server.trusted_proxies = vec!["127.0.0.1".into()];
    settings.limits.sign_in_delay_secs = 1;
    settings.limits.sign_in_max_delay_secs = 2;
}

const ATTACKER: &str = "203.0.113.66";
const OWNER: &str = "198.51.100.7";

async fn wrong_passwords_slow_down_that_address_but_never_lock_the_account(backend: Backend) {
    let Some(app) = spawn_with(backend, behind_a_proxy).await else {
        return;
    };
    let (email, password) = app.account(&[Role::Organiser]).await;
    for _ in 0..5 {
        let response = attempt_from(&app, Some(ATTACKER), &email, "a wrong password").await;
        assert_eq!(response.status(), 401);
    }
    let waits = attempt_from(&app, Some(ATTACKER), &email, "a wrong password").await;
    assert_eq!(waits.status(), 429, "the sixth attempt from there waits");
    assert_eq!(retry_after(&waits), 1);
    let owner = attempt_from(&app, Some(OWNER), &email, &password).await;
    assert_eq!(
        owner.status(),
        200,
        "the right password from elsewhere is never refused"
    );
    let browser = Browser::open(&app).await;
    for _ in 0..5 {
        let fields = [("email", email.as_str()), ("password", "a wrong password")];
        let page = browser.post_form("/sign-in", &fields, true).await;
        assert_eq!(page.status(), 401);
    }
    let fields = [("email", email.as_str()), ("password", password.as_str())];
    let page = browser.post_form("/sign-in", &fields, true).await;
    assert!(page.headers().contains_key("retry-after"));
    assert!(expect_status(page, 429).await.contains("Too many attempts"));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let page = browser.post_form("/sign-in", &fields, true).await;
    assert_eq!(
        page.status(),
        303,
        "after the wait the right password signs in"
    );
    let later = attempt_from(&app, Some(ATTACKER), &email, "a wrong password").await;
    assert_eq!(
        later.status(),
        401,
        "the wait has passed for the attacker too"
    );
}

async fn each_further_attempt_waits_twice_as_long_up_to_the_cap(backend: Backend) {
    let Some(app) = spawn_with(backend, |s| {
        behind_a_proxy(s);
        s.limits.sign_in_per_account = 2;
    })
    .await
    else {
        return;
    };
    let (email, _) = app.account(&[Role::Organiser]).await;
    let mut waits = Vec::new();
    for round in 0..5 {
        let response = attempt(&app, &email, "a wrong password").await;
        assert_eq!(response.status(), 401, "round {round}");
        if round == 0 {
            continue;
        }
        let blocked = attempt(&app, &email, "a wrong password").await;
        assert_eq!(blocked.status(), 429, "round {round}");
        let wait = retry_after(&blocked);
        waits.push(wait);
        tokio::time::sleep(Duration::from_millis(wait * 1000 + 100)).await;
    }
    assert_eq!(waits, [1, 2, 2, 2]);
}

async fn behind_a_trusted_proxy_each_client_has_its_own_address_limit(backend: Backend) {
    let three = |s: &mut Settings| s.limits.sign_in_per_address = 3;
    let Some(app) = spawn_with(backend, |s| {
        behind_a_proxy(s);
        three(s);
    })
    .await
    else {
        return;
    };
    for i in 0..3 {
        let response = attempt_from(&app, Some(ATTACKER), &format!("n{i}@example.org"), "x").await;
        assert_eq!(response.status(), 401);
    }
    let sprayer = attempt_from(&app, Some(ATTACKER), "n9@example.org", "x").await;
    assert_eq!(
        sprayer.status(),
        429,
        "one client spraying accounts is stopped"
    );
    let (email, password) = app.account(&[Role::Organiser]).await;
    let owner = attempt_from(
        &app,
        Some(&format!("{ATTACKER}, {OWNER}")),
        &email,
        &password,
    )
    .await;
    assert_eq!(
        owner.status(),
        200,
        "other clients behind the balancer sign in, whatever they prepend"
    );
    drop(app);
    let Some(app) = spawn_with(backend, three).await else {
        return;
    };
    for i in 0..3 {
        let response = attempt_from(
            &app,
            Some(&format!("192.0.2.{i}")),
            &format!("n{i}@example.org"),
            "x",
        )
        .await;
        assert_eq!(response.status(), 401);
    }
    let forged = attempt_from(&app, Some(OWNER), "n9@example.org", "x").await;
    assert_eq!(
        forged.status(),
        429,
        "without trusted proxies a forged X-Forwarded-For changes nothing"
    );
}

async fn delegates_registering_from_one_venue_address_are_not_refused(backend: Backend) {
    let Some(app) = spawn_with(backend, |_| {}).await else {
        return;
    };
    let token = app.organiser().await;
    let session = crate::registrations::open_session(&app, &token, json!({"capacity": 100})).await;
    for i in 0..40 {
        let body = crate::registrations::delegate(&format!("delegate{i}@venue.example"), "KE");
        let (status, body) = crate::registrations::register(&app, &session, body).await;
        assert_eq!(status, 201, "delegate {i}: {body}");
    }
    drop(app);
    let Some(app) = spawn_with(backend, |s| {
        s.limits.registration_per_address_per_minute = 3
    })
    .await
    else {
        return;
    };
    let token = app.organiser().await;
    let session = crate::registrations::open_session(&app, &token, json!({})).await;
    for i in 0..3 {
        let body = crate::registrations::delegate(&format!("d{i}@venue.example"), "KE");
        assert_eq!(
            crate::registrations::register(&app, &session, body).await.0,
            201
        );
    }
    let body = crate::registrations::delegate("d9@venue.example", "KE");
    let (status, _) = crate::registrations::register(&app, &session, body).await;
    assert_eq!(status, 429, "the per-address limit still holds");
}

async fn a_successful_sign_in_forgives_the_accounts_earlier_failures(app: TestApp) {
    let (email, password) = app.account(&[Role::Organiser]).await;
    for _ in 0..4 {
        assert_eq!(
            attempt(&app, &email, "a wrong password").await.status(),
            401
        );
    }
    assert_eq!(attempt(&app, &email, &password).await.status(), 200);
    for _ in 0..4 {
        assert_eq!(
            attempt(&app, &email, "a wrong password").await.status(),
            401
        );
    }
}

async fn concurrent_wrong_guesses_never_get_more_tries_than_the_limit(app: TestApp) {
    let (email, _) = app.account(&[Role::Organiser]).await;
    let guesses = (0..16).map(|i| {
        let (client, url, email) = (
            app.client.clone(),
            app.url("/api/v1/auth/token"),
            email.clone(),
        );
        tokio::spawn(async move {
            let body = json!({"email": email, "password": format!("wrong guess number {i}")});
            client
                .post(url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    });
    let mut statuses = Vec::new();
    for guess in guesses {
        statuses.push(guess.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        11,
        "{statuses:?}"
    );
}

async fn failed_sign_ins_from_one_address_are_limited_across_accounts(backend: Backend) {
    let Some(app) = spawn_with(backend, |s| s.limits.sign_in_per_address = 3).await else {
        return;
    };
    for i in 0..3 {
        assert_eq!(
            attempt(&app, &format!("nobody{i}@example.org"), "whatever it is")
                .await
                .status(),
            401
        );
    }
    assert_eq!(
        attempt(&app, "someone-else@example.org", "whatever it is")
            .await
            .status(),
        429
    );
}

async fn public_link_routes_are_limited_per_address(backend: Backend) {
    let Some(app) = spawn_with(backend, |s| s.limits.public_per_address_per_minute = 3).await
    else {
        return;
    };
    let path = format!("/password-reset/{}", "ab".repeat(32));
    for _ in 0..3 {
        assert_eq!(app.get(&path).await.status(), 404);
    }
    let blocked = app.get(&path).await;
    assert_eq!(blocked.status(), 429);
    assert!(blocked.headers().contains_key("retry-after"));
}

async fn limits_can_be_turned_off(backend: Backend) {
    let Some(app) = spawn_with(backend, |s| s.limits.enabled = false).await else {
        return;
    };
    let (email, password) = app.account(&[Role::Organiser]).await;
    for _ in 0..8 {
        assert_eq!(
            attempt(&app, &email, "a wrong password").await.status(),
            401
        );
    }
    assert_eq!(attempt(&app, &email, &password).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_sign_ins_from_one_address_are_limited_across_accounts_on_sqlite() {
    failed_sign_ins_from_one_address_are_limited_across_accounts(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_sign_ins_from_one_address_are_limited_across_accounts_on_postgres() {
    failed_sign_ins_from_one_address_are_limited_across_accounts(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_link_routes_are_limited_per_address_on_sqlite() {
    public_link_routes_are_limited_per_address(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_link_routes_are_limited_per_address_on_postgres() {
    public_link_routes_are_limited_per_address(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_can_be_turned_off_on_sqlite() {
    limits_can_be_turned_off(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_can_be_turned_off_on_postgres() {
    limits_can_be_turned_off(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_slow_down_that_address_but_never_lock_the_account_on_sqlite() {
    wrong_passwords_slow_down_that_address_but_never_lock_the_account(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_slow_down_that_address_but_never_lock_the_account_on_postgres() {
    wrong_passwords_slow_down_that_address_but_never_lock_the_account(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_further_attempt_waits_twice_as_long_up_to_the_cap_on_sqlite() {
    each_further_attempt_waits_twice_as_long_up_to_the_cap(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_further_attempt_waits_twice_as_long_up_to_the_cap_on_postgres() {
    each_further_attempt_waits_twice_as_long_up_to_the_cap(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_each_client_has_its_own_address_limit_on_sqlite() {
    behind_a_trusted_proxy_each_client_has_its_own_address_limit(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_each_client_has_its_own_address_limit_on_postgres() {
    behind_a_trusted_proxy_each_client_has_its_own_address_limit(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delegates_registering_from_one_venue_address_are_not_refused_on_sqlite() {
    delegates_registering_from_one_venue_address_are_not_refused(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delegates_registering_from_one_venue_address_are_not_refused_on_postgres() {
    delegates_registering_from_one_venue_address_are_not_refused(Backend::Postgres).await;
}
