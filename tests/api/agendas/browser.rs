//! The whole agenda story in a real browser (Chromium through chromedriver at `WEBDRIVER_URL`):
//! the organiser builds and submits, the rapporteur asks for a change, the organiser fixes it,
//! the rapporteur approves, and the public page shows the programme. Screenshots at 1280 and
//! 375 pixels wide are kept in target/screenshots/agenda/.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;
use tempfile::TempDir;
use thirtyfour::prelude::*;
use thirtyfour::ChromiumLikeCapabilities;

use super::{assign, id_of};
use crate::browser::scoped_account;
use crate::support::{spawn, Backend, TestApp};
use seminars::access::Role;

const SWITCHES: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
];

/// A browser session with a profile of its own.
struct Chromium {
    driver: WebDriver,
    _profile: TempDir,
}

/// Where the screenshots are kept, to be looked at.
fn shots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/agenda");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Chromium {
    async fn start() -> Option<Chromium> {
        let url = std::env::var("WEBDRIVER_URL").unwrap_or_default();
        if url.is_empty() {
            eprintln!("*** BROWSER SKIPPED: WEBDRIVER_URL is not set ***");
            return None;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut caps = DesiredCapabilities::chrome();
        for switch in SWITCHES {
            caps.add_arg(switch).unwrap();
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.path().display()))
            .unwrap();
        let driver = WebDriver::new(url, caps)
            .await
            .expect("a Chromium session at WEBDRIVER_URL");
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

    /// Clicks something on the page that does not leave it (a choice, a checkbox).
    async fn tick(&self, css: &str) {
        self.element(css).await.click().await.unwrap();
    }

    /// Clicks a link or a button that leads to another page, and waits until the old page is gone.
    async fn click(&self, css: &str) {
        let element = self.element(css).await;
        element.click().await.unwrap();
        let left = element.wait_until().stale().await;
        if let Err(e) = left {
            let url = self.driver.current_url().await.unwrap();
            let shot = shots().join("failure.png");
            self.driver.screenshot(&shot).await.unwrap();
            panic!(
                "clicking {css} left {url} in place ({e}); see {}",
                shot.display()
            );
        }
    }

    /// Waits until the page's address ends so, and answers the page's source.
    async fn wait_for(&self, ending: &str) -> String {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            let url = self.driver.current_url().await.unwrap();
            let here = format!(
                "{}{}",
                url.path(),
                url.query().map(|q| format!("?{q}")).unwrap_or_default()
            );
            if here.ends_with(ending) && self.driver.find(By::Css("footer")).await.is_ok() {
                return self.driver.source().await.unwrap();
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "still on {url}, expected …{ending}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn sign_in(&self, app: &TestApp, email: &str, password: &str) {
        self.driver.delete_all_cookies().await.unwrap();
        self.open(app, "/sign-in").await;
        self.type_into("#email", email).await;
        self.type_into("#password", password).await;
        self.click("form button[type=submit]").await;
        self.wait_for("/staff").await;
    }

    /// Screenshots of the page at a desktop's and a phone's width.
    async fn shoot(&self, name: &str) {
        for (width, height) in [(1280, 1400), (375, 1600)] {
            self.driver
                .set_window_rect(0, 0, width, height)
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(200)).await;
            let path = shots().join(format!("{name}-{width}.png"));
            self.driver.screenshot(&path).await.unwrap();
            assert!(
                std::fs::metadata(&path).unwrap().len() > 5000,
                "{} is a picture",
                path.display()
            );
        }
        self.driver.set_window_rect(0, 0, 1280, 1400).await.unwrap();
    }

    /// Fills the add form of the agenda page and sends it.
    async fn add_item(&self, kind: &str, title: &str, start: &str, end: &str) {
        let option = format!("#kind option[value={kind}]");
        self.tick(&option).await;
        self.type_into("#title", title).await;
        self.type_into("#start", start).await;
        self.type_into("#end", end).await;
        self.click("form.item-form button[type=submit]").await;
    }
}

/// Shows the page as it prints (`@media print`), through chromedriver's DevTools endpoint
/// (thirtyfour's own needs a feature this crate does not enable).
async fn print_media(browser: &Chromium) {
    let server = std::env::var("WEBDRIVER_URL").unwrap();
    let session = browser.driver.session_id();
    let url = format!(
        "{}/session/{session}/goog/cdp/execute",
        server.trim_end_matches('/')
    );
    let body = json!({"cmd": "Emulation.setEmulatedMedia", "params": {"media": "print"}});
    let response = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{:?}",
        response.text().await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agenda_is_built_reviewed_fixed_approved_and_published_in_a_real_browser() {
    let Some(browser) = Chromium::start().await else {
        return;
    };
    let app = spawn(Backend::Sqlite).await.expect("sqlite");
    let token = app.organiser().await;
    let (session, _) = app.scheduled_session(&token).await;
    let session = session["id"].as_str().unwrap().to_string();
    let (rapporteur, r_email, r_password) = scoped_account(&app, &[Role::Rapporteur], None).await;
    assign(&app, &token, &session, &[&rapporteur]).await;
    let (o_email, o_password) = app.account(&[Role::Organiser]).await;
    assert!(!id_of(&app, &token).await.is_empty());

    browser.sign_in(&app, &o_email, &o_password).await;
    let agenda = format!("/sessions/{session}/agenda");
    browser.open(&app, &agenda).await;
    browser
        .add_item("opening", "Opening remarks", "14:30", "14:45")
        .await;
    browser.wait_for(&agenda).await;
    browser
        .add_item(
            "expert_presentation",
            "National CIRT experience",
            "14:45",
            "15:30",
        )
        .await;
    browser.wait_for(&agenda).await;
    browser
        .add_item("break", "Coffee break", "15:20", "15:40")
        .await;
    let refused = browser.wait_for("/agenda/items").await;
    assert!(
        refused.contains("overlaps “National CIRT experience”"),
        "the overlap is refused beside the field"
    );
    browser.shoot("1-form-error").await;
    browser.type_into("#start", "15:30").await;
    browser.type_into("#end", "15:45").await;
    browser.click("form.item-form button[type=submit]").await;
    browser.wait_for(&agenda).await;
    browser
        .add_item(
            "stakeholder_presentation",
            "Challenges in developing countries",
            "15:45",
            "16:30",
        )
        .await;
    browser.wait_for(&agenda).await;
    browser
        .add_item("discussion", "Action items", "16:30", "17:15")
        .await;
    browser.wait_for(&agenda).await;
    browser.shoot("2-organiser-agenda").await;
    browser.click("#submit-agenda").await;
    browser.wait_for("?done=submitted").await;

    browser.sign_in(&app, &r_email, &r_password).await;
    browser.open(&app, "/reviews").await;
    browser
        .click(&format!("a[href='/sessions/{session}/agenda/review']"))
        .await;
    browser.wait_for("/agenda/review").await;
    browser
        .type_into(
            "#comment",
            "Please add a closing session with the Rapporteur.",
        )
        .await;
    browser.shoot("3-review-first").await;
    browser.click("#request-changes").await;
    browser.wait_for("?done=changes_requested").await;

    browser.sign_in(&app, &o_email, &o_password).await;
    browser.open(&app, &agenda).await;
    let page = browser.wait_for(&agenda).await;
    assert!(page.contains("Please add a closing session with the Rapporteur."));
    browser
        .add_item("closing", "Closing by the Rapporteur", "17:15", "17:25")
        .await;
    browser.wait_for(&agenda).await;
    browser.shoot("4-organiser-fixes").await;
    browser.click("#submit-agenda").await;
    browser.wait_for("?done=submitted").await;

    browser.sign_in(&app, &r_email, &r_password).await;
    browser
        .open(&app, &format!("/sessions/{session}/agenda/review"))
        .await;
    browser.wait_for("/agenda/review").await;
    browser.click("#approve").await;
    browser.wait_for("?done=approved").await;
    // Approved once, changed, and back for review: the differences are highlighted.
    browser.sign_in(&app, &o_email, &o_password).await;
    browser.open(&app, &agenda).await;
    browser.click("tr.kind-break a").await;
    browser.type_into("#title", "Coffee and tea").await;
    browser.type_into("#end", "15:50").await;
    browser.tick("#shift_following").await;
    browser.click("form.item-form button[type=submit]").await;
    browser.wait_for(&agenda).await;
    browser.click("#submit-agenda").await;
    browser.wait_for("?done=submitted").await;
    browser.sign_in(&app, &r_email, &r_password).await;
    browser
        .open(&app, &format!("/sessions/{session}/agenda/review"))
        .await;
    let review = browser.wait_for("/agenda/review").await;
    assert!(
        review.contains("Renamed “Coffee break” to “Coffee and tea”")
            && review.contains("changed\"")
    );
    browser.shoot("5-review-differences").await;
    browser.click("#approve").await;
    browser.wait_for("?done=approved").await;

    browser.driver.delete_all_cookies().await.unwrap();
    browser.open(&app, &format!("/sessions/{session}")).await;
    let public = browser.wait_for(&format!("/sessions/{session}")).await;
    assert!(
        public.contains("Version 2 · approved on") && public.contains("17:20–17:30"),
        "{public}"
    );
    assert!(public.contains("Closing by the Rapporteur") && public.contains("Coffee and tea"));
    browser.shoot("6-public-programme").await;
    print_media(&browser).await;
    browser.shoot("7-print").await;
    browser.driver.quit().await.unwrap();
}
