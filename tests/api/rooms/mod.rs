use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

mod pages;
mod places;
mod races;

use crate::on_both_backends;
use crate::support::{fixture, session_body, TestApp};
use seminars::access::Role;
use seminars::db::schema::{equipment_reservations, room_bookings};

on_both_backends!(
    reference_data_is_created_by_admins_read_by_staff_and_every_bad_field_is_named,
    a_booking_blocks_the_room_for_the_session_with_set_up_and_tear_down,
    a_clash_is_refused_with_every_conflicting_room_and_item_listed,
    a_room_smaller_than_the_session_is_422_unless_knowingly_overridden,
    moving_a_session_onto_a_clash_is_refused_with_the_clashes_and_changes_nothing,
    cancelling_a_session_or_deleting_a_booking_frees_the_room_at_once,
    availability_answers_the_busy_intervals_with_their_sessions,
);

struct Setup {
    admin: String,
    organiser: String,
    meeting_id: String,
    year: i32,
}

/// An admin, an organiser and the harness's meeting of 9–13 March (`fixture_year`) in Geneva.
async fn setup(app: &TestApp) -> Setup {
    setup_in(app, crate::support::fixture_year()).await
}

/// The same meeting days in another year.
async fn setup_in(app: &TestApp, year: i32) -> Setup {
    let admin = app.token(&[Role::Admin]).await;
    let organiser = app.organiser().await;
    let mut body = crate::support::meeting_body();
    body["first_day"] = json!(format!("{year}-03-09"));
    body["last_day"] = json!(format!("{year}-03-13"));
    let meeting = json_of(app.post_as(&organiser, "/api/v1/meetings", body).await, 201).await;
    Setup {
        admin,
        organiser,
        meeting_id: meeting["id"].as_str().unwrap().to_string(),
        year,
    }
}

async fn json_of(response: reqwest::Response, status: u16) -> Value {
    let actual = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(actual, status, "{body}");
    body
}

async fn room(app: &TestApp, s: &Setup, name: &str, capacity: i64) -> String {
    let body = json!({"name": name, "location": "ITU tower", "capacity": capacity,
        "features": ["interpretation_booths"]});
    let room = json_of(app.post_as(&s.admin, "/api/v1/rooms", body).await, 201).await;
    room["id"].as_str().unwrap().to_string()
}

async fn item(app: &TestApp, s: &Setup, name: &str, kind: &str, quantity: i64) -> String {
    let body = json!({"name": name, "kind": kind, "quantity": quantity});
    let item = json_of(app.post_as(&s.admin, "/api/v1/equipment", body).await, 201).await;
    item["id"].as_str().unwrap().to_string()
}

/// A draft session on the given local day of the meeting's March, 14:30–17:30 Geneva time, 50 seats.
async fn session_on(app: &TestApp, s: &Setup, day: u32) -> String {
    let mut body = session_body(&s.meeting_id);
    let year = s.year;
    body["starts_at"] = json!(format!("{year}-03-{day:02}T14:30:00+01:00"));
    body["ends_at"] = json!(format!("{year}-03-{day:02}T17:30:00+01:00"));
    let session = json_of(
        app.post_as(&s.organiser, "/api/v1/sessions", body).await,
        201,
    )
    .await;
    session["id"].as_str().unwrap().to_string()
}

async fn book(app: &TestApp, s: &Setup, session: &str, body: Value) -> reqwest::Response {
    app.post_as(
        &s.organiser,
        &format!("/api/v1/sessions/{session}/bookings"),
        body,
    )
    .await
}

async fn count_bookings(app: &TestApp) -> (i64, i64) {
    seminars::db::run(&app.pool, |conn| {
        let bookings = room_bookings::table.count().get_result(conn)?;
        let reservations = equipment_reservations::table.count().get_result(conn)?;
        Ok((bookings, reservations))
    })
    .await
    .unwrap()
}

async fn reference_data_is_created_by_admins_read_by_staff_and_every_bad_field_is_named(
    app: TestApp,
) {
    let s = setup(&app).await;
    let body = json!({"name": "Room A", "location": "Tower", "capacity": 40, "features": []});
    let refused = app
        .post_as(&s.organiser, "/api/v1/rooms", body.clone())
        .await;
    assert_eq!(refused.status(), 403);
    let bad = json!({"name": "", "capacity": "many", "features": ["sauna"]});
    let problem = json_of(app.post_as(&s.admin, "/api/v1/rooms", bad).await, 422).await;
    let named: Vec<&String> = problem["errors"].as_object().unwrap().keys().collect();
    assert_eq!(named, ["capacity", "features", "location", "name"]);
    let created = json_of(
        app.post_as(&s.admin, "/api/v1/rooms", body.clone()).await,
        201,
    )
    .await;
    assert_eq!(created["capacity"], 40);
    let again = app.post_as(&s.admin, "/api/v1/rooms", body).await;
    assert_eq!(again.status(), 409, "room names are unique");
    let bad = json!({"name": "Beamer", "kind": "hologram", "quantity": -1});
    let problem = json_of(app.post_as(&s.admin, "/api/v1/equipment", bad).await, 422).await;
    assert!(problem["errors"]["kind"][0]
        .as_str()
        .unwrap()
        .contains("projector"));
    assert!(problem["errors"]["quantity"].is_array());
    item(&app, &s, "Projector", "projector", 2).await;
    let rapporteur = app.token(&[Role::Rapporteur]).await;
    let rooms = json_of(app.get_as(&rapporteur, "/api/v1/rooms").await, 200).await;
    assert_eq!(rooms["total"], 1);
    assert_eq!(rooms["items"][0]["name"], "Room A");
    let items = json_of(app.get_as(&rapporteur, "/api/v1/equipment").await, 200).await;
    assert_eq!(items["items"][0]["quantity"], 2);
    assert_eq!(app.get("/api/v1/rooms").await.status(), 401);
    let path = format!("/api/v1/rooms/{}", created["id"].as_str().unwrap());
    let patched = app.patch_as(&s.admin, &path, json!({"capacity": 60})).await;
    assert_eq!(json_of(patched, 200).await["capacity"], 60);
}

async fn a_booking_blocks_the_room_for_the_session_with_set_up_and_tear_down(app: TestApp) {
    let s = setup(&app).await;
    let room = room(&app, &s, "Room A", 80).await;
    let mics = item(&app, &s, "Microphone", "microphone", 4).await;
    let session = session_on(&app, &s, 10).await;
    let body = json!({"room_id": room, "equipment": [{"equipment_id": mics, "quantity": 2}]});
    let booking = json_of(book(&app, &s, &session, body).await, 201).await;
    assert_eq!(
        booking["starts_at"],
        fixture("YYYY-03-10T13:00:00Z"),
        "30 min set-up"
    );
    assert_eq!(
        booking["ends_at"],
        fixture("YYYY-03-10T16:45:00Z"),
        "15 min tear-down"
    );
    assert_eq!(
        booking["equipment"],
        json!([{"equipment_id": mics, "quantity": 2}])
    );
    let listed = json_of(
        app.get_as(
            &s.organiser,
            &format!("/api/v1/sessions/{session}/bookings"),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(listed[0]["id"], booking["id"]);
    let unknown =
        json!({"room_id": "nope", "equipment": [{"equipment_id": "nope", "quantity": 1}]});
    let problem = json_of(book(&app, &s, &session, unknown).await, 422).await;
    assert!(problem["errors"]["room_id"].is_array(), "{problem}");
    let too_many = json!({"room_id": room, "equipment": [{"equipment_id": mics, "quantity": 5}]});
    let problem = json_of(book(&app, &s, &session, too_many).await, 422).await;
    assert!(
        problem["errors"]["equipment[0].quantity"].is_array(),
        "{problem}"
    );
    assert_eq!(count_bookings(&app).await, (1, 1));
}

async fn a_clash_is_refused_with_every_conflicting_room_and_item_listed(app: TestApp) {
    let s = setup(&app).await;
    let (room_a, room_b) = (
        room(&app, &s, "Room A", 80).await,
        room(&app, &s, "Room B", 80).await,
    );
    let mics = item(&app, &s, "Microphone", "microphone", 3).await;
    let projector = item(&app, &s, "Projector", "projector", 1).await;
    let first = session_on(&app, &s, 10).await;
    let kit = |m: i64| json!([{"equipment_id": mics, "quantity": m}, {"equipment_id": projector, "quantity": 1}]);
    json_of(
        book(
            &app,
            &s,
            &first,
            json!({"room_id": room_a, "equipment": kit(2)}),
        )
        .await,
        201,
    )
    .await;
    let second = session_on(&app, &s, 10).await;
    let refused = book(
        &app,
        &s,
        &second,
        json!({"room_id": room_a, "equipment": kit(2)}),
    )
    .await;
    let problem = json_of(refused, 409).await;
    let conflicts = problem["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 3, "{problem}");
    for c in conflicts {
        assert_eq!(c["with_session_id"], first.as_str());
        assert_eq!(c["starts_at"], fixture("YYYY-03-10T13:00:00Z"));
        assert_eq!(c["ends_at"], fixture("YYYY-03-10T16:45:00Z"));
    }
    assert_eq!(conflicts[0]["kind"], "room");
    assert_eq!(conflicts[0]["room_id"], room_a.as_str());
    let items: Vec<&Value> = conflicts[1..].iter().map(|c| &c["equipment_id"]).collect();
    assert!(conflicts[1..].iter().all(|c| c["kind"] == "equipment"));
    assert_eq!(items, [&json!(mics), &json!(projector)]);
    let one_mic = json!({"room_id": room_b, "equipment": [{"equipment_id": mics, "quantity": 1}]});
    json_of(book(&app, &s, &second, one_mic).await, 201).await;
    let next_day = session_on(&app, &s, 11).await;
    json_of(
        book(
            &app,
            &s,
            &next_day,
            json!({"room_id": room_a, "equipment": kit(3)}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(count_bookings(&app).await, (3, 5));
}

async fn a_room_smaller_than_the_session_is_422_unless_knowingly_overridden(app: TestApp) {
    let s = setup(&app).await;
    let small = room(&app, &s, "Huddle room", 12).await;
    let session = session_on(&app, &s, 10).await;
    let problem = json_of(
        book(&app, &s, &session, json!({"room_id": small})).await,
        422,
    )
    .await;
    let message = problem["errors"]["room_id"][0].as_str().unwrap();
    assert!(
        message.contains("12") && message.contains("50") && message.contains("override_capacity")
    );
    let body = json!({"room_id": small, "override_capacity": true});
    let booking = json_of(book(&app, &s, &session, body).await, 201).await;
    assert_eq!(booking["capacity_overridden"], true);
}

async fn moving_a_session_onto_a_clash_is_refused_with_the_clashes_and_changes_nothing(
    app: TestApp,
) {
    let s = setup(&app).await;
    let room = room(&app, &s, "Room A", 80).await;
    let (first, second) = (
        session_on(&app, &s, 10).await,
        session_on(&app, &s, 11).await,
    );
    json_of(book(&app, &s, &first, json!({"room_id": room})).await, 201).await;
    json_of(book(&app, &s, &second, json!({"room_id": room})).await, 201).await;
    let path = format!("/api/v1/sessions/{second}");
    let onto_first = json!({"starts_at": fixture("YYYY-03-10T16:00:00+01:00"), "ends_at": fixture("YYYY-03-10T18:00:00+01:00")});
    let problem = json_of(app.patch_as(&s.organiser, &path, onto_first).await, 409).await;
    assert_eq!(problem["conflicts"][0]["kind"], "room");
    assert_eq!(problem["conflicts"][0]["with_session_id"], first.as_str());
    assert_eq!(
        problem["conflicts"][0]["ends_at"],
        fixture("YYYY-03-10T16:45:00Z")
    );
    let unchanged = json_of(app.get_as(&s.organiser, &path).await, 200).await;
    assert_eq!(unchanged["starts_at"], fixture("YYYY-03-11T13:30:00Z"));
    let bookings_path = format!("{path}/bookings");
    let bookings = json_of(app.get_as(&s.organiser, &bookings_path).await, 200).await;
    assert_eq!(bookings[0]["starts_at"], fixture("YYYY-03-11T13:00:00Z"));
    let later = json!({"starts_at": fixture("YYYY-03-12T09:00:00+01:00"), "ends_at": fixture("YYYY-03-12T10:00:00+01:00")});
    json_of(app.patch_as(&s.organiser, &path, later).await, 200).await;
    let bookings = json_of(app.get_as(&s.organiser, &bookings_path).await, 200).await;
    assert_eq!(
        bookings[0]["starts_at"],
        fixture("YYYY-03-12T07:30:00Z"),
        "the booking moved along"
    );
    assert_eq!(bookings[0]["ends_at"], fixture("YYYY-03-12T09:15:00Z"));
}

async fn cancelling_a_session_or_deleting_a_booking_frees_the_room_at_once(app: TestApp) {
    let s = setup(&app).await;
    let room = room(&app, &s, "Room A", 80).await;
    let projector = item(&app, &s, "Projector", "projector", 1).await;
    let body = json!({"room_id": room, "equipment": [{"equipment_id": projector, "quantity": 1}]});
    let (first, second, third) = (
        session_on(&app, &s, 10).await,
        session_on(&app, &s, 10).await,
        session_on(&app, &s, 10).await,
    );
    json_of(book(&app, &s, &first, body.clone()).await, 201).await;
    json_of(book(&app, &s, &second, body.clone()).await, 409).await;
    let cancel = json!({"reason": "Speaker unavailable"});
    let path = format!("/api/v1/sessions/{first}/cancel");
    json_of(app.post_as(&s.organiser, &path, cancel).await, 200).await;
    assert_eq!(count_bookings(&app).await, (0, 0));
    json_of(book(&app, &s, &first, body.clone()).await, 409).await;
    let booking = json_of(book(&app, &s, &second, body.clone()).await, 201).await;
    json_of(book(&app, &s, &third, body.clone()).await, 409).await;
    let delete = format!(
        "/api/v1/sessions/{second}/bookings/{}",
        booking["id"].as_str().unwrap()
    );
    let wrong_session = format!(
        "/api/v1/sessions/{third}/bookings/{}",
        booking["id"].as_str().unwrap()
    );
    let token = Some(s.organiser.as_str());
    assert_eq!(
        app.request(Method::DELETE, &wrong_session, token, None)
            .await
            .status(),
        404
    );
    assert_eq!(
        app.request(Method::DELETE, &delete, token, None)
            .await
            .status(),
        204
    );
    assert_eq!(
        app.request(Method::DELETE, &delete, token, None)
            .await
            .status(),
        404
    );
    json_of(book(&app, &s, &third, body).await, 201).await;
}

async fn availability_answers_the_busy_intervals_with_their_sessions(app: TestApp) {
    let s = setup(&app).await;
    let room = room(&app, &s, "Room A", 80).await;
    let session = session_on(&app, &s, 10).await;
    json_of(
        book(
            &app,
            &s,
            &session,
            json!({"room_id": room, "setup_minutes": 0, "teardown_minutes": 0}),
        )
        .await,
        201,
    )
    .await;
    let path = fixture(&format!("/api/v1/rooms/{room}/availability?from=YYYY-03-10T00:00:00%2B01:00&to=YYYY-03-11T00:00:00%2B01:00"));
    let answer = json_of(app.get_as(&s.organiser, &path).await, 200).await;
    assert_eq!(answer["busy"].as_array().unwrap().len(), 1);
    assert_eq!(answer["busy"][0]["session_id"], session.as_str());
    assert_eq!(
        answer["busy"][0]["session_title"],
        "Sharing cybersecurity best practices"
    );
    assert_eq!(
        answer["busy"][0]["starts_at"],
        fixture("YYYY-03-10T13:30:00Z")
    );
    assert_eq!(
        answer["free"],
        json!([{"starts_at": fixture("YYYY-03-09T23:00:00Z"), "ends_at": fixture("YYYY-03-10T13:30:00Z")},
               {"starts_at": fixture("YYYY-03-10T16:30:00Z"), "ends_at": fixture("YYYY-03-10T23:00:00Z")}])
    );
    let next_day = path
        .replace(&fixture("YYYY-03-10T"), &fixture("YYYY-03-12T"))
        .replace(&fixture("YYYY-03-11T"), &fixture("YYYY-03-13T"));
    let quiet = json_of(app.get_as(&s.organiser, &next_day).await, 200).await;
    assert_eq!(quiet["busy"], json!([]));
    let bad = format!("/api/v1/rooms/{room}/availability?from=yesterday");
    let problem = json_of(app.get_as(&s.organiser, &bad).await, 422).await;
    assert!(problem["errors"]["from"].is_array() && problem["errors"]["to"].is_array());
    let unknown = fixture(
        "/api/v1/rooms/nope/availability?from=YYYY-03-10T00:00:00Z&to=YYYY-03-11T00:00:00Z",
    );
    assert_eq!(app.get_as(&s.organiser, &unknown).await.status(), 404);
}
