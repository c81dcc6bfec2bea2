//! Every list page and list API runs as many queries for a few rows as for many: the cost of a
//! page grows with the page, never with one query per row (an N+1 fails here, and the failure
//! shows the statements that repeated).

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::world::{World, MOST_UNITS};
use crate::on_both_backends_with;
use crate::support::{fixture, TestApp};
use seminars::config::Settings;
use seminars::db;

on_both_backends_with!(many_registrations; no_list_runs_more_queries_for_more_rows);

/// Registrations come from one address: no rate limit in the way.
fn many_registrations(settings: &mut Settings) {
    settings.limits.enabled = false;
}

/// Who reads a list.
#[derive(Clone, Copy)]
enum Reader {
    Admin,
    Rapporteur,
    Focal,
}

/// A list, who reads it, and whether its body must grow with the world (a check that the world
/// really grew under it).
struct List {
    reader: Reader,
    path: String,
    grows: bool,
}

fn list(reader: Reader, path: String, grows: bool) -> List {
    List {
        reader,
        path,
        grows,
    }
}

/// The registration lists, their export, statistics and directory, and the outbox.
fn registration_lists(w: &World) -> (Vec<String>, Vec<String>) {
    let (s, o, m, year) = (&w.session, &w.open, &w.meeting, fixture("YYYY"));
    let period = format!("from={year}-01-01&to={year}-12-31");
    let growing = vec![
        format!("/api/v1/sessions/{s}/registrations"),
        format!("/sessions/{s}/registrations"),
        format!("/api/v1/sessions/{s}/registrations?status=waitlisted"),
        format!("/sessions/{s}/registrations?attendance=remote"),
        format!("/api/v1/sessions/{s}/registrations.csv"),
        format!("/api/v1/sessions/{o}/registrations"),
        format!("/api/v1/sessions/{o}/registrations.csv"),
        format!("/sessions/{o}/directory"),
        "/api/v1/outbox".into(),
        "/outbox".into(),
    ];
    let steady = vec![
        format!("/api/v1/sessions/{s}/registrations/stats"),
        format!("/sessions/{s}/registrations/stats"),
        format!("/meetings/{m}/statistics"),
        format!("/meetings/{m}/statistics.csv"),
        format!("/statistics?{period}"),
        format!("/statistics.csv?{period}"),
    ];
    (growing, steady)
}

/// Meetings, sessions, accounts, audit, rooms and bookings, agendas, speakers.
fn other_lists(w: &World) -> (Vec<String>, Vec<String>) {
    let (s, m) = (&w.session, &w.meeting);
    let growing = vec![
        "/api/v1/meetings".into(),
        "/".into(),
        "/api/v1/sessions".into(),
        format!("/staff/meetings/{m}"),
        format!("/sessions/{s}"),
        format!("/staff/sessions/{s}"),
        "/api/v1/users".into(),
        "/admin/users".into(),
        "/api/v1/audit?record_kind=room".into(),
        "/admin/audit?record_kind=room".into(),
        "/api/v1/rooms".into(),
        "/admin/rooms".into(),
        "/api/v1/equipment".into(),
        "/admin/equipment".into(),
        format!("/meetings/{m}/rooms"),
        format!("/meetings/{m}/equipment"),
        format!("/api/v1/sessions/{s}/bookings"),
        format!("/api/v1/sessions/{s}/agenda"),
        format!("/sessions/{s}/agenda"),
        format!("/api/v1/sessions/{s}/agenda/versions"),
        format!("/api/v1/sessions/{s}/programme"),
        format!("/sessions/{s}/calendar.ics"),
        "/api/v1/speakers".into(),
        "/speakers".into(),
        format!("/api/v1/sessions/{s}/invitations"),
        format!("/api/v1/meetings/{m}/invitations"),
        format!("/api/v1/sessions/{s}/invitations.csv"),
        format!("/api/v1/meetings/{m}/invitations.csv"),
        format!("/sessions/{s}/speakers"),
        format!("/meetings/{m}/speakers"),
        format!("/sessions/{s}/copy"),
    ];
    // The whole audit trail is past a page already with few rows.
    let steady = [
        "/staff",
        "/api/v1/audit",
        "/admin/audit",
        "/api/v1/countries",
        "/admin/countries",
    ];
    (growing, steady.map(String::from).to_vec())
}

/// Every list page and list API of the world, as an admin reads them, then those a rapporteur
/// and a focal point read.
fn lists(w: &World) -> Vec<List> {
    use Reader::*;
    let mut all = Vec::new();
    for (growing, steady) in [registration_lists(w), other_lists(w)] {
        all.extend(growing.into_iter().map(|p| list(Admin, p, true)));
        all.extend(steady.into_iter().map(|p| list(Admin, p, false)));
    }
    let s = &w.session;
    all.push(list(Rapporteur, "/reviews".into(), true));
    all.push(list(Rapporteur, "/staff".into(), true));
    all.push(list(
        Focal,
        format!("/api/v1/sessions/{s}/registrations"),
        true,
    ));
    all.push(list(Focal, format!("/sessions/{s}/registrations"), true));
    all
}

/// What one request cost: statements sent, their text, and the body's length.
struct Cost {
    queries: u64,
    statements: Vec<String>,
    length: usize,
}

/// A new public generation, committed from here: the next public read asks the database for
/// the generation and renders again, so a cached page costs the same whenever it is measured.
async fn new_public_generation(app: &TestApp) {
    use seminars::db::schema::public_generation::dsl::*;
    db::run(&app.pool, |conn| {
        db::write(conn, |conn| {
            diesel::update(public_generation)
                .set(generation.eq(generation + 1))
                .execute(conn)?;
            Ok(())
        })
    })
    .await
    .expect("the public generation moves on");
}

async fn cost(app: &TestApp, token: &str, path: &str) -> Cost {
    new_public_generation(app).await;
    app.pool.record();
    let before = app.pool.queries();
    let response = app.get_as(token, path).await;
    let status = response.status();
    let body = response.bytes().await.expect("the whole body");
    let queries = app.pool.queries() - before;
    let statements = app.pool.recorded();
    assert_eq!(
        status,
        200,
        "{path}: {}",
        String::from_utf8_lossy(&body[..body.len().min(400)])
    );
    Cost {
        queries,
        statements,
        length: body.len(),
    }
}

async fn costs(app: &TestApp, w: &World) -> Vec<Cost> {
    let mut all = Vec::new();
    for l in lists(w) {
        let token = match l.reader {
            Reader::Admin => &w.admin,
            Reader::Rapporteur => &w.rapporteur,
            Reader::Focal => &w.focal,
        };
        all.push(cost(app, token, &l.path).await);
    }
    all
}

/// The statements run more often with many rows than with few, with how many more times.
fn repeated(few: &[String], many: &[String]) -> Vec<String> {
    let shape = |s: &String| s.split("-- binds").next().unwrap_or(s).trim().to_string();
    let mut extra: BTreeMap<String, i64> = BTreeMap::new();
    for s in many {
        *extra.entry(shape(s)).or_default() += 1;
    }
    for s in few {
        *extra.entry(shape(s)).or_default() -= 1;
    }
    extra
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|(s, n)| format!("    {n:+} × {s}"))
        .collect()
}

async fn no_list_runs_more_queries_for_more_rows(app: TestApp) {
    let mut w = World::new(&app).await;
    // Six: someone waits in each mode already, a Kenyan among them, as with many.
    w.register_up_to(&app, 6).await;
    w.grow_to(&app, 3).await;
    let few = costs(&app, &w).await;
    w.register_up_to(&app, 60).await;
    w.grow_to(&app, MOST_UNITS).await;
    let many = costs(&app, &w).await;
    let mut failures = Vec::new();
    for ((l, f), m) in lists(&w).iter().zip(&few).zip(&many) {
        if l.grows && m.length <= f.length {
            failures.push(format!("{}: the world did not grow under it", l.path));
        }
        if m.queries != f.queries {
            failures.push(format!(
                "{}: {} queries with few rows, {} with many:\n{}",
                l.path,
                f.queries,
                m.queries,
                repeated(&f.statements, &m.statements).join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
