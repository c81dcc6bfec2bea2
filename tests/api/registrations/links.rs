//! The delegate's secret link: cancelling through it, the private feed behind it, and a link
//! resent by an organiser.

use super::*;
use crate::on_both_backends;

on_both_backends!(
    cancelling_through_the_link_withdraws_the_invitation_and_promotes_the_first_waiting,
    a_confirmed_delegates_private_feed_holds_the_session_until_they_cancel,
    an_organiser_resends_a_lost_link_and_the_old_one_stops_working,
);

async fn cancelling_through_the_link_withdraws_the_invitation_and_promotes_the_first_waiting(
    app: TestApp,
) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({"capacity": 1})).await;
    register(&app, &session, delegate("seat@example.org", "JP")).await;
    register(&app, &session, delegate("next@example.org", "KE")).await;
    register(&app, &session, delegate("later@example.org", "NP")).await;
    let link = token_of(&app, "seat@example.org").await;
    let mine: Value = app
        .get(&format!("/api/v1/registrations/{link}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["status"], "confirmed");
    assert_eq!(mine["email"], "seat@example.org");
    assert!(mine.get("visa").is_none());
    let response = app
        .request(
            Method::POST,
            &format!("/api/v1/registrations/{link}/cancel"),
            None,
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    let cancelled: Value = response.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    let seat_mail = mail_to(&app, "seat@example.org").await;
    let (method, event) = calendar_of(seat_mail.last().unwrap());
    assert_eq!(method, "CANCEL");
    assert_eq!(event.status.as_deref(), Some("CANCELLED"));
    let next_mail = mail_to(&app, "next@example.org").await;
    assert_eq!(next_mail.len(), 2, "waitlisted, then the invitation");
    assert_eq!(calendar_of(&next_mail[1]).0, "REQUEST");
    let later: Value = app
        .get(&format!(
            "/api/v1/registrations/{}",
            token_of(&app, "later@example.org").await
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(later["waitlist_position"], 1, "moved up");
    let wrong = "0".repeat(64);
    assert_eq!(
        app.get(&format!("/api/v1/registrations/{wrong}"))
            .await
            .status(),
        404
    );
}

/// Moves a session into the past directly, for tests of what happens after it.
async fn a_confirmed_delegates_private_feed_holds_the_session_until_they_cancel(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    let (status, _) = register(&app, &session, delegate("nimal@trc.gov.lk", "LK")).await;
    assert_eq!(status, 201);
    let link = token_of(&app, "nimal@trc.gov.lk").await;
    let feed = app.get(&format!("/feeds/{link}.ics")).await;
    assert_eq!(feed.status(), 200);
    assert!(feed.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let calendar = seminars::calendar::parse(&feed.text().await.unwrap()).unwrap();
    assert_eq!(calendar.method.as_deref(), Some("PUBLISH"));
    assert_eq!(calendar.events.len(), 1);
    assert!(calendar.events[0]
        .uid
        .starts_with(&format!("session-{session}@")));
    let cancelled = app
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/registrations/{link}/cancel"),
            None,
            None,
        )
        .await;
    assert_eq!(cancelled.status(), 200);
    let after = app
        .get(&format!("/feeds/{link}.ics"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        seminars::calendar::parse(&after).unwrap().events.is_empty(),
        "{after}"
    );
}

async fn an_organiser_resends_a_lost_link_and_the_old_one_stops_working(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    let (_, placed) = register(&app, &session, delegate("kofi@nca.org.gh", "GH")).await;
    let old = token_of(&app, "kofi@nca.org.gh").await;
    let id = placed["id"].as_str().unwrap();
    let rapporteur = app.token(&[Role::Rapporteur]).await;
    let path = format!("/api/v1/registrations/{id}/resend-link");
    assert_eq!(
        app.post_as(&rapporteur, &path, json!({})).await.status(),
        403
    );
    assert_eq!(app.post_as(&token, &path, json!({})).await.status(), 200);
    let mails = mail_to(&app, "kofi@nca.org.gh").await;
    let last = mails.last().unwrap();
    assert!(
        last.subject.starts_with("Your registration link"),
        "{}",
        last.subject
    );
    let at = last.text_body.find("/registrations/").unwrap();
    let new = &last.text_body[at + 15..at + 15 + 64];
    assert_ne!(new, old);
    assert_eq!(
        app.get(&format!("/api/v1/registrations/{old}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get(&format!("/api/v1/registrations/{new}"))
            .await
            .status(),
        200
    );
    let unknown = format!("/api/v1/registrations/{}/resend-link", uuid::Uuid::new_v4());
    assert_eq!(app.post_as(&token, &unknown, json!({})).await.status(), 404);
}
