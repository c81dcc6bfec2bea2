//! Approval announces what changed, inside its transaction, for the capabilities that follow
//! slots (speakers' invitations): no call from the agenda code into mail.

use std::any::Any;
use std::sync::{Arc, Mutex};

use serde_json::json;

use super::{at, four_items, setup, step, Setup};
use crate::on_both_backends;
use crate::support::TestApp;
use seminars::access::domain::{Role, User};
use seminars::agendas::approval::service as approval;
use seminars::agendas::domain::AgendaEvent;
use seminars::db::{self, Conn};
use seminars::effects::{Ctx, Reactor};
use seminars::error::AppError;

on_both_backends!(an_approval_announces_each_changed_slot_and_a_refusing_follower_undoes_it);

/// What the recording reactor heard: (session, version, [(change, item, touches calendar)]).
type Heard = (String, i32, Vec<(String, String, bool)>);

static HEARD: Mutex<Vec<Heard>> = Mutex::new(Vec::new());

fn record(_: &mut Conn, _: &Ctx, event: &dyn Any) -> Result<(), AppError> {
    if let Some(AgendaEvent::VersionApproved {
        session_id,
        version,
        changes,
    }) = event.downcast_ref()
    {
        let changes = changes
            .iter()
            .map(|c| {
                (
                    c.change.as_str().to_string(),
                    c.item_id.to_string(),
                    c.touches_calendar(),
                )
            })
            .collect();
        HEARD
            .lock()
            .unwrap()
            .push((session_id.to_string(), *version, changes));
    }
    Ok(())
}

fn refuse(_: &mut Conn, _: &Ctx, event: &dyn Any) -> Result<(), AppError> {
    match event.downcast_ref::<AgendaEvent>() {
        Some(AgendaEvent::VersionApproved { .. }) => Err(AppError::conflict("a follower refused")),
        _ => Ok(()),
    }
}

async fn approve_with(app: &TestApp, s: &Setup, reactors: Vec<Reactor>) -> Result<i32, AppError> {
    let ctx = Ctx::new(Arc::new(app.settings.clone()), Arc::new(reactors));
    let user = User {
        id: s.rapporteur_id.clone(),
        email: "rapporteur@example.org".into(),
        name: "Rapporteur".into(),
        roles: [Role::Rapporteur].into(),
        focal_point_country: None,
        focal_point_entity: None,
    };
    let session = s.session.clone();
    db::run(&app.pool, move |conn| {
        approval::approve(conn, &ctx, &user, &session, None)
    })
    .await
    .map(|v| v.number)
}

fn heard_about(session: &str) -> Vec<Heard> {
    HEARD
        .lock()
        .unwrap()
        .iter()
        .filter(|h| h.0 == session)
        .cloned()
        .collect()
}

async fn an_approval_announces_each_changed_slot_and_a_refusing_follower_undoes_it(app: TestApp) {
    let s = setup(&app).await;
    let ids = four_items(&app, &s).await;
    step(&app, &s.organiser, &s.session, "submit", json!({})).await;
    assert_eq!(approve_with(&app, &s, vec![record]).await.unwrap(), 1);
    let first = heard_about(&s.session);
    assert_eq!(first.len(), 1);
    assert_eq!(
        (first[0].1, first[0].2.len()),
        (1, 4),
        "the first version adds every slot"
    );
    assert!(first[0]
        .2
        .iter()
        .all(|(change, _, calendar)| change == "added" && *calendar));
    let path = format!("/api/v1/sessions/{}/agenda/items/{}", s.session, ids[3]);
    let moved = app
        .patch_as(&s.organiser, &path, json!({"starts_at": at("16:00")}))
        .await;
    assert_eq!(moved.status(), 200);
    step(&app, &s.organiser, &s.session, "submit", json!({})).await;
    let refused = approve_with(&app, &s, vec![record, refuse]).await;
    assert!(
        matches!(refused, Err(AppError::Conflict(..))),
        "{refused:?}"
    );
    let agenda = super::agenda(&app, &s).await;
    assert_eq!(
        (&agenda["status"], &agenda["based_on_version"]),
        (&json!("submitted"), &json!(1)),
        "the approval was undone whole"
    );
    assert_eq!(
        approve_with(&app, &s, vec![record]).await.unwrap(),
        2,
        "no version 2 was left behind"
    );
    let second = heard_about(&s.session).pop().unwrap();
    assert_eq!(
        (second.1, second.2),
        (2, vec![("moved".to_string(), ids[3].clone(), true)])
    );
}
