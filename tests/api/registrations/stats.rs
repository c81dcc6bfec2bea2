//! Statistics across a meeting's sessions and across the meetings of a period, with gender,
//! the chart and a CSV with a byte-order mark.

use serde_json::{json, Value};

use super::{delegate, next_year, register};
use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    a_meetings_statistics_add_up_its_sessions_with_gender,
    the_statistics_csv_has_a_bom_words_and_no_formulas,
    a_periods_statistics_count_only_its_meetings,
    gender_is_optional_kept_and_refused_when_unknown,
);

/// A published meeting in March of `year` with two sessions; answers (meeting, [sessions]).
async fn meeting_with_two_sessions(app: &TestApp, token: &str, year: i32) -> (String, Vec<String>) {
    let mut meeting = crate::support::meeting_body();
    meeting["first_day"] = json!(format!("{year}-03-09"));
    meeting["last_day"] = json!(format!("{year}-03-13"));
    let meeting: Value = app
        .post_as(token, "/api/v1/meetings", meeting)
        .await
        .json()
        .await
        .unwrap();
    let id = meeting["id"].as_str().unwrap().to_string();
    let mut sessions = Vec::new();
    for day in [10, 11] {
        let mut body = crate::support::session_body(&id);
        body["starts_at"] = json!(format!("{year}-03-{day}T14:30:00+01:00"));
        body["ends_at"] = json!(format!("{year}-03-{day}T17:30:00+01:00"));
        let session: Value = app
            .post_as(token, "/api/v1/sessions", body)
            .await
            .json()
            .await
            .unwrap();
        let sid = session["id"].as_str().unwrap().to_string();
        let publish = format!("/api/v1/sessions/{sid}/publish");
        assert_eq!(app.post_as(token, &publish, json!({})).await.status(), 200);
        sessions.push(sid);
    }
    (id, sessions)
}

fn with_gender(email: &str, country: &str, gender: &str) -> Value {
    let mut body = delegate(email, country);
    body["gender"] = json!(gender);
    body
}

async fn a_meetings_statistics_add_up_its_sessions_with_gender(app: TestApp) {
    let token = app.organiser().await;
    let (meeting, sessions) = meeting_with_two_sessions(&app, &token, next_year()).await;
    register(
        &app,
        &sessions[0],
        with_gender("a@example.jp", "JP", "female"),
    )
    .await;
    register(
        &app,
        &sessions[1],
        with_gender("b@example.sn", "SN", "female"),
    )
    .await;
    register(&app, &sessions[1], delegate("c@example.ke", "KE")).await;
    let page = app
        .get_as(&token, &format!("/meetings/{meeting}/statistics"))
        .await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("<span id=\"sessions-counted\">2</span>"),
        "{page}"
    );
    assert!(page.contains("<svg"), "the chart");
    let gender = &page[page.find("id=\"by-gender\"").unwrap()..];
    assert!(
        gender.contains("<th scope=\"row\">Woman</th><td>2</td><td>0</td><td><strong>2</strong>"),
        "{gender}"
    );
    assert!(gender.contains("<th scope=\"row\">Not answered</th><td>1</td>"));
    // The session's own statistics count the gender too, on the API.
    let api: Value = app
        .get_as(
            &token,
            &format!("/api/v1/sessions/{}/registrations/stats", sessions[1]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(api["by_gender"]["female"]["total"], 1);
    assert_eq!(api["by_gender"]["not_answered"]["total"], 1);
    assert_eq!(api["total"], 2);
}

async fn the_statistics_csv_has_a_bom_words_and_no_formulas(app: TestApp) {
    let token = app.organiser().await;
    let (meeting, sessions) = meeting_with_two_sessions(&app, &token, next_year()).await;
    let mut body = with_gender("d@example.ci", "CI", "male");
    body["stakeholder_category"] = json!("regulator");
    register(&app, &sessions[0], body).await;
    let response = app
        .get_as(&token, &format!("/meetings/{meeting}/statistics.csv"))
        .await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a UTF-8 byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        text.contains("Category × country group,Regulator,Developing,1,0,1,1.0000"),
        "{text}"
    );
    assert!(text.contains("Gender,Man,,1,0,1,1.0000"), "{text}");
    assert!(!text.contains("regulator,"), "categories in words");
    assert!(text
        .lines()
        .flat_map(|l| l.split(','))
        .all(|cell| !cell.starts_with(['=', '+', '-', '@'])));
}

async fn a_periods_statistics_count_only_its_meetings(app: TestApp) {
    let token = app.organiser().await;
    let year = next_year();
    let (_, this_year) = meeting_with_two_sessions(&app, &token, year).await;
    let (_, later) = meeting_with_two_sessions(&app, &token, year + 1).await;
    register(&app, &this_year[0], delegate("e@example.jp", "JP")).await;
    register(&app, &later[0], delegate("f@example.jp", "JP")).await;
    register(&app, &later[1], delegate("g@example.jp", "JP")).await;
    let path = format!("/statistics?from={year}-01-01&to={year}-12-31");
    let page = app.get_as(&token, &path).await.text().await.unwrap();
    assert!(
        page.contains("<span id=\"sessions-counted\">2</span>"),
        "{page}"
    );
    let csv = app
        .get_as(
            &token,
            &format!("/statistics.csv?from={year}-01-01&to={}-12-31", year + 1),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("Total,,,3,0,3,1.0000"), "{csv}");
    let bad = app
        .get_as(&token, "/statistics?from=soon")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        bad.contains("id=\"from-error\""),
        "the error beside its field"
    );
    assert!(bad.contains("value=\"soon\""), "what was typed is kept");
}

async fn gender_is_optional_kept_and_refused_when_unknown(app: TestApp) {
    let token = app.organiser().await;
    let (_, sessions) = meeting_with_two_sessions(&app, &token, next_year()).await;
    let (status, body) = register(
        &app,
        &sessions[0],
        with_gender("h@example.jp", "JP", "robot"),
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("gender"), "{body}");
    let (status, _) = register(
        &app,
        &sessions[0],
        with_gender("h@example.jp", "JP", "other"),
    )
    .await;
    assert_eq!(status, 201);
    let list: Value = app
        .get_as(
            &token,
            &format!("/api/v1/sessions/{}/registrations", sessions[0]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["gender"], "other");
    let form = app
        .get(&format!("/sessions/{}/register", sessions[0]))
        .await
        .text()
        .await
        .unwrap();
    assert!(form.contains("name=\"gender\" value=\"undisclosed\""));
}
