//! Every page reachable by links from the start page, as each role (admin, organiser, the
//! session's rapporteur, a focal point, anonymous): none may link to a page that answers it
//! 403, 404 or a server error.

use std::collections::{BTreeSet, VecDeque};

use serde_json::json;

use crate::browser::{scoped_account, signed_in, Browser};
use crate::on_both_backends;
use crate::registrations::{delegate, register};
use crate::support::TestApp;
use seminars::access::domain::FocalScope;
use seminars::access::Role;

on_both_backends!(no_page_links_a_page_its_reader_may_not_open);

/// The site's own links of a page (`href="/…"`), without fragments.
fn links(body: &str) -> Vec<String> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .map(|href| {
            href.replace("&amp;", "&")
                .split('#')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

/// Walks from `start`; answers the pages visited, failing on any link answered 403/404/5xx.
async fn walk(browser: &Browser, who: &str, start: &str) -> usize {
    let mut seen = BTreeSet::from([start.to_string()]);
    let mut queue = VecDeque::from([(start.to_string(), "(start)".to_string())]);
    let mut bad = Vec::new();
    while let Some((path, from)) = queue.pop_front() {
        let response = browser.get(&path).await;
        let status = response.status().as_u16();
        if status == 403 || status == 404 || status >= 500 {
            bad.push(format!("{path} answers {status} (linked from {from})"));
            continue;
        }
        let html = response
            .headers()
            .get("content-type")
            .is_some_and(|c| c.to_str().unwrap_or("").starts_with("text/html"));
        if status != 200 || !html {
            continue;
        }
        for link in links(&response.text().await.unwrap()) {
            if seen.len() < 400 && seen.insert(link.clone()) {
                queue.push_back((link, path.clone()));
            }
        }
    }
    assert!(bad.is_empty(), "as {who}:\n{}", bad.join("\n"));
    seen.len()
}

async fn no_page_links_a_page_its_reader_may_not_open(app: TestApp) {
    let token = app.organiser().await;
    let (session, meeting) = app.scheduled_session(&token).await;
    let (session, meeting) = (
        session["id"].as_str().unwrap(),
        meeting["id"].as_str().unwrap(),
    );
    app.session(&token, meeting).await;
    let path = format!("/api/v1/sessions/{session}");
    let patched = app
        .patch_as(&token, &path, json!({"approval_required": true}))
        .await;
    assert_eq!(patched.status(), 200);
    let (status, _) = register(&app, session, delegate("wanjiru@example.org", "KE")).await;
    assert_eq!(status, 201);
    let (rapporteur, r_email, r_password) = scoped_account(&app, &[Role::Rapporteur], None).await;
    let put = app
        .request(
            reqwest::Method::PUT,
            &format!("/api/v1/sessions/{session}/rapporteurs"),
            Some(&token),
            Some(json!({"user_ids": [rapporteur]})),
        )
        .await;
    assert_eq!(put.status(), 200);
    let scope = Some(FocalScope::Country("KE".into()));
    let (_, f_email, f_password) = scoped_account(&app, &[Role::FocalPoint], scope).await;
    let mut pages = Vec::new();
    for roles in [[Role::Admin], [Role::Organiser]] {
        let browser = signed_in(&app, &roles).await;
        pages.push(walk(&browser, roles[0].as_str(), "/staff").await);
    }
    for (who, email, password) in [
        ("rapporteur", r_email, r_password),
        ("focal point", f_email, f_password),
    ] {
        let mut browser = Browser::open(&app).await;
        browser.sign_in(&email, &password).await;
        pages.push(walk(&browser, who, "/staff").await);
    }
    let anonymous = Browser::open(&app).await;
    pages.push(walk(&anonymous, "anonymous", "/").await);
    assert!(
        pages[1] > 10,
        "the organiser reaches the workspace's pages: {pages:?}"
    );
}
