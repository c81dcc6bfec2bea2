//! Race safety: concurrent requests through the HTTP API (exactly one wins), and the guards behind them.

use std::sync::Arc;
use std::time::Instant;

use diesel::RunQueryDsl;
use serde_json::{json, Value};

use super::{book, count_bookings, item, json_of, room, session_on, setup, setup_in};
use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    twenty_concurrent_requests_for_one_room_give_exactly_one_booking,
    twenty_concurrent_requests_for_the_last_projector_give_exactly_one_booking,
    twelve_staggered_overlapping_requests_for_the_last_three_microphones_give_exactly_three,
    lowering_a_stock_below_its_reservations_is_refused,
    the_database_itself_refuses_overlapping_bookings_of_a_room,
);

/// Fires every request at once (released together by a barrier) and answers the statuses.
async fn race(app: &TestApp, token: &str, requests: Vec<(String, Value)>) -> Vec<u16> {
    let barrier = Arc::new(tokio::sync::Barrier::new(requests.len()));
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|(path, body)| {
            let request = app
                .client
                .post(app.url(&path))
                .bearer_auth(token)
                .json(&body);
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                request.send().await.map(|r| r.status().as_u16())
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap().unwrap());
    }
    statuses
}

fn assert_one_winner(statuses: &[u16]) {
    let won = statuses.iter().filter(|s| **s == 201).count();
    let refused = statuses.iter().filter(|s| **s == 409).count();
    assert_eq!((won, refused), (1, statuses.len() - 1), "{statuses:?}");
}

/// Rounds of each race: one round misses a missing lock on PostgreSQL about 2 times in 5.
const ROUNDS: u32 = 3;

async fn twenty_concurrent_requests_for_one_room_give_exactly_one_booking(app: TestApp) {
    let s = setup(&app).await;
    let room = room(&app, &s, "Room A", 80).await;
    for day in 10..10 + ROUNDS {
        let mut requests = Vec::new();
        for _ in 0..20 {
            let session = session_on(&app, &s, day).await;
            let path = format!("/api/v1/sessions/{session}/bookings");
            requests.push((path, json!({"room_id": room})));
        }
        let started = Instant::now();
        let statuses = race(&app, &s.organiser, requests).await;
        eprintln!(
            "20-way room race on {:?}: {:?}",
            app.backend,
            started.elapsed()
        );
        assert_one_winner(&statuses);
    }
    assert_eq!(count_bookings(&app).await, (ROUNDS.into(), 0));
}

async fn twenty_concurrent_requests_for_the_last_projector_give_exactly_one_booking(app: TestApp) {
    let s = setup(&app).await;
    let projector = item(&app, &s, "Projector", "projector", 1).await;
    let mut rooms = Vec::new();
    for i in 0..20 {
        rooms.push(room(&app, &s, &format!("Room {i}"), 80).await);
    }
    for day in 10..10 + ROUNDS {
        let mut requests = Vec::new();
        for room in &rooms {
            let session = session_on(&app, &s, day).await;
            let body =
                json!({"room_id": room, "equipment": [{"equipment_id": projector, "quantity": 1}]});
            requests.push((format!("/api/v1/sessions/{session}/bookings"), body));
        }
        let started = Instant::now();
        let statuses = race(&app, &s.organiser, requests).await;
        eprintln!(
            "20-way projector race on {:?}: {:?}",
            app.backend,
            started.elapsed()
        );
        assert_one_winner(&statuses);
    }
    assert_eq!(count_bookings(&app).await, (ROUNDS.into(), ROUNDS.into()));
}

/// A draft session on a day of the meeting's March, from `start` (local "HH:MM") for two hours.
async fn session_at(app: &TestApp, s: &super::Setup, day: u32, start: (u32, u32)) -> String {
    let mut body = crate::support::session_body(&s.meeting_id);
    let (year, (h, m)) = (s.year, start);
    body["starts_at"] = json!(format!("{year}-03-{day:02}T{h:02}:{m:02}:00+01:00"));
    body["ends_at"] = json!(format!("{year}-03-{day:02}T{:02}:{m:02}:00+01:00", h + 2));
    let session = json_of(
        app.post_as(&s.organiser, "/api/v1/sessions", body).await,
        201,
    )
    .await;
    session["id"].as_str().unwrap().to_string()
}

/// Twelve bookings in twelve rooms, staggered by ten minutes so that each overlaps every other
/// one without any two sharing an interval, for the last three microphones: no constraint can
/// catch an over-reservation here, only the item's lock.
async fn twelve_staggered_overlapping_requests_for_the_last_three_microphones_give_exactly_three(
    app: TestApp,
) {
    let s = setup(&app).await;
    let mics = item(&app, &s, "Microphone", "microphone", 3).await;
    let mut rooms = Vec::new();
    for i in 0..12 {
        rooms.push(room(&app, &s, &format!("Room {i}"), 80).await);
    }
    for day in 10..10 + ROUNDS {
        let mut requests = Vec::new();
        for (k, room) in rooms.iter().enumerate() {
            let minutes = 10 * k as u32;
            let session = session_at(&app, &s, day, (13 + minutes / 60, minutes % 60)).await;
            let body =
                json!({"room_id": room, "equipment": [{"equipment_id": mics, "quantity": 1}]});
            requests.push((format!("/api/v1/sessions/{session}/bookings"), body));
        }
        let statuses = race(&app, &s.organiser, requests).await;
        let won = statuses.iter().filter(|s| **s == 201).count();
        let refused = statuses.iter().filter(|s| **s == 409).count();
        assert_eq!((won, refused), (3, 9), "day {day}: {statuses:?}");
    }
    assert_eq!(
        count_bookings(&app).await,
        (3 * i64::from(ROUNDS), 3 * i64::from(ROUNDS))
    );
}

async fn lowering_a_stock_below_its_reservations_is_refused(app: TestApp) {
    use chrono::Datelike;
    let s = setup_in(&app, chrono::Utc::now().year() + 1).await; // only reservations ahead count
    let (a, b) = (
        room(&app, &s, "Room A", 80).await,
        room(&app, &s, "Room B", 80).await,
    );
    let mics = item(&app, &s, "Microphone", "microphone", 4).await;
    let lines = json!([{"equipment_id": mics, "quantity": 2}]);
    let (first, second) = (
        session_on(&app, &s, 10).await,
        session_on(&app, &s, 10).await,
    );
    json_of(
        book(&app, &s, &first, json!({"room_id": a, "equipment": lines})).await,
        201,
    )
    .await;
    json_of(
        book(&app, &s, &second, json!({"room_id": b, "equipment": lines})).await,
        201,
    )
    .await;
    let path = format!("/api/v1/equipment/{mics}");
    let problem = json_of(
        app.patch_as(&s.admin, &path, json!({"quantity": 3})).await,
        409,
    )
    .await;
    assert_eq!(problem["conflicts"].as_array().unwrap().len(), 2);
    json_of(
        app.patch_as(&s.admin, &path, json!({"quantity": 5})).await,
        200,
    )
    .await;
}

async fn the_database_itself_refuses_overlapping_bookings_of_a_room(app: TestApp) {
    if app.backend != crate::support::Backend::Postgres {
        return; // SQLite relies on its write lock (BEGIN IMMEDIATE); there is no constraint to test
    }
    let s = setup(&app).await;
    let room = room(&app, &s, "Room A", 80).await;
    let (first, second) = (
        session_on(&app, &s, 10).await,
        session_on(&app, &s, 10).await,
    );
    let booking = json_of(book(&app, &s, &first, json!({"room_id": room})).await, 201).await;
    let sql = crate::support::fixture(&format!(
        "INSERT INTO room_bookings VALUES ('x', '{second}', '{room}', 0, 0, \
         'YYYY-03-10 16:00:00', 'YYYY-03-10 17:00:00', false, 'YYYY-01-01 00:00:00')"
    ));
    let refused = seminars::db::run(&app.pool, move |conn| {
        Ok(diesel::sql_query(sql).execute(conn))
    })
    .await
    .unwrap();
    match refused {
        Err(diesel::result::Error::DatabaseError(kind, _)) => assert!(
            matches!(kind, diesel::result::DatabaseErrorKind::ExclusionViolation),
            "{kind:?}"
        ),
        other => panic!("the overlap next to {booking} was stored: {other:?}"),
    }
}
