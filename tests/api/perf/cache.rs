//! Public reads: ETags that stay put until the content changes, 304 on a quoted match,
//! `Cache-Control` public for anonymous readers only, never for staff, and a change made
//! through one instance visible on another sharing the database within the staleness bound.

use std::time::{Duration, Instant};

use reqwest::header::{CACHE_CONTROL, COOKIE, ETAG, IF_NONE_MATCH};
use serde_json::json;

use crate::on_both_backends;
use crate::support::TestApp;

/// The public routes of a session that are served from memory.
fn public_paths(session_id: &str) -> Vec<String> {
    vec![
        "/".to_string(),
        format!("/sessions/{session_id}"),
        format!("/sessions/{session_id}/calendar.ics"),
        format!("/api/v1/sessions/{session_id}"),
        "/api/v1/sessions".to_string(),
    ]
}

async fn etag_of(app: &TestApp, path: &str) -> (String, String) {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let cache = response.headers()[CACHE_CONTROL]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cache.starts_with("public"), "{path}: {cache}");
    let etag = response.headers()[ETAG].to_str().unwrap().to_string();
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "{path}: {etag}"
    );
    (etag, response.text().await.unwrap())
}

async fn public_reads_keep_their_etag_until_an_edit(app: TestApp) {
    let token = app.organiser().await;
    let (session, _) = app.scheduled_session(&token).await;
    let id = session["id"].as_str().unwrap();
    let mut before = Vec::new();
    for path in public_paths(id) {
        let (first, body) = etag_of(&app, &path).await;
        let (second, again) = etag_of(&app, &path).await;
        assert_eq!(first, second, "{path}: the ETag changed without an edit");
        assert_eq!(body, again, "{path}");
        // A quoted If-None-Match that names it: 304, no body.
        let response = app
            .client
            .get(app.url(&path))
            .header(IF_NONE_MATCH, format!("\"other\", {first}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 304, "{path}");
        assert_eq!(response.headers()[ETAG].to_str().unwrap(), first);
        assert!(response.text().await.unwrap().is_empty());
        before.push((path, first));
    }
    let path = format!("/api/v1/sessions/{id}");
    let edit = json!({"title": "Incident response across borders"});
    let response = app.patch_as(&token, &path, edit).await;
    assert_eq!(response.status(), 200);
    for (path, old) in before {
        let (new, body) = etag_of(&app, &path).await;
        assert_ne!(new, old, "{path}: still the copy from before the edit");
        assert!(body.contains("Incident response across borders"), "{path}");
        let response = app
            .client
            .get(app.url(&path))
            .header(IF_NONE_MATCH, old)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            200,
            "{path}: the old ETag must not match"
        );
    }
}

async fn staff_and_personal_reads_are_never_shared(app: TestApp) {
    let token = app.organiser().await;
    let (session, _) = app.scheduled_session(&token).await;
    let id = session["id"].as_str().unwrap();
    for path in [
        format!("/api/v1/sessions/{id}"),
        "/api/v1/sessions".to_string(),
        format!("/api/v1/sessions/{id}/registrations"),
        "/api/v1/outbox".to_string(),
    ] {
        let response = app.get_as(&token, &path).await;
        let cache = response.headers()[CACHE_CONTROL].to_str().unwrap();
        assert!(!cache.contains("public"), "{path} as staff: {cache}");
        assert!(
            cache.contains("no-store") || cache.contains("private"),
            "{path}: {cache}"
        );
    }
    // A reader who sends a cookie gets the same bytes, but no shared cache may keep them.
    let response = app
        .client
        .get(app.url(&format!("/sessions/{id}")))
        .header(COOKIE, "seminars_session=x")
        .send()
        .await
        .unwrap();
    let cache = response.headers()[CACHE_CONTROL].to_str().unwrap();
    assert!(cache.starts_with("private"), "{cache}");
    // Pages behind sign-in: never public.
    for path in ["/staff", "/sign-in"] {
        let response = app.get(path).await;
        if let Some(cache) = response.headers().get(CACHE_CONTROL) {
            assert!(!cache.to_str().unwrap().contains("public"), "{path}");
        }
    }
}

async fn a_change_through_one_instance_shows_on_another_within_the_bound(app: TestApp) {
    let mut settings = app.settings.clone();
    settings.server.listen = "127.0.0.1:0".into();
    let other = seminars::app::build(settings).expect("a second instance starts");
    let other_url = format!("http://{}", other.addr);
    let handle = other.server.handle();
    tokio::spawn(other.server);
    let token = app.organiser().await;
    let (session, _) = app.scheduled_session(&token).await;
    let id = session["id"].as_str().unwrap();
    let page = format!("{other_url}/sessions/{id}");
    // The other instance keeps its copy of the page.
    let first = app.client.get(&page).send().await.unwrap();
    assert_eq!(first.status(), 200);
    let edit = json!({"title": "Changed on the first instance"});
    let response = app
        .patch_as(&token, &format!("/api/v1/sessions/{id}"), edit)
        .await;
    assert_eq!(response.status(), 200);
    let changed = Instant::now();
    loop {
        let body = app
            .client
            .get(&page)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if body.contains("Changed on the first instance") {
            break;
        }
        assert!(
            changed.elapsed() < seminars::cache::STALENESS + Duration::from_millis(750),
            "the second instance still serves the old page after {:?}",
            changed.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(handle.stop(false));
}

on_both_backends!(
    public_reads_keep_their_etag_until_an_edit,
    staff_and_personal_reads_are_never_shared,
    a_change_through_one_instance_shows_on_another_within_the_bound,
);
