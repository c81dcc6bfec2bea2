//! A speaker in a real browser (Chromium through chromedriver at `WEBDRIVER_URL`): opens the link
//! from the email the SMTP server captured, confirms, and enters travel details, at a phone's
//! width. Screenshots at 1280 and 375 pixels wide are kept in target/screenshots/speakers/.

use std::path::PathBuf;
use std::time::Duration;

use tempfile::TempDir;
use thirtyfour::prelude::*;
use thirtyfour::ChromiumLikeCapabilities;

use super::{invite, mail_of, stage};
use crate::support::mail::{parsed, spawn_with_smtp, ARRIVAL};
use crate::support::{days_from_now, required, Backend, TestApp};

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

struct Chromium {
    driver: WebDriver,
    _profile: TempDir,
}

fn shots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/speakers");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Chromium {
    async fn start() -> Option<Chromium> {
        let url = std::env::var("WEBDRIVER_URL").unwrap_or_default();
        if url.is_empty() {
            assert!(
                !required("REQUIRE_BROWSER"),
                "REQUIRE_BROWSER=1 but WEBDRIVER_URL is not set: the browser tests cannot run"
            );
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
        let driver = WebDriver::new(url, caps).await.expect("a Chromium session");
        Some(Chromium {
            driver,
            _profile: profile,
        })
    }

    async fn element(&self, css: &str) -> WebElement {
        self.driver
            .query(By::Css(css))
            .wait(Duration::from_secs(15), Duration::from_millis(100))
            .first()
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
    }

    async fn click(&self, css: &str) {
        let element = self.element(css).await;
        element.scroll_into_view().await.unwrap();
        element.click().await.unwrap();
        element.wait_until().stale().await.unwrap();
    }

    async fn text(&self, css: &str) -> String {
        self.element(css).await.text().await.unwrap()
    }

    async fn shoot(&self, name: &str) {
        for (width, height) in [(1280, 1400), (375, 1800)] {
            self.driver
                .set_window_rect(0, 0, width, height)
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(200)).await;
            let path = shots().join(format!("{name}-{width}.png"));
            self.driver.screenshot(&path).await.unwrap();
            assert!(std::fs::metadata(&path).unwrap().len() > 5000);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_speaker_confirms_from_the_emailed_link_and_gives_travel_details_in_a_real_browser() {
    let Some(browser) = Chromium::start().await else {
        return;
    };
    let (app, smtp) = spawn_with_smtp(Backend::Sqlite, |_| {})
        .await
        .expect("sqlite");
    let st = stage(&app).await;
    let (status, body) = invite(&app, &st, &st.items[1], &st.speaker).await;
    assert_eq!(status, 201, "{body}");
    app.deliver_mail().await;
    smtp.wait_for(1, ARRIVAL);
    let mail = parsed(&smtp);
    let email = mail.first().expect("the invitation arrived");
    let link = email
        .text
        .split_whitespace()
        .find(|w| w.contains("/invitations/"))
        .expect("the link in the email")
        .to_string();
    browser
        .driver
        .set_window_rect(0, 0, 375, 1800)
        .await
        .unwrap();
    // The link names the public host; the test server answers its path.
    let path = &link[link.find("/invitations/").unwrap()..];
    browser.driver.goto(app.url(path)).await.unwrap();
    assert!(browser.text("#slot-when").await.contains("Europe/Zurich"));
    browser.shoot("invitation").await;
    browser.click("#confirm").await;
    assert_eq!(browser.text("#invitation-status").await, "Confirmed");
    browser
        .element("input[name=needs_travel][value=yes]")
        .await
        .click()
        .await
        .unwrap();
    browser
        .element("#funded_by option[value=mic]")
        .await
        .click()
        .await
        .unwrap();
    let (arrival, departure) = (days_from_now(20), days_from_now(25));
    for (css, day) in [("#arrival", arrival), ("#departure", departure)] {
        let script = format!("document.querySelector('{css}').value = '{day}';");
        browser.driver.execute(&script, Vec::new()).await.unwrap();
    }
    browser
        .element("input[name=visa_letter_needed][value=yes]")
        .await
        .click()
        .await
        .unwrap();
    browser
        .element("#notes")
        .await
        .send_keys("Arriving from Dakar")
        .await
        .unwrap();
    browser.click("#save-travel").await;
    browser.element("#done").await;
    browser.shoot("travel-saved").await;
    let mine = check_saved(&app, &st, arrival.to_string()).await;
    assert!(mine, "the travel details were saved");
    assert_eq!(
        mail_of(&app, body["id"].as_str().unwrap()).await.len(),
        1,
        "no reminder sent"
    );
    board_shots(&browser, &app, &st).await;
    browser.driver.clone().quit().await.unwrap();
}

async fn check_saved(app: &TestApp, st: &super::Stage, arrival: String) -> bool {
    let path = format!(
        "/api/v1/sessions/{}/invitations?status=confirmed",
        st.s.session
    );
    let board: serde_json::Value = app
        .get_as(&st.s.organiser, &path)
        .await
        .json()
        .await
        .unwrap();
    let line = &board["items"][0];
    line["arrival"] == arrival.as_str()
        && line["funded_by"] == "mic"
        && line["visa_letter_needed"] == true
        && line["travel_notes"] == "Arriving from Dakar"
}

/// The organiser's pages, for the screenshots: the session's board and the directory.
async fn board_shots(browser: &Chromium, app: &TestApp, st: &super::Stage) {
    let (email, password) = app.account(&[seminars::access::Role::Organiser]).await;
    browser.driver.goto(app.url("/sign-in")).await.unwrap();
    browser
        .element("#email")
        .await
        .send_keys(&email)
        .await
        .unwrap();
    browser
        .element("#password")
        .await
        .send_keys(&password)
        .await
        .unwrap();
    browser.click("form button[type=submit]").await;
    for (path, name) in [
        (format!("/sessions/{}/speakers", st.s.session), "board"),
        (
            format!("/meetings/{}/speakers", st.s.meeting),
            "meeting-board",
        ),
        ("/speakers".to_string(), "directory"),
    ] {
        browser.driver.goto(app.url(&path)).await.unwrap();
        browser.element("footer").await;
        browser.shoot(name).await;
    }
}
