//! What did not run: a test of its own, so a skipped backend shows in `cargo test` output
//! without `--nocapture`, and fails the run where CI demands that backend.

use diesel::{Connection, PgConnection};

use crate::support::{announce_skip, required};

/// Named to sort last in the list of tests, where a reader of the output looks for a summary.
#[test]
fn zz_backends_that_were_skipped() {
    let mut skipped = Vec::new();
    match std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        None => skipped.push("PostgreSQL (TEST_DATABASE_URL is not set)".to_string()),
        Some(url) => {
            if let Err(e) = PgConnection::establish(&url) {
                skipped.push(format!(
                    "PostgreSQL (TEST_DATABASE_URL does not answer: {e})"
                ));
            }
        }
    }
    if std::env::var("WEBDRIVER_URL").map_or(true, |u| u.is_empty()) {
        skipped.push("the browser tests (WEBDRIVER_URL is not set)".to_string());
    }
    for what in &skipped {
        announce_skip(&format!("SKIPPED in this run: {what}"));
    }
    let demanded: Vec<&String> = skipped
        .iter()
        .filter(|what| {
            (what.starts_with("PostgreSQL") && required("REQUIRE_POSTGRES"))
                || (what.starts_with("the browser") && required("REQUIRE_BROWSER"))
        })
        .collect();
    assert!(
        demanded.is_empty(),
        "REQUIRE_POSTGRES / REQUIRE_BROWSER demand what did not run: {demanded:?}"
    );
}

/// Runs one test of this very binary in a child process with the given environment changes.
fn run_alone(test: &str, env: &[(&str, Option<&str>)]) -> (bool, String) {
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut command = std::process::Command::new(exe);
    command.args(["--exact", test, "--test-threads=1"]);
    for (name, value) in env {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    let output = command.output().expect("the test binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn a_postgres_test_without_a_server_fails_when_postgres_is_required_and_says_it_skipped_otherwise()
{
    let test = "meetings::only_organisers_create_meetings::postgres";
    let (passed, output) = run_alone(
        test,
        &[("TEST_DATABASE_URL", None), ("REQUIRE_POSTGRES", Some("1"))],
    );
    assert!(
        !passed,
        "a required backend that is missing fails: {output}"
    );
    assert!(output.contains("REQUIRE_POSTGRES=1"), "{output}");
    let (passed, output) = run_alone(
        test,
        &[("TEST_DATABASE_URL", None), ("REQUIRE_POSTGRES", None)],
    );
    assert!(passed, "{output}");
    assert!(
        output.contains("PostgreSQL SKIPPED"),
        "the skip is visible: {output}"
    );
}

#[test]
fn a_browser_test_without_a_webdriver_fails_when_the_browser_is_required() {
    let test = "browser_pages::a_bad_email_in_the_real_form_is_shown_beside_the_field_and_the_other_answers_stay";
    let (passed, output) = run_alone(
        test,
        &[("WEBDRIVER_URL", None), ("REQUIRE_BROWSER", Some("1"))],
    );
    assert!(
        !passed,
        "a required browser that is missing fails: {output}"
    );
    assert!(output.contains("REQUIRE_BROWSER=1"), "{output}");
    let (passed, output) = run_alone(test, &[("WEBDRIVER_URL", None), ("REQUIRE_BROWSER", None)]);
    assert!(passed, "{output}");
    assert!(
        output.contains("BROWSER SKIPPED"),
        "the skip is visible: {output}"
    );
}
