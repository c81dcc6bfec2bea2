//! A session's hub: booking a room and a projector, a refused booking with its clashes and the
//! free rooms that fit, changing and releasing; rapporteurs by name; the audit trail by name;
//! the hub is the organisers' and the session's rapporteurs' only.

use super::pages::made_from_pages;
use super::{location, page, session_form};
use crate::browser::{scoped_account, signed_in, Browser};
use crate::on_both_backends;
use crate::support::TestApp;
use seminars::access::Role;

on_both_backends!(
    the_hub_books_a_room_with_a_projector_refuses_a_clash_with_free_rooms_and_releases,
    the_hub_assigns_rapporteurs_and_shows_people_by_name_in_the_audit_trail,
    the_hub_lists_the_sessions_messages_to_organisers_only,
);

async fn the_hub_lists_the_sessions_messages_to_organisers_only(app: TestApp) {
    use crate::registrations::{delegate, open_session, register};
    let token = app.organiser().await;
    let session = open_session(&app, &token, serde_json::json!({})).await;
    let other = open_session(&app, &token, serde_json::json!({})).await;
    assert_eq!(
        register(&app, &session, delegate("amina@example.ke", "KE"))
            .await
            .0,
        201
    );
    assert_eq!(
        register(&app, &other, delegate("elsewhere@example.jp", "JP"))
            .await
            .0,
        201
    );
    let browser = signed_in(&app, &[Role::Organiser]).await;
    let (status, body) = page(&browser, &format!("/staff/sessions/{session}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("id=\"messages\""), "{body}");
    assert!(
        body.contains("amina@example.ke"),
        "the delegate's confirmation is listed"
    );
    assert!(
        !body.contains("elsewhere@example.jp"),
        "another session's mail is not"
    );
    let rapporteur = signed_in(&app, &[Role::Rapporteur]).await;
    let (status, _) = page(&rapporteur, &format!("/staff/sessions/{session}")).await;
    assert_eq!(
        status, 404,
        "a rapporteur not assigned to the session does not see its hub"
    );
}

async fn the_hub_books_a_room_with_a_projector_refuses_a_clash_with_free_rooms_and_releases(
    app: TestApp,
) {
    let browser = signed_in(&app, &[Role::Organiser]).await;
    let (meeting, first) = made_from_pages(&browser).await;
    let admin = super::admin(&app).await;
    let popov = super::room(&app, &admin, "Popov Room", 40).await;
    super::room(&app, &admin, "Room K", 60).await;
    super::room(&app, &admin, "Broom cupboard", 4).await;
    let projector = super::item(&app, &admin, "Projector", "projector", 1).await;
    let qty = format!("qty_{projector}");
    let hub = format!("/staff/sessions/{first}");
    let fields = [("room_id", popov.as_str()), (qty.as_str(), "1")];
    let booked = browser
        .post_form(&format!("{hub}/bookings"), &fields, true)
        .await;
    assert_eq!(
        (booked.status().as_u16(), location(&booked)),
        (303, hub.clone())
    );
    let (_, body) = page(&browser, &hub).await;
    assert!(
        body.contains("Room booked") && body.contains("1 × Projector"),
        "{body}"
    );
    let path = format!("/staff/meetings/{meeting}/sessions");
    let second = browser
        .post_form(&path, &session_form("Clashing"), true)
        .await;
    let second = format!("/staff/sessions/{}", super::id_in(&location(&second)));
    let refused = browser
        .post_form(&format!("{second}/bookings"), &fields, true)
        .await;
    assert_eq!(refused.status(), 409);
    let body = refused.text().await.unwrap();
    let clashes = body.split("id=\"clashes\"").nth(1).expect("the clash list");
    assert!(
        clashes.contains("Room Popov Room is held by &quot;Cyber drills&quot;"),
        "{clashes}"
    );
    assert!(clashes.contains("Projector (all in use)"), "{clashes}");
    let free = clashes
        .split("id=\"free-rooms\"")
        .nth(1)
        .expect("free rooms")
        .split("</ul>")
        .next()
        .unwrap();
    assert!(
        free.contains("Room K") && !free.contains("Broom cupboard") && !free.contains("Popov"),
        "{free}"
    );
    assert!(
        body.contains(&format!("<option value=\"{popov}\" selected>")),
        "the choice is kept"
    );
    let (_, body) = page(&browser, &hub).await;
    let booking = body
        .split("/bookings/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let released = browser
        .post_form(&format!("{hub}/bookings/{booking}/release"), &[], true)
        .await;
    assert_eq!(released.status(), 303);
    let again = browser
        .post_form(&format!("{second}/bookings"), &fields, true)
        .await;
    assert_eq!(again.status(), 303, "free once released");
}

async fn the_hub_assigns_rapporteurs_and_shows_people_by_name_in_the_audit_trail(app: TestApp) {
    let browser = signed_in(&app, &[Role::Organiser]).await;
    let (_, session) = made_from_pages(&browser).await;
    let (id, email, password) = scoped_account(&app, &[Role::Rapporteur], None).await;
    let hub = format!("/staff/sessions/{session}");
    let (_, body) = page(&browser, &hub).await;
    assert!(
        body.contains(&format!("Scoped Account &lt;{email}&gt;")),
        "a candidate by name"
    );
    let assigned = browser
        .post_form(
            &format!("{hub}/rapporteurs"),
            &[("user_ids", id.as_str())],
            true,
        )
        .await;
    assert_eq!(assigned.status(), 303);
    let (_, body) = page(&browser, &hub).await;
    assert!(body.contains("Rapporteurs now: Scoped Account"), "{body}");
    let audit = body.split("id=\"audit\"").nth(1).unwrap();
    assert!(
        audit.contains("session rapporteurs set") && audit.contains("@example.org&gt;"),
        "{audit}"
    );
    assert!(!audit.contains("user:"), "no ids: {audit}");
    let mut rapporteur = Browser::open(&app).await;
    rapporteur.sign_in(&email, &password).await;
    let (status, body) = page(&rapporteur, &hub).await;
    assert_eq!(status, 200);
    assert!(
        !body.contains("/registrations\"") && !body.contains("id=\"booking-form\""),
        "{body}"
    );
    assert!(
        body.contains(&format!("/sessions/{session}/agenda")),
        "the agenda tab"
    );
    let other = signed_in(&app, &[Role::Rapporteur]).await;
    assert_eq!(page(&other, &hub).await.0, 404, "not their session");
}
