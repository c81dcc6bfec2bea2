//! Where a session is held: its booked room on the API and the pages, and the events that let
//! others (calendar holds, mail) follow the room.

use std::any::Any;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use super::{book, json_of, room, session_on, setup, setup_in};
use crate::on_both_backends;
use crate::support::{fixture, TestApp};
use seminars::audit::Actor;
use seminars::bookings::domain::{BookingChange, BookingEvent};
use seminars::bookings::request::BookingInput;
use seminars::db::{self, Conn};
use seminars::effects::{Ctx, Reactor};
use seminars::error::AppError;
use seminars::sessions::domain::SessionId;
use seminars::sessions::input::SessionInput;

on_both_backends!(
    a_booked_room_is_shown_on_the_session_its_meeting_and_the_public_pages_until_released,
    bookings_announce_booked_moved_and_released_inside_the_transaction,
);

async fn a_booked_room_is_shown_on_the_session_its_meeting_and_the_public_pages_until_released(
    app: TestApp,
) {
    // A year ahead of any clock running this, so the home page lists the meeting as upcoming.
    let s = setup_in(&app, 2099).await;
    let room = room(&app, &s, "Room A", 80).await;
    let session = session_on(&app, &s, 10).await;
    let publish = format!("/api/v1/sessions/{session}/publish");
    json_of(app.post_as(&s.organiser, &publish, json!({})).await, 200).await;
    let api = format!("/api/v1/sessions/{session}");
    assert_eq!(json_of(app.get(&api).await, 200).await["room"], Value::Null);
    let page = app
        .get(&format!("/sessions/{session}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("Room A"));
    let booking = json_of(
        book(&app, &s, &session, json!({"room_id": room})).await,
        201,
    )
    .await;
    let expected = json!({"id": room, "name": "Room A", "location": "ITU tower"});
    assert_eq!(json_of(app.get(&api).await, 200).await["room"], expected);
    let listed = json_of(app.get("/api/v1/sessions").await, 200).await;
    assert_eq!(listed["items"][0]["room"], expected);
    let meeting = format!("/api/v1/meetings/{}", s.meeting_id);
    let meeting = json_of(app.get(&meeting).await, 200).await;
    assert_eq!(meeting["sessions"][0]["room"], expected);
    let page = app
        .get(&format!("/sessions/{session}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Room A · ITU tower"), "{page}");
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("Room A · ITU tower"), "{home}");
    let delete = format!(
        "/api/v1/sessions/{session}/bookings/{}",
        booking["id"].as_str().unwrap()
    );
    let token = Some(s.organiser.as_str());
    let deleted = app
        .request(reqwest::Method::DELETE, &delete, token, None)
        .await;
    assert_eq!(deleted.status(), 204);
    assert_eq!(json_of(app.get(&api).await, 200).await["room"], Value::Null);
    let page = app
        .get(&format!("/sessions/{session}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("Room A"), "back to the meeting's venue");
}

/// What the test reactor heard: session, change, room name, and whether a transaction was open.
type Heard = (String, BookingChange, Option<String>, bool);

static HEARD: Mutex<Vec<Heard>> = Mutex::new(Vec::new());

fn listen(conn: &mut Conn, _ctx: &Ctx, event: &dyn Any) -> Result<(), AppError> {
    if let Some(e) = event.downcast_ref::<BookingEvent>() {
        let room = e.room.as_ref().map(|r| r.name.clone());
        let heard = (
            e.session_id.to_string(),
            e.change,
            room,
            db::in_transaction(conn),
        );
        HEARD.lock().unwrap().push(heard);
    }
    Ok(())
}

fn heard_about(session: &str) -> Vec<(BookingChange, Option<String>, bool)> {
    let heard = HEARD.lock().unwrap();
    heard
        .iter()
        .filter(|(s, ..)| s == session)
        .map(|(_, change, room, in_tx)| (*change, room.clone(), *in_tx))
        .collect()
}

async fn bookings_announce_booked_moved_and_released_inside_the_transaction(app: TestApp) {
    let s = setup(&app).await;
    let room = room(&app, &s, "Room A", 80).await;
    let session = SessionId::from(session_on(&app, &s, 10).await);
    let reactors: Vec<Reactor> = vec![seminars::bookings::service::react, listen];
    let ctx = Ctx::new(Arc::new(app.settings.clone()), Arc::new(reactors));
    let input: BookingInput = serde_json::from_value(json!({"room_id": room})).unwrap();
    let (c, id) = (ctx.clone(), session.clone());
    let booking = db::run(&app.pool, move |conn| {
        seminars::bookings::service::book(conn, &c, &Actor::Cli, &id, input)
    })
    .await
    .unwrap();
    let patch = |body: Value| {
        let (c, id) = (ctx.clone(), session.clone());
        let input: SessionInput = serde_json::from_value(body).unwrap();
        db::run(&app.pool, move |conn| {
            seminars::sessions::service::patch(conn, &c, &Actor::Cli, &id, input)
        })
    };
    patch(json!({"title": "Renamed, not moved"})).await.unwrap();
    let later = json!({"starts_at": fixture("YYYY-03-12T09:00:00+01:00"), "ends_at": fixture("YYYY-03-12T10:00:00+01:00")});
    patch(later).await.unwrap();
    let (c, id) = (ctx.clone(), session.clone());
    db::run(&app.pool, move |conn| {
        seminars::bookings::service::unbook(conn, &c, &Actor::Cli, &id, &booking.id)
    })
    .await
    .unwrap();
    let room_a = Some("Room A".to_string());
    assert_eq!(
        heard_about(&session),
        [
            (BookingChange::Booked, room_a.clone(), true),
            (BookingChange::Moved, room_a, true),
            (BookingChange::Released, None, true),
        ]
    );
}
