//! Control characters at the edge: a NUL byte (which PostgreSQL refuses in text) or another
//! control character is refused before any handler reads it, on both backends, for anyone.

use serde_json::{json, Value};

use crate::browser::Browser;
use crate::on_both_backends;
use crate::registrations::{delegate, open_session, register};
use crate::support::TestApp;

on_both_backends!(
    a_nul_in_a_sign_in_email_is_a_422_naming_the_field_not_a_500,
    a_nul_in_registration_meeting_or_room_text_is_a_422_naming_each_field,
    a_path_with_a_control_character_is_a_404_and_a_query_with_one_a_422,
    a_form_field_with_a_nul_is_refused_naming_the_field,
    single_line_fields_refuse_line_breaks_and_long_texts_keep_them,
);

/// Asserts a problem details answer and answers its body.
async fn problem_of(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    response.json().await.unwrap()
}

fn names(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_object()
        .map(|e| e.keys().cloned().collect())
        .unwrap_or_default()
}

async fn a_nul_in_a_sign_in_email_is_a_422_naming_the_field_not_a_500(app: TestApp) {
    let body = json!({"email": "a\u{0}@x.org", "password": "whatever it is"});
    let response = app
        .request(
            reqwest::Method::POST,
            "/api/v1/auth/token",
            None,
            Some(body),
        )
        .await;
    let problem = problem_of(response, 422).await;
    assert_eq!(names(&problem), ["email"]);
    assert_eq!(
        problem["errors"]["email"][0],
        "must not contain control characters"
    );
}

async fn a_nul_in_registration_meeting_or_room_text_is_a_422_naming_each_field(app: TestApp) {
    let token = app
        .token(&[
            seminars::access::Role::Organiser,
            seminars::access::Role::Admin,
        ])
        .await;
    let session = open_session(&app, &token, json!({})).await;
    let mut body = delegate("nul@example.org", "KE");
    body["name"] = json!("Amina\u{0}Diallo");
    body["organisation"] = json!("Ministry\u{1b}[31m");
    let (status, problem) = register(&app, &session, body).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(names(&problem), ["name", "organisation"]);

    let mut meeting = crate::support::meeting_body();
    meeting["title"] = json!("SG1\u{0}");
    meeting["venue"] = json!("Geneva\u{7f}");
    let problem = problem_of(app.post_as(&token, "/api/v1/meetings", meeting).await, 422).await;
    assert_eq!(names(&problem), ["title", "venue"]);

    let room = json!({"name": "Room\u{0}A", "location": "Tower", "capacity": 20});
    let problem = problem_of(app.post_as(&token, "/api/v1/rooms", room).await, 422).await;
    assert_eq!(names(&problem), ["name"]);

    let booking = json!({"room_id": "x", "equipment": [{"equipment_id": "a\u{0}", "quantity": 1}]});
    let path = format!("/api/v1/sessions/{session}/bookings");
    let problem = problem_of(app.post_as(&token, &path, booking).await, 422).await;
    assert_eq!(names(&problem), ["equipment[0].equipment_id"]);
    let (status, _) = register(&app, &session, delegate("clean@example.org", "KE")).await;
    assert_eq!(status, 201, "the same request without the NUL is taken");
}

async fn a_path_with_a_control_character_is_a_404_and_a_query_with_one_a_422(app: TestApp) {
    for path in [
        "/api/v1/sessions/a%00b",
        "/api/v1/sessions/a%0Ab",
        "/api/v1/meetings/%09",
        "/api/v1/registrations/a%00b",
    ] {
        problem_of(app.get(path).await, 404).await;
    }
    for path in [
        "/sessions/a%00b",
        "/registrations/%00",
        "/sessions/a%0Db/register",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status(), 404, "{path}");
        assert!(page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
    }
    let problem = problem_of(app.get("/api/v1/sessions?status=a%00b").await, 422).await;
    assert_eq!(names(&problem), ["status"]);
    assert_eq!(app.get("/sign-in?next=%00").await.status(), 422);
    assert_eq!(
        app.get("/api/v1/sessions?x=%09").await.status(),
        200,
        "a TAB in a query is no danger"
    );
}

async fn a_form_field_with_a_nul_is_refused_naming_the_field(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    let browser = Browser::open(&app).await;
    let response = browser
        .post_form(
            &format!("/sessions/{session}/register"),
            &[
                ("name", "Amina\u{0}"),
                ("email", "amina@example.sn"),
                ("organisation", "ARTP"),
                ("job_title", "Director"),
                ("country", "SN"),
                ("stakeholder_category", "regulator"),
                ("attendance", "in_person"),
            ],
            true,
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("<strong>name</strong>"), "{page}");
    let sign_in = browser
        .post_form(
            "/sign-in",
            &[("email", "x\u{0}@example.org"), ("password", "p")],
            true,
        )
        .await;
    assert_eq!(sign_in.status(), 422);
}

async fn single_line_fields_refuse_line_breaks_and_long_texts_keep_them(app: TestApp) {
    let token = app.organiser().await;
    let mut meeting = crate::support::meeting_body();
    meeting["title"] = json!("SG1\nBcc: someone");
    meeting["venue"] = json!("Geneva\rVenue");
    let problem = problem_of(app.post_as(&token, "/api/v1/meetings", meeting).await, 422).await;
    assert_eq!(names(&problem), ["title", "venue"]);
    assert_eq!(problem["errors"]["title"][0], "must be a single line");
    let meeting = app.meeting(&token).await;
    let mut session = crate::support::session_body(meeting["id"].as_str().unwrap());
    session["title"] = json!("Two\nlines");
    let problem = problem_of(
        app.post_as(&token, "/api/v1/sessions", session.clone())
            .await,
        422,
    )
    .await;
    assert_eq!(names(&problem), ["title"]);
    session["title"] = json!("One line");
    session["description"] = json!("Two\r\nlines\tand a tab.");
    let created = app.post_as(&token, "/api/v1/sessions", session).await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["description"], "Two\r\nlines\tand a tab.");
}
