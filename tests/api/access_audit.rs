//! The audit trail for admins, rapporteur assignment, and staff reissuing secret links.

use serde_json::{json, Value};

use crate::browser::{expect_status, scoped_account, signed_in};
use crate::on_both_backends;
use crate::support::TestApp;
use seminars::access::Role;
use seminars::db;
use seminars::links::{self, Purpose};

on_both_backends!(
    admins_read_the_audit_trail_filtered_by_record_and_nobody_else_does,
    an_organiser_assigns_only_rapporteurs_to_a_session,
    staff_reissue_and_revoke_a_persons_link_and_the_old_one_stops_working,
);

async fn admins_read_the_audit_trail_filtered_by_record_and_nobody_else_does(app: TestApp) {
    let organiser = app.organiser().await;
    let meeting = app.meeting(&organiser).await;
    let session = app
        .session(&organiser, meeting["id"].as_str().unwrap())
        .await;
    let id = session["id"].as_str().unwrap();
    let admin = app.token(&[Role::Admin]).await;
    let path = format!("/api/v1/audit?record_kind=session&record_id={id}");
    let list: Value = app.get_as(&admin, &path).await.json().await.unwrap();
    assert_eq!(list["total"], 1);
    let event = &list["items"][0];
    assert_eq!(event["action"], "session.created");
    assert!(event["actor"].as_str().unwrap().starts_with("user:"));
    assert_eq!(
        event["changes"]["title"],
        "Sharing cybersecurity best practices"
    );
    assert!(event["at"].as_str().unwrap().ends_with('Z'));
    let all: Value = app
        .get_as(&admin, "/api/v1/audit?limit=1")
        .await
        .json()
        .await
        .unwrap();
    assert!(all["total"].as_i64().unwrap() > 1);
    assert_eq!(all["items"].as_array().unwrap().len(), 1);
    assert_eq!(app.get_as(&organiser, &path).await.status(), 403);
    assert_eq!(app.get(&path).await.status(), 401);
    let browser = signed_in(&app, &[Role::Admin]).await;
    let page = expect_status(
        browser
            .get(&format!("/admin/audit?record_kind=session&record_id={id}"))
            .await,
        200,
    )
    .await;
    assert!(page.contains("session.created") && page.contains(id));
    assert!(!page.contains("user.created"), "the page filters too");
}

async fn an_organiser_assigns_only_rapporteurs_to_a_session(app: TestApp) {
    let organiser = app.organiser().await;
    let meeting = app.meeting(&organiser).await;
    let session = app
        .session(&organiser, meeting["id"].as_str().unwrap())
        .await;
    let id = session["id"].as_str().unwrap();
    let (rapporteur, _, _) = scoped_account(&app, &[Role::Rapporteur], None).await;
    let (other, _, _) = scoped_account(&app, &[Role::Organiser], None).await;
    let path = format!("/api/v1/sessions/{id}/rapporteurs");
    let put = |token: String, body: Value| {
        let path = path.clone();
        let app = &app;
        async move {
            app.request(reqwest::Method::PUT, &path, Some(&token), Some(body))
                .await
        }
    };
    let answer = expect_status(
        put(organiser.clone(), json!({"user_ids": [rapporteur]})).await,
        200,
    )
    .await;
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["rapporteurs"][0]["id"], json!(rapporteur));
    let refused = expect_status(
        put(organiser.clone(), json!({"user_ids": [rapporteur, other]})).await,
        422,
    )
    .await;
    assert!(refused.contains(&other), "{refused}");
    let assigned = db::run(&app.pool, {
        let id = id.to_string();
        move |conn| Ok(seminars::rapporteurs::store::of_session(conn, &id)?)
    })
    .await
    .unwrap();
    assert_eq!(
        assigned,
        vec![rapporteur.clone()],
        "a refused change changes nothing"
    );
    let missing = app
        .request(
            reqwest::Method::PUT,
            "/api/v1/sessions/no-such-session/rapporteurs",
            Some(&organiser),
            Some(json!({"user_ids": []})),
        )
        .await;
    expect_status(missing, 404).await;
    let rapporteur_token = app.token(&[Role::Rapporteur]).await;
    expect_status(put(rapporteur_token, json!({"user_ids": []})).await, 403).await;
    expect_status(put(organiser.clone(), json!({"user_ids": []})).await, 200).await;
    let admin = app.token(&[Role::Admin]).await;
    let audit: Value = app
        .get_as(
            &admin,
            &format!("/api/v1/audit?record_kind=session&record_id={id}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(audit["items"][0]["action"], "session.rapporteurs_set");
    assert_eq!(
        audit["items"][0]["changes"]["rapporteurs"]["removed"],
        json!([rapporteur])
    );
}

async fn staff_reissue_and_revoke_a_persons_link_and_the_old_one_stops_working(app: TestApp) {
    let record = uuid::Uuid::new_v4().to_string();
    let old = db::run(&app.pool, {
        let record = record.clone();
        move |conn| {
            Ok(links::store::issue(
                conn,
                Purpose::Registration,
                &record,
                None,
                chrono::Utc::now(),
            )?)
        }
    })
    .await
    .unwrap();
    let organiser = app.organiser().await;
    let reissue = format!("/api/v1/links/registration/{record}/reissue");
    let answer: Value = serde_json::from_str(
        &expect_status(app.post_as(&organiser, &reissue, json!({})).await, 200).await,
    )
    .unwrap();
    let new = answer["token"].as_str().unwrap().to_string();
    assert_eq!(new.len(), 64);
    let live = |token: String| {
        db::run(&app.pool, move |conn| {
            Ok(
                links::store::resolve(conn, Purpose::Registration, &token, chrono::Utc::now())?
                    .is_some(),
            )
        })
    };
    assert!(!live(old).await.unwrap(), "the old link opens nothing");
    assert!(live(new.clone()).await.unwrap());
    let revoke = format!("/api/v1/links/registration/{record}/revoke");
    let revoked: Value = serde_json::from_str(
        &expect_status(app.post_as(&organiser, &revoke, json!({})).await, 200).await,
    )
    .unwrap();
    assert_eq!(revoked["revoked"], 1);
    assert!(!live(new).await.unwrap());
    for path in [
        format!(
            "/api/v1/links/registration/{}/reissue",
            uuid::Uuid::new_v4()
        ),
        format!("/api/v1/links/account_setup/{record}/reissue"),
        format!("/api/v1/links/nonsense/{record}/revoke"),
    ] {
        expect_status(app.post_as(&organiser, &path, json!({})).await, 404).await;
    }
    let rapporteur = app.token(&[Role::Rapporteur]).await;
    expect_status(app.post_as(&rapporteur, &reissue, json!({})).await, 403).await;
    let admin = app.token(&[Role::Admin]).await;
    let audit: Value = app
        .get_as(
            &admin,
            &format!("/api/v1/audit?record_kind=registration&record_id={record}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(audit["total"], 2);
    assert!(
        !audit
            .to_string()
            .contains(answer["token"].as_str().unwrap()),
        "no token in the audit trail"
    );
}
