//! Several instances: two `seminars serve` processes started together on one PostgreSQL
//! database, both with their mail worker on. Concurrent bookings of one room sent to both have
//! one winner; concurrent registrations to both fill a session's seats exactly, in arrival
//! order; every queued email reaches the SMTP server exactly once; and a change made through one
//! instance shows on the other's public page within the documented staleness bound.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use mailparse::MailHeaderMap;
use reqwest::{Client, Method};
use serde_json::json;

use super::durable::{burst, mail_by_recipient, Ledger};
use crate::support::process::{call, client, open_session, registrations, token, Database, Server};
use crate::support::smtp::SmtpServer;
use crate::support::{announce_skip, fixture, meeting_body, session_body};
use seminars::db::schema::{outbox, room_bookings};
use seminars::db::Pool;

/// Sessions competing for the room in each round, half through each instance.
const CONTENDERS: usize = 10;
/// Rounds of the room race, one day of the meeting each.
const ROUNDS: u32 = 3;
/// Seats of the session, and registrations sent for them through both instances.
const SEATS: usize = 20;
const DELEGATES: usize = 80;
/// Longest a change through one instance may stay unseen on the other: the documented
/// `seminars::cache::STALENESS` plus request time, with room for a loaded machine.
const VISIBLE_WITHIN: Duration = Duration::from_secs(1);
/// Longest the two workers may take to deliver everything queued.
const DELIVERED_WITHIN: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_share_rooms_seats_mail_and_public_pages_on_postgres() {
    let Some(db) = Database::postgres() else {
        announce_skip("PostgreSQL SKIPPED for perf::instances: TEST_DATABASE_URL is not set");
        return;
    };
    let started = Instant::now();
    let smtp = SmtpServer::start();
    let port = smtp.port().to_string();
    let settings = [
        ("SEMINARS__MAIL__TRANSPORT", "smtp"),
        ("SEMINARS__MAIL__SMTP__PORT", port.as_str()),
        ("SEMINARS__MAIL__SMTP__TIMEOUT_SECS", "5"),
        // Both workers wake often and claim little at a time, so they compete for every batch.
        ("SEMINARS__MAIL__POLL_INTERVAL_MS", "20"),
        ("SEMINARS__MAIL__BATCH_SIZE", "2"),
        ("SEMINARS__LIMITS__ENABLED", "false"),
    ];
    // Started at the same instant on a database never migrated: both migrate, both must start.
    let servers = Server::start_together(&db, &settings, 2);
    let (admin, organiser) = (db.add_user("admin"), db.add_user("organiser"));
    let client = client();
    let staff = Staff {
        admin: token(&client, &servers[0], &admin).await,
        organiser: token(&client, &servers[1], &organiser).await,
    };
    let pool = db.pool();
    one_room_one_winner(&client, &servers, &staff, &pool).await;
    let session = seats_exact_through_both(&client, &servers, &staff.organiser, &pool).await;
    visible_on_the_other(&client, &servers, &staff.organiser, &session).await;
    every_message_delivered_once(&smtp, &pool).await;
    eprintln!("instances: {:?} in all", started.elapsed());
}

/// Bearer tokens of an admin (rooms) and an organiser (the rest).
struct Staff {
    admin: String,
    organiser: String,
}

/// (a) Sessions at the same time, each booking the one room at once through either instance:
/// one 201, the others 409, one booking stored per round.
async fn one_room_one_winner(client: &Client, servers: &[Server], staff: &Staff, pool: &Pool) {
    let body = json!({"name": "Room A", "location": "Tower", "capacity": 80, "features": []});
    let url = servers[0].url("/api/v1/rooms");
    let (status, room) = call(client, Method::POST, &url, &staff.admin, body).await;
    assert_eq!(status, 201, "{room}");
    let room = room["id"].as_str().unwrap().to_string();
    let url = servers[1].url("/api/v1/meetings");
    let (status, meeting) =
        call(client, Method::POST, &url, &staff.organiser, meeting_body()).await;
    assert_eq!(status, 201, "{meeting}");
    for day in 10..10 + ROUNDS {
        let mut requests = Vec::new();
        for i in 0..CONTENDERS {
            let server = &servers[i % 2];
            let mut body = session_body(meeting["id"].as_str().unwrap());
            body["starts_at"] = json!(fixture(&format!("YYYY-03-{day}T14:30:00+01:00")));
            body["ends_at"] = json!(fixture(&format!("YYYY-03-{day}T17:30:00+01:00")));
            let url = server.url("/api/v1/sessions");
            let (status, session) = call(client, Method::POST, &url, &staff.organiser, body).await;
            assert_eq!(status, 201, "{session}");
            let path = format!(
                "/api/v1/sessions/{}/bookings",
                session["id"].as_str().unwrap()
            );
            requests.push(server.url(&path));
        }
        let statuses = race(client, &staff.organiser, &room, requests).await;
        let won = statuses.iter().filter(|s| **s == 201).count();
        let refused = statuses.iter().filter(|s| **s == 409).count();
        assert_eq!(
            (won, refused),
            (1, CONTENDERS - 1),
            "day {day}: {statuses:?}"
        );
    }
    let stored: i64 = seminars::db::run(pool, move |conn| {
        Ok(room_bookings::table
            .filter(room_bookings::room_id.eq(room))
            .count()
            .get_result(conn)?)
    })
    .await
    .unwrap();
    assert_eq!(stored, i64::from(ROUNDS), "one booking of the room per day");
}

/// Sends a booking of `room` to each URL, all released at once; answers the statuses.
async fn race(client: &Client, token: &str, room: &str, urls: Vec<String>) -> Vec<u16> {
    let gate = Arc::new(tokio::sync::Barrier::new(urls.len()));
    let tasks: Vec<_> = urls
        .into_iter()
        .map(|url| {
            let request = client
                .post(url)
                .bearer_auth(token)
                .json(&json!({"room_id": room}));
            let gate = gate.clone();
            tokio::spawn(async move {
                gate.wait().await;
                request.send().await.unwrap().status().as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses
}

/// (b) Registrations sent through both instances at once: exactly `SEATS` confirmed, the rest
/// waiting in arrival order, each answered as stored, each with its email queued.
async fn seats_exact_through_both(
    client: &Client,
    servers: &[Server],
    token: &str,
    pool: &Pool,
) -> String {
    let session = open_session(client, &servers[0], token, SEATS).await;
    let emails: Vec<String> = (0..DELEGATES)
        .map(|i| format!("delegate{i}@example.org"))
        .collect();
    let bases: Vec<String> = servers.iter().map(|s| s.address.clone()).collect();
    let answers = burst(client, &bases, &session, &emails, None).await;
    assert!(
        answers.values().all(|a| a.status == 201),
        "every registration created"
    );
    let mut ledger = Ledger::default();
    ledger.record(&emails, answers);
    assert!(
        ledger.unanswered().is_empty(),
        "every registration answered"
    );
    let stored = registrations(client, &servers[1], token, &session).await;
    let summary = ledger.check(&stored, &mail_by_recipient(pool).await, SEATS);
    assert_eq!(
        (summary.stored, summary.confirmed, summary.waiting),
        (DELEGATES, SEATS, DELEGATES - SEATS)
    );
    session
}

/// (d) The session retitled through one instance, read on the other's public page (which had
/// kept the old title): the new title within `VISIBLE_WITHIN`, each way.
async fn visible_on_the_other(client: &Client, servers: &[Server], token: &str, session: &str) {
    let mut delays = Vec::new();
    for (round, (through, on)) in [(0, 1), (1, 0), (0, 1), (1, 0)].into_iter().enumerate() {
        let page = servers[on].url(&format!("/sessions/{session}"));
        let before = client
            .get(&page)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let title = format!("Retitled through instance {through} in round {round}");
        assert!(!before.contains(&title));
        let url = servers[through].url(&format!("/api/v1/sessions/{session}"));
        let (status, body) =
            call(client, Method::PATCH, &url, token, json!({"title": title})).await;
        assert_eq!(status, 200, "{body}");
        let changed = Instant::now();
        loop {
            let body = client
                .get(&page)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            if body.contains(&title) {
                break;
            }
            assert!(
                changed.elapsed() < VISIBLE_WITHIN,
                "instance {on} still shows the old title after {:?}",
                changed.elapsed()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        delays.push(changed.elapsed());
    }
    eprintln!(
        "instances: a retitle showed on the other instance after {delays:?} (bound {:?} + request)",
        seminars::cache::STALENESS
    );
}

/// (c) Once the outbox shows every message sent, the SMTP server holds each message id exactly
/// once, and no other; both instances' workers delivered some of them.
async fn every_message_delivered_once(smtp: &SmtpServer, pool: &Pool) {
    let waited = Instant::now();
    let rows = all_sent(pool).await;
    // A few more polls of both workers, so that a late second delivery would be seen.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let received = received_ids(smtp);
    let twice: Vec<_> = received.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "delivered more than once: {twice:?}");
    let queued: BTreeSet<&str> = rows.iter().map(|(id, _)| id.as_str()).collect();
    let delivered: BTreeSet<&str> = received.keys().map(String::as_str).collect();
    assert_eq!(
        delivered, queued,
        "every queued message delivered, no other"
    );
    let mut by_instance: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, claimant) in &rows {
        let instance = claimant.split('/').next().unwrap_or(claimant);
        *by_instance.entry(instance).or_default() += 1;
    }
    eprintln!(
        "instances: {} messages delivered once each in {:?}, by instance: {:?}",
        queued.len(),
        waited.elapsed(),
        by_instance.values().collect::<Vec<_>>()
    );
    assert_eq!(
        by_instance.len(),
        2,
        "both workers delivered: {by_instance:?}"
    );
}

/// Waits until every outbox row is sent (none failed); answers their message ids and claimants.
async fn all_sent(pool: &Pool) -> Vec<(String, String)> {
    let waited = Instant::now();
    loop {
        let rows: Vec<(String, String, Option<String>)> = seminars::db::run(pool, |conn| {
            Ok(outbox::table
                .select((outbox::message_id, outbox::status, outbox::claimed_by))
                .load(conn)?)
        })
        .await
        .unwrap();
        let failed = rows
            .iter()
            .filter(|(_, status, _)| status == "failed")
            .count();
        assert_eq!(failed, 0, "no message failed");
        if rows.iter().all(|(_, status, _)| status == "sent") {
            return rows
                .into_iter()
                .map(|(id, _, claimant)| (id, claimant.unwrap_or_default()))
                .collect();
        }
        assert!(
            waited.elapsed() < DELIVERED_WITHIN,
            "still not all sent after {:?}",
            waited.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How many times the SMTP server received each Message-ID.
fn received_ids(smtp: &SmtpServer) -> BTreeMap<String, usize> {
    let mut received: BTreeMap<String, usize> = BTreeMap::new();
    for message in smtp.received() {
        let (headers, _) = mailparse::parse_headers(&message.data).expect("message headers");
        let id = headers.get_first_value("Message-ID").expect("a Message-ID");
        *received.entry(id.trim().to_string()).or_default() += 1;
    }
    received
}
