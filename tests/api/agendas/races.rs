//! Two rapporteurs deciding at once give exactly one decision, on both databases.

use std::sync::Arc;

use serde_json::{json, Value};

use super::{added, agenda, assign, four_items, id_of, setup, step};
use crate::on_both_backends;
use crate::support::TestApp;
use seminars::access::Role;

on_both_backends!(two_rapporteurs_deciding_at_once_give_exactly_one_decision);

/// Rounds of the race: each one alone may miss a missing lock.
const ROUNDS: usize = 4;

/// Fires the decisions at once (released together by a barrier) and answers their statuses.
async fn race(app: &TestApp, session: &str, decisions: Vec<(String, &str, Value)>) -> Vec<u16> {
    let barrier = Arc::new(tokio::sync::Barrier::new(decisions.len()));
    let tasks: Vec<_> = decisions
        .into_iter()
        .map(|(token, name, body)| {
            let url = app.url(&format!("/api/v1/sessions/{session}/agenda/{name}"));
            let request = app.client.post(url).bearer_auth(token).json(&body);
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

async fn two_rapporteurs_deciding_at_once_give_exactly_one_decision(app: TestApp) {
    let s = setup(&app).await;
    let second = app.token(&[Role::Rapporteur]).await;
    let second_id = id_of(&app, &second).await;
    assign(
        &app,
        &s.organiser,
        &s.session,
        &[&s.rapporteur_id, &second_id],
    )
    .await;
    four_items(&app, &s).await;
    let mut approvals = 0;
    for round in 0..ROUNDS {
        assert_eq!(
            step(&app, &s.organiser, &s.session, "submit", json!({}))
                .await
                .0,
            200
        );
        let other_step = if round % 2 == 0 {
            "approve"
        } else {
            "request-changes"
        };
        let decisions = vec![
            (s.rapporteur.clone(), "approve", json!({})),
            (
                second.clone(),
                other_step,
                json!({"comment": "Shorter breaks, please."}),
            ),
        ];
        let statuses = race(&app, &s.session, decisions).await;
        let won = statuses.iter().filter(|s| **s == 200).count();
        let refused = statuses.iter().filter(|s| **s == 409).count();
        assert_eq!((won, refused), (1, 1), "round {round}: {statuses:?}");
        let status = agenda(&app, &s).await["status"].clone();
        if status == "approved" {
            approvals += 1;
        }
        assert!(
            status == "approved" || status == "changes_requested",
            "{status}"
        );
        let hh = format!("17:{:02}", round * 5);
        let end = format!("17:{:02}", round * 5 + 5);
        added(&app, &s, "closing", &format!("Round {round}"), &hh, &end).await;
    }
    let path = format!("/api/v1/sessions/{}/agenda/versions", s.session);
    let versions: Value = app.get_as(&s.organiser, &path).await.json().await.unwrap();
    assert_eq!(versions["total"], approvals, "one version per approval won");
    let decided = super::audited(&app, &s.session)
        .await
        .into_iter()
        .filter(|a| a == "agenda.approved" || a == "agenda.changes_requested")
        .count();
    assert_eq!(decided, ROUNDS, "exactly one decision per round");
}
