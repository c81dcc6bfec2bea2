//! Fast and still durable: a burst of registrations to `seminars serve`, killed with SIGKILL in
//! the middle and started again on the same database, twice, loses no registration that was
//! answered, stores none twice, keeps capacity and arrival order exact, and has every stored
//! registration's email queued. Asserted through HTTP and the database only, whatever batching
//! the registration path uses.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use reqwest::Client;
use serde_json::Value;
use tokio::sync::Semaphore;

use crate::registrations::delegate;
use crate::support::announce_skip;
use crate::support::process::{
    client, open_session, registrations, sigkill, token, Database, Server,
};
use seminars::db::schema::outbox;

/// Seats of the session the bursts fill.
const CAPACITY: usize = 30;
/// Registrations in each burst that is killed.
const BURST: usize = 300;
/// Requests on the wire at once.
const IN_FLIGHT: usize = 32;
/// The server is killed once this many requests of a burst have been answered.
const KILL_AFTER: usize = 100;
/// Bursts killed in the middle, each followed by a restart on the same database.
const KILLS: usize = 2;

/// No delivery (mail stays queued, to be counted) and no rate limit (one address sends it all).
const SETTINGS: &[(&str, &str)] = &[
    ("SEMINARS__MAIL__WORKER", "false"),
    ("SEMINARS__LIMITS__ENABLED", "false"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_in_a_burst_loses_no_answered_registration_and_keeps_seats_order_and_mail_on_sqlite(
) {
    survives_sigkill(Database::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_in_a_burst_loses_no_answered_registration_and_keeps_seats_order_and_mail_on_postgres(
) {
    match Database::postgres() {
        Some(db) => survives_sigkill(db).await,
        None => announce_skip(
            "PostgreSQL SKIPPED for perf::durable (SIGKILL in a burst): TEST_DATABASE_URL is not set",
        ),
    }
}

async fn survives_sigkill(db: Database) {
    let started = Instant::now();
    let organiser = db.add_user("organiser");
    let server = Server::start(&db, SETTINGS);
    let client = client();
    let token = token(&client, &server, &organiser).await;
    let session = open_session(&client, &server, &token, CAPACITY).await;
    let mut run = Run {
        pool: db.pool(),
        db: &db,
        server,
        client,
        token,
        session,
        ledger: Ledger::default(),
    };
    for round in 0..=KILLS {
        run.round(round).await;
    }
    assert_eq!(
        run.ledger.unanswered(),
        Vec::<String>::new(),
        "after the last burst every delegate is registered"
    );
    eprintln!(
        "durable on {}: {:?} in all",
        run.backend(),
        started.elapsed()
    );
}

/// A server on its database, the session its bursts fill, and what they were answered.
struct Run<'a> {
    db: &'a Database,
    server: Server,
    pool: seminars::db::Pool,
    client: Client,
    token: String,
    session: String,
    ledger: Ledger,
}

impl Run<'_> {
    fn backend(&self) -> &str {
        self.db.url.split(':').next().unwrap_or("?")
    }

    /// One burst: killed in the middle and the server started again, or (the last) left to
    /// finish; then everything stored is checked against everything answered.
    async fn round(&mut self, round: usize) {
        // Delegates who got no answer send their form again, as a browser would; new ones join.
        let mut emails = self.ledger.unanswered();
        let killing = round < KILLS;
        let fresh = if killing {
            (BURST / 3).max(BURST.saturating_sub(emails.len()))
        } else {
            50
        };
        emails.extend((0..fresh).map(|i| format!("r{round}-{i}@example.org")));
        let kill = killing.then(|| (KILL_AFTER, self.server.pid()));
        let bases = [self.server.address.clone()];
        let started = Instant::now();
        let answers = burst(&self.client, &bases, &self.session, &emails, kill).await;
        let took = started.elapsed();
        let answered = answers.len();
        self.ledger.record(&emails, answers);
        if killing {
            assert!(
                (KILL_AFTER..emails.len()).contains(&answered),
                "the kill came in the middle: {answered} of {} answered",
                emails.len()
            );
            self.server.kill();
            self.server = Server::start(self.db, SETTINGS);
        } else {
            assert_eq!(answered, emails.len(), "all answered without a kill");
        }
        let stored = registrations(&self.client, &self.server, &self.token, &self.session).await;
        let summary = self
            .ledger
            .check(&stored, &mail_by_recipient(&self.pool).await, CAPACITY);
        eprintln!(
            "durable on {}: round {round}: {} sent, {answered} answered in {took:?}; stored {} \
             ({} confirmed, {} waiting), {} of them stored without an answer",
            self.backend(),
            emails.len(),
            summary.stored,
            summary.confirmed,
            summary.waiting,
            summary.stored - self.ledger.answered_emails(),
        );
    }
}

/// What one registration request got back; the body is Null when it was cut off.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

/// Sends one registration per email, `IN_FLIGHT` at once, to `bases` in turn. With
/// `kill = Some((n, pid))`, SIGKILLs `pid` as soon as `n` answers have arrived and sends nothing
/// more. Answers every answer by email; an email without one is absent.
pub async fn burst(
    client: &Client,
    bases: &[String],
    session: &str,
    emails: &[String],
    kill: Option<(usize, u32)>,
) -> BTreeMap<String, Answer> {
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let answered = Arc::new(AtomicUsize::new(0));
    let killed = Arc::new(AtomicBool::new(false));
    let tasks: Vec<_> = emails
        .iter()
        .enumerate()
        .map(|(i, email)| {
            let base = &bases[i % bases.len()];
            let request = client
                .post(format!("{base}/api/v1/sessions/{session}/registrations"))
                .json(&delegate(email, "KE"));
            let (gate, answered, killed) = (gate.clone(), answered.clone(), killed.clone());
            let email = email.clone();
            tokio::spawn(async move {
                let _permit = gate.acquire_owned().await.unwrap();
                if killed.load(Ordering::SeqCst) {
                    return None;
                }
                let response = request.send().await.ok()?;
                let status = response.status().as_u16();
                let body = response.json().await.unwrap_or(Value::Null);
                let n = answered.fetch_add(1, Ordering::SeqCst) + 1;
                if let Some((after, pid)) = kill {
                    if n == after {
                        killed.store(true, Ordering::SeqCst);
                        sigkill(pid);
                    }
                }
                Some((email, Answer { status, body }))
            })
        })
        .collect();
    let mut answers = BTreeMap::new();
    for task in tasks {
        if let Some((email, answer)) = task.await.unwrap() {
            answers.insert(email, answer);
        }
    }
    answers
}

/// One queued email as the outbox holds it: its calendar method (None: no calendar) and the
/// record it is about.
type Mail = (Option<String>, String);

/// Every outbox row, by recipient.
pub async fn mail_by_recipient(pool: &seminars::db::Pool) -> BTreeMap<String, Vec<Mail>> {
    use diesel::prelude::*;
    let rows: Vec<(String, Option<String>, String)> = seminars::db::run(pool, |conn| {
        Ok(outbox::table
            .select((outbox::to_email, outbox::calendar_method, outbox::record_id))
            .load(conn)?)
    })
    .await
    .expect("the outbox is read");
    let mut by_recipient: BTreeMap<String, Vec<Mail>> = BTreeMap::new();
    for (to, method, record) in rows {
        by_recipient
            .entry(to.to_lowercase())
            .or_default()
            .push((method, record));
    }
    by_recipient
}

/// How many registrations were stored, and where.
pub struct Summary {
    pub stored: usize,
    pub confirmed: usize,
    pub waiting: usize,
}

/// Every email sent and every answer it got, across bursts and restarts.
#[derive(Default)]
pub struct Ledger {
    sent: BTreeMap<String, Vec<Answer>>,
}

impl Ledger {
    /// Notes a burst: the emails sent and the answers that came back.
    pub fn record(&mut self, emails: &[String], mut answers: BTreeMap<String, Answer>) {
        for email in emails {
            let entry = self.sent.entry(email.to_lowercase()).or_default();
            entry.extend(answers.remove(email));
        }
        assert!(answers.is_empty(), "answers for emails never sent");
    }

    /// The emails sent that never got an answer.
    pub fn unanswered(&self) -> Vec<String> {
        self.sent
            .iter()
            .filter(|(_, answers)| answers.is_empty())
            .map(|(email, _)| email.clone())
            .collect()
    }

    /// How many emails got at least one answer.
    pub fn answered_emails(&self) -> usize {
        self.sent.values().filter(|a| !a.is_empty()).count()
    }

    /// Checks what is stored against what was answered, `capacity` and the outbox; panics on
    /// the first inconsistency.
    pub fn check(
        &self,
        stored: &[Value],
        mail: &BTreeMap<String, Vec<Mail>>,
        capacity: usize,
    ) -> Summary {
        let mut by_email: BTreeMap<String, &Value> = BTreeMap::new();
        for r in stored {
            let email = r["email"].as_str().unwrap().to_lowercase();
            assert!(self.sent.contains_key(&email), "{email} was never sent");
            let twice = by_email.insert(email.clone(), r).is_some();
            assert!(!twice, "{email} is stored twice");
        }
        for (email, answers) in &self.sent {
            self.check_answers(email, answers, by_email.get(email).copied());
            check_mail(email, by_email.get(email).copied(), mail);
        }
        let confirmed = check_order(stored, capacity);
        Summary {
            stored: stored.len(),
            confirmed,
            waiting: stored.len() - confirmed,
        }
    }

    /// An answered registration is stored, created once, as it was answered.
    fn check_answers(&self, email: &str, answers: &[Answer], stored: Option<&Value>) {
        let created = answers.iter().filter(|a| a.status == 201).count();
        assert!(created <= 1, "{email}: answered 201 {created} times");
        for answer in answers {
            assert!(
                [200, 201].contains(&answer.status),
                "{email}: answered {} {}",
                answer.status,
                answer.body
            );
            let r = stored
                .unwrap_or_else(|| panic!("{email}: answered {} but not stored", answer.status));
            if answer.body.is_null() {
                continue;
            }
            for field in ["id", "status", "waitlist_position"] {
                assert_eq!(
                    answer.body.get(field),
                    r.get(field),
                    "{email}: {field} as answered and as stored"
                );
            }
        }
    }
}

/// Arrival numbers unique and increasing; the first `capacity` arrivals hold the seats and the
/// rest wait in arrival order, at positions 1, 2, …. Answers how many are confirmed.
fn check_order(stored: &[Value], capacity: usize) -> usize {
    let mut by_arrival: Vec<&Value> = stored.iter().collect();
    by_arrival.sort_by_key(|r| r["arrival"].as_i64().unwrap());
    for pair in by_arrival.windows(2) {
        assert!(
            pair[0]["arrival"].as_i64() < pair[1]["arrival"].as_i64(),
            "arrival {} given twice",
            pair[0]["arrival"]
        );
    }
    for (i, r) in by_arrival.iter().enumerate() {
        let (status, position) = (r["status"].as_str().unwrap(), &r["waitlist_position"]);
        if i < capacity {
            assert_eq!(status, "confirmed", "arrival {} holds a seat", r["arrival"]);
        } else {
            assert_eq!(status, "waitlisted", "arrival {} waits", r["arrival"]);
            assert_eq!(
                position.as_i64(),
                Some((i - capacity + 1) as i64),
                "arrival {} waits in arrival order",
                r["arrival"]
            );
        }
    }
    by_arrival.len().min(capacity)
}

/// A stored registration has exactly one email queued: the invitation (a REQUEST) for a seat,
/// the waiting-list notice for the rest; a registration not stored has none.
fn check_mail(email: &str, stored: Option<&Value>, mail: &BTreeMap<String, Vec<Mail>>) {
    let queued = mail.get(email).map(Vec::as_slice).unwrap_or_default();
    let Some(r) = stored else {
        assert!(queued.is_empty(), "{email}: mail queued but nothing stored");
        return;
    };
    assert_eq!(queued.len(), 1, "{email}: one email queued, {queued:?}");
    let (method, record) = &queued[0];
    if r["status"] == "confirmed" {
        assert_eq!(method.as_deref(), Some("REQUEST"), "{email}: an invitation");
    } else {
        assert_eq!(method, &None, "{email}: no invitation while waiting");
        assert_eq!(Some(record.as_str()), r["id"].as_str(), "{email}");
    }
}
