//! The dashboard each role lands on after sign-in: organisers see coming meetings and what needs
//! attention, rapporteurs their sessions, focal points the registrations waiting for them,
//! admins the reference data; nobody is offered what they may not do.

use serde_json::json;

use super::page;
use crate::browser::{scoped_account, signed_in, Browser};
use crate::on_both_backends;
use crate::registrations::{delegate, register};
use crate::support::TestApp;
use seminars::access::domain::FocalScope;
use seminars::access::Role;

on_both_backends!(each_role_lands_on_a_dashboard_of_its_own_work);

async fn each_role_lands_on_a_dashboard_of_its_own_work(app: TestApp) {
    let token = app.organiser().await;
    let (session, meeting) = app.scheduled_session(&token).await;
    let id = session["id"].as_str().unwrap();
    app.session(&token, meeting["id"].as_str().unwrap()).await;
    let path = format!("/api/v1/sessions/{id}");
    let patched = app
        .patch_as(&token, &path, json!({"approval_required": true}))
        .await;
    assert_eq!(patched.status(), 200);
    let (status, _) = register(&app, id, delegate("wanjiru@example.org", "KE")).await;
    assert_eq!(status, 201);

    let organiser = signed_in(&app, &[Role::Organiser]).await;
    let (_, body) = page(&organiser, "/staff").await;
    let attention = body
        .split("id=\"attention\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(
        attention.contains("Drafts not yet published: 1"),
        "{attention}"
    );
    assert!(
        attention.contains("Sessions without a room: 2"),
        "{attention}"
    );
    assert!(
        body.contains("Sharing cybersecurity best practices") && body.contains("(Europe/Zurich)")
    );
    assert!(!body.contains("id=\"admin\""));

    let (r_id, r_email, r_password) = scoped_account(&app, &[Role::Rapporteur], None).await;
    let put = app
        .request(
            reqwest::Method::PUT,
            &format!("{path}/rapporteurs"),
            Some(&token),
            Some(json!({"user_ids": [r_id]})),
        )
        .await;
    assert_eq!(put.status(), 200);
    let mut rapporteur = Browser::open(&app).await;
    rapporteur.sign_in(&r_email, &r_password).await;
    let (_, body) = page(&rapporteur, "/staff").await;
    let assigned = body
        .split("id=\"assigned\"")
        .nth(1)
        .expect("the rapporteur's part");
    assert!(
        assigned.contains(&format!("/staff/sessions/{id}")),
        "{assigned}"
    );
    assert!(
        !body.contains("/staff/meetings/new")
            && !body.contains("/outbox")
            && !body.contains("id=\"attention\"")
    );

    let scope = Some(FocalScope::Country("KE".into()));
    let (_, f_email, f_password) = scoped_account(&app, &[Role::FocalPoint], scope).await;
    let mut focal = Browser::open(&app).await;
    focal.sign_in(&f_email, &f_password).await;
    let (_, body) = page(&focal, "/staff").await;
    let waiting = body
        .split("id=\"waiting\"")
        .nth(1)
        .expect("the focal point's part");
    assert!(waiting.contains("wanjiru@example.org"), "{waiting}");
    let other = Some(FocalScope::Country("JP".into()));
    let (_, o_email, o_password) = scoped_account(&app, &[Role::FocalPoint], other).await;
    let mut stranger = Browser::open(&app).await;
    stranger.sign_in(&o_email, &o_password).await;
    let (_, body) = page(&stranger, "/staff").await;
    assert!(body.contains("Nothing is waiting for you.") && !body.contains("wanjiru@example.org"));

    let admin = signed_in(&app, &[Role::Admin]).await;
    let (_, body) = page(&admin, "/staff").await;
    let part = body.split("id=\"admin\"").nth(1).expect("the admin's part");
    assert!(
        part.contains("/admin/countries") && part.contains("Countries"),
        "{part}"
    );
}
