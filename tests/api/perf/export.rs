//! The registrations CSV is streamed a chunk at a time, and reads the same however it is cut:
//! every row once, in arrival order, each waiting delegate numbered as the waiting list numbers
//! them; a page of the list numbers them the same way.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::Method;
use serde_json::{json, Value};

use crate::on_both_backends_with;
use crate::registrations::{open_session, token_of};
use crate::support::TestApp;
use seminars::access::{Role, User};
use seminars::config::Settings;
use seminars::db;
use seminars::registrations::reports::{export, store::Filter};

on_both_backends_with!(
    open;
    the_csv_export_reads_the_same_in_any_chunk_size_with_exact_waiting_positions,
    a_later_page_numbers_its_waiting_delegates_as_the_whole_list_does,
);

fn open(settings: &mut Settings) {
    settings.limits.enabled = false;
}

/// A session with one seat of each mode and 25 registrations (in person and remote in turn,
/// from five countries), of which three cancelled: a confirmed one (so the first waiting in
/// person is promoted) and two waiting ones (so positions close up).
async fn session_with_waiting_lists(app: &TestApp, token: &str) -> String {
    let session = open_session(app, token, json!({"capacity": 1, "remote_capacity": 1})).await;
    for i in 0..25 {
        let (country, attendance) = (
            ["KE", "JP", "BR", "DE", "HT"][i % 5],
            ["in_person", "remote"][i % 2],
        );
        let body = json!({
            "name": format!("Delegate {i}"), "email": format!("d{i}@example.org"),
            "organisation": "Ministry of ICT", "job_title": "Director", "country": country,
            "stakeholder_category": "regulator", "attendance": attendance, "consent_directory": true
        });
        let path = format!("/api/v1/sessions/{session}/registrations");
        let response = app.request(Method::POST, &path, None, Some(body)).await;
        assert_eq!(response.status(), 201);
    }
    for i in [0, 5, 12] {
        let link = token_of(app, &format!("d{i}@example.org")).await;
        let path = format!("/api/v1/registrations/{link}/cancel");
        let response = app.request(Method::POST, &path, None, None).await;
        assert_eq!(response.status(), 200, "cancel d{i}");
    }
    session
}

/// Each waitlisted registration's position by the rule itself, from the whole list as the API
/// answers it: waiting ones of the same mode that arrived before, plus one.
async fn told_positions(app: &TestApp, token: &str, session: &str) -> BTreeMap<String, i64> {
    let path = format!("/api/v1/sessions/{session}/registrations?limit=200");
    let list: Value = app.get_as(token, &path).await.json().await.unwrap();
    let mut rows: Vec<&Value> = list["items"].as_array().unwrap().iter().collect();
    rows.sort_by_key(|r| r["arrival"].as_i64());
    let mut counted: BTreeMap<&str, i64> = BTreeMap::new();
    let mut told = BTreeMap::new();
    for r in rows.iter().filter(|r| r["status"] == "waitlisted") {
        let position = counted
            .entry(r["attendance"].as_str().unwrap())
            .or_default();
        *position += 1;
        told.insert(r["id"].as_str().unwrap().to_string(), *position);
    }
    told
}

/// (id, waitlist_position) of each CSV line, in order.
fn positions_in(csv: &str) -> Vec<(String, Option<i64>)> {
    csv.lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            (cells[1].to_string(), cells[3].parse().ok())
        })
        .collect()
}

fn organiser() -> User {
    User {
        id: "organiser".into(),
        email: "organiser@example.org".into(),
        name: "Organiser".into(),
        roles: BTreeSet::from([Role::Organiser]),
        focal_point_country: None,
        focal_point_entity: None,
    }
}

/// The export read through the service in chunks of `limit` rows.
async fn chunked(app: &TestApp, session: &str, filter: Filter, limit: i64) -> (String, usize) {
    let id = session.to_string();
    db::run(&app.pool, move |conn| {
        let mut export = export::start(conn, &organiser(), &id, filter)?;
        let (mut text, mut chunks) = (String::new(), 0);
        while let Some(chunk) = export::next(conn, &mut export, limit)? {
            text.push_str(&chunk);
            chunks += 1;
        }
        Ok((text, chunks))
    })
    .await
    .unwrap()
}

/// The whole export through the API: streamed (no length), named as before, every registration
/// once in arrival order.
async fn exported(app: &TestApp, token: &str, session: &str, query: &str) -> String {
    let path = format!("/api/v1/sessions/{session}/registrations.csv{query}");
    let response = app.get_as(token, &path).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"registrations-{session}.csv\"").as_str()
    );
    assert!(response.content_length().is_none(), "streamed, not sized");
    let text = response.text().await.unwrap();
    assert!(text.starts_with("arrival,id,status,waitlist_position,name,"));
    let arrivals: Vec<i64> = text
        .lines()
        .skip(1)
        .map(|l| l[..l.find(',').unwrap()].parse().unwrap())
        .collect();
    assert!(arrivals.windows(2).all(|w| w[0] < w[1]), "in arrival order");
    text
}

async fn the_csv_export_reads_the_same_in_any_chunk_size_with_exact_waiting_positions(
    app: TestApp,
) {
    let token = app.organiser().await;
    let session = session_with_waiting_lists(&app, &token).await;
    let whole = exported(&app, &token, &session, "").await;
    let rows = positions_in(&whole);
    assert_eq!(rows.len(), 25, "every registration once");
    let told = told_positions(&app, &token, &session).await;
    assert!(told.len() >= 15, "both waiting lists are long: {told:?}");
    for (id, position) in &rows {
        assert_eq!(position.as_ref(), told.get(id), "{id}");
    }
    for limit in [1, 3, 7, 25, 500] {
        let (text, chunks) = chunked(&app, &session, Filter::default(), limit).await;
        assert_eq!(text, whole, "in chunks of {limit}");
        assert_eq!(chunks as i64, 25 / limit + 1, "in chunks of {limit}");
    }
    // A filter keeps each line as the whole export writes it, positions included.
    let kenya = Filter {
        country: Some("KE".into()),
        ..Filter::default()
    };
    let expected: Vec<&str> = whole.lines().filter(|l| l.contains(",KE,")).collect();
    for limit in [1, 2, 500] {
        let (text, _) = chunked(&app, &session, kenya.clone(), limit).await;
        let lines: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(lines, expected, "KE in chunks of {limit}");
    }
    let filtered = exported(&app, &token, &session, "?country=KE").await;
    assert_eq!(filtered.lines().skip(1).collect::<Vec<_>>(), expected);
}

async fn a_later_page_numbers_its_waiting_delegates_as_the_whole_list_does(app: TestApp) {
    let token = app.organiser().await;
    let session = session_with_waiting_lists(&app, &token).await;
    let told = told_positions(&app, &token, &session).await;
    let mut seen = 0;
    for query in [
        "limit=4&offset=9",
        "limit=5&offset=15&attendance=remote",
        "status=waitlisted&limit=3&offset=6",
    ] {
        let path = format!("/api/v1/sessions/{session}/registrations?{query}");
        let page: Value = app.get_as(&token, &path).await.json().await.unwrap();
        for item in page["items"].as_array().unwrap() {
            let id = item["id"].as_str().unwrap();
            assert_eq!(
                item["waitlist_position"].as_i64(),
                told.get(id).copied(),
                "{query}: {id}"
            );
            seen += usize::from(item["waitlist_position"].is_i64());
        }
    }
    assert!(seen >= 5, "the pages show waiting delegates ({seen})");
}
