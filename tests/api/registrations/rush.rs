//! 500 delegates registering at once for 50 seats, through the HTTP API: every request is in
//! flight together (released by one barrier), not a few dozen at a time.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};
use tokio::sync::Barrier;

use super::{delegate, open_session};
use crate::on_both_backends_with;
use crate::support::TestApp;
use seminars::config::Settings;

const DELEGATES: usize = 500;
const SEATS: usize = 50;
/// Every tenth delegate also sends their form a second time, concurrently.
const TWINS_EVERY: usize = 10;

on_both_backends_with!(without_rate_limits; a_rush_of_500_for_50_seats_confirms_50_and_waitlists_450_in_arrival_order);

/// The rush comes from one test address, which the public rate limit would refuse after 30.
fn without_rate_limits(settings: &mut Settings) {
    settings.limits.enabled = false;
}

async fn all_registrations(app: &TestApp, token: &str, session: &str) -> Vec<Value> {
    let mut items = Vec::new();
    for offset in (0..DELEGATES).step_by(200) {
        let page: Value = app
            .get_as(
                token,
                &format!("/api/v1/sessions/{session}/registrations?limit=200&offset={offset}"),
            )
            .await
            .json()
            .await
            .unwrap();
        items.extend(page["items"].as_array().unwrap().iter().cloned());
    }
    items
}

async fn a_rush_of_500_for_50_seats_confirms_50_and_waitlists_450_in_arrival_order(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(
        &app,
        &token,
        json!({"capacity": SEATS, "remote_capacity": 0}),
    )
    .await;
    let app = Arc::new(app);
    let mut emails: Vec<String> = (0..DELEGATES)
        .map(|i| format!("rush{i}@example.org"))
        .collect();
    emails.extend(
        (0..DELEGATES)
            .step_by(TWINS_EVERY)
            .map(|i| format!("RUSH{i}@example.org")),
    );
    // Every request is built and waiting at the barrier before any is sent: all are in flight at once.
    let gate = Arc::new(Barrier::new(emails.len() + 1));
    let tasks: Vec<_> = emails
        .into_iter()
        .map(|email| {
            let (app, gate, session) = (app.clone(), gate.clone(), session.clone());
            tokio::spawn(async move {
                let request = app
                    .client
                    .post(app.url(&format!("/api/v1/sessions/{session}/registrations")))
                    .json(&delegate(&email, "KE"));
                gate.wait().await;
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                let body: Value = response.json().await.unwrap();
                (email.to_lowercase(), status, body)
            })
        })
        .collect();
    gate.wait().await;
    let started = Instant::now();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    eprintln!(
        "rush on {:?}: {} requests ({DELEGATES} registrations) in {elapsed:.2} s = {:.0} registrations/s",
        app.backend,
        answers.len(),
        DELEGATES as f64 / elapsed
    );
    let mut by_email: BTreeMap<String, Vec<(u16, Value)>> = BTreeMap::new();
    for (email, status, body) in answers {
        by_email.entry(email).or_default().push((status, body));
    }
    assert_eq!(by_email.len(), DELEGATES, "none lost");
    for (email, answers) in &by_email {
        let mut statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
        statuses.sort_unstable();
        let twin = answers.len() == 2;
        assert_eq!(
            statuses,
            if twin { vec![200, 201] } else { vec![201] },
            "{email}: created once, the twin answered with it"
        );
        let ids: BTreeSet<&str> = answers
            .iter()
            .map(|(_, b)| b["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids.len(), 1, "{email}: a twin gets the first registration");
    }
    let items = all_registrations(&app, &token, &session).await;
    assert_eq!(items.len(), DELEGATES, "none duplicated");
    let arrivals: Vec<i64> = items
        .iter()
        .map(|r| r["arrival"].as_i64().unwrap())
        .collect();
    assert_eq!(
        arrivals,
        (1..=DELEGATES as i64).collect::<Vec<_>>(),
        "arrivals 1..500 in list order"
    );
    let confirmed: Vec<&Value> = items
        .iter()
        .filter(|r| r["status"] == "confirmed")
        .collect();
    let waiting: Vec<&Value> = items
        .iter()
        .filter(|r| r["status"] == "waitlisted")
        .collect();
    assert_eq!((confirmed.len(), waiting.len()), (SEATS, DELEGATES - SEATS));
    assert!(
        confirmed
            .iter()
            .all(|r| r["arrival"].as_i64().unwrap() <= SEATS as i64),
        "the first 50 to arrive hold the seats"
    );
    for r in &waiting {
        let position = r["waitlist_position"].as_i64().unwrap();
        assert_eq!(
            position,
            r["arrival"].as_i64().unwrap() - SEATS as i64,
            "positions 1..450 follow arrival"
        );
        let answered = &by_email[r["email"].as_str().unwrap()][0].1;
        assert_eq!(
            answered["waitlist_position"].as_i64(),
            Some(position),
            "the delegate was told their position"
        );
    }
    let invitations = super::count_calendars(&app, "REQUEST").await;
    assert_eq!(
        invitations, SEATS as i64,
        "one invitation per confirmed seat"
    );
}
