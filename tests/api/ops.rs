//! Operations: health, readiness, metrics, request ids, and bounded waits (a stalled request
//! body, a database that is away or a pool that is exhausted).

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};

use crate::support::{spawn_with, Backend, TestApp};
use crate::{on_both_backends, on_both_backends_with};
use seminars::config::Settings;

on_both_backends!(
    health_and_readiness_answer_once_migrated,
    metrics_count_requests_by_route_and_status,
    every_response_carries_a_request_id_and_security_headers,
    the_migration_folders_of_both_backends_agree,
);

on_both_backends_with!(bounded_waits;
    a_body_that_stalls_is_answered_408_within_the_body_timeout,
    readiness_answers_503_at_once_while_requests_wait_their_turn_for_a_busy_pool,
);

/// A one-second body deadline and a pool of two connections with a one-second checkout.
fn bounded_waits(settings: &mut Settings) {
    settings.server.body_timeout_secs = 1;
    settings.database.pool_size = 2;
    settings.database.checkout_timeout_ms = 1000;
}

/// Sends a request head announcing 1,000 bytes, then 9 of them, and waits for the answer.
fn stall(address: &str, path: &str, content_type: &str) -> (String, Duration) {
    let address = address.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(8)))
        .unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: {content_type}\r\n\
         Content-Length: 1000\r\n\r\n{{\"email\":"
    );
    stream.write_all(head.as_bytes()).unwrap();
    let started = Instant::now();
    let mut answer = vec![0u8; 4096];
    let read = stream.read(&mut answer).unwrap_or(0);
    (
        String::from_utf8_lossy(&answer[..read]).into_owned(),
        started.elapsed(),
    )
}

async fn a_body_that_stalls_is_answered_408_within_the_body_timeout(app: TestApp) {
    for (path, content_type) in [
        ("/api/v1/auth/token", "application/json"),
        ("/sign-in", "application/x-www-form-urlencoded"),
        (
            "/api/v1/sessions/00000000-0000-0000-0000-000000000000/registrations",
            "application/json",
        ),
    ] {
        let address = app.address.clone();
        let (answer, took) =
            tokio::task::spawn_blocking(move || stall(&address, path, content_type))
                .await
                .unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 408"),
            "{path}: {answer:?} after {took:?}"
        );
        assert!(took < Duration::from_secs(3), "{path}: {took:?}");
        if path.starts_with("/api/") {
            assert!(answer.contains("application/problem+json"), "{answer}");
        }
    }
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200, "the server carries on");
}

async fn readiness_answers_503_at_once_while_requests_wait_their_turn_for_a_busy_pool(
    app: TestApp,
) {
    let pool = app.pool.clone();
    let held = tokio::task::spawn_blocking(move || {
        (0..2).map(|_| pool.get().unwrap()).collect::<Vec<_>>()
    })
    .await
    .unwrap();
    let started = Instant::now();
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 503);
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    let started = Instant::now();
    let waiting = tokio::spawn({
        let (client, url) = (app.client.clone(), app.url("/api/v1/meetings"));
        async move { client.get(url).send().await.unwrap().status().as_u16() }
    });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    drop(held);
    assert_eq!(
        waiting.await.unwrap(),
        200,
        "a request kept its place past the checkout timeout while the database was busy, not away"
    );
    assert!(started.elapsed() >= Duration::from_millis(1500));
    assert_eq!(app.get("/readyz").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_and_requests_answer_503_quickly_once_the_database_is_gone_on_postgres() {
    let Some(app) = spawn_with(Backend::Postgres, |_| {}).await else {
        return;
    };
    assert_eq!(app.get("/readyz").await.status(), 200);
    let url = url::Url::parse(&app.settings.database.url).unwrap();
    let name = url.path().trim_start_matches('/').to_string();
    let mut admin = url.clone();
    admin.set_path("/postgres");
    let mut conn = PgConnection::establish(admin.as_str()).unwrap();
    diesel::sql_query(format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .execute(&mut conn)
        .unwrap();
    let started = Instant::now();
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 503);
    assert!(
        started.elapsed() < Duration::from_millis(1200),
        "{:?}",
        started.elapsed()
    );
    let started = Instant::now();
    let listed = app.get("/api/v1/meetings").await;
    assert_eq!(listed.status(), 503);
    assert!(
        started.elapsed() < Duration::from_millis(3500),
        "checkout_timeout_ms is 2000: {:?}",
        started.elapsed()
    );
}

async fn health_and_readiness_answer_once_migrated(app: TestApp) {
    assert_eq!(app.get("/healthz").await.status(), 200);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap().trim(), "ready");
}

async fn metrics_count_requests_by_route_and_status(app: TestApp) {
    app.get("/api/v1/sessions").await;
    app.get("/api/v1/sessions/unknown").await;
    let text = app.get("/metrics").await.text().await.unwrap();
    assert!(
        text.contains(
            r#"http_requests_total{method="GET",route="/api/v1/sessions",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(
        text.contains(r#"route="/api/v1/sessions/{id}",status="404""#),
        "{text}"
    );
    assert!(text.contains("http_request_duration_seconds_bucket"));
}

async fn every_response_carries_a_request_id_and_security_headers(app: TestApp) {
    for path in ["/", "/api/v1/sessions", "/nowhere"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["x-request-id"].len(), 36, "{path}");
        assert!(headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'"));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(headers.contains_key("referrer-policy"));
    }
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-42")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-42");
}

async fn the_migration_folders_of_both_backends_agree(_app: TestApp) {
    let (sqlite, postgres) = seminars::db::migration_names();
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
}

#[test]
fn every_migration_has_a_version_of_its_own() {
    let (names, _) = seminars::db::migration_names();
    let mut versions: Vec<&str> = names.iter().map(|n| n.split('_').next().unwrap()).collect();
    let count = versions.len();
    versions.dedup();
    assert_eq!(
        versions.len(),
        count,
        "two migrations share a version: {names:?}"
    );
}

/// The database stops accepting connections and drops those it has: `/readyz` must say so
/// (503) within a probe's patience, not after the pool's own ten-second wait, and recover.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_answers_503_quickly_while_the_database_is_away_and_200_once_it_is_back() {
    use diesel::{Connection, PgConnection, RunQueryDsl};
    let Some(app) = crate::support::spawn(crate::support::Backend::Postgres).await else {
        return;
    };
    assert_eq!(app.get("/readyz").await.status(), 200);
    let admin_url = crate::support::postgres_url().unwrap();
    let name = url::Url::parse(&app.settings.database.url)
        .unwrap()
        .path()
        .trim_start_matches('/')
        .to_string();
    let mut admin = PgConnection::establish(&admin_url).unwrap();
    let away = |allow: bool, admin: &mut PgConnection| {
        diesel::sql_query(format!(
            "ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS {allow}"
        ))
        .execute(admin)
        .unwrap();
        if !allow {
            diesel::sql_query(format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
            ))
            .execute(admin)
            .unwrap();
        }
    };
    away(false, &mut admin);
    let started = std::time::Instant::now();
    let ready = app.get("/readyz").await;
    let waited = started.elapsed();
    assert_eq!(ready.status(), 503, "{:?}", ready.text().await);
    assert!(
        waited < std::time::Duration::from_secs(4),
        "a probe gets its answer quickly, not after {waited:?}"
    );
    away(true, &mut admin);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if app.get("/readyz").await.status() == 200 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "ready again once the database is back"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
