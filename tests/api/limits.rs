//! Rate limits: failed sign-ins per account and per address, public link routes, and the switch.

use serde_json::json;

use crate::browser::{expect_status, Browser};
use crate::on_both_backends;
use crate::support::{spawn_with, Backend, TestApp};
use seminars::access::Role;

on_both_backends!(
    repeated_failed_sign_ins_for_one_account_answer_429_with_retry_after,
    a_successful_sign_in_forgives_the_accounts_earlier_failures,
    concurrent_wrong_guesses_never_get_more_tries_than_the_limit,
);

async fn attempt(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    let body = json!({"email": email, "password": password});
    app.request(
        reqwest::Method::POST,
        "/api/v1/auth/token",
        None,
        Some(body),
    )
    .await
}

async fn repeated_failed_sign_ins_for_one_account_answer_429_with_retry_after(app: TestApp) {
    let (email, password) = app.account(&[Role::Organiser]).await;
    for _ in 0..5 {
        assert_eq!(
            attempt(&app, &email, "a wrong password").await.status(),
            401
        );
    }
    let blocked = attempt(&app, &email, &password).await;
    assert_eq!(blocked.status(), 429, "even the right password waits");
    let retry: u64 = blocked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 900, "{retry}");
    let browser = Browser::open(&app).await;
    let page = browser
        .post_form(
            "/sign-in",
            &[("email", &email), ("password", &password)],
            true,
        )
        .await;
    assert_eq!(page.status(), 429);
    assert!(page.headers().contains_key("retry-after"));
    assert!(expect_status(page, 429).await.contains("Too many attempts"));
    let (other, other_password) = app.account(&[Role::Organiser]).await;
    assert_eq!(
        attempt(&app, &other, &other_password).await.status(),
        200,
        "other accounts still sign in"
    );
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
