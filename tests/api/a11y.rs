//! Accessibility and small screens, checked in a real browser: every page each role reaches
//! (from its start pages, following same-site links) is checked by axe-core and measured at
//! 375 px wide. The test fails on any serious or critical axe violation and on any page wider
//! than 375 px, and prints per page the counts and the width.
//!
//! axe-core is vendored at test time: `npm install --no-save axe-core@4` (as `.ci/run` does), or
//! a path in `AXE_JS`. Without it the test says loudly that it was skipped, and fails when
//! `REQUIRE_BROWSER=1`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::Duration;

use serde_json::{json, Value};
use thirtyfour::prelude::*;
use thirtyfour::ChromiumLikeCapabilities;

use crate::registrations::{delegate, open_session, register, token_of};
use crate::support::{announce_skip, required, spawn, Backend, TestApp};
use seminars::access::Role;

/// Pages each role may visit at most, after grouping paths by their shape.
const MAX_PAGES: usize = 40;
/// The width measured: a small phone.
const WIDTH: i64 = 375;

/// The axe-core source, or None (said loudly; a failure under REQUIRE_BROWSER=1).
fn axe_source() -> Option<String> {
    let path = std::env::var("AXE_JS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/node_modules/axe-core/axe.min.js"
        )
        .into()
    });
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(e) => {
            let why = format!(
                "A11Y SKIPPED: no axe-core at {path} ({e}); run `npm install --no-save axe-core@4` or set AXE_JS"
            );
            assert!(!required("REQUIRE_BROWSER"), "REQUIRE_BROWSER=1 but {why}");
            announce_skip(&why);
            None
        }
    }
}

async fn chromium() -> Option<WebDriver> {
    let url = std::env::var("WEBDRIVER_URL").unwrap_or_default();
    if url.is_empty() {
        assert!(
            !required("REQUIRE_BROWSER"),
            "REQUIRE_BROWSER=1 but WEBDRIVER_URL is not set: the accessibility test cannot run"
        );
        announce_skip("A11Y SKIPPED: WEBDRIVER_URL is not set");
        return None;
    }
    let profile = tempfile::tempdir().expect("a profile folder").keep();
    let mut caps = DesiredCapabilities::chrome();
    for switch in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ] {
        caps.add_arg(switch).unwrap();
    }
    caps.add_arg(&format!("--user-data-dir={}", profile.display()))
        .unwrap();
    // A phone's viewport: 375 CSS px wide, whatever the window.
    caps.add_experimental_option(
        "mobileEmulation",
        json!({ "deviceMetrics": { "width": WIDTH, "height": 800, "pixelRatio": 1.0 } }),
    )
    .unwrap();
    Some(WebDriver::new(url, caps).await.expect("a Chromium session"))
}

/// The shape of a path: ids and tokens replaced, so one page of each kind is checked.
fn shape(path: &str) -> String {
    path.split('/')
        .map(|part| {
            let long =
                part.len() >= 20 && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if long {
                "{id}"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Links worth following: same site, GET pages, not downloads, the API or sign-out.
fn worth_following(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/api/")
        && !path.starts_with("/static/")
        && ![".csv", ".ics", ".json", ".svg", ".eml"]
            .iter()
            .any(|end| path.split('?').next().unwrap_or("").ends_with(end))
        && !path.contains("/sign-out")
}

/// The last elements that end beyond the viewport, to name the culprit of a wide page.
const WIDEST: &str = "const w = document.documentElement.clientWidth; \
    return Array.from(document.querySelectorAll('body *')) \
      .filter(e => e.getBoundingClientRect().right > w + 1) \
      .slice(-6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right) + ': ' + e.textContent.slice(0, 60));";

/// What one page measured.
struct Measure {
    counts: BTreeMap<String, u64>,
    serious: Vec<String>,
    width: i64,
}

async fn measure(driver: &WebDriver, axe: &str) -> Measure {
    driver.execute(axe, vec![]).await.expect("axe loads");
    let result = driver
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3) }))))
               .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));",
            vec![],
        )
        .await
        .expect("axe runs");
    let mut counts = BTreeMap::new();
    let mut serious = Vec::new();
    for v in result.json().as_array().cloned().unwrap_or_default() {
        let impact = v["impact"].as_str().unwrap_or("unknown").to_string();
        *counts.entry(impact.clone()).or_insert(0) += 1;
        if impact == "serious" || impact == "critical" {
            serious.push(format!(
                "{impact} {}: {} at {}",
                v["id"], v["help"], v["nodes"]
            ));
        }
    }
    let width = driver
        .execute("return document.documentElement.scrollWidth;", vec![])
        .await
        .unwrap()
        .json()
        .as_i64()
        .unwrap_or(i64::MAX);
    Measure {
        counts,
        serious,
        width,
    }
}

async fn links(driver: &WebDriver) -> Vec<String> {
    let found = driver
        .execute(
            "return Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'));",
            vec![],
        )
        .await
        .unwrap();
    found
        .json()
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| {
            v.as_str()
                .map(|s| s.split('#').next().unwrap_or("").to_string())
        })
        .filter(|p| worth_following(p))
        .collect()
}

/// Walks from the start pages, checking each page of a new shape; answers the failures.
async fn walk(
    app: &TestApp,
    driver: &WebDriver,
    axe: &str,
    role: &str,
    start: &[String],
) -> Vec<String> {
    let mut queue: VecDeque<String> = start.iter().cloned().collect();
    let (mut seen, mut failures) = (BTreeSet::new(), Vec::new());
    while let Some(path) = queue.pop_front() {
        if seen.len() >= MAX_PAGES || !seen.insert(shape(&path)) {
            continue;
        }
        driver.goto(app.url(&path)).await.unwrap();
        let here = driver.current_url().await.unwrap();
        let m = measure(driver, axe).await;
        let name: String = format!("{role}{}", shape(&path))
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots/a11y");
        std::fs::create_dir_all(folder).unwrap();
        driver
            .screenshot(std::path::Path::new(&format!("{folder}/{name}.png")))
            .await
            .unwrap();
        let counts: Vec<String> = m.counts.iter().map(|(k, n)| format!("{k}={n}")).collect();
        println!(
            "a11y {role:<12} {:<48} width@375={:<4} axe: {}",
            shape(&path),
            m.width,
            if counts.is_empty() {
                "none".into()
            } else {
                counts.join(" ")
            }
        );
        if here.path() != path.split('?').next().unwrap_or("") {
            println!("a11y {role:<12}   (answered {})", here.path());
        }
        for s in m.serious {
            failures.push(format!("{role} {path}: {s}"));
        }
        if m.width > WIDTH {
            let wide = driver
                .execute(WIDEST, vec![])
                .await
                .map(|r| r.json().to_string())
                .unwrap_or_default();
            failures.push(format!(
                "{role} {path}: {} px wide at {WIDTH} px: {wide}",
                m.width
            ));
        }
        queue.extend(links(driver).await);
    }
    failures
}

async fn sign_in(app: &TestApp, driver: &WebDriver, role: Role) {
    let (email, password) = app.account(&[role]).await;
    driver.goto(app.url("/sign-in")).await.unwrap();
    driver
        .find(By::Id("email"))
        .await
        .unwrap()
        .send_keys(&email)
        .await
        .unwrap();
    driver
        .find(By::Id("password"))
        .await
        .unwrap()
        .send_keys(&password)
        .await
        .unwrap();
    driver
        .find(By::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
}

async fn sign_out(driver: &WebDriver) {
    driver.delete_all_cookies().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_as_every_role_passes_axe_and_fits_375_px() {
    let Some(axe) = axe_source() else { return };
    let Some(driver) = chromium().await else {
        return;
    };
    let app = spawn(Backend::Sqlite).await.expect("sqlite");
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    let (status, _) = register(&app, &session, delegate("a11y@example.org", "KE")).await;
    assert_eq!(status, 201);
    let link = token_of(&app, "a11y@example.org").await;
    let detail: Value = app
        .get(&format!("/api/v1/sessions/{session}"))
        .await
        .json()
        .await
        .unwrap();
    let meeting = detail["meeting_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    driver.goto(app.url("/")).await.unwrap();
    let inner = driver
        .execute("return window.innerWidth;", vec![])
        .await
        .unwrap()
        .json()
        .as_i64();
    assert_eq!(
        inner,
        Some(WIDTH),
        "the viewport is {WIDTH} px wide, not {inner:?}"
    );
    let public = vec![
        "/".to_string(),
        format!("/sessions/{session}"),
        format!("/sessions/{session}/register"),
        "/sign-in".into(),
        "/password-reset".into(),
    ];
    let mut failures = walk(&app, &driver, &axe, "anonymous", &public).await;
    let delegate_pages = vec![format!("/registrations/{link}")];
    failures.extend(walk(&app, &driver, &axe, "delegate", &delegate_pages).await);
    let staff_start = vec![
        "/staff".to_string(),
        format!("/sessions/{session}/registrations"),
        format!("/sessions/{session}/registrations/stats"),
        format!("/meetings/{meeting}/statistics"),
        "/statistics".into(),
        format!("/sessions/{session}/directory"),
    ];
    for (name, role) in [
        ("organiser", Role::Organiser),
        ("rapporteur", Role::Rapporteur),
        ("focal-point", Role::FocalPoint),
        ("admin", Role::Admin),
    ] {
        sign_in(&app, &driver, role).await;
        failures.extend(walk(&app, &driver, &axe, name, &staff_start).await);
        sign_out(&driver).await;
    }
    driver.quit().await.unwrap();
    assert!(
        failures.is_empty(),
        "{} accessibility or width failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
