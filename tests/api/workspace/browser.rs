//! The organiser's whole story in a real browser (Chromium through chromedriver at
//! `WEBDRIVER_URL`): sign in, create a meeting and a session, book a room with a projector
//! (and see a clash refused), publish, a delegate registers from the public page, cancel with
//! a reason. Every step is screenshotted at 1280 and 375 px into target/screenshots/workspace/.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;
use tempfile::TempDir;
use thirtyfour::prelude::*;
use thirtyfour::ChromiumLikeCapabilities;

use crate::support::{fixture, spawn, Backend, TestApp};
use seminars::access::Role;

struct Chromium {
    driver: WebDriver,
    _profile: TempDir,
}

fn shots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/workspace");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Chromium {
    async fn start() -> Option<Chromium> {
        let url = std::env::var("WEBDRIVER_URL").unwrap_or_default();
        if url.is_empty() {
            assert!(
                !crate::support::required("REQUIRE_BROWSER"),
                "WEBDRIVER_URL is not set"
            );
            eprintln!("*** BROWSER SKIPPED: WEBDRIVER_URL is not set ***");
            return None;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut caps = DesiredCapabilities::chrome();
        for switch in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--hide-scrollbars",
            "--lang=en-GB",
        ] {
            caps.add_arg(switch).unwrap();
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.path().display()))
            .unwrap();
        let driver = WebDriver::new(url, caps)
            .await
            .expect("a Chromium session at WEBDRIVER_URL");
        driver.set_window_rect(0, 0, 1280, 1400).await.unwrap();
        Some(Chromium {
            driver,
            _profile: profile,
        })
    }

    async fn open(&self, app: &TestApp, path: &str) {
        self.driver.goto(app.url(path)).await.unwrap();
    }

    async fn element(&self, css: &str) -> WebElement {
        self.driver
            .query(By::Css(css))
            .wait(Duration::from_secs(15), Duration::from_millis(100))
            .first()
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
    }

    async fn type_into(&self, css: &str, text: &str) {
        let field = self.element(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Sets a field's value as a script would (date and time pickers vary by locale).
    async fn set(&self, css: &str, value: &str) {
        let field = self.element(css).await;
        self.driver
            .execute(
                "arguments[0].value = arguments[1];",
                vec![field.to_json().unwrap(), json!(value)],
            )
            .await
            .unwrap();
    }

    async fn click(&self, css: &str) {
        let element = self.element(css).await;
        element.click().await.unwrap();
        element
            .wait_until()
            .stale()
            .await
            .unwrap_or_else(|e| panic!("{css} left the page in place: {e}"));
    }

    async fn source(&self) -> String {
        self.element("footer").await;
        self.driver.source().await.unwrap()
    }

    async fn shoot(&self, name: &str) {
        for (width, height) in [(1280, 1400), (375, 1600)] {
            self.driver
                .set_window_rect(0, 0, width, height)
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(200)).await;
            let path = shots().join(format!("{name}-{width}.png"));
            self.driver.screenshot(&path).await.unwrap();
            assert!(std::fs::metadata(&path).unwrap().len() > 5000);
        }
        self.driver.set_window_rect(0, 0, 1280, 1400).await.unwrap();
    }

    async fn sign_in(&self, app: &TestApp, email: &str, password: &str) {
        self.driver.delete_all_cookies().await.unwrap();
        self.open(app, "/sign-in").await;
        self.type_into("#email", email).await;
        self.type_into("#password", password).await;
        self.click("form button[type=submit]").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_runs_a_session_from_pages_in_a_real_browser() {
    let Some(b) = Chromium::start().await else {
        return;
    };
    let app = spawn(Backend::Sqlite).await.expect("sqlite");
    let admin = super::admin(&app).await;
    let popov = super::room(&app, &admin, "Popov Room", 40).await;
    super::room(&app, &admin, "Room K", 60).await;
    let projector = super::item(&app, &admin, "Projector", "projector", 1).await;
    let (email, password) = app.account(&[Role::Organiser]).await;

    b.sign_in(&app, &email, &password).await;
    assert!(b.source().await.contains("Your workspace"));
    b.shoot("1-dashboard").await;
    b.click("a[href='/staff/meetings/new']").await;
    b.type_into("#title", "ITU-D Study Group 1, March meeting")
        .await;
    b.type_into("#venue", "ITU headquarters, Geneva").await;
    b.set("#first_day", &fixture("YYYY-03-09")).await;
    b.set("#last_day", &fixture("YYYY-03-13")).await;
    b.shoot("2-meeting-form").await;
    b.click("#save").await;
    assert!(b.source().await.contains("created. Nothing was sent"));
    b.click("a.button[href$='/sessions/new']").await;
    b.type_into("#title", "Cybersecurity capacity building")
        .await;
    b.set("#date", &fixture("YYYY-03-10")).await;
    b.set("#start", "14:30").await;
    b.set("#end", "17:30").await;
    b.click("#save").await;
    let hub_url = b.driver.current_url().await.unwrap();
    assert!(b
        .source()
        .await
        .contains("Nothing was sent: publish it when ready"));
    b.shoot("3-session-hub").await;

    b.element(&format!("#room_id option[value='{popov}']"))
        .await
        .click()
        .await
        .unwrap();
    b.type_into(&format!("#qty_{projector}"), "1").await;
    b.click("#book").await;
    assert!(b.source().await.contains("1 × Projector"));
    b.shoot("4-room-booked").await;

    let token = app.organiser().await;
    let meeting_id = hub_url.path().to_string();
    let draft = app.post_as(&token, "/api/v1/sessions", json!({
        "meeting_id": meeting_of(&app, &token, meeting_id.rsplit('/').next().unwrap()).await,
        "kind": "workshop", "title": "Clashing workshop",
        "starts_at": fixture("YYYY-03-10T15:00:00+01:00"), "ends_at": fixture("YYYY-03-10T16:00:00+01:00"),
        "capacity": 20})).await;
    assert_eq!(draft.status(), 201);
    let draft: serde_json::Value = draft.json().await.unwrap();
    b.open(
        &app,
        &format!("/staff/sessions/{}", draft["id"].as_str().unwrap()),
    )
    .await;
    b.element(&format!("#room_id option[value='{popov}']"))
        .await
        .click()
        .await
        .unwrap();
    b.click("#book").await;
    let refused = b.source().await;
    assert!(
        refused.contains("Room Popov Room is held by") && refused.contains("Room K"),
        "clash and free rooms"
    );
    b.shoot("5-clash-refused").await;

    b.driver.goto(hub_url.as_str()).await.unwrap();
    b.click("#publish").await;
    assert!(b.source().await.contains("Published"));
    b.shoot("6-published").await;
    let session = hub_url.path().rsplit('/').next().unwrap().to_string();

    b.driver.delete_all_cookies().await.unwrap();
    b.open(&app, &format!("/sessions/{session}/register")).await;
    b.type_into("#name", "Wanjiru Kamau").await;
    b.type_into("#email", "wanjiru@example.org").await;
    b.type_into("#organisation", "Communications Authority of Kenya")
        .await;
    b.type_into("#job_title", "Director").await;
    b.type_into("#country", "KE").await;
    b.element("input[name=stakeholder_category][value=regulator]")
        .await
        .click()
        .await
        .unwrap();
    b.element("input[name=attendance][value=in_person]")
        .await
        .click()
        .await
        .unwrap();
    b.shoot("7-delegate-registers").await;
    b.click("form.form button[type=submit]").await;
    b.source().await;

    b.sign_in(&app, &email, &password).await;
    b.driver.goto(hub_url.as_str()).await.unwrap();
    assert!(
        b.source().await.contains("1 confirmed of 40"),
        "the delegate is counted"
    );
    b.click("#cancel-link").await;
    b.type_into("#reason", "The speakers' flights were cancelled.")
        .await;
    b.element("#confirm").await.click().await.unwrap();
    b.shoot("8-cancel-confirm").await;
    b.click("#cancel-session").await;
    let done = b.source().await;
    assert!(done.contains("1 person told, with your reason"), "{done}");
    b.shoot("9-cancelled").await;
    b.open(&app, "/staff").await;
    assert!(
        b.source().await.contains("Clashing workshop"),
        "the dashboard lists the meeting's sessions"
    );
    b.shoot("10-dashboard").await;
    b.driver.clone().quit().await.unwrap();
}

/// The meeting of a session (by the hub's session id).
async fn meeting_of(app: &TestApp, token: &str, session: &str) -> String {
    let s: serde_json::Value = app
        .get_as(token, &format!("/api/v1/sessions/{session}"))
        .await
        .json()
        .await
        .unwrap();
    s["meeting_id"].as_str().unwrap().to_string()
}
