//! Page tests in a real browser: Chromium driven through chromedriver at `WEBDRIVER_URL`, against
//! the app on SQLite. They prove what a form-posting client cannot: that the session cookie, the
//! CSRF token, the redirects and the Content-Security-Policy work as a browser applies them.

use std::time::Duration;

use diesel::prelude::*;
use serde_json::json;
use tempfile::TempDir;
use thirtyfour::prelude::*;
use thirtyfour::{ChromiumLikeCapabilities, LoggingPrefsLogLevel};

use crate::registrations::{calendar_of, delegate, mail_to, open_session, register};
use crate::support::{spawn, Backend, TestApp};
use seminars::access::Role;
use seminars::db;
use seminars::db::schema::registrations;

/// Chromium's switches: headless, and nothing that talks to the network on its own.
const SWITCHES: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
];

/// A browser session with a profile of its own; the profile folder outlives the session.
struct Chromium {
    driver: WebDriver,
    _profile: TempDir,
}

impl Chromium {
    /// A fresh browser, or None (said loudly) when no WebDriver server is configured.
    async fn start() -> Option<Chromium> {
        let url = std::env::var("WEBDRIVER_URL").unwrap_or_default();
        if url.is_empty() {
            assert!(
                !crate::support::required("REQUIRE_BROWSER"),
                "REQUIRE_BROWSER=1 but WEBDRIVER_URL is not set: the browser tests cannot run"
            );
            crate::support::announce_skip("BROWSER SKIPPED: WEBDRIVER_URL is not set");
            return None;
        }
        let profile = tempfile::tempdir().expect("a profile folder");
        let mut caps = DesiredCapabilities::chrome();
        for switch in SWITCHES {
            caps.add_arg(switch).unwrap();
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.path().display()))
            .unwrap();
        // The console, CSP violations included, is only kept when asked for at session start.
        caps.set_browser_log_level(LoggingPrefsLogLevel::All)
            .unwrap();
        let driver = WebDriver::new(url, caps)
            .await
            .expect("a Chromium session from the WebDriver server at WEBDRIVER_URL");
        Some(Chromium {
            driver,
            _profile: profile,
        })
    }

    /// Ends the session (a panicking test's session is ended by thirtyfour's Drop instead).
    async fn quit(self) {
        self.driver.quit().await.unwrap();
    }

    /// Opens a path of the app.
    async fn open(&self, app: &TestApp, path: &str) {
        self.driver.goto(app.url(path)).await.unwrap();
    }

    /// The element, waiting for it to appear (pages load after clicks without telling us).
    async fn element(&self, css: &str) -> WebElement {
        self.driver
            .query(By::Css(css))
            .wait(Duration::from_secs(15), Duration::from_millis(100))
            .first()
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
    }

    /// Clears a field and types into it, as a person would.
    async fn type_into(&self, css: &str, text: &str) {
        let field = self.element(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Waits until the browser is on this path, and answers the page's source.
    async fn wait_for_path(&self, path: &str) -> String {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            let url = self.driver.current_url().await.unwrap();
            if url.path() == path && self.driver.find(By::Css("footer")).await.is_ok() {
                return self.driver.source().await.unwrap();
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "still on {url}, expected {path}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The console messages since the last call.
    async fn console(&self) -> Vec<String> {
        let entries = self.driver.browser_log().await.unwrap();
        entries
            .into_iter()
            .map(|e| format!("{} {}", e.level, e.message))
            .collect()
    }
}

/// The app on SQLite and a browser, or None when the browser tests are skipped.
async fn app_and_browser() -> Option<(TestApp, Chromium)> {
    let browser = Chromium::start().await?;
    let app = spawn(Backend::Sqlite).await.expect("sqlite");
    Some((app, browser))
}

/// Fills the registration form for Senegal's regulator; the email is the caller's.
async fn fill_registration(browser: &Chromium, email: &str) {
    browser.type_into("#name", "Amina Diallo").await;
    browser.type_into("#email", email).await;
    browser.type_into("#organisation", "ARTP").await;
    browser.type_into("#job_title", "Director").await;
    browser.type_into("#country", "SN").await;
    browser
        .element("input[name=stakeholder_category][value=regulator]")
        .await
        .click()
        .await
        .unwrap();
    browser
        .element("input[name=attendance][value=in_person]")
        .await
        .click()
        .await
        .unwrap();
}

/// Opens a session's page and follows its registration link.
async fn follow_register_link(browser: &Chromium, app: &TestApp, session: &str) {
    browser.open(app, &format!("/sessions/{session}")).await;
    browser
        .driver
        .query(By::LinkText("Register for this session"))
        .first()
        .await
        .expect("the session page links to its form")
        .click()
        .await
        .unwrap();
    browser
        .wait_for_path(&format!("/sessions/{session}/register"))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delegate_registers_through_the_real_form_and_gets_a_confirmation_and_an_invitation() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({"capacity": 10})).await;
    follow_register_link(&browser, &app, &session).await;
    fill_registration(&browser, "amina@example.sn").await;
    let shot = app.dir.path().join("registration-form.png");
    browser.driver.screenshot(&shot).await.unwrap();
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 1000,
        "a screenshot"
    );
    browser
        .element("form.form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    // The answer comes back on the form's own address, so wait for its heading instead.
    browser
        .driver
        .query(By::Css("h1"))
        .with_text("Thank you for registering")
        .wait(Duration::from_secs(15), Duration::from_millis(100))
        .first()
        .await
        .expect("the confirmation page");
    let status = browser.element("[role=status]").await.text().await.unwrap();
    assert!(status.contains("Your seat is confirmed."), "{status}");
    let stored = db::run(&app.pool, |conn| {
        Ok(registrations::table
            .filter(registrations::email.eq("amina@example.sn"))
            .select((
                registrations::status,
                registrations::country,
                registrations::stakeholder_category,
                registrations::attendance,
                registrations::organisation,
            ))
            .load::<(String, String, String, String, String)>(conn)?)
    })
    .await
    .unwrap();
    let expected = ("confirmed", "SN", "regulator", "in_person", "ARTP");
    let expected =
        [expected].map(|(a, b, c, d, e)| (a.into(), b.into(), c.into(), d.into(), e.into()));
    assert_eq!(stored, expected);
    let mail = mail_to(&app, "amina@example.sn").await;
    assert_eq!(
        mail.len(),
        1,
        "one email: the confirmation with its invitation"
    );
    let (method, event) = calendar_of(&mail[0]);
    assert_eq!(method, "REQUEST");
    assert!(event.uid.contains(&session));
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_email_in_the_real_form_is_shown_beside_the_field_and_the_other_answers_stay() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    follow_register_link(&browser, &app, &session).await;
    fill_registration(&browser, "not-an-email").await;
    browser
        .element("form.form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    let error = browser.element("#email-error").await;
    assert_eq!(error.text().await.unwrap(), "is not an email address");
    let email = browser.element("#email").await;
    assert_eq!(
        email.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(
        email.value().await.unwrap().as_deref(),
        Some("not-an-email")
    );
    for (css, kept) in [
        ("#name", "Amina Diallo"),
        ("#organisation", "ARTP"),
        ("#country", "SN"),
    ] {
        let value = browser.element(css).await.value().await.unwrap();
        assert_eq!(value.as_deref(), Some(kept), "{css} keeps its answer");
    }
    let regulator = browser
        .element("input[name=stakeholder_category][value=regulator]")
        .await;
    assert!(
        regulator.is_selected().await.unwrap(),
        "the category stays chosen"
    );
    assert!(browser.driver.find(By::Id("name-error")).await.is_err());
    let count = db::run(&app.pool, |conn| {
        Ok(registrations::table.count().get_result::<i64>(conn)?)
    })
    .await
    .unwrap();
    assert_eq!(count, 0, "nothing was stored");
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_signs_in_in_the_browser_sees_the_delegates_of_a_session_and_signs_out() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    let (status, _) = register(&app, &session, delegate("seen@example.org", "KE")).await;
    assert_eq!(status, 201);
    let (email, password) = app.account(&[Role::Organiser]).await;
    browser.open(&app, "/sign-in").await;
    browser.type_into("#email", &email).await;
    browser.type_into("#password", &password).await;
    browser
        .element("form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    let staff = browser.wait_for_path("/staff").await;
    assert!(staff.contains(&email), "the staff page names who signed in");
    let registrations = format!("/sessions/{session}/registrations");
    browser.open(&app, &registrations).await;
    browser.wait_for_path(&registrations).await;
    let table = browser.element("table tbody").await.text().await.unwrap();
    assert!(table.contains("seen@example.org"), "{table}");
    browser.open(&app, "/staff").await;
    browser
        .element("form[action='/sign-out'] button")
        .await
        .click()
        .await
        .unwrap();
    browser.wait_for_path("/").await;
    browser.open(&app, &registrations).await;
    browser.wait_for_path("/sign-in").await;
    assert!(
        browser.driver.find(By::Css("table tbody")).await.is_err(),
        "signed out, the list is gone"
    );
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_no_inline_script_and_the_console_shows_no_csp_violation() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    let pages = [
        "/".to_string(),
        format!("/sessions/{session}"),
        format!("/sessions/{session}/register"),
        "/sign-in".to_string(),
        "/password-reset".to_string(),
    ];
    for path in &pages {
        browser.open(&app, path).await;
        let source = browser.wait_for_path(path).await;
        assert!(!source.contains("<script"), "{path} carries a script");
        let violations: Vec<String> = browser
            .console()
            .await
            .into_iter()
            .filter(|m| m.contains("Content Security Policy"))
            .collect();
        assert!(violations.is_empty(), "{path}: {violations:?}");
    }
    // The check can see a violation: an inline script added to the page is refused and logged.
    browser
        .driver
        .execute(
            "const s = document.createElement('script'); s.textContent = 'window.ran = 1'; \
             document.body.appendChild(s); return window.ran === 1;",
            vec![],
        )
        .await
        .unwrap();
    let ran = browser
        .driver
        .execute("return window.ran === 1;", vec![])
        .await
        .unwrap();
    assert_eq!(
        ran.json(),
        &json!(false),
        "the CSP refused the inline script"
    );
    let console = browser.console().await;
    assert!(
        console
            .iter()
            .any(|m| m.contains("Content Security Policy")),
        "the refused script is in the console: {console:?}"
    );
    browser.quit().await;
}
