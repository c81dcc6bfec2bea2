//! The whole flow over real SMTP: the invitation email ("Action required", the slot in the
//! meeting's zone, the secret link), confirming from the link (the slot's REQUEST), declining
//! (the organisers are told), withdrawing (a CANCEL), a moved slot (an update with the next
//! SEQUENCE), and the speaker's private feed.

use serde_json::json;

use super::{answer, invited, mail_of, stage, Stage};
use crate::agendas::{at, step};
use crate::support::mail::{calendar_of, parsed, Mail, ARRIVAL};
use crate::support::smtp::SmtpServer;
use crate::support::{fixture, TestApp};
use crate::with_smtp_on_both_backends;

with_smtp_on_both_backends!(
    the_invitation_arrives_and_confirming_from_its_link_sends_the_slots_request,
    declining_needs_a_reason_and_tells_the_organisers,
    withdrawing_sends_a_cancel_and_a_moved_slot_sends_the_next_sequence,
);

/// Sends the outbox and waits until `n` messages in all have arrived; answers them parsed.
async fn arrived(app: &TestApp, smtp: &SmtpServer, n: usize) -> Vec<Mail> {
    app.deliver_mail().await;
    assert!(
        smtp.wait_for(n, ARRIVAL).len() >= n,
        "{n} messages expected"
    );
    parsed(smtp)
}

async fn the_invitation_arrives_and_confirming_from_its_link_sends_the_slots_request(
    app: TestApp,
    smtp: SmtpServer,
) {
    let st = stage(&app).await;
    let (id, _) = invited(&app, &st, &st.items[1], &st.speaker).await;
    let mail = arrived(&app, &smtp, 1).await;
    let invitation = &mail[0];
    assert!(
        invitation.subject.starts_with("Action required"),
        "{}",
        invitation.subject
    );
    assert_eq!(invitation.to_addr, "aiko@example.jp");
    assert!(
        invitation.text.contains("CIRT in Japan"),
        "{}",
        invitation.text
    );
    assert!(
        invitation.text.contains("14:45"),
        "the slot in Geneva time: {}",
        invitation.text
    );
    assert!(
        invitation.text.contains("Europe/Zurich"),
        "{}",
        invitation.text
    );
    assert!(
        invitation.calendar.is_none(),
        "no calendar before the answer"
    );
    let token = super::token_in(&invitation.text);
    let page = app.get(&format!("/invitations/{token}")).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("CIRT in Japan"));
    let (status, body) = answer(&app, &token, "confirm", json!({})).await;
    assert_eq!(
        (status, &body["status"]),
        (200, &json!("confirmed")),
        "{body}"
    );
    let mail = arrived(&app, &smtp, 2).await;
    let request = &mail[1];
    let calendar = calendar_of(request);
    assert_eq!(calendar.method.as_deref(), Some("REQUEST"));
    let event = &calendar.events[0];
    assert_eq!(event.summary, "CIRT in Japan");
    assert_eq!(event.organizer.as_deref(), Some(request.from_addr.as_str()));
    assert_eq!(event.attendees, ["aiko@example.jp"]);
    assert_eq!(
        event.starts_at.to_rfc3339(),
        fixture("YYYY-03-10T13:45:00+00:00")
    );
    let feed = app.get(&format!("/feeds/{token}.ics")).await;
    assert_eq!(feed.status(), 200);
    let feed = seminars::calendar::parse(&feed.text().await.unwrap()).unwrap();
    let uids: Vec<&str> = feed.events.iter().map(|e| e.uid.as_str()).collect();
    assert!(uids.contains(&event.uid.as_str()), "{uids:?}");
    let (status, _) = answer(&app, &token, "confirm", json!({})).await;
    assert_eq!(status, 200, "confirming again answers it as it is");
    app.deliver_mail().await;
    assert_eq!(smtp.received().len(), 2, "and sends nothing more");
    assert_eq!(mail_of(&app, &id).await.len(), 1);
}

async fn declining_needs_a_reason_and_tells_the_organisers(app: TestApp, smtp: SmtpServer) {
    let st = stage(&app).await;
    let (id, token) = invited(&app, &st, &st.items[1], &st.speaker).await;
    let (status, problem) = answer(&app, &token, "decline", json!({"reason": " "})).await;
    assert_eq!(status, 422);
    assert!(problem["errors"]["reason"].is_array(), "{problem}");
    let (status, body) = answer(
        &app,
        &token,
        "decline",
        json!({"reason": "On mission in Lomé"}),
    )
    .await;
    assert_eq!(
        (status, &body["status"]),
        (200, &json!("declined")),
        "{body}"
    );
    assert_eq!(body["reason"], "On mission in Lomé");
    let mail = arrived(&app, &smtp, 2).await;
    let told = mail
        .iter()
        .find(|m| m.to_addr != "aiko@example.jp")
        .expect("an organiser told");
    assert!(told.text.contains("On mission in Lomé"), "{}", told.text);
    assert!(told.text.contains("Aiko Tanaka"), "{}", told.text);
    let (status, _) = answer(&app, &token, "decline", json!({"reason": "again"})).await;
    assert_eq!(status, 409, "declining twice");
    assert_eq!(mail_of(&app, &id).await.len(), 2);
}

async fn approve(app: &TestApp, st: &Stage) {
    let (status, body) = step(app, &st.s.organiser, &st.s.session, "submit", json!({})).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = step(app, &st.s.rapporteur, &st.s.session, "approve", json!({})).await;
    assert_eq!(status, 200, "{body}");
}

/// The speaker's calendar messages, by SEQUENCE (a delivery pass may send them in any order).
fn requests_to_speaker(mail: &[Mail]) -> Vec<(String, u32, String)> {
    let mut sent: Vec<(String, u32, String)> = mail
        .iter()
        .filter(|m| m.to_addr == "aiko@example.jp" && m.calendar.is_some())
        .map(|m| {
            let c = calendar_of(m);
            let e = &c.events[0];
            (
                c.method.unwrap_or_default(),
                e.sequence,
                e.starts_at.to_rfc3339(),
            )
        })
        .collect();
    sent.sort_by_key(|s| s.1);
    sent
}

async fn withdrawing_sends_a_cancel_and_a_moved_slot_sends_the_next_sequence(
    app: TestApp,
    smtp: SmtpServer,
) {
    let st = stage(&app).await;
    let (_, token) = invited(&app, &st, &st.items[3], &st.speaker).await;
    assert_eq!(answer(&app, &token, "confirm", json!({})).await.0, 200);
    approve(&app, &st).await;
    let path = format!(
        "/api/v1/sessions/{}/agenda/items/{}",
        st.s.session, st.items[3]
    );
    let moved = app
        .patch_as(&st.s.organiser, &path, json!({"starts_at": at("16:00")}))
        .await;
    assert_eq!(moved.status(), 200);
    approve(&app, &st).await;
    app.deliver_mail().await;
    let sent = requests_to_speaker(&parsed(&smtp));
    let last = sent.last().expect("calendar mail to the speaker").clone();
    assert_eq!(last.0, "REQUEST");
    assert_eq!(last.2, fixture("YYYY-03-10T15:00:00+00:00"), "{sent:?}");
    let previous = sent[sent.len() - 2].clone();
    assert_eq!(last.1, previous.1 + 1, "the next SEQUENCE: {sent:?}");
    let (status, body) = answer(
        &app,
        &token,
        "withdraw",
        json!({"reason": "Flight cancelled"}),
    )
    .await;
    assert_eq!(
        (status, &body["status"]),
        (200, &json!("withdrawn")),
        "{body}"
    );
    let count = smtp.received().len();
    app.deliver_mail().await;
    assert!(
        smtp.wait_for(count + 2, ARRIVAL).len() >= count + 2,
        "the CANCEL and the organisers' notice"
    );
    let mail = parsed(&smtp);
    let cancel = requests_to_speaker(&mail).last().unwrap().clone();
    assert_eq!(
        (cancel.0.as_str(), cancel.1),
        ("CANCEL", last.1 + 1),
        "{cancel:?}"
    );
    let told: Vec<&Mail> = mail
        .iter()
        .filter(|m| m.text.contains("Flight cancelled"))
        .collect();
    assert!(!told.is_empty(), "the organisers are told");
    let feed = app
        .get(&format!("/feeds/{token}.ics"))
        .await
        .text()
        .await
        .unwrap();
    let feed = seminars::calendar::parse(&feed).unwrap();
    assert!(
        feed.events.is_empty(),
        "a withdrawn slot leaves the feed: {:?}",
        feed.events
    );
}
