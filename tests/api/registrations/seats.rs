//! Seats: capacity increases, remote seats, and seats reserved for developing countries and LDCs.

use serde_json::{json, Value};

use super::*;
use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    raising_the_capacity_promotes_the_waiting_at_once,
    lowering_the_capacity_below_the_confirmed_demotes_nobody_and_confirms_nobody_until_seats_free,
    a_remote_delegate_gets_the_connection_link_as_the_place,
    a_waiting_remote_delegate_gets_the_connection_link_only_once_promoted,
    reserved_seats_go_to_developing_countries_and_ldcs_until_their_date,
    cancelling_the_session_tells_every_delegate_and_promotes_nobody,
);

async fn raising_the_capacity_promotes_the_waiting_at_once(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({"capacity": 1})).await;
    for email in ["p1@example.org", "p2@example.org", "p3@example.org"] {
        register(&app, &session, delegate(email, "JP")).await;
    }
    let patched = app
        .patch_as(
            &token,
            &format!("/api/v1/sessions/{session}"),
            json!({"capacity": 2}),
        )
        .await;
    assert_eq!(patched.status(), 200);
    let p2 = mail_to(&app, "p2@example.org").await;
    assert_eq!(calendar_of(p2.last().unwrap()).0, "REQUEST");
    assert_eq!(
        mail_to(&app, "p3@example.org").await.len(),
        1,
        "still waiting"
    );
    let list: Value = app
        .get_as(
            &token,
            &format!("/api/v1/sessions/{session}/registrations?status=confirmed"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 2);
}

async fn a_remote_delegate_gets_the_connection_link_as_the_place(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(
        &app,
        &token,
        json!({"remote_capacity": 1, "remote_url": "https://meet.example.org/q22"}),
    )
    .await;
    let mut body = delegate("far@example.org", "TV");
    body["attendance"] = json!("remote");
    let (_, placed) = register(&app, &session, body.clone()).await;
    assert_eq!(placed["status"], "confirmed");
    let (_, event) = calendar_of(&mail_to(&app, "far@example.org").await[0]);
    assert_eq!(event.location, "https://meet.example.org/q22");
    body["email"] = json!("far2@example.org");
    let (_, second) = register(&app, &session, body).await;
    assert_eq!(
        second["status"], "waitlisted",
        "remote seats are counted apart"
    );
    let (_, in_person) = register(&app, &session, delegate("near@example.org", "TV")).await;
    assert_eq!(in_person["status"], "confirmed");
}

async fn a_waiting_remote_delegate_gets_the_connection_link_only_once_promoted(app: TestApp) {
    const LINK: &str = "https://meet.example.org/q22-secret";
    let token = app.organiser().await;
    let session = open_session(
        &app,
        &token,
        json!({"remote_capacity": 1, "remote_url": LINK}),
    )
    .await;
    let remote = |email: &str| {
        let mut body = delegate(email, "TV");
        body["attendance"] = json!("remote");
        body
    };
    register(&app, &session, remote("seated@example.org")).await;
    let (_, waiting) = register(&app, &session, remote("waiting@example.org")).await;
    assert_eq!(waiting["status"], "waitlisted");
    let told = mail_to(&app, "waiting@example.org").await;
    assert_eq!(told.len(), 1);
    for body in [&told[0].text_body, &told[0].html_body] {
        assert!(!body.contains(LINK), "no link while waiting: {body}");
        assert!(body.contains("Where: Online"), "{body}");
    }
    let seated = token_of(&app, "seated@example.org").await;
    let cancelled = app
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/registrations/{seated}/cancel"),
            None,
            None,
        )
        .await;
    assert_eq!(cancelled.status(), 200);
    let promoted = mail_to(&app, "waiting@example.org").await;
    assert_eq!(promoted.len(), 2);
    assert!(
        promoted[1].text_body.contains(LINK),
        "{}",
        promoted[1].text_body
    );
    let (method, event) = calendar_of(&promoted[1]);
    assert_eq!(
        (method.as_str(), event.location.as_str()),
        ("REQUEST", LINK)
    );
    let gone = mail_to(&app, "seated@example.org").await;
    let last = gone.last().unwrap();
    assert_eq!(calendar_of(last).0, "CANCEL");
    assert!(!last.text_body.contains(LINK), "no link once cancelled");
}

async fn reserved_seats_go_to_developing_countries_and_ldcs_until_their_date(app: TestApp) {
    let token = app.organiser().await;
    let y = next_year();
    let until = format!("{y}-03-01T00:00:00Z");
    let session = open_session(
        &app,
        &token,
        json!({"capacity": 2, "reserved_seats": 1, "reserved_until": until}),
    )
    .await;
    assert_eq!(
        register(&app, &session, delegate("dev1@example.org", "JP"))
            .await
            .1["status"],
        "confirmed"
    );
    assert_eq!(
        register(&app, &session, delegate("dev2@example.org", "FR"))
            .await
            .1["status"],
        "waitlisted"
    );
    assert_eq!(
        register(&app, &session, delegate("ldc@example.org", "NP"))
            .await
            .1["status"],
        "confirmed"
    );
    let session2 = open_session(
        &app,
        &token,
        json!({"capacity": 2, "reserved_seats": 1, "reserved_until": until}),
    )
    .await;
    register(&app, &session2, delegate("a@example.org", "JP")).await;
    register(&app, &session2, delegate("b@example.org", "DE")).await;
    let released = app
        .patch_as(
            &token,
            &format!("/api/v1/sessions/{session2}"),
            json!({"reserved_seats": 0}),
        )
        .await;
    assert_eq!(released.status(), 200);
    let b = mail_to(&app, "b@example.org").await;
    assert_eq!(
        calendar_of(b.last().unwrap()).0,
        "REQUEST",
        "the released seat goes to the first waiting"
    );
    let too_many = app
        .patch_as(
            &token,
            &format!("/api/v1/sessions/{session2}"),
            json!({"reserved_seats": 3}),
        )
        .await;
    assert_eq!(too_many.status(), 422);
}

async fn cancelling_the_session_tells_every_delegate_and_promotes_nobody(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({"capacity": 1})).await;
    register(&app, &session, delegate("held@example.org", "JP")).await;
    register(&app, &session, delegate("waiting@example.org", "KE")).await;
    let path = format!("/api/v1/sessions/{session}/cancel");
    assert_eq!(
        app.post_as(&token, &path, json!({"reason": "Typhoon"}))
            .await
            .status(),
        200
    );
    let held = mail_to(&app, "held@example.org").await;
    assert_eq!(calendar_of(held.last().unwrap()).0, "CANCEL");
    let waiting = mail_to(&app, "waiting@example.org").await;
    assert_eq!(waiting.len(), 2);
    assert!(waiting[1].calendar.is_none() && waiting[1].subject.starts_with("Cancelled"));
    assert!(waiting[1].text_body.contains("Typhoon"));
    let link = token_of(&app, "held@example.org").await;
    let cancel = format!("/api/v1/registrations/{link}/cancel");
    let response = app
        .request(reqwest::Method::POST, &cancel, None, None)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        mail_to(&app, "waiting@example.org").await.len(),
        2,
        "no promotion into a cancelled session"
    );
}

async fn statuses(app: &TestApp, token: &str, session: &str) -> Vec<(String, String)> {
    let list: Value = app
        .get_as(token, &format!("/api/v1/sessions/{session}/registrations"))
        .await
        .json()
        .await
        .unwrap();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (email, status) = (r["email"].as_str(), r["status"].as_str());
            (email.unwrap().to_string(), status.unwrap().to_string())
        })
        .collect()
}

async fn lowering_the_capacity_below_the_confirmed_demotes_nobody_and_confirms_nobody_until_seats_free(
    app: TestApp,
) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({"capacity": 3})).await;
    let emails = [
        "c1@example.org",
        "c2@example.org",
        "c3@example.org",
        "w1@example.org",
        "w2@example.org",
    ];
    for email in emails {
        register(&app, &session, delegate(email, "JP")).await;
    }
    let mails_before: Vec<usize> = {
        let mut counts = Vec::new();
        for email in emails {
            counts.push(mail_to(&app, email).await.len());
        }
        counts
    };
    let patched = app
        .patch_as(
            &token,
            &format!("/api/v1/sessions/{session}"),
            json!({"capacity": 1}),
        )
        .await;
    assert_eq!(patched.status(), 200);
    let patched: Value = patched.json().await.unwrap();
    assert_eq!(patched["capacity"], 1);
    let notice = patched["notices"][0].as_str().unwrap_or_default();
    assert!(
        notice.contains("3 delegates are confirmed") && notice.contains("1 seat"),
        "the answer says plainly that more are confirmed than seats: {patched}"
    );
    let expected = |confirmed: &[&str]| -> Vec<(String, String)> {
        emails
            .iter()
            .map(|e| {
                let status = if confirmed.contains(e) {
                    "confirmed"
                } else {
                    "waitlisted"
                };
                (e.to_string(), status.to_string())
            })
            .collect()
    };
    assert_eq!(
        statuses(&app, &token, &session).await,
        expected(&emails[..3]),
        "nobody demoted"
    );
    for (email, before) in emails.iter().zip(&mails_before) {
        assert_eq!(
            mail_to(&app, email).await.len(),
            *before,
            "{email} is told nothing"
        );
    }
    // Two of the three confirmed cancel: one is still confirmed for the one seat, nobody moves up.
    for email in ["c1@example.org", "c2@example.org"] {
        let link = token_of(&app, email).await;
        let cancelled = app
            .request(
                reqwest::Method::POST,
                &format!("/api/v1/registrations/{link}/cancel"),
                None,
                Some(json!({})),
            )
            .await;
        assert_eq!(cancelled.status(), 200);
    }
    let now: Vec<(String, String)> = statuses(&app, &token, &session).await;
    let waiting: Vec<&str> = now
        .iter()
        .filter(|(_, s)| s == "waitlisted")
        .map(|(e, _)| e.as_str())
        .collect();
    assert_eq!(
        waiting,
        ["w1@example.org", "w2@example.org"],
        "no seat is free yet"
    );
    let link = token_of(&app, "c3@example.org").await;
    app.request(
        reqwest::Method::POST,
        &format!("/api/v1/registrations/{link}/cancel"),
        None,
        Some(json!({})),
    )
    .await;
    let now = statuses(&app, &token, &session).await;
    let confirmed: Vec<&str> = now
        .iter()
        .filter(|(_, s)| s == "confirmed")
        .map(|(e, _)| e.as_str())
        .collect();
    assert_eq!(
        confirmed,
        ["w1@example.org"],
        "the freed seat goes to the first waiting"
    );
    let patched = app
        .patch_as(
            &token,
            &format!("/api/v1/sessions/{session}"),
            json!({"title": "Renamed"}),
        )
        .await;
    let patched: Value = patched.json().await.unwrap();
    assert!(
        patched.get("notices").is_none(),
        "no notice once seats match: {patched}"
    );
}
