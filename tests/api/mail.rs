//! Invitations over a real SMTP conversation: MIME structure, headers, and the calendar read back.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::support::mail::{self, calendar_of, hold, recipient, ARRIVAL};
use crate::support::smtp::SmtpServer;
use crate::support::TestApp;
use crate::with_smtp_on_both_backends;
use seminars::holds::service::session_uid;

with_smtp_on_both_backends!(
    an_invitation_arrives_as_mixed_alternative_with_the_calendar_inline_and_attached,
    the_calendar_reads_back_with_every_value_including_hard_text,
    names_and_subjects_with_crlf_quotes_and_any_script_make_correct_headers,
    a_bulk_email_arrives_with_the_organiser_as_reply_to,
);

/// Text that RFC 5545 must escape or fold, in several scripts.
const HARD_TITLE: &str = "Cyber; security, \"best\" practices \\ 東京 — Genève";
const HARD_DESCRIPTION: &str = "Opening by the Rapporteur; experts, panel \\ Q&A.\nالأمن السيبراني\n\nSéance d'ouverture: 山田太郎 presents national CIRT frameworks, incident response and capacity building for LDCs.";

/// A scheduled session whose title and description are `HARD_*`; answers (session, meeting).
async fn hard_session(app: &TestApp) -> (Value, Value) {
    let token = app.organiser().await;
    let (session, meeting) = app.scheduled_session(&token).await;
    let path = format!("/api/v1/sessions/{}", session["id"].as_str().unwrap());
    let response = app
        .patch_as(
            &token,
            &path,
            json!({"title": HARD_TITLE, "description": HARD_DESCRIPTION}),
        )
        .await;
    assert_eq!(response.status(), 200);
    (response.json().await.unwrap(), meeting)
}

fn instant(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

async fn an_invitation_arrives_as_mixed_alternative_with_the_calendar_inline_and_attached(
    app: TestApp,
    smtp: SmtpServer,
) {
    let (session, _) = hard_session(&app).await;
    let delegate = recipient("Amina Diallo", "amina@example.org");
    hold(&app, session["id"].as_str().unwrap(), &delegate).await;
    assert_eq!(app.deliver_mail().await, 1);
    let received = smtp.wait_for(1, ARRIVAL);
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to, ["amina@example.org"]);
    assert_eq!(received[0].from, "seminars@localhost");
    let mail = mail::parse(&received[0]);
    assert_eq!(
        mail.structure,
        "multipart/mixed[multipart/alternative[text/plain,text/html,text/calendar],application/ics]"
    );
    let (ics, params) = mail.calendar.clone().unwrap();
    assert_eq!(params["method"], "REQUEST");
    assert_eq!(params["charset"].to_ascii_uppercase(), "UTF-8");
    let (name, attached) = mail.attachment.clone().unwrap();
    assert_eq!(name, "invite.ics");
    assert_eq!(attached, ics, "the attachment is the same calendar");
    assert_eq!(mail.subject, format!("Invitation: {HARD_TITLE}"));
    assert!(mail.text.starts_with("Dear Amina Diallo,"), "{}", mail.text);
    assert!(mail.text.contains(HARD_TITLE));
    assert!(mail
        .html
        .contains("Cyber; security, &quot;best&quot; practices"));
    assert!(mail.text.contains("http://127.0.0.1/registrations/secret"));
    let ids = mail::outbox_message_ids(&app).await;
    assert_eq!(
        ids,
        std::slice::from_ref(&mail.message_id),
        "Message-ID is the row's"
    );
    assert!(mail.message_id.ends_with("@127.0.0.1>"));
}

async fn the_calendar_reads_back_with_every_value_including_hard_text(
    app: TestApp,
    smtp: SmtpServer,
) {
    let (session, meeting) = hard_session(&app).await;
    let id = session["id"].as_str().unwrap();
    let delegate = recipient("O'Brien, Dr. \"Pat\"; 山田", "pat@example.org");
    hold(&app, id, &delegate).await;
    app.deliver_mail().await;
    let mail = mail::parse(&smtp.wait_for(1, ARRIVAL)[0]);
    let (ics, _) = mail.calendar.clone().unwrap();
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "unfolded line: {line:?}");
    }
    let calendar = calendar_of(&mail);
    assert_eq!(calendar.method.as_deref(), Some("REQUEST"));
    assert_eq!(calendar.events.len(), 1);
    let event = &calendar.events[0];
    assert_eq!(event.uid, session_uid(&app.settings, id));
    assert_eq!(
        i64::from(event.sequence),
        session["sequence"].as_i64().unwrap()
    );
    assert_eq!(event.starts_at, instant(&session["starts_at"]));
    assert_eq!(event.ends_at, instant(&session["ends_at"]));
    assert_eq!(event.summary, HARD_TITLE);
    assert_eq!(event.location, meeting["venue"].as_str().unwrap());
    let url = format!("http://127.0.0.1:8080/sessions/{id}");
    assert_eq!(event.description, format!("{HARD_DESCRIPTION}\n\n{url}"));
    assert_eq!(event.url, url);
    assert_eq!(event.status.as_deref(), Some("CONFIRMED"));
    assert_eq!(event.organizer.as_deref(), Some("seminars@localhost"));
    assert_eq!(event.attendees, ["pat@example.org"]);
    let params: std::collections::BTreeMap<_, _> =
        event.attendee_params[0].iter().cloned().collect();
    assert_eq!(
        params["CN"], "O'Brien, Dr. Pat; 山田",
        "quotes cannot be inside a CN"
    );
    assert_eq!(params["ROLE"], "REQ-PARTICIPANT");
    assert_eq!(params["PARTSTAT"], "NEEDS-ACTION");
    assert_eq!(params["RSVP"], "TRUE");
}

async fn names_and_subjects_with_crlf_quotes_and_any_script_make_correct_headers(
    app: TestApp,
    smtp: SmtpServer,
) {
    let token = app.organiser().await;
    let (session, _) = app.scheduled_session(&token).await;
    let id = session["id"].as_str().unwrap();
    let title = "Séance\r\nBcc: evil@example.com \"ouverte\" / 開会 / افتتاح";
    let path = format!("/api/v1/sessions/{id}");
    let response = app.patch_as(&token, &path, json!({"title": title})).await;
    assert_eq!(
        response.status(),
        422,
        "the API refuses a title of two lines"
    );
    // A title stored before that rule, or by another way in, must still make a safe header.
    let (stored, session_id) = (title.to_string(), id.to_string());
    seminars::db::run(&app.pool, move |conn| {
        use diesel::prelude::*;
        use seminars::db::schema::sessions;
        diesel::update(sessions::table.find(session_id))
            .set(sessions::title.eq(stored))
            .execute(conn)?;
        Ok(())
    })
    .await
    .unwrap();
    let names = [
        "Delegate\r\nBcc: evil@example.com",
        "\"Quoted\", <angled> (commented)",
        "山田太郎",
        "محمد بن عبد الله",
        "Hélène Côté-Brûlé",
    ];
    for (n, name) in names.iter().enumerate() {
        hold(&app, id, &recipient(name, &format!("d{n}@example.org"))).await;
    }
    assert_eq!(app.deliver_mail().await, names.len());
    let mails = mail::parsed(&smtp);
    assert_eq!(mails.len(), names.len());
    for mail in &mails {
        let n: usize = mail.to_addr[1..2].parse().unwrap();
        assert_eq!(
            mail.envelope_to,
            [format!("d{n}@example.org")],
            "no added recipient"
        );
        let expected = names[n].replace("\r\n", "  ");
        assert_eq!(mail.to_name.as_deref(), Some(expected.as_str()));
        assert_eq!(
            mail.subject,
            "Invitation: Séance  Bcc: evil@example.com \"ouverte\" / 開会 / افتتاح"
        );
        assert_eq!(mail.from_name.as_deref(), Some("Seminars"));
        assert_eq!(
            mail.header_names,
            [
                "content-type",
                "date",
                "from",
                "message-id",
                "mime-version",
                "subject",
                "to"
            ]
        );
    }
}

async fn a_bulk_email_arrives_with_the_organiser_as_reply_to(app: TestApp, smtp: SmtpServer) {
    use mailparse::{addrparse_header, parse_mail, MailHeaderMap};

    let (organiser, token) = crate::registrations::bulk::organiser_with_email(&app).await;
    let session = crate::registrations::open_session(&app, &token, json!({})).await;
    let body = crate::registrations::delegate("reply@example.org", "JP");
    let (_, placed) = crate::registrations::register(&app, &session, body).await;
    assert_eq!(app.deliver_mail().await, 1, "the confirmation");
    let bulk = format!("/api/v1/sessions/{session}/registrations/bulk");
    let email = json!({"action": "email", "ids": [placed["id"]], "subject": "Questions?",
        "message": "Reply to this email."});
    assert_eq!(app.post_as(&token, &bulk, email).await.status(), 200);
    assert_eq!(app.deliver_mail().await, 1);
    let received = smtp.wait_for(2, ARRIVAL);
    let confirmation = parse_mail(&received[0].data).unwrap();
    assert!(confirmation.headers.get_first_header("Reply-To").is_none());
    let message = parse_mail(&received[1].data).unwrap();
    let header = message
        .headers
        .get_first_header("Reply-To")
        .expect("Reply-To");
    let reply_to = addrparse_header(header).unwrap();
    let reply_to = reply_to.extract_single_info().unwrap();
    assert_eq!(reply_to.addr, organiser);
    assert_eq!(reply_to.display_name.as_deref(), Some("Test Account"));
    assert_eq!(mail::parse(&received[1]).from_addr, "seminars@localhost");
}
