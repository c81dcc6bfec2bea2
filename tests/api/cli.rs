//! The binary itself: bad settings end with one clear line and status 2.

use std::process::Command;

fn seminars() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_seminars"));
    for (key, _) in std::env::vars() {
        if key.starts_with("SEMINARS") {
            command.env_remove(key);
        }
    }
    command
}

fn fails_with_setting(command: &mut Command, key: &str) {
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    assert!(lines[0].contains(key), "names {key}: {stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn an_unparsable_database_url_names_the_setting() {
    fails_with_setting(
        seminars()
            .arg("migrate")
            .env("SEMINARS__DATABASE__URL", "mysql://nope"),
        "database.url",
    );
}

#[test]
fn an_unknown_time_zone_names_the_setting() {
    fails_with_setting(
        seminars()
            .arg("migrate")
            .env("SEMINARS__SERVER__DEFAULT_TIMEZONE", "Mars/Olympus"),
        "server.default_timezone",
    );
}

#[test]
fn an_unknown_key_in_a_config_file_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "[server]\nlisen = \"127.0.0.1:1\"\n").unwrap();
    fails_with_setting(
        seminars().arg("--config").arg(&file).arg("migrate"),
        "lisen",
    );
}

#[test]
fn a_bad_listen_address_names_the_setting() {
    fails_with_setting(
        seminars()
            .arg("migrate")
            .env("SEMINARS__SERVER__LISTEN", "localhost"),
        "server.listen",
    );
}

#[test]
fn user_add_reads_the_password_from_standard_input_and_demo_runs_twice_without_duplicates() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let mut child = seminars()
        .args([
            "user",
            "add",
            "--email",
            "Admin@Example.org",
            "--name",
            "First Admin",
            "--role",
            "admin",
        ])
        .env("SEMINARS__DATABASE__URL", &url)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a very long admin password\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("admin@example.org"));

    let first = seminars()
        .arg("demo")
        .env("SEMINARS__DATABASE__URL", &url)
        .output()
        .unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("shown once"));
    let second = seminars()
        .arg("demo")
        .env("SEMINARS__DATABASE__URL", &url)
        .output()
        .unwrap();
    let second = String::from_utf8_lossy(&second.stdout);
    assert!(
        second.contains("exists already") && !second.contains("shown once"),
        "{second}"
    );

    let settings = {
        let mut s = seminars::config::Settings::defaults().unwrap();
        s.database.url = url;
        s
    };
    let pool = seminars::db::connect(&settings.database).unwrap();
    let mut conn = pool.get().unwrap();
    let (meetings, total) = seminars::meetings::store::list(&mut conn, None, 50, 0).unwrap();
    assert_eq!(total, 2, "{meetings:?}");
    let (sessions, _) =
        seminars::sessions::store::list(&mut conn, &Default::default(), 50, 0).unwrap();
    assert_eq!(sessions.len(), 1);
    // The session lives: booked, with an approved agenda and delegates, each once.
    let session = &sessions[0].id;
    let bookings = seminars::bookings::service::bookings_of(&mut conn, session).unwrap();
    assert_eq!(bookings.len(), 1, "one booking after two runs");
    let (version, items) = seminars::agendas::service::approved_items(&mut conn, session)
        .unwrap()
        .expect("the demo agenda is approved");
    assert_eq!((version.number, items.len()), (1, 7));
    let (_, rooms) = seminars::rooms::service::list_rooms(&mut conn, 50, 0).unwrap();
    assert_eq!(rooms, 2, "two rooms after two runs");
}

/// Runs `seminars user add` on the database at `url` with a password on standard input.
fn user_add(url: &str, args: &[&str]) -> std::process::Output {
    use std::io::Write;
    let mut child = seminars()
        .args(["user", "add", "--name", "Focal Point"])
        .args(args)
        .env("SEMINARS__DATABASE__URL", url)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The command may refuse before reading; a closed pipe is then no failure of the test.
    let _ = child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a very long focal point password\n");
    child.wait_with_output().unwrap()
}

fn accounts_of(url: &str) -> Vec<seminars::access::User> {
    let mut settings = seminars::config::Settings::defaults().unwrap();
    settings.database.url = url.into();
    let pool = seminars::db::connect(&settings.database).unwrap();
    let mut conn = pool.get().unwrap();
    seminars::app::migrate(&mut conn).unwrap();
    seminars::accounts::users::list(&mut conn, 50, 0)
        .unwrap()
        .0
        .into_iter()
        .map(|listed| listed.user)
        .collect()
}

#[test]
fn user_add_refuses_a_focal_point_without_a_scope_in_one_line_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    for (args, names) in [
        (
            vec!["--email", "fp@example.org", "--role", "focal_point"],
            "--country",
        ),
        (
            vec![
                "--email",
                "fp@example.org",
                "--role",
                "organiser",
                "--country",
                "KE",
            ],
            "focal point only",
        ),
        (
            vec![
                "--email",
                "fp@example.org",
                "--role",
                "focal_point",
                "--country",
                "XX",
            ],
            "no country has this code",
        ),
        (
            vec![
                "--email",
                "fp@example.org",
                "--role",
                "focal_point",
                "--entity",
                "  ",
            ],
            "entity",
        ),
    ] {
        let output = user_add(&url, &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line: {stderr}");
        assert!(lines[0].contains(names), "{args:?}: {stderr}");
    }
    assert!(accounts_of(&url).is_empty(), "no useless account was made");
}

#[test]
fn user_add_makes_a_focal_point_scoped_to_a_country_or_an_entity() {
    use seminars::access::domain::FocalScope;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let kenya = user_add(
        &url,
        &[
            "--email",
            "ke@example.org",
            "--role",
            "focal_point",
            "--country",
            "ke",
        ],
    );
    assert!(
        kenya.status.success(),
        "{}",
        String::from_utf8_lossy(&kenya.stderr)
    );
    assert!(String::from_utf8_lossy(&kenya.stdout).contains("focal point for KE"));
    let member = user_add(
        &url,
        &[
            "--email",
            "sm@example.org",
            "--role",
            "focal_point",
            "--entity",
            "Safaricom PLC",
        ],
    );
    assert!(
        member.status.success(),
        "{}",
        String::from_utf8_lossy(&member.stderr)
    );
    let mut scopes: Vec<(String, Option<FocalScope>)> = accounts_of(&url)
        .into_iter()
        .map(|u| (u.email.clone(), u.focal_scope()))
        .collect();
    scopes.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        scopes,
        [
            (
                "ke@example.org".into(),
                Some(FocalScope::Country("KE".into()))
            ),
            (
                "sm@example.org".into(),
                Some(FocalScope::Entity("Safaricom PLC".into()))
            ),
        ]
    );
}

/// `seminars serve` on SIGTERM stops taking connections, finishes the request in flight (here one
/// whose body is still arriving) and exits cleanly.
#[test]
fn serve_finishes_the_request_in_flight_on_sigterm_and_exits_cleanly() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let mut server = seminars()
        .arg("serve")
        .env(
            "SEMINARS__DATABASE__URL",
            format!("sqlite://{}", dir.path().join("serve.db").display()),
        )
        .env("SEMINARS__SERVER__LISTEN", "127.0.0.1:0")
        .env("SEMINARS__SERVER__WORKERS", "1")
        .env("SEMINARS__MAIL__OUTBOX_DIR", dir.path().join("outbox"))
        .env("SEMINARS__MAIL__WORKER", "false")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let address = loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(at) = line.find("listening on http://") {
            break line[at + 20..].trim_end_matches(')').to_string();
        }
    };
    let body = br#"{"email": "nobody@example.org", "password": "whatever it is"}"#;
    let mut request = TcpStream::connect(&address).unwrap();
    request
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        request,
        "POST /api/v1/auth/token HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    request.write_all(&body[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let killed = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // New connections are refused once the server has begun to stop.
    let deadline = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(&address).is_ok() {
        assert!(
            Instant::now() < deadline,
            "still accepting connections after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    request.write_all(&body[10..]).unwrap();
    let mut answer = String::new();
    request.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 401"),
        "the request in flight got its whole answer: {answer:?}"
    );
    assert!(answer.contains("application/problem+json"), "{answer}");

    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "serve exits after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "a clean exit: {status:?}");
}
