//! `seminars serve` as a child process on a database of its own: started, killed with SIGKILL,
//! started again on the same database, or started twice side by side; and the CLI that makes
//! its first accounts. For the tests that need the real binary, not the app inside the test.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::{Client, Method};
use serde_json::{json, Value};
use tempfile::TempDir;

use super::{meeting_body, session_body};

/// The password of every account the CLI makes here.
const PASSWORD: &str = "a long enough password";

/// A database for child processes: an SQLite file in a temporary folder, or a fresh database
/// on the PostgreSQL server of `TEST_DATABASE_URL`, dropped at the end.
pub struct Database {
    pub url: String,
    dir: TempDir,
    postgres: Option<(String, String)>,
}

impl Database {
    /// A new SQLite file.
    pub fn sqlite() -> Database {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("serve.db").display());
        Database {
            url,
            dir,
            postgres: None,
        }
    }

    /// A new PostgreSQL database; None (announced by `postgres_url`) without `TEST_DATABASE_URL`.
    pub fn postgres() -> Option<Database> {
        let admin = super::postgres_url()?;
        let (url, name) = super::fresh_postgres_database(&admin);
        Some(Database {
            url,
            dir: tempfile::tempdir().expect("temp dir"),
            postgres: Some((admin, name)),
        })
    }

    /// The binary, with no `SEMINARS*` variable of the caller's environment, on this database,
    /// with cheap password hashing and its files in this database's folder.
    fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_seminars"));
        // Plain log lines, as read when a server fails.
        command.env("NO_COLOR", "1");
        for (key, _) in std::env::vars() {
            if key.starts_with("SEMINARS") {
                command.env_remove(key);
            }
        }
        let dir = self.dir.path();
        command
            .env("SEMINARS__DATABASE__URL", &self.url)
            .env("SEMINARS__AUTH__ARGON2_MEMORY_KIB", "1024")
            .env("SEMINARS__AUTH__ARGON2_ITERATIONS", "1")
            .env("SEMINARS__MAIL__OUTBOX_DIR", dir.join("outbox"))
            .env("SEMINARS__DOCUMENTS__DIR", dir.join("documents"));
        command
    }

    /// `seminars user add` with one role and the password on standard input; answers the email.
    pub fn add_user(&self, role: &str) -> String {
        let email = format!("{role}-{}@example.org", uuid::Uuid::new_v4().simple());
        let mut child = self
            .command()
            .args(["user", "add", "--email", &email, "--name", "Staff"])
            .args(["--role", role])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("seminars user add starts");
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(format!("{PASSWORD}\n").as_bytes()).unwrap();
        drop(stdin);
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "user add: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        email
    }

    /// A pool of the test's own on this database, to read what the server stored.
    pub fn pool(&self) -> seminars::db::Pool {
        let mut settings = seminars::config::Settings::defaults().unwrap();
        settings.database.url = self.url.clone();
        settings.database.pool_size = 2;
        seminars::db::connect(&settings.database).expect("the test reaches the database")
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.postgres.take() {
            if let Ok(mut conn) = PgConnection::establish(&admin) {
                let _ =
                    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .execute(&mut conn);
            }
        }
    }
}

/// A running `seminars serve`, killed with SIGKILL when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub address: String,
    log: PathBuf,
}

impl Server {
    /// Starts `seminars serve` on `db` on a free port, with two HTTP workers and these
    /// `SEMINARS__…` settings; returns once it listens.
    pub fn start(db: &Database, settings: &[(&str, &str)]) -> Server {
        Server::start_together(db, settings, 1).remove(0)
    }

    /// Starts `count` servers at the same instant (all spawned before any is waited for), as
    /// instances deployed together would; returns once all listen. Each logs to a file of its
    /// own in the database's folder, shown when it fails to start.
    pub fn start_together(db: &Database, settings: &[(&str, &str)], count: usize) -> Vec<Server> {
        // Servers from the start, so that every child is killed if one fails to start.
        let mut servers: Vec<Server> = (0..count).map(|_| spawn(db, settings)).collect();
        for server in &mut servers {
            let mut lines = BufReader::new(server.child.stdout.take().unwrap()).lines();
            server.address = loop {
                let Some(Ok(line)) = lines.next() else {
                    panic!("serve ended before listening:\n{}", server.log());
                };
                if let Some(at) = line.find("listening on http://") {
                    break format!("http://{}", line[at + 20..].trim_end_matches(')'));
                }
            };
            // Nothing more is printed there, but a closed pipe would fail a later line.
            std::thread::spawn(move || lines.for_each(drop));
        }
        servers
    }

    /// The absolute URL of a path on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// The process id, for `sigkill`.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL (if still running) and waits until the process has ended.
    pub fn kill(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            sigkill(self.pid());
        }
        let _ = self.child.wait();
    }

    /// What the server logged so far.
    pub fn log(&self) -> String {
        read_log(&self.log)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `seminars serve` spawned, its address not yet known.
fn spawn(db: &Database, settings: &[(&str, &str)]) -> Server {
    let log = db
        .dir
        .path()
        .join(format!("serve-{}.log", uuid::Uuid::new_v4().simple()));
    let mut command = db.command();
    command
        .arg("serve")
        .env("SEMINARS__SERVER__LISTEN", "127.0.0.1:0")
        .env("SEMINARS__SERVER__WORKERS", "2");
    for (key, value) in settings {
        command.env(key, value);
    }
    let child = command
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).expect("a log file"))
        .spawn()
        .expect("seminars serve starts");
    Server {
        child,
        address: String::new(),
        log,
    }
}

fn read_log(path: &PathBuf) -> String {
    let mut text = String::new();
    if let Ok(mut file) = std::fs::File::open(path) {
        let _ = file.read_to_string(&mut text);
    }
    text
}

/// `kill -KILL pid`: the process ends at once, without finishing anything.
pub fn sigkill(pid: u32) {
    let status = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -KILL {pid}");
}

/// An HTTP client for child servers; a request that hangs fails the test instead.
pub fn client() -> Client {
    Client::builder()
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .timeout(std::time::Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A bearer token for an account `Database::add_user` made.
pub async fn token(client: &Client, server: &Server, email: &str) -> String {
    let response = client
        .post(server.url("/api/v1/auth/token"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .expect("token request");
    assert_eq!(response.status(), 200, "token for {email}");
    let body: Value = response.json().await.expect("token JSON");
    body["token"].as_str().expect("a token").to_string()
}

/// Sends JSON with a token and answers the status and the JSON body (Null when none).
pub async fn call(
    client: &Client,
    method: reqwest::Method,
    url: &str,
    token: &str,
    body: Value,
) -> (u16, Value) {
    let response = client
        .request(method, url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("a request to the server");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A scheduled session with `capacity` seats in person and none remote; answers its id.
pub async fn open_session(
    client: &Client,
    server: &Server,
    token: &str,
    capacity: usize,
) -> String {
    let url = server.url("/api/v1/meetings");
    let (status, meeting) = call(client, Method::POST, &url, token, meeting_body()).await;
    assert_eq!(status, 201, "{meeting}");
    let mut body = session_body(meeting["id"].as_str().unwrap());
    body["capacity"] = json!(capacity);
    body["remote_capacity"] = json!(0);
    let url = server.url("/api/v1/sessions");
    let (status, session) = call(client, Method::POST, &url, token, body).await;
    assert_eq!(status, 201, "{session}");
    let id = session["id"].as_str().unwrap().to_string();
    let url = server.url(&format!("/api/v1/sessions/{id}/publish"));
    let (status, published) = call(client, Method::POST, &url, token, json!({})).await;
    assert_eq!(status, 200, "{published}");
    id
}

/// Every registration of a session, through the organiser's API.
pub async fn registrations(
    client: &Client,
    server: &Server,
    token: &str,
    session: &str,
) -> Vec<Value> {
    let mut items: Vec<Value> = Vec::new();
    loop {
        let offset = items.len();
        let path = format!("/api/v1/sessions/{session}/registrations?limit=200&offset={offset}");
        let response = client.get(server.url(&path)).bearer_auth(token).send();
        let response = response.await.expect("the registrations are listed");
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.expect("a page of registrations");
        let page_items = page["items"].as_array().unwrap();
        items.extend(page_items.iter().cloned());
        if page_items.is_empty() || items.len() as i64 >= page["total"].as_i64().unwrap() {
            return items;
        }
    }
}
