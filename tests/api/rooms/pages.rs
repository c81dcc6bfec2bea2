//! The staff and admin pages of rooms and equipment.

use serde_json::json;

use super::{book, item, json_of, room, session_on, setup};
use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    the_room_grid_marks_booked_hours_and_the_equipment_page_shows_stock,
    the_admin_pages_add_rooms_and_equipment_from_plain_forms,
);

async fn the_room_grid_marks_booked_hours_and_the_equipment_page_shows_stock(app: TestApp) {
    let s = setup(&app).await;
    let room_b = room(&app, &s, "Room B", 80).await;
    let room = room(&app, &s, "Room A", 80).await;
    assert_ne!(room, room_b);
    let mics = item(&app, &s, "Microphone", "microphone", 5).await;
    let session = session_on(&app, &s, 10).await;
    let body = json!({"room_id": room, "equipment": [{"equipment_id": mics, "quantity": 2}]});
    json_of(book(&app, &s, &session, body).await, 201).await;
    let grid = app
        .get_as(&s.organiser, &format!("/meetings/{}/rooms", s.meeting_id))
        .await;
    assert_eq!(grid.status(), 200);
    let grid = grid.text().await.unwrap();
    assert_eq!(
        grid.matches("class=\"cell booked\"").count(),
        4,
        "14:00–17:45 local"
    );
    assert_eq!(grid.matches("class=\"cell free\"").count(), 5 * 2 * 14 - 4);
    let stock = app
        .get_as(
            &s.organiser,
            &format!("/meetings/{}/equipment", s.meeting_id),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        stock.contains("<td>5</td><td>2</td><td>3</td>"),
        "stock, peak, free on the 10th"
    );
    assert_eq!(
        stock.matches("<td>5</td><td>0</td><td>5</td>").count(),
        4,
        "the other days"
    );
    assert!(stock.contains("2 × <a href=\"/sessions/"));
    assert_eq!(
        app.get(&format!("/meetings/{}/rooms", s.meeting_id))
            .await
            .status(),
        303,
        "anonymous visitors are sent to sign in"
    );
}

async fn the_admin_pages_add_rooms_and_equipment_from_plain_forms(app: TestApp) {
    let s = setup(&app).await;
    let form = |body: &'static str, path: &str| {
        app.client
            .post(app.url(path))
            .bearer_auth(&s.admin)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
    };
    let added = form("name=Room+K&location=Annex&capacity=30&features=video_conferencing&features=step_free_access", "/admin/rooms").send().await.unwrap();
    assert_eq!(added.status(), 303);
    let page = app
        .get_as(&s.admin, "/admin/rooms")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Room K")
            && page.contains("Video conferencing")
            && page.contains("Step-free access")
    );
    let bad = form("name=&location=Annex&capacity=lots", "/admin/rooms")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let bad = bad.text().await.unwrap();
    assert!(bad.contains("must be a whole number") && bad.contains("value=\"Annex\""));
    let added = form("name=Beamer&kind=projector&quantity=3", "/admin/equipment")
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 303);
    let page = app
        .get_as(&s.admin, "/admin/equipment")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<td>Beamer</td><td>Projector</td><td>3</td>"));
    assert_eq!(app.get_as(&s.organiser, "/admin/rooms").await.status(), 403);
}
