//! A speaker is never double-booked: confirming a slot that overlaps one they are confirmed for
//! (in any session) is refused with 409 naming it, and two confirmations racing for overlapping
//! slots give one winner, on both backends.

use serde_json::{json, Value};

use super::{answer, invited, race, stage, Stage};
use crate::agendas::at;
use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    confirming_an_overlapping_slot_in_another_session_is_refused_naming_it,
    two_racing_confirmations_of_overlapping_slots_give_one_winner,
);

/// A second session of the meeting, at the same hours, with one item 15:00–15:45 that overlaps
/// "CIRT in Japan" (14:45–15:30); answers a stage of it sharing the first one's speaker.
async fn second(app: &TestApp, st: &Stage) -> Stage {
    let session = app.session(&st.s.organiser, &st.s.meeting).await;
    let session = session["id"].as_str().unwrap().to_string();
    let body = json!({"kind": "discussion", "title": "Regional panel", "description": "",
        "starts_at": at("15:00"), "ends_at": at("15:45")});
    let path = format!("/api/v1/sessions/{session}/agenda/items");
    let response = app.post_as(&st.s.organiser, &path, body).await;
    let status = response.status();
    let item: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{item}");
    let s = crate::agendas::Setup {
        session,
        ..clone_setup(&st.s)
    };
    Stage {
        s,
        items: vec![item["id"].as_str().unwrap().to_string()],
        speaker: st.speaker.clone(),
    }
}

fn clone_setup(s: &crate::agendas::Setup) -> crate::agendas::Setup {
    crate::agendas::Setup {
        organiser: s.organiser.clone(),
        rapporteur: s.rapporteur.clone(),
        rapporteur_id: s.rapporteur_id.clone(),
        session: s.session.clone(),
        meeting: s.meeting.clone(),
    }
}

async fn confirming_an_overlapping_slot_in_another_session_is_refused_naming_it(app: TestApp) {
    let st = stage(&app).await;
    let other = second(&app, &st).await;
    let (_, one) = invited(&app, &st, &st.items[1], &st.speaker).await;
    let (_, two) = invited(&app, &other, &other.items[0], &st.speaker).await;
    assert_eq!(answer(&app, &one, "confirm", json!({})).await.0, 200);
    let (status, problem) = answer(&app, &two, "confirm", json!({})).await;
    assert_eq!(status, 409, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("CIRT in Japan"),
        "{problem}"
    );
    assert_eq!(problem["conflicts"][0]["item_id"], st.items[1].as_str());
    assert_eq!(problem["conflicts"][0]["session_id"], st.s.session.as_str());
    let mine: Value = app
        .get(&format!("/api/v1/invitations/{two}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        mine["status"], "invited",
        "the refused confirmation changed nothing"
    );
    let (status, _) = answer(&app, &one, "withdraw", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(
        answer(&app, &two, "confirm", json!({})).await.0,
        200,
        "free again"
    );
}

async fn two_racing_confirmations_of_overlapping_slots_give_one_winner(app: TestApp) {
    let st = stage(&app).await;
    let other = second(&app, &st).await;
    for round in 0..3 {
        let email = format!("speaker{round}@example.org");
        let who = super::speaker(&app, &st.s.organiser, &format!("Speaker {round}"), &email).await;
        let (_, one) = invited(&app, &st, &st.items[1], &who).await;
        let (_, two) = invited(&app, &other, &other.items[0], &who).await;
        let calls = [&one, &two]
            .iter()
            .map(|t| (format!("/api/v1/invitations/{t}/confirm"), None, json!({})))
            .collect();
        let mut statuses = race(&app, calls).await;
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "round {round}");
        let mut confirmed = 0;
        for t in [&one, &two] {
            let mine: Value = app
                .get(&format!("/api/v1/invitations/{t}"))
                .await
                .json()
                .await
                .unwrap();
            confirmed += usize::from(mine["status"] == "confirmed");
        }
        assert_eq!(confirmed, 1, "round {round}");
    }
}
