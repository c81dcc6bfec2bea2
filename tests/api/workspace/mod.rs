//! The organiser's workspace as a form-posting browser uses it: meetings and sessions created,
//! edited, published and cancelled from pages; the session hub's bookings and rapporteurs; the
//! meeting's timetable; dashboards per role; a walk over every link as every role.

mod browser;
mod dashboards;
mod hub;
mod pages;
mod walker;

use serde_json::{json, Value};

use crate::browser::Browser;
use crate::support::{fixture, TestApp};

/// A page's status and body.
pub async fn page(browser: &Browser, path: &str) -> (u16, String) {
    let response = browser.get(path).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Where a 303 leads.
pub fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

/// A bearer token of an admin, for rooms and equipment.
pub async fn admin(app: &TestApp) -> String {
    app.token(&[seminars::access::Role::Admin]).await
}

/// Creates a room and answers its id.
pub async fn room(app: &TestApp, admin: &str, name: &str, capacity: i64) -> String {
    let body = json!({"name": name, "location": "ITU tower", "capacity": capacity, "features": []});
    let response = app.post_as(admin, "/api/v1/rooms", body).await;
    assert_eq!(response.status(), 201);
    let room: Value = response.json().await.unwrap();
    room["id"].as_str().unwrap().to_string()
}

/// Creates an equipment item and answers its id.
pub async fn item(app: &TestApp, admin: &str, name: &str, kind: &str, quantity: i64) -> String {
    let body = json!({"name": name, "kind": kind, "quantity": quantity});
    let response = app.post_as(admin, "/api/v1/equipment", body).await;
    assert_eq!(response.status(), 201);
    let item: Value = response.json().await.unwrap();
    item["id"].as_str().unwrap().to_string()
}

/// The session form's fields: a seminar on 10 March 14:30–17:30 local.
pub fn session_form(title: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("kind", "seminar"),
        ("title", title),
        ("description", "Experts from three regions."),
        ("date", "YYYY-03-10"),
        ("start", "14:30"),
        ("end", "17:30"),
        ("capacity", "30"),
        ("remote_capacity", "10"),
    ]
}

/// The id at the end of a `/staff/sessions/{id}` or `/staff/meetings/{id}` address.
pub fn id_in(path: &str) -> String {
    path.rsplit('/').next().unwrap().to_string()
}

/// The meeting form's fields, 9–13 March of the fixtures' year in Geneva.
pub fn meeting_form(title: &'static str) -> Vec<(&'static str, String)> {
    vec![
        ("kind", "study_group".into()),
        ("study_group", "1".into()),
        ("question", "22-1/1".into()),
        ("title", title.into()),
        ("venue", "ITU headquarters, Geneva".into()),
        ("timezone", "Europe/Zurich".into()),
        ("first_day", fixture("YYYY-03-09")),
        ("last_day", fixture("YYYY-03-13")),
    ]
}
