use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    health_and_readiness_answer_once_migrated,
    metrics_count_requests_by_route_and_status,
    every_response_carries_a_request_id_and_security_headers,
    the_migration_folders_of_both_backends_agree,
);

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
