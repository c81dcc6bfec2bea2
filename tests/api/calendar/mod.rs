//! Invitations that follow their event (updates, cancellations, withdrawals) and the calendar feeds.

use serde_json::{json, Value};

use crate::support::mail::{self, calendar_of, hold, recipient, withdraw, Mail};
use crate::support::smtp::SmtpServer;
use crate::support::{fixture, TestApp};
use crate::{on_both_backends, with_smtp_on_both_backends};
use seminars::db;
use seminars::holds::service::session_uid;
use seminars::links::{self, Purpose};

mod rooms;

with_smtp_on_both_backends!(
    moving_a_session_sends_every_holder_a_request_with_the_next_sequence_and_the_same_uid,
    cancelling_a_session_sends_every_holder_a_cancel_with_the_next_sequence,
    withdrawing_one_holder_sends_a_cancel_to_them_alone,
    retitling_a_session_or_moving_it_to_another_place_sends_every_holder_the_next_sequence,
);

on_both_backends!(
    the_session_feed_is_text_calendar_with_a_strong_etag_and_answers_304_when_unchanged,
    a_draft_session_has_no_feed,
    a_holders_feed_lists_the_events_they_hold_and_an_unknown_token_is_404,
);

/// A scheduled session with two holders whose invitations have been delivered.
async fn session_with_two_holders(app: &TestApp, smtp: &SmtpServer) -> (String, String) {
    let token = app.organiser().await;
    let (session, _) = app.scheduled_session(&token).await;
    let id = session["id"].as_str().unwrap().to_string();
    hold(app, &id, &recipient("First Holder", "first@example.org")).await;
    hold(app, &id, &recipient("Second Holder", "second@example.org")).await;
    assert_eq!(app.deliver_mail().await, 2);
    assert_eq!(smtp.wait_for(2, mail::ARRIVAL).len(), 2);
    (id, token)
}

/// The messages that arrived after the first `skip`, with their calendars.
fn later(smtp: &SmtpServer, skip: usize) -> Vec<Mail> {
    mail::parsed(smtp).into_iter().skip(skip).collect()
}

async fn moving_a_session_sends_every_holder_a_request_with_the_next_sequence_and_the_same_uid(
    app: TestApp,
    smtp: SmtpServer,
) {
    let (id, token) = session_with_two_holders(&app, &smtp).await;
    let first = calendar_of(&mail::parsed(&smtp)[0]).events[0].clone();
    let moved = json!({"starts_at": fixture("YYYY-03-11T09:00:00+01:00"), "ends_at": fixture("YYYY-03-11T11:00:00+01:00")});
    let response = app
        .patch_as(&token, &format!("/api/v1/sessions/{id}"), moved)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.deliver_mail().await, 2);
    let updates = later(&smtp, 2);
    let mut to: Vec<_> = updates.iter().map(|m| m.to_addr.clone()).collect();
    to.sort();
    assert_eq!(to, ["first@example.org", "second@example.org"]);
    for update in &updates {
        assert!(update.subject.starts_with("Updated: "));
        assert_eq!(update.calendar.as_ref().unwrap().1["method"], "REQUEST");
        let calendar = calendar_of(update);
        assert_eq!(calendar.method.as_deref(), Some("REQUEST"));
        let event = &calendar.events[0];
        assert_eq!(event.uid, first.uid);
        assert_eq!(event.uid, session_uid(&app.settings, &id));
        assert_eq!(event.sequence, first.sequence + 1);
        assert_eq!(
            event.starts_at.to_rfc3339(),
            fixture("YYYY-03-11T08:00:00+00:00")
        );
        assert_eq!(
            event.ends_at.to_rfc3339(),
            fixture("YYYY-03-11T10:00:00+00:00")
        );
    }
}

async fn cancelling_a_session_sends_every_holder_a_cancel_with_the_next_sequence(
    app: TestApp,
    smtp: SmtpServer,
) {
    let (id, token) = session_with_two_holders(&app, &smtp).await;
    let first = calendar_of(&mail::parsed(&smtp)[0]).events[0].clone();
    let path = format!("/api/v1/sessions/{id}/cancel");
    let response = app
        .post_as(
            &token,
            &path,
            json!({"reason": "Room unavailable; sorry, \\ truly"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.deliver_mail().await, 2);
    let cancels = later(&smtp, 2);
    assert_eq!(cancels.len(), 2);
    for cancel in &cancels {
        assert!(cancel.subject.starts_with("Cancelled: "));
        assert!(cancel.text.contains("Room unavailable; sorry, \\ truly"));
        assert_eq!(cancel.calendar.as_ref().unwrap().1["method"], "CANCEL");
        let calendar = calendar_of(cancel);
        assert_eq!(calendar.method.as_deref(), Some("CANCEL"));
        let event = &calendar.events[0];
        assert_eq!(event.uid, first.uid);
        assert_eq!(event.sequence, first.sequence + 1);
        assert_eq!(event.status.as_deref(), Some("CANCELLED"));
        assert_eq!(event.attendees, std::slice::from_ref(&cancel.to_addr));
    }
    assert_eq!(app.deliver_mail().await, 0, "nothing else is queued");
}

async fn withdrawing_one_holder_sends_a_cancel_to_them_alone(app: TestApp, smtp: SmtpServer) {
    let token = app.organiser().await;
    let (session, _) = app.scheduled_session(&token).await;
    let id = session["id"].as_str().unwrap();
    let leaving = recipient("Leaving Delegate", "leaving@example.org");
    hold(&app, id, &leaving).await;
    hold(
        &app,
        id,
        &recipient("Staying Delegate", "staying@example.org"),
    )
    .await;
    app.deliver_mail().await;
    withdraw(&app, id, &leaving).await;
    assert_eq!(app.deliver_mail().await, 1);
    let cancels = later(&smtp, 2);
    assert_eq!(cancels.len(), 1);
    assert_eq!(cancels[0].to_addr, "leaving@example.org");
    assert!(cancels[0].subject.starts_with("No longer expected: "));
    let event = &calendar_of(&cancels[0]).events[0];
    assert_eq!(event.status.as_deref(), Some("CANCELLED"));
    assert_eq!(event.sequence, 1, "past the REQUEST they hold");
    // A later move reaches only the one who still holds the invitation.
    let moved = json!({"starts_at": fixture("YYYY-03-12T09:00:00+01:00"), "ends_at": fixture("YYYY-03-12T10:00:00+01:00")});
    app.patch_as(&token, &format!("/api/v1/sessions/{id}"), moved)
        .await;
    assert_eq!(app.deliver_mail().await, 1);
    assert_eq!(later(&smtp, 3)[0].to_addr, "staying@example.org");
}

async fn get_feed(app: &TestApp, path: &str, etag: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(etag) = etag {
        request = request.header("If-None-Match", etag);
    }
    request.send().await.unwrap()
}

async fn the_session_feed_is_text_calendar_with_a_strong_etag_and_answers_304_when_unchanged(
    app: TestApp,
) {
    let token = app.organiser().await;
    let (session, meeting) = app.scheduled_session(&token).await;
    let id = session["id"].as_str().unwrap();
    let path = format!("/sessions/{id}/calendar.ics");
    let response = get_feed(&app, &path, None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    assert!(
        etag.starts_with('"') && !etag.starts_with("W/"),
        "strong: {etag}"
    );
    let body = response.text().await.unwrap();
    let calendar = seminars::calendar::parse(&body).unwrap();
    assert_eq!(calendar.method.as_deref(), Some("PUBLISH"));
    assert_eq!(calendar.events.len(), 1);
    assert_eq!(calendar.events[0].uid, session_uid(&app.settings, id));
    assert_eq!(
        calendar.events[0].summary,
        session["title"].as_str().unwrap()
    );
    assert_eq!(
        calendar.events[0].location,
        meeting["venue"].as_str().unwrap()
    );
    assert!(
        calendar.events[0].attendees.is_empty(),
        "a feed names no attendee"
    );

    let again = get_feed(&app, &path, None).await;
    assert_eq!(
        again.headers()["etag"].to_str().unwrap(),
        etag,
        "same body, same ETag"
    );
    let unchanged = get_feed(&app, &path, Some(&etag)).await;
    assert_eq!(unchanged.status(), 304);
    assert_eq!(unchanged.headers()["etag"].to_str().unwrap(), etag);
    assert!(unchanged.text().await.unwrap().is_empty());

    let retitled = json!({"title": "Retitled seminar"});
    app.patch_as(&token, &format!("/api/v1/sessions/{id}"), retitled)
        .await;
    let changed = get_feed(&app, &path, Some(&etag)).await;
    assert_eq!(changed.status(), 200, "a change makes the old ETag stale");
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), etag);
    let body = changed.text().await.unwrap();
    assert_eq!(
        seminars::calendar::parse(&body).unwrap().events[0].summary,
        "Retitled seminar"
    );

    app.post_as(
        &token,
        &format!("/api/v1/sessions/{id}/cancel"),
        json!({"reason": "none"}),
    )
    .await;
    let body = get_feed(&app, &path, None).await.text().await.unwrap();
    let event = &seminars::calendar::parse(&body).unwrap().events[0];
    assert_eq!(event.status.as_deref(), Some("CANCELLED"));
}

async fn a_draft_session_has_no_feed(app: TestApp) {
    let token = app.organiser().await;
    let meeting = app.meeting(&token).await;
    let draft = app.session(&token, meeting["id"].as_str().unwrap()).await;
    let path = format!("/sessions/{}/calendar.ics", draft["id"].as_str().unwrap());
    assert_eq!(app.get(&path).await.status(), 404);
    assert_eq!(
        app.get("/sessions/00000000-0000-4000-8000-000000000000/calendar.ics")
            .await
            .status(),
        404
    );
}

async fn issue_link(app: &TestApp, purpose: Purpose, record_id: &str) -> String {
    let record_id = record_id.to_string();
    db::run(&app.pool, move |conn| {
        Ok(links::store::issue(
            conn,
            purpose,
            &record_id,
            None,
            chrono::Utc::now(),
        )?)
    })
    .await
    .unwrap()
}

async fn a_holders_feed_lists_the_events_they_hold_and_an_unknown_token_is_404(app: TestApp) {
    let token = app.organiser().await;
    let (first, _) = app.scheduled_session(&token).await;
    let (second, _) = app.scheduled_session(&token).await;
    let delegate = recipient("Feed Holder", "feed@example.org");
    for session in [&first, &second] {
        hold(&app, session["id"].as_str().unwrap(), &delegate).await;
    }
    hold(
        &app,
        first["id"].as_str().unwrap(),
        &recipient("Someone Else", "else@example.org"),
    )
    .await;
    let secret = issue_link(&app, Purpose::Registration, &delegate.record_id).await;
    let path = format!("/feeds/{secret}.ics");
    let response = get_feed(&app, &path, None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    assert!(response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("private"));
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    let uids = |body: &str| -> Vec<String> {
        seminars::calendar::parse(body)
            .unwrap()
            .events
            .into_iter()
            .map(|e| e.uid)
            .collect()
    };
    let uid = |s: &Value| session_uid(&app.settings, s["id"].as_str().unwrap());
    assert_eq!(
        uids(&response.text().await.unwrap()),
        [uid(&first), uid(&second)]
    );
    assert_eq!(get_feed(&app, &path, Some(&etag)).await.status(), 304);

    withdraw(&app, second["id"].as_str().unwrap(), &delegate).await;
    let body = get_feed(&app, &path, Some(&etag))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        uids(&body),
        [uid(&first)],
        "a withdrawn invitation leaves the feed"
    );

    let speaker = issue_link(&app, Purpose::SpeakerInvitation, "no-holds-yet").await;
    let empty = get_feed(&app, &format!("/feeds/{speaker}.ics"), None).await;
    assert_eq!(empty.status(), 200);
    assert!(uids(&empty.text().await.unwrap()).is_empty());

    let unknown = "0".repeat(64);
    assert_eq!(
        app.get(&format!("/feeds/{unknown}.ics")).await.status(),
        404
    );
    assert_eq!(app.get("/feeds/not-a-token.ics").await.status(), 404);
    let other_purpose = issue_link(&app, Purpose::PasswordReset, &delegate.record_id).await;
    assert_eq!(
        app.get(&format!("/feeds/{other_purpose}.ics"))
            .await
            .status(),
        404
    );
}

async fn retitling_a_session_or_moving_it_to_another_place_sends_every_holder_the_next_sequence(
    app: TestApp,
    smtp: SmtpServer,
) {
    let (id, token) = session_with_two_holders(&app, &smtp).await;
    let first = calendar_of(&mail::parsed(&smtp)[0]).events[0].clone();
    let path = format!("/api/v1/sessions/{id}");
    let retitled = app
        .patch_as(
            &token,
            &path,
            json!({"title": "Incident response in practice"}),
        )
        .await;
    assert_eq!(retitled.status(), 200);
    let retitled: Value = retitled.json().await.unwrap();
    assert_eq!(retitled["sequence"], first.sequence + 1);
    assert_eq!(
        app.deliver_mail().await,
        2,
        "both holders hear of the new title"
    );
    for update in later(&smtp, 2) {
        let event = &calendar_of(&update).events[0];
        assert_eq!(
            (event.uid.as_str(), event.sequence),
            (first.uid.as_str(), first.sequence + 1)
        );
        assert_eq!(event.summary, "Incident response in practice");
        assert_eq!(event.starts_at, first.starts_at, "the time did not change");
    }

    // The same days at another venue: the session moves to that meeting, and so does its place.
    let mut elsewhere = crate::support::meeting_body();
    elsewhere["venue"] = json!("CICG, Geneva");
    let elsewhere: Value = app
        .post_as(&token, "/api/v1/meetings", elsewhere)
        .await
        .json()
        .await
        .unwrap();
    let moved = app
        .patch_as(&token, &path, json!({"meeting_id": elsewhere["id"]}))
        .await;
    assert_eq!(moved.status(), 200);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(moved["sequence"], first.sequence + 2);
    assert_eq!(
        app.deliver_mail().await,
        2,
        "both holders hear of the new place"
    );
    for update in later(&smtp, 4) {
        let event = &calendar_of(&update).events[0];
        assert_eq!(event.sequence, first.sequence + 2);
        assert_eq!(event.location, "CICG, Geneva");
        assert_ne!(event.location, first.location);
    }

    let unchanged = app
        .patch_as(
            &token,
            &path,
            json!({"title": "Incident response in practice"}),
        )
        .await;
    let unchanged: Value = unchanged.json().await.unwrap();
    assert_eq!(
        unchanged["sequence"],
        first.sequence + 2,
        "no change, no new sequence"
    );
    assert_eq!(app.deliver_mail().await, 0);
}
