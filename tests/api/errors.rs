use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::{fixture, TestApp};
use seminars::access::Role;

on_both_backends!(
    malformed_json_is_400_problem_details,
    a_wrong_content_type_is_415,
    a_body_over_the_limit_is_413,
    an_unknown_id_is_404_problem_details,
    fields_of_the_wrong_type_are_each_named_in_a_422,
    an_unknown_field_is_named,
    an_unknown_api_route_is_a_json_404_and_a_page_an_html_404,
    a_limit_or_offset_out_of_range_is_a_422_naming_it_on_every_list_and_pages_show_the_default,
    a_unique_violation_is_classified_once_and_answered_409,
    a_new_database_holds_the_countries_of_their_one_source,
    trace_or_another_method_on_a_known_path_is_405_with_allow,
);

async fn a_unique_violation_is_classified_once_and_answered_409(app: TestApp) {
    use diesel::RunQueryDsl;
    // Japan is in every new database (seeded from data/reference/countries.csv).
    let failed = seminars::db::run(&app.pool, |conn| {
        diesel::sql_query(
            "INSERT INTO countries (alpha2, alpha3, name, country_group, updated_at) \
             VALUES ('JP', 'JPN', 'Japan again', 'developed', '2026-12-01 00:00:00')",
        )
        .execute(conn)?;
        Ok(())
    })
    .await
    .expect_err("a second JP is refused");
    assert!(failed.is_unique_violation(), "{failed:?}");
    assert_eq!(failed.problem().0.as_u16(), 409);
    let (_, problem) = failed.problem();
    assert_eq!(problem.title, "Conflict");
}

async fn a_new_database_holds_the_countries_of_their_one_source(app: TestApp) {
    let csv = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/reference/countries.csv"),
    )
    .unwrap();
    let listed = csv.lines().skip(1).filter(|l| !l.trim().is_empty()).count();
    let body: Value = app.get("/api/v1/countries").await.json().await.unwrap();
    let served = body.as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(served, listed, "the table is the CSV");
    for backend in ["sqlite", "postgres"] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(backend);
        for entry in std::fs::read_dir(dir).unwrap() {
            let sql = std::fs::read_to_string(entry.unwrap().path().join("up.sql")).unwrap();
            assert!(
                !sql.contains("INSERT INTO countries"),
                "the migrations carry no copy of the list"
            );
        }
    }
}

async fn problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(body["title"].is_string() && body["detail"].is_string() && body["type"].is_string());
    body
}

async fn malformed_json_is_400_problem_details(app: TestApp) {
    let token = app.organiser().await;
    let response = app
        .client
        .post(app.url("/api/v1/meetings"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"kind\": ")
        .send()
        .await
        .unwrap();
    problem(response, 400).await;
}

async fn a_wrong_content_type_is_415(app: TestApp) {
    let token = app.organiser().await;
    let response = app
        .client
        .post(app.url("/api/v1/meetings"))
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .body("kind=study_group")
        .send()
        .await
        .unwrap();
    problem(response, 415).await;
}

async fn a_body_over_the_limit_is_413(app: TestApp) {
    let token = app.organiser().await;
    let huge = json!({"title": "x".repeat(200_000)});
    problem(app.post_as(&token, "/api/v1/meetings", huge).await, 413).await;
}

async fn an_unknown_id_is_404_problem_details(app: TestApp) {
    let token = app.organiser().await;
    problem(
        app.get("/api/v1/meetings/7d1b4a3e-1111-4222-8333-944455556666")
            .await,
        404,
    )
    .await;
    problem(app.get("/api/v1/sessions/not-even-a-uuid").await, 404).await;
    problem(
        app.post_as(
            &token,
            "/api/v1/sessions/7d1b4a3e-1111-4222-8333-944455556666/publish",
            json!({}),
        )
        .await,
        404,
    )
    .await;
}

async fn fields_of_the_wrong_type_are_each_named_in_a_422(app: TestApp) {
    let token = app.organiser().await;
    let meeting = app.meeting(&token).await;
    let body = json!({"meeting_id": meeting["id"], "kind": 7, "title": ["a"], "starts_at": "tomorrow",
        "ends_at": fixture("YYYY-03-10T17:30:00+01:00"), "capacity": "fifty", "remote_capacity": -1});
    let body = problem(app.post_as(&token, "/api/v1/sessions", body).await, 422).await;
    for field in ["kind", "title", "starts_at", "capacity", "remote_capacity"] {
        assert!(
            body["errors"][field].is_array(),
            "{field} not named in {body}"
        );
    }
}

async fn an_unknown_field_is_named(app: TestApp) {
    let token = app.organiser().await;
    let mut body = crate::support::meeting_body();
    body["venu"] = json!("Geneva");
    let body = problem(app.post_as(&token, "/api/v1/meetings", body).await, 422).await;
    assert!(body["errors"]["venu"].is_array());
}

async fn an_unknown_api_route_is_a_json_404_and_a_page_an_html_404(app: TestApp) {
    problem(app.get("/api/v1/nothing-here").await, 404).await;
    let page = app.get("/no/such/page").await;
    assert_eq!(page.status(), 404);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
}

async fn trace_or_another_method_on_a_known_path_is_405_with_allow(app: TestApp) {
    for method in ["TRACE", "PUT"] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let answer = app
            .request(method.clone(), "/api/v1/sessions", None, None)
            .await;
        let mut allowed: Vec<&str> = answer.headers()["allow"]
            .to_str()
            .unwrap()
            .split(", ")
            .collect();
        allowed.sort();
        assert_eq!(allowed, ["GET", "POST"], "{method}");
        problem(answer, 405).await;
    }
}

async fn a_limit_or_offset_out_of_range_is_a_422_naming_it_on_every_list_and_pages_show_the_default(
    app: TestApp,
) {
    let token = app.token(&[Role::Admin, Role::Organiser]).await;
    let (session, _) = app.scheduled_session(&token).await;
    let session = session["id"].as_str().unwrap();
    let registrations = format!("/api/v1/sessions/{session}/registrations");
    let lists = [
        "/api/v1/meetings",
        "/api/v1/sessions",
        "/api/v1/rooms",
        "/api/v1/equipment",
        "/api/v1/users",
        "/api/v1/outbox",
        "/api/v1/audit",
        &registrations,
    ];
    for list in lists {
        for (query, named) in [
            ("limit=0", "limit"),
            ("limit=-1", "limit"),
            ("limit=201", "limit"),
            ("offset=-1", "offset"),
        ] {
            let path = format!("{list}?{query}");
            let body = problem(app.get_as(&token, &path).await, 422).await;
            assert!(body["errors"][named].is_array(), "{path}: {body}");
        }
        let body: Value = app
            .get_as(&token, &format!("{list}?limit=200&offset=0"))
            .await
            .json()
            .await
            .unwrap();
        assert!(body["items"].is_array(), "{list}: the largest page is fine");
    }
    for page in [
        "/outbox?limit=0&offset=-3".to_string(),
        "/outbox?limit=abc".to_string(),
        "/admin/audit?offset=-5".to_string(),
        "/admin/audit?offset=many".to_string(),
        "/admin/users?offset=-1".to_string(),
        "/admin/users?offset=x".to_string(),
        format!("/sessions/{session}/registrations?limit=-1&offset=x"),
    ] {
        let response = app.get_as(&token, &page).await;
        assert_eq!(response.status(), 200, "{page} shows the default page");
    }
}
