//! What did not run: a test of its own, so a skipped backend shows in `cargo test` output
//! without `--nocapture`, and fails the run where CI demands that backend.

use diesel::{Connection, PgConnection};

use crate::support::{announce_skip, required};

/// Named to sort last in the list of tests, where a reader of the output looks for a summary.
#[test]
fn zz_backends_that_were_skipped() {
    let mut skipped = Vec::new();
    match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        None => skipped.push("PostgreSQL (TEST_DATABASE_URL is not set)".to_string()),
        Some(url) => {
            if let Err(e) = PgConnection::establish(&url) {
                skipped.push(format!("PostgreSQL (TEST_DATABASE_URL does not answer: {e})"));
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
