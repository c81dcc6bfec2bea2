//! A world whose lists can be grown: one meeting with a session that holds registrations,
//! agenda items, speakers' invitations, room bookings and approved versions, and beside it more
//! meetings, sessions under review, rooms, equipment and accounts, all made through the API.

use reqwest::Method;
use serde_json::{json, Value};

use crate::agendas::{assign, id_of};
use crate::support::{fixture, meeting_body, session_body, TestApp};
use seminars::access::domain::FocalScope;
use seminars::access::Role;

/// The tokens and records every list of the world hangs from, and how far it has grown.
pub struct World {
    /// An admin who is also an organiser: may open every staff list.
    pub admin: String,
    pub rapporteur: String,
    rapporteur_id: String,
    /// A focal point of Kenya's administration.
    pub focal: String,
    pub meeting: String,
    /// The session whose lists grow; its seats are few, so its waiting lists grow too.
    pub session: String,
    /// A session of the same meeting with seats for everyone (its directory grows).
    pub open: String,
    units: usize,
    registrations: usize,
}

/// Answers the JSON body of a response that must have this status.
async fn json_of(response: reqwest::Response, status: u16, what: &str) -> Value {
    let got = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{what}: {body}");
    body
}

const POST: Method = Method::POST;

fn id(body: &Value) -> String {
    body["id"].as_str().expect("an id").to_string()
}

/// An instant on 10 March of the fixtures' year, `minutes` after 14:30 in Geneva.
fn at(minutes: usize) -> String {
    let (h, m) = ((14 * 60 + 30 + minutes) / 60, (14 * 60 + 30 + minutes) % 60);
    fixture(&format!("YYYY-03-10T{h:02}:{m:02}:00+01:00"))
}

/// The minutes each agenda item of the growing session lasts (20 fit in its three hours).
const ITEM_MINUTES: usize = 9;

/// The most units `grow` can reach: the session's agenda holds no more items.
pub const MOST_UNITS: usize = 180 / ITEM_MINUTES;

impl World {
    /// The accounts, the meeting and its session (one seat in person and one remote, so both
    /// waiting lists fill from the fourth registration on), with the rapporteur assigned.
    pub async fn new(app: &TestApp) -> World {
        let admin = app.token(&[Role::Admin, Role::Organiser]).await;
        let rapporteur = app.token(&[Role::Rapporteur]).await;
        let rapporteur_id = id_of(app, &rapporteur).await;
        let (email, password) = app
            .account_scoped(&[Role::FocalPoint], Some(FocalScope::Country("KE".into())))
            .await;
        let body = json!({"email": email, "password": password});
        let token = app
            .request(POST, "/api/v1/auth/token", None, Some(body))
            .await;
        let focal = json_of(token, 200, "focal point token").await["token"]
            .as_str()
            .unwrap()
            .to_string();
        let meeting = id(&app.meeting(&admin).await);
        let mut world = World {
            admin,
            rapporteur,
            rapporteur_id,
            focal,
            meeting,
            session: String::new(),
            open: String::new(),
            units: 0,
            registrations: 0,
        };
        world.session = world.published_session(app, 1, 1).await;
        world.open = world.published_session(app, 100, 100).await;
        assign(app, &world.admin, &world.session, &[&world.rapporteur_id]).await;
        world
    }

    async fn published_session(&self, app: &TestApp, capacity: i64, remote: i64) -> String {
        let mut body = session_body(&self.meeting);
        body["capacity"] = json!(capacity);
        body["remote_capacity"] = json!(remote);
        let session = app.post_as(&self.admin, "/api/v1/sessions", body).await;
        let session = id(&json_of(session, 201, "session").await);
        let path = format!("/api/v1/sessions/{session}/publish");
        let published = app.post_as(&self.admin, &path, json!({})).await;
        json_of(published, 200, "publish").await;
        session
    }

    /// Grows the registrations of both sessions to `n`: in person and remote in turn, from five
    /// countries (Kenya among them, for the focal point), past both capacities of the first.
    pub async fn register_up_to(&mut self, app: &TestApp, n: usize) {
        while self.registrations < n {
            let i = self.registrations;
            let country = ["KE", "JP", "BR", "DE", "HT"][i % 5];
            let category = ["policy_maker", "regulator", "operator"][i % 3];
            let attendance = ["in_person", "remote"][i % 2];
            let body = json!({
                "name": format!("Delegate {i}"), "email": format!("delegate{i}@example.org"),
                "organisation": "Ministry of ICT", "job_title": "Director", "country": country,
                "stakeholder_category": category, "attendance": attendance, "consent_directory": true
            });
            for session in [&self.session, &self.open] {
                let path = format!("/api/v1/sessions/{session}/registrations");
                let response = app.request(POST, &path, None, Some(body.clone())).await;
                json_of(response, 201, "registration").await;
            }
            self.registrations += 1;
        }
    }

    /// Grows every other list to `n` rows: meetings, sessions under review, accounts, rooms,
    /// equipment, the session's bookings, agenda items, speakers, invitations and versions.
    pub async fn grow_to(&mut self, app: &TestApp, n: usize) {
        assert!(
            n <= MOST_UNITS,
            "the session's agenda holds {MOST_UNITS} items"
        );
        while self.units < n {
            let i = self.units;
            self.other_meeting(app, i).await;
            self.session_under_review(app).await;
            app.account(&[Role::Rapporteur]).await;
            self.booking(app, i).await;
            self.invited_item(app, i).await;
            self.units += 1;
        }
    }

    async fn other_meeting(&self, app: &TestApp, i: usize) {
        let mut body = meeting_body();
        body["title"] = json!(format!("Rapporteur Group meeting {i}"));
        json_of(
            app.post_as(&self.admin, "/api/v1/meetings", body).await,
            201,
            "meeting",
        )
        .await;
    }

    /// A published session of the meeting with one item, submitted for review.
    async fn session_under_review(&self, app: &TestApp) {
        let session = self.published_session(app, 50, 100).await;
        assign(app, &self.admin, &session, &[&self.rapporteur_id]).await;
        self.item(app, &session, 0, "Opening").await;
        let path = format!("/api/v1/sessions/{session}/agenda/submit");
        json_of(
            app.post_as(&self.admin, &path, json!({})).await,
            200,
            "submit",
        )
        .await;
    }

    async fn item(&self, app: &TestApp, session: &str, i: usize, title: &str) -> String {
        let body = json!({"kind": "expert_presentation", "title": title, "description": "",
            "starts_at": at(i * ITEM_MINUTES), "ends_at": at((i + 1) * ITEM_MINUTES)});
        let path = format!("/api/v1/sessions/{session}/agenda/items");
        id(&json_of(app.post_as(&self.admin, &path, body).await, 201, "item").await)
    }

    /// A room and an equipment item, both booked for the session.
    async fn booking(&self, app: &TestApp, i: usize) {
        let body = json!({"name": format!("Room {i}"), "location": "ITU tower", "capacity": 80,
            "features": ["interpretation_booths"]});
        let room = id(&json_of(
            app.post_as(&self.admin, "/api/v1/rooms", body).await,
            201,
            "room",
        )
        .await);
        let body = json!({"name": format!("Microphones {i}"), "kind": "microphone", "quantity": 4});
        let kit = app.post_as(&self.admin, "/api/v1/equipment", body).await;
        let kit = id(&json_of(kit, 201, "equipment").await);
        let body = json!({"room_id": room, "equipment": [{"equipment_id": kit, "quantity": 1}]});
        let path = format!("/api/v1/sessions/{}/bookings", self.session);
        json_of(app.post_as(&self.admin, &path, body).await, 201, "booking").await;
    }

    /// An agenda item of the session with a speaker invited to it, then the agenda approved
    /// again (one more version).
    async fn invited_item(&self, app: &TestApp, i: usize) {
        let item = self.item(app, &self.session, i, &format!("Talk {i}")).await;
        let body = json!({"name": format!("Speaker {i}"), "email": format!("speaker{i}@example.jp"),
            "organisation": "MIC", "organisation_kind": "member_state", "country": "JP",
            "bio": "Leads incident response."});
        let speaker = app.post_as(&self.admin, "/api/v1/speakers", body).await;
        let speaker = id(&json_of(speaker, 201, "speaker").await);
        let path = format!(
            "/api/v1/sessions/{}/agenda/items/{item}/invitations",
            self.session
        );
        let body = json!({"speaker_id": speaker, "role": "speaker"});
        json_of(
            app.post_as(&self.admin, &path, body).await,
            201,
            "invitation",
        )
        .await;
        let agenda = format!("/api/v1/sessions/{}/agenda", self.session);
        let submit = app
            .post_as(&self.admin, &format!("{agenda}/submit"), json!({}))
            .await;
        json_of(submit, 200, "submit").await;
        let body = json!({"comment": "Approved"});
        let approve = app
            .post_as(&self.rapporteur, &format!("{agenda}/approve"), body)
            .await;
        json_of(approve, 200, "approve").await;
    }
}
