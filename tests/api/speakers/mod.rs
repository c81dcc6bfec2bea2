//! Speaker dispatch: the directory, invitations answered through the secret link (over real
//! SMTP), overlaps and their race, travel and its CSV, reminders, the public programme, the
//! dispatch board, and a real browser following the link from the email.

mod board;
mod browser;
mod directory;
mod flow;
mod public;
mod races;
mod reminders;
mod travel;

use serde_json::{json, Value};

use crate::agendas::{four_items, setup, Setup};
use crate::support::TestApp;
use seminars::db;

/// A session with four agenda items (opening, presentation, break, discussion) and a speaker.
pub struct Stage {
    pub s: Setup,
    pub items: Vec<String>,
    pub speaker: String,
}

/// Adds a speaker through the API and answers their id.
pub async fn speaker(app: &TestApp, organiser: &str, name: &str, email: &str) -> String {
    let body = json!({"name": name, "email": email, "organisation": "MIC", "organisation_kind": "member_state",
        "country": "JP", "bio": format!("{name} leads incident response.")});
    let response = app.post_as(organiser, "/api/v1/speakers", body).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    created["id"].as_str().unwrap().to_string()
}

/// A session with four items and one speaker, Aiko Tanaka.
pub async fn stage(app: &TestApp) -> Stage {
    let s = setup(app).await;
    let items = four_items(app, &s).await;
    let speaker = speaker(app, &s.organiser, "Aiko Tanaka", "aiko@example.jp").await;
    Stage { s, items, speaker }
}

/// Invites a speaker to an item; answers the status and body.
pub async fn invite(app: &TestApp, st: &Stage, item: &str, speaker: &str) -> (u16, Value) {
    let path = format!(
        "/api/v1/sessions/{}/agenda/items/{item}/invitations",
        st.s.session
    );
    let body = json!({"speaker_id": speaker, "role": "speaker"});
    let response = app.post_as(&st.s.organiser, &path, body).await;
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

/// The emails queued about an invitation: (to, subject, text), oldest first.
pub async fn mail_of(app: &TestApp, invitation: &str) -> Vec<(String, String, String)> {
    let id = invitation.to_string();
    let rows = db::run(&app.pool, move |conn| {
        Ok(seminars::mail::outbox::of_record(
            conn,
            seminars::speakers::invitations::notices::INVITATION,
            &id,
        )?)
    })
    .await
    .unwrap();
    rows.into_iter()
        .map(|r| (r.to_email, r.subject, r.text_body))
        .collect()
}

/// The secret token of the first `/invitations/{token}` link in a text.
pub fn token_in(text: &str) -> String {
    let at = text
        .find("/invitations/")
        .expect("a link to the invitation")
        + "/invitations/".len();
    text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// Invites the stage's speaker to an item and answers (invitation id, token from the email).
pub async fn invited(app: &TestApp, st: &Stage, item: &str, speaker: &str) -> (String, String) {
    let (status, body) = invite(app, st, item, speaker).await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    let mail = mail_of(app, &id).await;
    (id, token_in(&mail[0].2))
}

/// POSTs to `/api/v1/invitations/{token}/{action}`; answers status and body.
pub async fn answer(app: &TestApp, token: &str, action: &str, body: Value) -> (u16, Value) {
    let path = app.url(&format!("/api/v1/invitations/{token}/{action}"));
    let response = app.client.post(path).json(&body).send().await.unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

/// POSTs every (path, bearer token, body) at once; answers the statuses in order.
pub async fn race(app: &TestApp, calls: Vec<(String, Option<String>, Value)>) -> Vec<u16> {
    let handles: Vec<_> = calls
        .into_iter()
        .map(|(path, token, body)| {
            let mut request = app.client.post(app.url(&path)).json(&body);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            tokio::spawn(async move { request.send().await.unwrap().status().as_u16() })
        })
        .collect();
    let mut statuses = Vec::new();
    for handle in handles {
        statuses.push(handle.await.unwrap());
    }
    statuses
}
