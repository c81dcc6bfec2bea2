use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::{fixture, meeting_body, TestApp};
use seminars::access::Role;

on_both_backends!(
    an_organiser_creates_a_meeting_and_anyone_reads_it,
    a_meeting_with_bad_fields_names_every_one,
    only_organisers_create_meetings,
    meetings_are_listed_a_page_at_a_time,
);

async fn an_organiser_creates_a_meeting_and_anyone_reads_it(app: TestApp) {
    let token = app.organiser().await;
    let meeting = app.meeting(&token).await;
    assert_eq!(meeting["timezone"], "Europe/Zurich");
    assert_eq!(meeting["first_day"], fixture("YYYY-03-09"));
    let id = meeting["id"].as_str().unwrap();
    let read: Value = app
        .get(&format!("/api/v1/meetings/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["title"], meeting["title"]);
    assert_eq!(read["sessions"], json!([]));
}

async fn a_meeting_with_bad_fields_names_every_one(app: TestApp) {
    let token = app.organiser().await;
    let mut body = meeting_body();
    body["kind"] = json!("plenary");
    body["timezone"] = json!("Europe/Atlantis");
    body["last_day"] = json!(fixture("YYYY-03-01"));
    body["title"] = json!("   ");
    let response = app.post_as(&token, "/api/v1/meetings", body).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    for field in ["kind", "timezone", "last_day", "title"] {
        assert!(
            problem["errors"][field].is_array(),
            "{field} not named in {problem}"
        );
    }
    let list: Value = app.get("/api/v1/meetings").await.json().await.unwrap();
    assert_eq!(list["total"], 0, "nothing half-written");
}

async fn only_organisers_create_meetings(app: TestApp) {
    let rapporteur = app.token(&[Role::Rapporteur]).await;
    assert_eq!(
        app.post_as(&rapporteur, "/api/v1/meetings", meeting_body())
            .await
            .status(),
        403
    );
    let response = app
        .request(
            reqwest::Method::POST,
            "/api/v1/meetings",
            None,
            Some(meeting_body()),
        )
        .await;
    assert_eq!(response.status(), 401);
    let admin = app.token(&[Role::Admin]).await;
    assert_eq!(
        app.post_as(&admin, "/api/v1/meetings", meeting_body())
            .await
            .status(),
        201
    );
}

async fn meetings_are_listed_a_page_at_a_time(app: TestApp) {
    let token = app.organiser().await;
    for day in 1..=3 {
        let mut body = meeting_body();
        body["first_day"] = json!(fixture(&format!("YYYY-0{day}-09")));
        body["last_day"] = json!(fixture(&format!("YYYY-0{day}-10")));
        assert_eq!(
            app.post_as(&token, "/api/v1/meetings", body).await.status(),
            201
        );
    }
    let page: Value = app
        .get("/api/v1/meetings?limit=2&offset=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 3);
    let days: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["first_day"].as_str().unwrap())
        .collect();
    assert_eq!(days, [fixture("YYYY-02-09"), fixture("YYYY-03-09")]);
}
