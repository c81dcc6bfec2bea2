//! Locks that no constraint can stand in for, caught deterministically on PostgreSQL.
//!
//! No unique or exclusion constraint limits the sum of reserved equipment, nor the number of
//! confirmed seats once arrival numbers do not collide; only the locks taken by the store do.
//! Each test holds a transaction open on a connection of its own, as a concurrent request
//! would between its check and its commit, and proves that the request sent meanwhile waits on
//! the lock (PostgreSQL reports it waiting) instead of reading the world without that
//! transaction's rows. Without the lock the request answers at once and over-reserves, every
//! time, not one run in a few. SQLite has no such test: `BEGIN IMMEDIATE` serialises all writers.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::Utc;
use diesel::prelude::*;
use serde_json::{json, Value};

use crate::registrations::{delegate, open_session};
use crate::support::{spawn, Backend, TestApp};
use seminars::access::Role;
use seminars::db::{self, Conn};
use seminars::error::AppError;

/// A transaction held open on a connection of its own until `commit`.
struct Held {
    release: mpsc::Sender<()>,
    thread: std::thread::JoinHandle<Result<(), AppError>>,
}

impl Held {
    /// Runs `work` in a write transaction on its own connection and keeps it open.
    fn open(
        pool: &db::Pool,
        work: impl FnOnce(&mut Conn) -> Result<(), AppError> + Send + 'static,
    ) -> Held {
        let (ready, is_ready) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let pool = pool.clone();
        let thread = std::thread::spawn(move || {
            let mut conn = pool.get().expect("a connection of its own");
            let mut work = Some(work);
            db::write(&mut conn, |conn| {
                if let Some(work) = work.take() {
                    work(conn)?;
                }
                let _ = ready.send(());
                let _ = released.recv();
                Ok(())
            })
        });
        is_ready
            .recv_timeout(Duration::from_secs(10))
            .expect("the held transaction took its locks");
        Held { release, thread }
    }

    /// Commits the held transaction.
    fn commit(self) {
        self.release.send(()).unwrap();
        self.thread
            .join()
            .unwrap()
            .expect("the held transaction commits");
    }
}

/// How many backends of this database wait on a lock right now.
async fn waiting_on_locks(app: &TestApp) -> i64 {
    db::run(&app.pool, |conn| {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let rows: Vec<Count> = diesel::sql_query(
            "SELECT count(*) AS n FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .load(conn)?;
        Ok(rows.first().map_or(0, |c| c.n))
    })
    .await
    .unwrap()
}

/// Sends `request` while `held` is open, asserts that it waits on a lock and has not answered,
/// then commits `held` and answers the request's status and body.
async fn sent_while_held(
    app: &TestApp,
    held: Held,
    request: reqwest::RequestBuilder,
) -> (u16, Value) {
    let mut answer = tokio::spawn(async move {
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (
            status,
            response.json::<Value>().await.unwrap_or(Value::Null),
        )
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    while waiting_on_locks(app).await == 0 {
        if answer.is_finished() || Instant::now() > deadline {
            held.commit();
            let (status, body) = answer.await.unwrap();
            panic!("the request did not wait for the lock: it answered {status} {body}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let early = tokio::time::timeout(Duration::from_millis(300), &mut answer).await;
    assert!(
        early.is_err(),
        "the request answered while the lock was held: {early:?}"
    );
    held.commit();
    tokio::time::timeout(Duration::from_secs(20), answer)
        .await
        .expect("the request answers once the lock is free")
        .unwrap()
}

async fn postgres_app() -> Option<TestApp> {
    spawn(Backend::Postgres).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reservation_of_the_last_projector_waits_for_the_transaction_holding_it_and_is_refused() {
    let Some(app) = postgres_app().await else {
        return;
    };
    let admin = app.token(&[Role::Admin, Role::Organiser]).await;
    let created = |path: &'static str, body: Value| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let response = app.post_as(&admin, path, body).await;
            assert_eq!(response.status(), 201);
            let body: Value = response.json().await.unwrap();
            body["id"].as_str().unwrap().to_string()
        }
    };
    let room =
        |name: &str| json!({"name": name, "location": "Tower", "capacity": 80, "features": []});
    let (room_a, room_b) = (
        created("/api/v1/rooms", room("Room A")).await,
        created("/api/v1/rooms", room("Room B")).await,
    );
    let projector = created(
        "/api/v1/equipment",
        json!({"name": "Projector", "kind": "projector", "quantity": 1}),
    )
    .await;
    let meeting = app.meeting(&admin).await;
    let meeting = meeting["id"].as_str().unwrap();
    let first = app.session(&admin, meeting).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let second = app.session(&admin, meeting).await["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Another booking of the projector, between its check and its commit.
    let (room_id, item) = (room_a.clone(), projector.clone());
    let held = Held::open(&app.pool, move |conn| {
        use seminars::bookings::domain::BookingId;
        use seminars::bookings::request::BookingInput;
        use seminars::bookings::store;
        use seminars::rooms::domain::{EquipmentId, RoomId};
        let (room_id, item) = (RoomId::from(room_id), EquipmentId::from(item));
        store::lock(
            conn,
            Some(&first.as_str().into()),
            std::slice::from_ref(&room_id),
            std::slice::from_ref(&item),
        )?;
        let input: BookingInput = serde_json::from_value(
            json!({"room_id": room_id, "equipment": [{"equipment_id": item, "quantity": 1}]}),
        )
        .unwrap();
        let request = input.validate(30, 15)?;
        let session = seminars::sessions::store::find(conn, &first)?.unwrap();
        let room = seminars::rooms::store::find_room(conn, &room_id)?.unwrap();
        let booking = request.booking(BookingId::random(), &session, &room);
        store::insert_booking(conn, &booking, db::micros(Utc::now()))?;
        Ok(())
    });
    let request = app
        .client
        .post(app.url(&format!("/api/v1/sessions/{second}/bookings")))
        .bearer_auth(&admin)
        .json(
            &json!({"room_id": room_b, "equipment": [{"equipment_id": projector, "quantity": 1}]}),
        );
    let (status, body) = sent_while_held(&app, held, request).await;
    assert_eq!(status, 409, "the only projector is taken: {body}");
    let reserved: i64 = db::run(&app.pool, |conn| {
        use seminars::db::schema::equipment_reservations;
        Ok(equipment_reservations::table
            .select(diesel::dsl::sum(equipment_reservations::quantity))
            .first::<Option<i64>>(conn)?
            .unwrap_or(0))
    })
    .await
    .unwrap();
    assert_eq!(reserved, 1, "never more than the stock");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registration_for_the_last_seat_waits_for_the_transaction_taking_it_and_is_waitlisted() {
    let Some(app) = postgres_app().await else {
        return;
    };
    let organiser = app.organiser().await;
    let session = open_session(
        &app,
        &organiser,
        json!({"capacity": 1, "remote_capacity": 0}),
    )
    .await;

    // Another registration, between counting the seats and committing; its arrival number is far
    // from the next one, so the unique arrival constraint cannot stand in for the lock.
    let id = session.clone();
    let held = Held::open(&app.pool, move |conn| {
        use seminars::registrations::domain::{
            Attendance, Category, Delegate, Registration, Status,
        };
        use seminars::registrations::store;
        store::lock_session(conn, &id)?;
        let now = db::micros(Utc::now());
        let registration = Registration {
            id: seminars::registrations::domain::RegistrationId::random(),
            session_id: id.as_str().into(),
            arrival: 1000,
            delegate: Delegate {
                name: "Held Seat".into(),
                email: "held@example.org".into(),
                organisation: "Ministry".into(),
                job_title: "Director".into(),
                country: "KE".into(),
                category: Category::PolicyMaker,
                attendance: Attendance::InPerson,
                consent_directory: false,
                consent_share_email: false,
                accessibility_needs: String::new(),
                visa: None,
                gender: None,
            },
            country_group: seminars::countries::CountryGroup::Developing,
            status: Status::Confirmed,
            lang: "en".into(),
            decided_by: None,
            decision_comment: None,
            decided_at: None,
            created_at: now,
            updated_at: now,
        };
        store::insert(conn, &registration)?;
        Ok(())
    });
    let request = app
        .client
        .post(app.url(&format!("/api/v1/sessions/{session}/registrations")))
        .json(&delegate("second@example.org", "KE"));
    let (status, body) = sent_while_held(&app, held, request).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body["status"], "waitlisted",
        "the only seat is taken: {body}"
    );
    let page: Value = app
        .get_as(
            &organiser,
            &format!("/api/v1/sessions/{session}/registrations?status=confirmed"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 1, "never more confirmed than seats");
}
