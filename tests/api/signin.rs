//! Browser sign-in: the session cookie, its expiry, and the same answer for every wrong guess.

use std::collections::HashMap;

use actix_web::cookie::{Cookie, CookieJar, Key};
use serde_json::json;

use crate::browser::{expect_status, signed_in, Browser};
use crate::on_both_backends;
use crate::support::{spawn_with, Backend, TestApp};
use seminars::access::Role;
use seminars::db;

on_both_backends!(
    signing_in_in_the_browser_opens_the_staff_page_and_the_api_until_signing_out,
    an_unknown_email_and_a_wrong_password_get_the_same_sign_in_page,
    a_staff_page_sends_anonymous_visitors_to_sign_in_and_refuses_other_roles,
    sign_in_never_redirects_to_another_site,
    a_hostile_next_after_sign_in_falls_back_to_the_dashboard,
    the_staff_page_leads_an_organiser_to_the_pages_of_each_coming_session,
);

async fn signing_in_in_the_browser_opens_the_staff_page_and_the_api_until_signing_out(
    app: TestApp,
) {
    let (email, password) = app.account(&[Role::Admin]).await;
    let mut browser = Browser::open(&app).await;
    let response = browser
        .post_form(
            "/sign-in",
            &[("email", &email), ("password", &password)],
            true,
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/staff");
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("seminars_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
    assert!(!cookie.contains(&email), "the cookie is encrypted");
    browser.refresh_csrf().await;
    let staff = expect_status(browser.get("/staff").await, 200).await;
    assert!(staff.contains("/admin/users") && staff.contains("/admin/audit"));
    let me: serde_json::Value = browser.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["email"], email);
    let out = browser.post_form("/sign-out", &[], true).await;
    assert_eq!(out.status(), 303);
    assert_eq!(browser.get("/api/v1/me").await.status(), 401);
    assert_eq!(browser.get("/staff").await.status(), 303);
}

async fn an_unknown_email_and_a_wrong_password_get_the_same_sign_in_page(app: TestApp) {
    let (email, _) = app.account(&[Role::Organiser]).await;
    let browser = Browser::open(&app).await;
    let mut pages = Vec::new();
    for who in [email.as_str(), "nobody-at-all@example.org"] {
        let response = browser
            .post_form(
                "/sign-in",
                &[("email", who), ("password", "not the password")],
                true,
            )
            .await;
        let page = expect_status(response, 401).await;
        assert!(page.contains("The email or the password is not right."));
        pages.push(page.replace(who, "EMAIL"));
    }
    assert_eq!(pages[0], pages[1]);
}

async fn a_staff_page_sends_anonymous_visitors_to_sign_in_and_refuses_other_roles(app: TestApp) {
    let anonymous = Browser::open(&app).await;
    let response = anonymous.get("/admin/users").await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/sign-in?next=%2Fadmin%2Fusers"
    );
    let organiser = signed_in(&app, &[Role::Organiser]).await;
    assert_eq!(organiser.get("/admin/users").await.status(), 403);
    assert_eq!(organiser.get("/staff").await.status(), 200);
}

async fn sign_in_never_redirects_to_another_site(app: TestApp) {
    let (email, password) = app.account(&[Role::Organiser]).await;
    for (next, expected) in [
        ("/admin/audit", "/admin/audit"),
        ("//evil.example", "/staff"),
        ("https://evil.example/", "/staff"),
    ] {
        let browser = Browser::open(&app).await;
        let response = browser
            .post_form(
                "/sign-in",
                &[("email", &email), ("password", &password), ("next", next)],
                true,
            )
            .await;
        assert_eq!(response.headers()["location"], expected);
    }
}

async fn a_hostile_next_after_sign_in_falls_back_to_the_dashboard(app: TestApp) {
    let (email, password) = app.account(&[Role::Organiser]).await;
    let hostile = [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "/ /evil.example",
        "/\u{b}/evil.example",
        "/\u{0}/evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "\\\\evil.example",
        "//evil.example",
        "///evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        " /staff",
        "/staff\r\nSet-Cookie: x=y",
        "/sessions/\u{a0}x",
        "/",
        "",
        "evil.example",
    ];
    let mut browser = Browser::open(&app).await;
    for next in hostile {
        let response = browser
            .post_form(
                "/sign-in",
                &[("email", &email), ("password", &password), ("next", next)],
                true,
            )
            .await;
        if next
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        {
            // Refused at the edge before sign-in: no redirect at all.
            assert_eq!(response.status(), 422, "{next:?}");
            assert!(!response.headers().contains_key("location"), "{next:?}");
            continue;
        }
        assert_eq!(response.status(), 303, "{next:?}");
        assert_eq!(
            response.headers()["location"].as_bytes(),
            b"/staff",
            "{next:?}"
        );
        // Signing in gives the session a new CSRF token.
        browser.refresh_csrf().await;
    }
    for kept in [
        "/admin/audit",
        "/sessions/abc/registrations?status=pending",
        "/outbox",
    ] {
        let response = browser
            .post_form(
                "/sign-in",
                &[("email", &email), ("password", &password), ("next", kept)],
                true,
            )
            .await;
        assert_eq!(response.headers()["location"], kept);
        browser.refresh_csrf().await;
    }
    // The way a victim is sent: the sign-in page carries `next` from its query into the form.
    for query in ["/%09/evil.example", "/%0A/x", "%2F%2Fevil.example"] {
        let page = expect_status(browser.get(&format!("/sign-in?next={query}")).await, 200).await;
        assert!(
            page.contains("name=\"next\" value=\"/staff\""),
            "{query}: {page}"
        );
    }
}

/// The cookie a browser would hold for this session state, encrypted with the app's key.
fn forged_cookie(key: &Key, state: &[(&str, serde_json::Value)]) -> String {
    let state: HashMap<String, String> = state
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut jar = CookieJar::new();
    jar.private_mut(key).add(Cookie::new(
        "seminars_session",
        serde_json::to_string(&state).unwrap(),
    ));
    format!(
        "seminars_session={}",
        jar.get("seminars_session").unwrap().value()
    )
}

async fn an_idle_or_too_old_session_is_not_accepted(backend: Backend) {
    let key_bytes = [42u8; 64];
    let Some(app) = spawn_with(backend, |s| {
        s.auth.session_key = hex::encode(key_bytes).into()
    })
    .await
    else {
        return;
    };
    let (email, _) = app.account(&[Role::Organiser]).await;
    let found = db::run(&app.pool, move |conn| {
        Ok(seminars::accounts::store::find_by_email(conn, &email)?.unwrap())
    })
    .await
    .unwrap();
    let key = Key::from(&key_bytes);
    let now = chrono::Utc::now().timestamp();
    let me = |signed_in: i64, seen: i64| {
        let cookie = forged_cookie(
            &key,
            &[
                ("uid", json!(found.id)),
                ("signed_in_at", json!(signed_in)),
                ("seen_at", json!(seen)),
                ("gen", json!(found.session_generation)),
            ],
        );
        app.client
            .get(app.url("/api/v1/me"))
            .header("cookie", cookie)
            .send()
    };
    assert_eq!(
        me(now - 60, now - 60).await.unwrap().status(),
        200,
        "a live session works"
    );
    assert_eq!(
        me(now - 7200, now - 61 * 60).await.unwrap().status(),
        401,
        "idle over 60 minutes"
    );
    assert_eq!(
        me(now - 13 * 3600, now - 30).await.unwrap().status(),
        401,
        "signed in over 12 hours ago"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_or_too_old_session_is_not_accepted_on_sqlite() {
    an_idle_or_too_old_session_is_not_accepted(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_or_too_old_session_is_not_accepted_on_postgres() {
    an_idle_or_too_old_session_is_not_accepted(Backend::Postgres).await;
}

async fn the_staff_page_leads_an_organiser_to_the_pages_of_each_coming_session(app: TestApp) {
    let token = app.organiser().await;
    let session = crate::registrations::open_session(&app, &token, json!({})).await;
    let past = app.past_session(&token).await;
    let organiser = signed_in(&app, &[Role::Organiser]).await;
    let page = organiser.get("/staff").await.text().await.unwrap();
    // The dashboard leads to each coming session's hub, which gathers its pages.
    assert!(
        page.contains(&format!("href=\"/staff/sessions/{session}\"")),
        "{page}"
    );
    assert!(page.contains("href=\"/outbox\""));
    assert!(
        !page.contains(past["id"].as_str().unwrap()),
        "a session that has ended is not listed"
    );
    let hub = organiser
        .get(&format!("/staff/sessions/{session}"))
        .await
        .text()
        .await
        .unwrap();
    for link in ["registrations", "registrations/stats", "directory"] {
        assert!(
            hub.contains(&format!("href=\"/sessions/{session}/{link}\"")),
            "{link}: {hub}"
        );
    }
    assert!(hub.contains("/rooms\""));
    // A rapporteur is offered no page that would answer Forbidden (registrations, outbox).
    let rapporteur = signed_in(&app, &[Role::Rapporteur]).await;
    let page = rapporteur.get("/staff").await.text().await.unwrap();
    assert!(!page.contains("/registrations") && !page.contains("href=\"/outbox\""));
}
