//! The statistics and a list's total read counts the database keeps beside the registrations
//! (`registration_statistics`, kept by triggers): after every kind of change a registration can
//! go through, the kept counts are the counts of the rows.

use std::collections::BTreeMap;

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::on_both_backends_with;
use crate::registrations::{open_session, token_of};
use crate::support::TestApp;
use seminars::config::Settings;
use seminars::db;
use seminars::db::schema::{registration_statistics as kept, registrations};

on_both_backends_with!(open; the_kept_counts_agree_with_the_rows_after_every_kind_of_change);

fn open(settings: &mut Settings) {
    settings.limits.enabled = false;
}

type Key = (String, String, String, String, String);
type Counts = BTreeMap<(String, Key), i64>;

/// (session, category, group, attendance, status, gender) → how many, as the database keeps them.
fn kept_counts(conn: &mut db::Conn) -> QueryResult<Counts> {
    let rows: Vec<(String, String, String, String, String, String, i32)> = kept::table
        .select((
            kept::session_id,
            kept::stakeholder_category,
            kept::country_group,
            kept::attendance,
            kept::status,
            kept::gender,
            kept::n,
        ))
        .load(conn)?;
    let mut counts = BTreeMap::new();
    for (s, c, g, a, st, ge, n) in rows {
        *counts.entry((s, (c, g, a, st, ge))).or_insert(0) += i64::from(n);
    }
    counts.retain(|_, n| *n != 0);
    Ok(counts)
}

/// The same, counted in the registrations themselves.
fn row_counts(conn: &mut db::Conn) -> QueryResult<Counts> {
    use registrations as r;
    let rows: Vec<(String, String, String, String, String, Option<String>)> = r::table
        .select((
            r::session_id,
            r::stakeholder_category,
            r::country_group,
            r::attendance,
            r::status,
            r::gender,
        ))
        .load(conn)?;
    let mut counts = BTreeMap::new();
    for (s, c, g, a, st, ge) in rows {
        *counts
            .entry((s, (c, g, a, st, ge.unwrap_or_default())))
            .or_insert(0) += 1;
    }
    Ok(counts)
}

async fn register(app: &TestApp, session: &str, i: usize) -> String {
    let (country, attendance) = (
        ["KE", "JP", "HT", "SN"][i % 4],
        ["in_person", "remote"][i % 2],
    );
    let category = ["policy_maker", "regulator", "operator"][i % 3];
    let mut body = json!({
        "name": format!("Delegate {i}"), "email": format!("d{i}@example.org"),
        "organisation": "Ministry of ICT", "job_title": "Director", "country": country,
        "stakeholder_category": category, "attendance": attendance, "consent_directory": true
    });
    if let Some(gender) = [Some("female"), Some("male"), None][i % 3] {
        body["gender"] = json!(gender);
    }
    let path = format!("/api/v1/sessions/{session}/registrations");
    let response = app.request(Method::POST, &path, None, Some(body)).await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().to_string()
}

async fn form(app: &TestApp, token: &str, path: &str, body: &str) {
    let response = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "{path}");
}

/// A session of few seats: registrations, cancellations (one promotes the first waiting), an
/// edit by hand that changes every counted axis, a promotion and a withdrawal by hand, and
/// more seats (the waiting move up).
async fn changes_of_seats(app: &TestApp, token: &str) -> String {
    let seats = open_session(app, token, json!({"capacity": 2, "remote_capacity": 1})).await;
    let mut ids = Vec::new();
    for i in 0..14 {
        ids.push(register(app, &seats, i).await);
    }
    for i in [0, 9] {
        let link = token_of(app, &format!("d{i}@example.org")).await;
        let cancel = format!("/api/v1/registrations/{link}/cancel");
        let response = app.request(Method::POST, &cancel, None, None).await;
        assert_eq!(response.status(), 200);
    }
    let edit = "name=Amina+Diallo&email=d5%40example.org&organisation=ARTP&job_title=Director&country=SN&stakeholder_category=manufacturer&attendance=in_person&gender=female";
    form(app, token, &format!("/registrations/{}/edit", ids[5]), edit).await;
    form(
        app,
        token,
        &format!("/registrations/{}/promote", ids[7]),
        "",
    )
    .await;
    let withdraw = format!("/registrations/{}/withdraw", ids[2]);
    form(app, token, &withdraw, "confirm=1").await;
    let more = json!({"capacity": 5, "remote_capacity": 3});
    let patched = app
        .patch_as(token, &format!("/api/v1/sessions/{seats}"), more)
        .await;
    assert_eq!(patched.status(), 200);
    seats
}

/// A session where registrations await approval: approvals, a rejection, and a row deleted
/// outright.
async fn changes_of_approval(app: &TestApp, token: &str) -> String {
    let approval = open_session(app, token, json!({"approval_required": true})).await;
    let mut pending = Vec::new();
    for i in 20..25 {
        pending.push(register(app, &approval, i).await);
    }
    for (id, verb) in [
        (&pending[0], "approve"),
        (&pending[1], "reject"),
        (&pending[2], "approve"),
    ] {
        let path = format!("/api/v1/registrations/{id}/{verb}");
        let response = app.post_as(token, &path, json!({"comment": "ok"})).await;
        assert_eq!(response.status(), 200);
    }
    let gone = pending[3].clone();
    db::run(&app.pool, move |conn| {
        diesel::delete(registrations::table.find(gone)).execute(conn)?;
        Ok(())
    })
    .await
    .unwrap();
    approval
}

/// A list's total, as the API answers it and as its rows count.
async fn totals(app: &TestApp, token: &str, session: &str, filter: &str) -> (i64, usize) {
    let path = format!("/api/v1/sessions/{session}/registrations?limit=200&{filter}");
    let list: Value = app.get_as(token, &path).await.json().await.unwrap();
    (
        list["total"].as_i64().unwrap(),
        list["items"].as_array().unwrap().len(),
    )
}

async fn the_kept_counts_agree_with_the_rows_after_every_kind_of_change(app: TestApp) {
    let token = app.organiser().await;
    let seats = changes_of_seats(&app, &token).await;
    let approval = changes_of_approval(&app, &token).await;
    let (kept, counted) = db::run(&app.pool, |conn| {
        Ok((kept_counts(conn)?, row_counts(conn)?))
    })
    .await
    .unwrap();
    assert_eq!(kept, counted);
    let statuses: Vec<&str> = counted.keys().map(|(_, k)| k.3.as_str()).collect();
    for status in [
        "confirmed",
        "waitlisted",
        "cancelled",
        "rejected",
        "pending",
    ] {
        assert!(statuses.contains(&status), "some {status}: {statuses:?}");
    }
    for session in [&seats, &approval] {
        for filter in [
            "",
            "status=waitlisted",
            "status=confirmed&attendance=remote",
            "stakeholder_category=regulator&country_group=ldc",
            "country=SN",
            "attendance=in_person&status=cancelled",
        ] {
            let (total, rows) = totals(&app, &token, session, filter).await;
            assert_eq!(total, rows as i64, "{filter}");
        }
    }
}
