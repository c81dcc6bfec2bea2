//! Organisers' lists, CSV and statistics, and the countries reference list.

use serde_json::{json, Value};

use super::*;
use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    organisers_filter_export_and_count_registrations,
    importing_countries_changes_new_registrations_and_keeps_old_groups,
);

async fn organisers_filter_export_and_count_registrations(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({"capacity": 2, "remote_capacity": 10})).await;
    register(&app, &session, delegate("jp@example.org", "JP")).await;
    let mut regulator = delegate("ne@example.org", "NE");
    regulator["stakeholder_category"] = json!("regulator");
    regulator["organisation"] = json!("=cmd|' /C calc'!A0");
    regulator["visa_letter_needed"] = json!(true);
    regulator["passport_name"] = json!("AMADOU ISSA");
    regulator["nationality"] = json!("NE");
    regulator["passport_number"] = json!("N0123456");
    regulator["passport_expiry"] = json!(format!("{}-01-01", next_year() + 3));
    register(&app, &session, regulator).await;
    let mut remote = delegate("ke@example.org", "KE");
    remote["attendance"] = json!("remote");
    register(&app, &session, remote).await;
    let path = format!("/api/v1/sessions/{session}/registrations");
    let ldc: Value = app
        .get_as(&token, &format!("{path}?country_group=ldc"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ldc["total"], 1);
    assert_eq!(ldc["items"][0]["visa"]["passport_number"], "N0123456");
    let regulators: Value = app
        .get_as(
            &token,
            &format!("{path}?stakeholder_category=regulator&attendance=in_person"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(regulators["total"], 1);
    assert_eq!(
        app.get_as(&token, &format!("{path}?status=lost"))
            .await
            .status(),
        422
    );
    let page: Value = app
        .get_as(&token, &format!("{path}?limit=1&offset=1"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            page["total"].as_i64(),
            page["items"].as_array().unwrap().len()
        ),
        (Some(3), 1)
    );
    let csv = app.get_as(&token, &format!("{path}.csv?country=NE")).await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    assert_eq!(csv.lines().count(), 2);
    assert!(csv.contains("N0123456") && csv.contains("'=cmd"), "{csv}");
    let stats: Value = app
        .get_as(&token, &format!("{path}/stats"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stats["total"], 3);
    assert_eq!(stats["by_status"]["confirmed"], 3);
    let cell = stats["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["stakeholder_category"] == "policy_maker" && c["country_group"] == "developing")
        .unwrap();
    assert_eq!(
        (cell["remote"].as_i64(), cell["in_person"].as_i64()),
        (Some(1), Some(0))
    );
    assert_eq!(app.get(&path).await.status(), 401);
    let rapporteur = app.token(&[Role::Rapporteur]).await;
    assert_eq!(app.get_as(&rapporteur, &path).await.status(), 403);
    assert_eq!(
        app.get_as(&rapporteur, &format!("{path}/stats"))
            .await
            .status(),
        403
    );
    let (_, kenya) = focal_point(&app, Some("KE"), None).await;
    let scoped: Value = app.get_as(&kenya, &path).await.json().await.unwrap();
    assert_eq!(
        scoped["total"], 1,
        "a focal point lists their own delegates"
    );
    assert!(scoped["items"][0].get("visa").is_none());
}

async fn importing_countries_changes_new_registrations_and_keeps_old_groups(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    let (_, before) = register(&app, &session, delegate("np1@example.org", "NP")).await;
    assert_eq!(before["country_group"], "ldc");
    let csv = include_str!("../../../data/reference/countries.csv")
        .replace("NP,NPL,Nepal,ldc", "NP,NPL,Nepal,developing");
    let admin = app.token(&[Role::Admin]).await;
    let import = |body: String, bearer: String| {
        app.client
            .post(app.url("/api/v1/countries/import?confirm=true"))
            .bearer_auth(bearer)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };
    assert_eq!(
        import(csv.clone(), token.clone()).await.unwrap().status(),
        403
    );
    let bad = import(
        "alpha2,alpha3,name,group\nNP,NPL,Nepal,graduated\n".into(),
        admin.clone(),
    )
    .await
    .unwrap();
    assert_eq!(bad.status(), 422);
    let problem: Value = bad.json().await.unwrap();
    assert!(problem["errors"]["file"][0]
        .as_str()
        .unwrap()
        .contains("line 2"));
    let report: Value = import(csv, admin).await.unwrap().json().await.unwrap();
    assert_eq!(report["regrouped"], json!(["NP: ldc → developing"]));
    let (_, after) = register(&app, &session, delegate("np2@example.org", "NP")).await;
    assert_eq!(after["country_group"], "developing");
    let old: Value = app
        .get_as(
            &token,
            &format!("/api/v1/sessions/{session}/registrations?country_group=ldc"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        old["items"][0]["id"], before["id"],
        "the first keeps its stored group"
    );
    let countries: Value = app.get("/api/v1/countries").await.json().await.unwrap();
    assert_eq!(countries.as_array().unwrap().len(), 249);
}
