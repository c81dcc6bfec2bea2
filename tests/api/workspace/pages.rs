//! Meetings and sessions made from pages: forms keep what was typed and show each error beside
//! its field; a flash message says what happened and who was told; drafts preview for staff only.

use serde_json::json;

use super::{id_in, location, meeting_form, page, session_form};
use crate::browser::{signed_in, Browser};
use crate::on_both_backends;
use crate::registrations::{delegate, register};
use crate::support::{fixture, TestApp};
use seminars::access::Role;

on_both_backends!(
    an_organiser_makes_a_meeting_and_a_session_from_pages_and_refused_forms_keep_what_was_typed,
    publishing_and_cancelling_from_pages_say_who_was_told,
    staff_preview_a_draft_that_stays_hidden_from_the_public,
    the_meeting_page_lays_sessions_out_by_day_and_room_in_the_meetings_zone_or_utc,
);

async fn organiser(app: &TestApp) -> Browser {
    signed_in(app, &[Role::Organiser]).await
}

/// Makes a meeting and a draft through the pages; answers (meeting id, session id).
pub async fn made_from_pages(browser: &Browser) -> (String, String) {
    let fields = meeting_form("Study Group 1 plenary");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let made = browser.post_form("/staff/meetings", &fields, true).await;
    assert_eq!(made.status(), 303);
    let meeting = id_in(&location(&made));
    let path = format!("/staff/meetings/{meeting}/sessions");
    let made = browser
        .post_form(&path, &session_form("Cyber drills"), true)
        .await;
    assert_eq!(made.status(), 303);
    let hub = location(&made);
    let (_, body) = page(browser, &hub).await;
    assert!(
        body.contains("Draft &quot;Cyber drills&quot; created. Nothing was sent"),
        "{body}"
    );
    (meeting, id_in(&hub))
}

async fn an_organiser_makes_a_meeting_and_a_session_from_pages_and_refused_forms_keep_what_was_typed(
    app: TestApp,
) {
    let browser = organiser(&app).await;
    let (status, body) = page(&browser, "/staff/meetings/new").await;
    assert_eq!(status, 200);
    assert!(
        body.contains("<option selected>Europe/Zurich</option>"),
        "a zone list"
    );
    let mut fields = meeting_form("Typed & kept");
    fields[7] = ("last_day", fixture("YYYY-03-01"));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = browser.post_form("/staff/meetings", &fields, true).await;
    assert_eq!(refused.status(), 422);
    let body = refused.text().await.unwrap();
    assert!(
        body.contains("value=\"Typed &amp; kept\""),
        "what was typed is kept"
    );
    assert!(
        body.contains("aria-describedby=\"last_day-error\"")
            && body.contains("id=\"last_day-error\">must not be before first_day"),
        "the error is beside its field: {body}"
    );
    let fields = meeting_form("Study Group 1 plenary");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let made = browser.post_form("/staff/meetings", &fields, true).await;
    assert_eq!(made.status(), 303);
    let (status, body) = page(&browser, &location(&made)).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Meeting &quot;Study Group 1 plenary&quot; created"),
        "{body}"
    );
    let (meeting, session) = made_from_pages(&browser).await;
    let (_, body) = page(&browser, &format!("/staff/meetings/{meeting}")).await;
    assert!(body.contains("Cyber drills"));
    let (_, hub) = page(&browser, &format!("/staff/sessions/{session}")).await;
    assert!(
        hub.contains("14:30–17:30 (Europe/Zurich)"),
        "local time with its zone"
    );
    let mut moved = session_form("Cyber drills");
    moved[5] = ("end", "14:00");
    let path = format!("/staff/sessions/{session}/edit");
    let refused = browser.post_form(&path, &moved, true).await;
    assert_eq!(refused.status(), 422);
    let body = refused.text().await.unwrap();
    assert!(
        body.contains("id=\"end-error\"") && body.contains("value=\"14:00\""),
        "{body}"
    );
    moved[4] = ("start", "09:00");
    moved[5] = ("end", "10:30");
    let saved = browser.post_form(&path, &moved, true).await;
    assert_eq!(saved.status(), 303);
    let (_, hub) = page(&browser, &format!("/staff/sessions/{session}")).await;
    assert!(hub.contains("09:00–10:30 (Europe/Zurich)"), "moved: {hub}");
    assert!(
        hub.contains("Saved &quot;Cyber drills&quot;; 0 people told"),
        "{hub}"
    );
}

async fn publishing_and_cancelling_from_pages_say_who_was_told(app: TestApp) {
    let browser = organiser(&app).await;
    let (_, session) = made_from_pages(&browser).await;
    let hub = format!("/staff/sessions/{session}");
    let published = browser
        .post_form(&format!("{hub}/publish"), &[], true)
        .await;
    assert_eq!(
        (published.status().as_u16(), location(&published)),
        (303, hub.clone())
    );
    let (_, body) = page(&browser, &hub).await;
    assert!(
        body.contains("Published &quot;Cyber drills&quot;;"),
        "{body}"
    );
    for n in 0..2 {
        let (status, _) =
            register(&app, &session, delegate(&format!("d{n}@example.org"), "KE")).await;
        assert_eq!(status, 201);
    }
    let (_, body) = page(&browser, &hub).await;
    assert!(body.contains("2 confirmed of 30"), "seats: {body}");
    app.deliver_mail().await;
    let cancel = format!("{hub}/cancel");
    let (status, body) = page(&browser, &cancel).await;
    assert!(status == 200 && body.contains("id=\"reason\""));
    let unconfirmed = browser
        .post_form(&cancel, &[("reason", "Speakers stranded")], true)
        .await;
    assert_eq!(unconfirmed.status(), 422);
    let body = unconfirmed.text().await.unwrap();
    assert!(body.contains("Speakers stranded</textarea>") && body.contains("tick the box"));
    let fields = [("reason", "Speakers stranded"), ("confirm", "yes")];
    let cancelled = browser.post_form(&cancel, &fields, true).await;
    assert_eq!(cancelled.status(), 303);
    let (_, body) = page(&browser, &hub).await;
    assert!(
        body.contains("Cancelled &quot;Cyber drills&quot;; 2 people told, with your reason."),
        "{body}"
    );
    let public = app
        .get(&format!("/sessions/{session}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(public.contains("Speakers stranded"));
}

async fn staff_preview_a_draft_that_stays_hidden_from_the_public(app: TestApp) {
    let browser = organiser(&app).await;
    let (_, session) = made_from_pages(&browser).await;
    let (status, body) = page(&browser, &format!("/sessions/{session}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("id=\"draft-preview\""));
    assert_eq!(app.get(&format!("/sessions/{session}")).await.status(), 404);
}

async fn the_meeting_page_lays_sessions_out_by_day_and_room_in_the_meetings_zone_or_utc(
    app: TestApp,
) {
    let browser = organiser(&app).await;
    let (meeting, session) = made_from_pages(&browser).await;
    let admin = super::admin(&app).await;
    let room = super::room(&app, &admin, "Popov Room", 40).await;
    let booked = app
        .post_as(
            &app.organiser().await,
            &format!("/api/v1/sessions/{session}/bookings"),
            json!({"room_id": room}),
        )
        .await;
    assert_eq!(booked.status(), 201);
    let path = format!("/staff/meetings/{meeting}");
    let (_, body) = page(&browser, &path).await;
    let table = body.split("id=\"timetable\"").nth(1).unwrap();
    let tuesday = table.split(&fixture("YYYY-03-10")).nth(1).unwrap();
    assert!(
        tuesday.contains("Popov Room") && tuesday.contains("14:30–17:30"),
        "{table}"
    );
    assert!(table.contains("the meeting's zone, Europe/Zurich"));
    let (_, utc) = page(&browser, &format!("{path}?tz=UTC")).await;
    assert!(
        utc.contains("13:30–16:30") && utc.contains("Times in UTC"),
        "{utc}"
    );
}
