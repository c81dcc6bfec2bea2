//! A room booked for a session reaches its delegates: every holder's invitation is updated with
//! the room (and back to the venue when it is released), and later delegates are told the room.

use serde_json::{json, Value};

use crate::on_both_backends;
use crate::registrations::{calendar_of, delegate, mail_to, open_session, register};
use crate::support::TestApp;
use seminars::access::Role;

on_both_backends!(
    booking_a_room_updates_every_holders_invitation_with_the_room_and_the_next_sequence,
    a_delegate_registering_after_the_booking_is_told_the_room_in_the_email_and_the_calendar,
);

const VENUE: &str = "ITU headquarters, Geneva";
const ROOM: &str = "Room K, ITU tower, 2nd floor";

/// Books a new room (60 seats) for the session and answers the booking's id.
async fn book_room(app: &TestApp, organiser: &str, session: &str) -> String {
    let admin = app.token(&[Role::Admin]).await;
    let room = json!({"name": "Room K", "location": "ITU tower, 2nd floor", "capacity": 60,
        "features": []});
    let response = app.post_as(&admin, "/api/v1/rooms", room).await;
    assert_eq!(response.status(), 201);
    let room: Value = response.json().await.unwrap();
    let booking = json!({"room_id": room["id"], "setup_minutes": 15, "teardown_minutes": 15,
        "equipment": []});
    let path = format!("/api/v1/sessions/{session}/bookings");
    let response = app.post_as(organiser, &path, booking).await;
    assert_eq!(response.status(), 201);
    let booking: Value = response.json().await.unwrap();
    booking["id"].as_str().unwrap().to_string()
}

async fn booking_a_room_updates_every_holders_invitation_with_the_room_and_the_next_sequence(
    app: TestApp,
) {
    let organiser = app.organiser().await;
    let session = open_session(&app, &organiser, json!({})).await;
    let holders = ["first@example.org", "second@example.org"];
    for email in holders {
        register(&app, &session, delegate(email, "JP")).await;
    }
    let first = calendar_of(&mail_to(&app, holders[0]).await[0]).1;
    assert_eq!(first.location, VENUE);
    let booking = book_room(&app, &organiser, &session).await;
    for email in holders {
        let mail = mail_to(&app, email).await;
        assert_eq!(mail.len(), 2, "the invitation, then its update");
        let update = &mail[1];
        assert!(
            update.subject.starts_with("Updated: "),
            "{}",
            update.subject
        );
        assert!(update.text_body.contains(ROOM), "{}", update.text_body);
        let (method, event) = calendar_of(update);
        assert_eq!(method, "REQUEST");
        assert_eq!(event.uid, first.uid);
        assert_eq!(event.sequence, first.sequence + 1);
        assert_eq!(event.location, ROOM);
    }
    let path = format!("/api/v1/sessions/{session}/bookings/{booking}");
    let released = app
        .request(reqwest::Method::DELETE, &path, Some(&organiser), None)
        .await;
    assert_eq!(released.status(), 204);
    for email in holders {
        let mail = mail_to(&app, email).await;
        assert_eq!(mail.len(), 3);
        let (method, event) = calendar_of(&mail[2]);
        assert_eq!(method, "REQUEST");
        assert_eq!(event.sequence, first.sequence + 2);
        assert_eq!(event.location, VENUE, "without a room, the venue again");
    }
    let feed = app.get(&format!("/sessions/{session}/calendar.ics")).await;
    let feed = seminars::calendar::parse(&feed.text().await.unwrap()).unwrap();
    assert_eq!(feed.events[0].location, VENUE);
}

async fn a_delegate_registering_after_the_booking_is_told_the_room_in_the_email_and_the_calendar(
    app: TestApp,
) {
    let organiser = app.organiser().await;
    let session = open_session(&app, &organiser, json!({"capacity": 1})).await;
    book_room(&app, &organiser, &session).await;
    register(&app, &session, delegate("seated@example.org", "JP")).await;
    let confirmed = &mail_to(&app, "seated@example.org").await[0];
    assert!(
        confirmed.text_body.contains(&format!("Where: {ROOM}")),
        "{}",
        confirmed.text_body
    );
    assert!(confirmed.html_body.contains(ROOM));
    assert_eq!(calendar_of(confirmed).1.location, ROOM);
    register(&app, &session, delegate("waiting@example.org", "JP")).await;
    let waiting = &mail_to(&app, "waiting@example.org").await[0];
    assert!(waiting.text_body.contains(ROOM), "{}", waiting.text_body);
    let feed = app.get(&format!("/sessions/{session}/calendar.ics")).await;
    let feed = seminars::calendar::parse(&feed.text().await.unwrap()).unwrap();
    assert_eq!(feed.events[0].location, ROOM, "the public feed too");
    let form = app.get(&format!("/sessions/{session}/register")).await;
    assert!(
        form.text().await.unwrap().contains(ROOM),
        "the form's page too"
    );
}
