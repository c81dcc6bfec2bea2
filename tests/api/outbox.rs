//! The staff view of the outbox: the API list and retry, and the HTML page.

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::mail::{hold, recipient};
use crate::support::smtp::Received;
use crate::support::TestApp;
use seminars::access::Role;
use seminars::accounts::users::{self, Invitation};
use seminars::audit::Actor;
use seminars::db::{self, schema::outbox};
use seminars::links::{self, Purpose};
use seminars::mail::outbox::OutboxRow;

on_both_backends!(
    organisers_list_the_outbox_without_bodies_filtered_by_status_and_paged,
    retrying_a_failed_message_queues_it_now_and_keeps_its_attempts,
    the_outbox_page_shows_status_and_errors_with_a_filter_pages_and_an_empty_state,
    delivered_mail_keeps_no_secret_link_that_works_and_the_recipient_still_has_it,
);

/// Three invitations, the oldest marked sent and the newest failed with an error.
async fn three_messages(app: &TestApp, token: &str) -> Vec<Value> {
    let (session, _) = app.scheduled_session(token).await;
    let id = session["id"].as_str().unwrap();
    for n in 0..3 {
        hold(
            app,
            id,
            &recipient(&format!("Delegate {n}"), &format!("d{n}@example.org")),
        )
        .await;
    }
    let list: Value = app
        .get_as(token, "/api/v1/outbox")
        .await
        .json()
        .await
        .unwrap();
    let items = list["items"].as_array().unwrap().clone();
    let (newest, oldest) = (
        items[0]["id"].as_str().unwrap().to_string(),
        items[2]["id"].as_str().unwrap().to_string(),
    );
    db::run(&app.pool, move |conn| {
        diesel::update(outbox::table.find(&oldest))
            .set(outbox::status.eq("sent"))
            .execute(conn)?;
        diesel::update(outbox::table.find(&newest))
            .set((
                outbox::status.eq("failed"),
                outbox::attempts.eq(8),
                outbox::last_error.eq("SMTP: permanent error (550): <no such user>"),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await
    .unwrap();
    items
}

async fn organisers_list_the_outbox_without_bodies_filtered_by_status_and_paged(app: TestApp) {
    let token = app.organiser().await;
    let items = three_messages(&app, &token).await;
    let list: Value = app
        .get_as(&token, "/api/v1/outbox")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 3);
    let first = &list["items"][0];
    for field in [
        "id",
        "message_id",
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "record_kind",
        "record_id",
    ] {
        assert!(first.get(field).is_some(), "{field} missing from {first}");
    }
    for secret in ["text_body", "html_body", "text", "html", "calendar", "body"] {
        assert!(first.get(secret).is_none(), "{secret} must not be listed");
    }
    assert!(
        !list.to_string().contains("registrations/secret"),
        "no secret link leaks"
    );
    assert_eq!(first["status"], "failed");
    assert_eq!(first["attempts"], 8);
    assert_eq!(
        first["last_error"],
        "SMTP: permanent error (550): <no such user>"
    );
    assert_eq!(first["record_kind"], "calendar_hold");
    assert_eq!(first["calendar_method"], "REQUEST");
    assert_eq!(list["items"][2]["id"], items[2]["id"]);

    let sent: Value = app
        .get_as(&token, "/api/v1/outbox?status=sent")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (sent["total"].as_i64(), sent["items"][0]["status"].as_str()),
        (Some(1), Some("sent"))
    );
    let page: Value = app
        .get_as(&token, "/api/v1/outbox?limit=1&offset=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 3);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["id"], items[1]["id"]);

    let bad = app.get_as(&token, "/api/v1/outbox?status=lost").await;
    assert_eq!(bad.status(), 422);
    let problem: Value = bad.json().await.unwrap();
    assert!(problem["errors"]["status"].is_array());
    assert_eq!(app.get("/api/v1/outbox").await.status(), 401);
    let rapporteur = app.token(&[Role::Rapporteur]).await;
    assert_eq!(
        app.get_as(&rapporteur, "/api/v1/outbox").await.status(),
        403
    );
}

async fn retrying_a_failed_message_queues_it_now_and_keeps_its_attempts(app: TestApp) {
    let token = app.organiser().await;
    let items = three_messages(&app, &token).await;
    let failed = items[0]["id"].as_str().unwrap();
    let retried = app
        .post_as(&token, &format!("/api/v1/outbox/{failed}/retry"), json!({}))
        .await;
    assert_eq!(retried.status(), 200);
    let retried: Value = retried.json().await.unwrap();
    assert_eq!(
        (retried["status"].as_str(), retried["attempts"].as_i64()),
        (Some("queued"), Some(8))
    );
    let due =
        chrono::DateTime::parse_from_rfc3339(retried["next_attempt_at"].as_str().unwrap()).unwrap();
    assert!(due <= chrono::Utc::now(), "due at once");
    assert_eq!(
        app.deliver_mail().await,
        2,
        "the retried one and the one still queued"
    );

    let sent = app
        .post_as(&token, &format!("/api/v1/outbox/{failed}/retry"), json!({}))
        .await;
    assert_eq!(sent.status(), 409);
    assert_eq!(sent.headers()["content-type"], "application/problem+json");
    let unknown = app
        .post_as(
            &token,
            "/api/v1/outbox/00000000-0000-4000-8000-000000000000/retry",
            json!({}),
        )
        .await;
    assert_eq!(unknown.status(), 404);
    let rapporteur = app.token(&[Role::Rapporteur]).await;
    let forbidden = app
        .post_as(
            &rapporteur,
            &format!("/api/v1/outbox/{failed}/retry"),
            json!({}),
        )
        .await;
    assert_eq!(forbidden.status(), 403);

    let failed = failed.to_string();
    let audited: i64 = db::run(&app.pool, move |conn| {
        use seminars::db::schema::audit_events as a;
        Ok(a::table
            .filter(a::action.eq("outbox.retried"))
            .filter(a::record_id.eq(failed))
            .count()
            .get_result(conn)?)
    })
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

async fn page(app: &TestApp, token: &str, path: &str) -> (u16, String) {
    let response = app.get_as(token, path).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn the_outbox_page_shows_status_and_errors_with_a_filter_pages_and_an_empty_state(
    app: TestApp,
) {
    let token = app.organiser().await;
    let (status, empty) = page(&app, &token, "/outbox").await;
    assert_eq!(status, 200);
    assert!(empty.contains("No email has been written yet."), "{empty}");

    three_messages(&app, &token).await;
    let (_, full) = page(&app, &token, "/outbox").await;
    assert!(
        full.contains("SMTP: permanent error (550): &lt;no such user&gt;"),
        "errors are shown, escaped"
    );
    assert!(full.contains("Failed") && full.contains("Sent") && full.contains("Queued"));
    assert!(full.contains("d0@example.org") && full.contains("Delegate 2"));
    assert!(
        !full.contains("registrations/secret"),
        "bodies are not shown"
    );

    let (_, failed) = page(&app, &token, "/outbox?status=failed").await;
    assert!(failed.contains("d2@example.org") && !failed.contains("d0@example.org"));
    assert!(failed.contains("<option value=\"failed\" selected>"));
    let (_, none) = page(&app, &token, "/outbox?status=sending").await;
    assert!(none.contains("No email has this status."));

    let (_, first) = page(&app, &token, "/outbox?limit=2").await;
    assert!(
        first.contains("href=\"/outbox?limit=2&amp;offset=2\""),
        "a next page link: {first}"
    );
    let (_, second) = page(&app, &token, "/outbox?limit=2&offset=2").await;
    assert!(
        second.contains("href=\"/outbox?limit=2&amp;offset=0\""),
        "a previous page link"
    );

    let anonymous = app.get("/outbox").await;
    assert_eq!(
        anonymous.status(),
        303,
        "anonymous visitors are sent to sign in"
    );
    assert!(anonymous.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/sign-in?next="));
    assert_eq!(page(&app, &token, "/outbox?status=lost").await.0, 422);
}

/// Every run of 64 hex characters in a text: the shape of a secret token.
fn token_like(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_hexdigit() {
            run.push(c);
        } else {
            if run.len() >= 64 {
                found.push(run[..64].to_string());
            }
            run.clear();
        }
    }
    found
}

/// The tokens in `texts` that open a live link of any purpose.
async fn live_tokens(app: &TestApp, texts: Vec<String>) -> Vec<String> {
    let tokens: Vec<String> = texts.iter().flat_map(|t| token_like(t)).collect();
    db::run(&app.pool, move |conn| {
        let mut live = Vec::new();
        for token in tokens {
            for purpose in [
                Purpose::Registration,
                Purpose::SpeakerInvitation,
                Purpose::AccountSetup,
                Purpose::PasswordReset,
                Purpose::FocalPointDecision,
            ] {
                let now = chrono::Utc::now();
                if links::store::resolve(conn, purpose, &token, now)?.is_some() {
                    live.push(token.clone());
                }
            }
        }
        Ok(live)
    })
    .await
    .unwrap()
}

fn bodies(rows: &[OutboxRow]) -> Vec<String> {
    rows.iter()
        .flat_map(|r| {
            [
                r.text_body.clone(),
                r.html_body.clone(),
                r.calendar.clone().unwrap_or_default(),
            ]
        })
        .collect()
}

async fn delivered_mail_keeps_no_secret_link_that_works_and_the_recipient_still_has_it(
    app: TestApp,
) {
    let token = app.organiser().await;
    let session = crate::registrations::open_session(&app, &token, json!({})).await;
    let delegate = crate::registrations::delegate("kept.safe@example.org", "JP");
    assert_eq!(
        crate::registrations::register(&app, &session, delegate)
            .await
            .0,
        201
    );
    let (admin, _) = app.account(&[Role::Admin]).await;
    let settings = app.settings.clone();
    db::run(&app.pool, move |conn| {
        let invitation = Invitation {
            email: "new.colleague@example.org".into(),
            name: "New Colleague".into(),
            roles: [Role::Organiser].into(),
            scope: None,
        };
        users::invite(conn, &settings, &Actor::Cli, invitation)?;
        users::request_reset(conn, &settings, &admin)
    })
    .await
    .unwrap();
    let all = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            db::run(&pool, |conn| {
                Ok(seminars::mail::outbox::list(conn, None, 100, 0)?.0)
            })
            .await
            .unwrap()
        }
    };
    let before = all(&app).await;
    let live_before = live_tokens(&app, bodies(&before)).await;
    assert!(
        live_before.len() >= 3,
        "the queued mail carries the registration, set-up and reset links: {live_before:?}"
    );
    assert_eq!(app.deliver_mail().await, before.len());
    let after = all(&app).await;
    assert!(after.iter().all(|r| r.status == "sent"));
    assert_eq!(
        live_tokens(&app, bodies(&after)).await,
        Vec::<String>::new(),
        "no stored message holds a token that opens anything"
    );
    for row in &after {
        let was = before.iter().find(|b| b.id == row.id).unwrap();
        assert_eq!((&row.subject, &row.to_email), (&was.subject, &was.to_email));
        if token_like(&was.text_body)
            .iter()
            .any(|t| live_before.contains(t))
        {
            assert!(
                row.text_body.contains("[link removed after delivery]"),
                "{}",
                row.text_body
            );
            assert!(row.html_body.contains("[link removed after delivery]"));
        }
        let data = std::fs::read(
            app.settings
                .mail
                .outbox_dir
                .join(seminars::mail::transport::file_name(&row.message_id)),
        )
        .unwrap();
        let sent = crate::support::mail::parse(&Received {
            from: String::new(),
            to: Vec::new(),
            data,
        });
        for token in token_like(&was.text_body) {
            assert!(
                sent.text.contains(&token),
                "the recipient's copy keeps its link"
            );
        }
    }
    let page: Value = app
        .get_as(&token, "/api/v1/outbox?status=sent")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], after.len());
    let listed = page["items"].as_array().unwrap();
    assert!(listed.iter().any(|i| i["to"] == "kept.safe@example.org"));
    assert_eq!(
        live_tokens(&app, live_before.clone()).await,
        live_before,
        "the links still work for whoever received them"
    );
}
