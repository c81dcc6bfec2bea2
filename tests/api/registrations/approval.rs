//! Approval by the focal point of the delegate's administration or entity, one by one and in bulk.

use serde_json::{json, Value};

use super::{calendar_of, delegate, focal_point, mail_to, open_session, register};
use crate::on_both_backends;
use crate::support::TestApp;
use seminars::access::Role;

on_both_backends!(
    a_registration_waits_for_the_focal_point_of_the_delegates_administration_or_entity,
    bulk_decisions_check_the_scope_of_every_id_and_change_nothing_otherwise,
    a_focal_point_decides_once_from_the_link_in_their_email,
);

async fn decide(app: &TestApp, token: &str, id: &str, verb: &str, comment: Value) -> (u16, Value) {
    let response = app
        .post_as(
            token,
            &format!("/api/v1/registrations/{id}/{verb}"),
            comment,
        )
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn from(email: &str, country: &str, organisation: &str) -> Value {
    let mut body = delegate(email, country);
    body["organisation"] = json!(organisation);
    body
}

async fn a_registration_waits_for_the_focal_point_of_the_delegates_administration_or_entity(
    app: TestApp,
) {
    let organiser = app.organiser().await;
    let session = open_session(
        &app,
        &organiser,
        json!({"capacity": 1, "approval_required": true}),
    )
    .await;
    let (kenya_email, kenya) = focal_point(&app, Some("KE"), None).await;
    let (japan_email, japan) = focal_point(&app, Some("JP"), None).await;
    let (_, member) = focal_point(&app, None, Some("Safaricom PLC")).await;
    let (status, ke) = register(
        &app,
        &session,
        from("wanjiku@example.ke", "KE", "Communications Authority"),
    )
    .await;
    assert_eq!((status, ke["status"].as_str()), (201, Some("pending")));
    let told = mail_to(&app, "wanjiku@example.ke").await;
    assert!(told.len() == 1 && told[0].calendar.is_none());
    let asked = mail_to(&app, &kenya_email).await;
    assert_eq!(asked.len(), 1);
    assert!(asked[0].text_body.contains("/decisions/"));
    assert!(
        mail_to(&app, &japan_email).await.is_empty(),
        "only the delegate's own focal point is asked"
    );
    let id = ke["id"].as_str().unwrap();
    assert_eq!(
        decide(&app, &japan, id, "approve", json!({})).await.0,
        404,
        "outside Japan's scope"
    );
    let rapporteur = app.token(&[Role::Rapporteur]).await;
    assert_eq!(
        decide(&app, &rapporteur, id, "approve", json!({})).await.0,
        404
    );
    let (status, approved) =
        decide(&app, &kenya, id, "approve", json!({"comment": "Nominated"})).await;
    assert_eq!(
        (status, approved["status"].as_str()),
        (200, Some("confirmed"))
    );
    assert_eq!(
        calendar_of(mail_to(&app, "wanjiku@example.ke").await.last().unwrap()).0,
        "REQUEST"
    );
    assert_eq!(
        decide(&app, &kenya, id, "approve", json!({})).await.0,
        409,
        "decided already"
    );
    let (_, tz) = register(
        &app,
        &session,
        from("juma@example.tz", "TZ", "Safaricom PLC"),
    )
    .await;
    let (status, waiting) = decide(
        &app,
        &member,
        tz["id"].as_str().unwrap(),
        "approve",
        json!({}),
    )
    .await;
    assert_eq!(
        (status, waiting["status"].as_str()),
        (200, Some("waitlisted")),
        "approved, but the seat is taken"
    );
    let (_, own) = register(&app, &session, from(&kenya_email, "KE", "Ministry")).await;
    assert_eq!(
        own["status"], "waitlisted",
        "a focal point's own registration needs no approval"
    );
    let (status, rejected) = decide(
        &app,
        &organiser,
        id,
        "reject",
        json!({"comment": "Duplicate nomination"}),
    )
    .await;
    assert_eq!(
        (status, rejected["status"].as_str()),
        (200, Some("rejected"))
    );
    assert_eq!(
        calendar_of(mail_to(&app, "wanjiku@example.ke").await.last().unwrap()).0,
        "CANCEL"
    );
    let juma = mail_to(&app, "juma@example.tz").await;
    assert_eq!(
        calendar_of(juma.last().unwrap()).0,
        "REQUEST",
        "the freed seat goes to the first waiting"
    );
}

async fn bulk_decisions_check_the_scope_of_every_id_and_change_nothing_otherwise(app: TestApp) {
    let organiser = app.organiser().await;
    let session = open_session(
        &app,
        &organiser,
        json!({"capacity": 10, "approval_required": true}),
    )
    .await;
    let (_, kenya) = focal_point(&app, Some("KE"), None).await;
    let mut ids = Vec::new();
    for (email, country) in [
        ("k1@example.ke", "KE"),
        ("k2@example.ke", "KE"),
        ("j1@example.jp", "JP"),
    ] {
        ids.push(
            register(&app, &session, delegate(email, country)).await.1["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let bulk = format!("/api/v1/sessions/{session}/registrations/bulk");
    let all = app
        .post_as(&kenya, &bulk, json!({"action": "confirm", "ids": ids}))
        .await;
    assert_eq!(all.status(), 404, "one id is outside Kenya's scope");
    let list = format!("/api/v1/sessions/{session}/registrations?status=pending");
    let pending: Value = app.get_as(&organiser, &list).await.json().await.unwrap();
    assert_eq!(pending["total"], 3, "nothing changed");
    let kenyans = app
        .post_as(
            &kenya,
            &bulk,
            json!({"action": "confirm", "ids": &ids[..2]}),
        )
        .await;
    assert_eq!(kenyans.status(), 200);
    assert_eq!(kenyans.json::<Value>().await.unwrap()["count"], 2);
    let again = app
        .post_as(&organiser, &bulk, json!({"action": "confirm", "ids": ids}))
        .await;
    assert_eq!(again.status(), 409);
    let problem: Value = again.json().await.unwrap();
    assert_eq!(problem["ids"].as_array().unwrap().len(), 2);
    let email = json!({"action": "email", "ids": &ids[2..], "subject": "Visa letters", "message": "Please reply."});
    assert_eq!(
        app.post_as(&kenya, &bulk, email.clone()).await.status(),
        403
    );
    assert_eq!(app.post_as(&organiser, &bulk, email).await.status(), 200);
    let sent = mail_to(&app, "j1@example.jp").await;
    assert_eq!(sent.last().unwrap().subject, "Visa letters");
    let other = open_session(&app, &organiser, json!({})).await;
    let elsewhere = format!("/api/v1/sessions/{other}/registrations/bulk");
    let response = app
        .post_as(
            &organiser,
            &elsewhere,
            json!({"action": "reject", "ids": &ids[2..]}),
        )
        .await;
    assert_eq!(response.status(), 404, "ids of another session");
    let bad = app
        .post_as(&organiser, &bulk, json!({"action": "explode", "ids": []}))
        .await;
    assert_eq!(bad.status(), 422);
}

async fn a_focal_point_decides_once_from_the_link_in_their_email(app: TestApp) {
    let organiser = app.organiser().await;
    let session = open_session(&app, &organiser, json!({"approval_required": true})).await;
    let (fp_email, _) = focal_point(&app, Some("SN"), None).await;
    register(&app, &session, delegate("awa@example.sn", "SN")).await;
    let mail = mail_to(&app, &fp_email).await;
    let at = mail[0].text_body.find("/decisions/").unwrap();
    let path = mail[0].text_body[at..at + 11 + 64].to_string();
    let browser = crate::browser::Browser::open(&app).await;
    let page = browser.get(&path).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("Ministry of ICT") && page.contains("name=\"action\" value=\"approve\""));
    let csrf = crate::browser::csrf_of(&page).expect("the decision form carries a CSRF token");
    let decided = browser
        .client
        .post(app.url(&path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("action=approve&comment=Fine&csrf_token={csrf}"))
        .send()
        .await
        .unwrap();
    assert_eq!(decided.status(), 200);
    assert!(decided.text().await.unwrap().contains("Confirmed"));
    assert_eq!(
        calendar_of(mail_to(&app, "awa@example.sn").await.last().unwrap()).0,
        "REQUEST"
    );
    assert_eq!(app.get(&path).await.status(), 404, "the link works once");
}
