//! The harness every integration test uses: a real server on a random port with a fresh database.

pub mod mail;
pub mod process;
pub mod smtp;

use std::collections::BTreeSet;
use std::sync::Once;

use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::{Client, Method, Response};
use serde_json::{json, Value};
use tempfile::TempDir;

use seminars::access::Role;
use seminars::accounts::service as accounts;
use seminars::audit::Actor;
use seminars::config::Settings;
use seminars::db;

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub pool: db::Pool,
    pub settings: Settings,
    #[allow(dead_code)]
    pub backend: Backend,
    #[allow(dead_code)]
    pub dir: TempDir,
    handle: actix_web::dev::ServerHandle,
    postgres: Option<(String, String)>,
    /// The background mail worker, only when a test turned `mail.worker` on.
    #[allow(dead_code)]
    pub worker: Option<seminars::mail::worker::WorkerHandle>,
}

/// Settings for a test: cheap password hashing, a free port, files in `dir`.
pub fn test_settings(dir: &TempDir, database_url: String) -> Settings {
    let mut settings = Settings::defaults().unwrap();
    settings.server.listen = "127.0.0.1:0".into();
    settings.server.workers = 2;
    settings.database.url = database_url;
    settings.auth.argon2_memory_kib = 1024;
    settings.auth.argon2_iterations = 1;
    settings.mail.outbox_dir = dir.path().join("outbox");
    settings.documents.dir = dir.path().join("documents");
    // Tests drain the outbox themselves (`deliver_mail`), so no background worker races them.
    settings.mail.worker = false;
    settings
}

/// True when the environment variable is set to `1`: CI demands that backend, so a test that
/// cannot reach it fails instead of skipping.
pub fn required(variable: &str) -> bool {
    std::env::var(variable).is_ok_and(|v| v.trim() == "1")
}

/// Says loudly that a backend was skipped, on the real standard error: the test harness captures
/// `eprintln!` of passing tests, so a skip printed that way would be invisible in `cargo test`.
pub fn announce_skip(what: &str) {
    use std::io::Write;
    let line = format!("\n*** {what} ***\n");
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// The PostgreSQL server's URL from `TEST_DATABASE_URL`; None (announced once) when it is not set,
/// and a failure instead when `REQUIRE_POSTGRES=1` says CI must run the PostgreSQL half.
pub fn postgres_url() -> Option<String> {
    static WARN: Once = Once::new();
    let url = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        assert!(
            !required("REQUIRE_POSTGRES"),
            "REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the PostgreSQL half cannot run"
        );
        WARN.call_once(|| {
            announce_skip("PostgreSQL SKIPPED: TEST_DATABASE_URL is not set, so the PostgreSQL half of every API test did not run. .ci/run sets it");
        });
    }
    url
}

/// Creates a database of its own on the PostgreSQL server and answers its URL.
pub fn fresh_postgres_database(admin_url: &str) -> (String, String) {
    let name = format!("seminars_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::establish(admin_url).expect("connect to TEST_DATABASE_URL");
    diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .expect("create a test database");
    let mut url = url::Url::parse(admin_url).expect("TEST_DATABASE_URL is a URL");
    url.set_path(&name);
    (url.to_string(), name)
}

/// Starts the app against a fresh database; None when the backend is not available here.
pub async fn spawn(backend: Backend) -> Option<TestApp> {
    spawn_with(backend, |_| {}).await
}

/// Like `spawn`, with the settings adjusted first.
pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> Option<TestApp> {
    let dir = tempfile::tempdir().expect("temp dir");
    let (url, postgres) = match backend {
        Backend::Sqlite => (
            format!("sqlite://{}", dir.path().join("test.db").display()),
            None,
        ),
        Backend::Postgres => {
            let admin = postgres_url()?;
            let (url, name) = fresh_postgres_database(&admin);
            (url, Some((admin, name)))
        }
    };
    let mut settings = test_settings(&dir, url);
    adjust(&mut settings);
    let application = seminars::app::build(settings.clone()).expect("the app starts");
    let address = format!("http://{}", application.addr);
    let handle = application.server.handle();
    tokio::spawn(application.server);
    // Idle connections are dropped before the server's 5 s keep-alive ends, so a request is
    // never sent on a connection the server is closing (IncompleteMessage after a long pause).
    let client = Client::builder()
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    Some(TestApp {
        address,
        client,
        pool: application.pool,
        settings,
        backend,
        dir,
        handle,
        postgres,
        worker: application.worker,
    })
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Sends the stop command at once; the server's workers end without being awaited.
        drop(self.handle.stop(false));
        if let Some((admin, name)) = self.postgres.take() {
            if let Ok(mut conn) = PgConnection::establish(&admin) {
                let _ =
                    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .execute(&mut conn);
            }
        }
    }
}

impl TestApp {
    /// Runs one delivery pass over the app's outbox with its settings; answers how many were sent.
    #[allow(dead_code)]
    pub async fn deliver_mail(&self) -> usize {
        self.deliver_mail_at(chrono::Utc::now()).await.sent
    }

    /// One delivery pass as if the clock showed `now` (to reach messages whose retry is later).
    #[allow(dead_code)]
    pub async fn deliver_mail_at(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> seminars::mail::worker::PassReport {
        let settings = std::sync::Arc::new(self.settings.clone());
        let worker = seminars::mail::worker::Worker::new(self.pool.clone(), settings)
            .expect("the mail transport is configured");
        worker.pass(now, None).await.expect("a delivery pass")
    }

    /// The absolute URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Sends a request with an optional bearer token and JSON body.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("the request is sent")
    }

    /// GET as anyone.
    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path, None, None).await
    }

    /// GET with a token.
    pub async fn get_as(&self, token: &str, path: &str) -> Response {
        self.request(Method::GET, path, Some(token), None).await
    }

    /// POST JSON with a token.
    pub async fn post_as(&self, token: &str, path: &str, body: Value) -> Response {
        self.request(Method::POST, path, Some(token), Some(body))
            .await
    }

    /// PATCH JSON with a token.
    pub async fn patch_as(&self, token: &str, path: &str, body: Value) -> Response {
        self.request(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    /// Creates an account directly in the database and answers its email and password.
    pub async fn account(&self, roles: &[Role]) -> (String, String) {
        // A focal point always speaks for someone: by default, Kenya's administration.
        let scope = roles
            .contains(&Role::FocalPoint)
            .then(|| seminars::access::domain::FocalScope::Country("KE".into()));
        self.account_scoped(roles, scope).await
    }

    /// Like `account`, with a focal point's scope.
    pub async fn account_scoped(
        &self,
        roles: &[Role],
        scope: Option<seminars::access::domain::FocalScope>,
    ) -> (String, String) {
        let email = format!("{}@example.org", uuid::Uuid::new_v4().simple());
        let password = "a long enough password".to_string();
        let new = accounts::NewUser {
            email: email.clone(),
            name: "Test Account".into(),
            roles: roles.iter().copied().collect::<BTreeSet<_>>(),
            password: Some(password.clone()),
            scope,
        };
        let auth = self.settings.auth.clone();
        db::run(&self.pool, move |conn| {
            accounts::add_user(conn, &auth, &Actor::Cli, new)
        })
        .await
        .expect("account created");
        (email, password)
    }

    /// A bearer token for a new account with these roles.
    pub async fn token(&self, roles: &[Role]) -> String {
        let (email, password) = self.account(roles).await;
        let response = self
            .request(
                Method::POST,
                "/api/v1/auth/token",
                None,
                Some(json!({"email": email, "password": password})),
            )
            .await;
        assert_eq!(response.status(), 200, "token for {roles:?}");
        let body: Value = response.json().await.expect("token JSON");
        body["token"].as_str().expect("token").to_string()
    }

    /// A bearer token of an organiser.
    pub async fn organiser(&self) -> String {
        self.token(&[Role::Organiser]).await
    }

    /// Creates a meeting in Geneva from 9 to 13 March of `fixture_year()` and answers its JSON.
    pub async fn meeting(&self, token: &str) -> Value {
        let response = self
            .post_as(token, "/api/v1/meetings", meeting_body())
            .await;
        assert_eq!(response.status(), 201);
        response.json().await.expect("meeting JSON")
    }

    /// Creates a draft seminar on 10 March of `fixture_year()`, 14:30–17:30 Geneva time, and
    /// answers its JSON.
    pub async fn session(&self, token: &str, meeting_id: &str) -> Value {
        let response = self
            .post_as(token, "/api/v1/sessions", session_body(meeting_id))
            .await;
        assert_eq!(response.status(), 201);
        response.json().await.expect("session JSON")
    }

    /// A scheduled session (created and published) and its meeting.
    pub async fn scheduled_session(&self, token: &str) -> (Value, Value) {
        let meeting = self.meeting(token).await;
        let session = self.session(token, meeting["id"].as_str().unwrap()).await;
        let path = format!(
            "/api/v1/sessions/{}/publish",
            session["id"].as_str().unwrap()
        );
        let response = self.post_as(token, &path, json!({})).await;
        assert_eq!(response.status(), 200);
        (response.json().await.unwrap(), meeting)
    }

    /// A scheduled session that has ended: nine days ago, in a meeting of ten to eight days ago.
    #[allow(dead_code)]
    pub async fn past_session(&self, token: &str) -> Value {
        let mut meeting = meeting_body();
        meeting["first_day"] = json!(days_from_now(-10).to_string());
        meeting["last_day"] = json!(days_from_now(-8).to_string());
        let response = self.post_as(token, "/api/v1/meetings", meeting).await;
        assert_eq!(response.status(), 201);
        let meeting: Value = response.json().await.unwrap();
        let mut body = session_body(meeting["id"].as_str().unwrap());
        let day = days_from_now(-9);
        body["starts_at"] = json!(format!("{day}T10:00:00Z"));
        body["ends_at"] = json!(format!("{day}T12:00:00Z"));
        let response = self.post_as(token, "/api/v1/sessions", body).await;
        assert_eq!(response.status(), 201);
        let session: Value = response.json().await.unwrap();
        let path = format!(
            "/api/v1/sessions/{}/publish",
            session["id"].as_str().unwrap()
        );
        let response = self.post_as(token, &path, json!({})).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }
}

/// Today's date (UTC), fixed once for the whole run so that a run across midnight sees one day.
pub fn today() -> chrono::NaiveDate {
    static TODAY: std::sync::OnceLock<chrono::NaiveDate> = std::sync::OnceLock::new();
    *TODAY.get_or_init(|| chrono::Utc::now().date_naive())
}

/// The date `n` days from today (negative: in the past).
pub fn days_from_now(n: i64) -> chrono::NaiveDate {
    today() + chrono::Duration::days(n)
}

/// The year of the harness's meeting (9–13 March): the first whose 9 March is at least 30 days
/// ahead, so the fixtures never slip into the past, and always in Geneva's winter time (+01:00),
/// so the offsets written in the tests hold every year.
pub fn fixture_year() -> i32 {
    use chrono::Datelike;
    let soonest = days_from_now(30);
    let march = |year| chrono::NaiveDate::from_ymd_opt(year, 3, 9).expect("9 March exists");
    if march(soonest.year()) >= soonest {
        soonest.year()
    } else {
        soonest.year() + 1
    }
}

/// A date or instant of the fixtures, written with `YYYY` for `fixture_year()`:
/// `fixture("YYYY-03-10T13:30:00Z")`.
pub fn fixture(text: &str) -> String {
    text.replace("YYYY", &fixture_year().to_string())
}

/// A valid meeting body: 9–13 March of `fixture_year()` in Geneva.
pub fn meeting_body() -> Value {
    json!({
        "kind": "study_group", "study_group": 1, "question": "22-1/1",
        "title": fixture("ITU-D Study Group 1, March YYYY"), "venue": "ITU headquarters, Geneva",
        "timezone": "Europe/Zurich", "first_day": fixture("YYYY-03-09"), "last_day": fixture("YYYY-03-13")
    })
}

/// A valid session body for a meeting made with `meeting_body`: 10 March, 14:30–17:30 local.
pub fn session_body(meeting_id: &str) -> Value {
    json!({
        "meeting_id": meeting_id, "kind": "seminar",
        "title": "Sharing cybersecurity best practices", "description": "Experts from three regions.",
        "starts_at": fixture("YYYY-03-10T14:30:00+01:00"), "ends_at": fixture("YYYY-03-10T17:30:00+01:00"),
        "capacity": 50, "remote_capacity": 100
    })
}

/// Declares each named `async fn(TestApp)` as two tests, `NAME::sqlite` and `NAME::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::support::spawn($crate::support::Backend::Sqlite).await.expect("sqlite");
                    super::$name(app).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    match $crate::support::spawn($crate::support::Backend::Postgres).await {
                        Some(app) => super::$name(app).await,
                        None => eprintln!("PostgreSQL SKIPPED for {}: TEST_DATABASE_URL is not set", stringify!($name)),
                    }
                }
            }
        )*
    };
}

/// Like `on_both_backends!`, with the settings adjusted first by a `fn(&mut Settings)`.
#[macro_export]
macro_rules! on_both_backends_with {
    ($adjust:ident; $($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::support::spawn_with($crate::support::Backend::Sqlite, super::$adjust).await.expect("sqlite");
                    super::$name(app).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    match $crate::support::spawn_with($crate::support::Backend::Postgres, super::$adjust).await {
                        Some(app) => super::$name(app).await,
                        None => eprintln!("PostgreSQL SKIPPED for {}: TEST_DATABASE_URL is not set", stringify!($name)),
                    }
                }
            }
        )*
    };
}
