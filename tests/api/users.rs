//! The account life cycle: invitation, first password, reset; links are single-use and expire.

use serde_json::{json, Value};

use crate::browser::{emailed_link, expect_status, signed_in, Browser};
use crate::on_both_backends;
use crate::support::TestApp;
use seminars::access::Role;
use seminars::db;
use seminars::links::{self, Purpose};

on_both_backends!(
    an_invited_user_sets_a_password_from_the_emailed_link_which_works_once,
    a_focal_point_needs_a_valid_scope_and_only_admins_invite,
    a_password_reset_answers_the_same_for_any_email_and_ends_old_tokens_and_sessions,
    a_wrong_or_expired_link_answers_404,
    the_admin_page_invites_users_and_shows_errors_beside_the_fields,
);

fn path_of(link: &str) -> String {
    let start = link
        .find("/account/")
        .or_else(|| link.find("/password-reset/"))
        .unwrap();
    link[start..].to_string()
}

async fn invite(app: &TestApp, admin: &str, body: Value) -> Value {
    let response = app.post_as(admin, "/api/v1/users", body).await;
    serde_json::from_str(&expect_status(response, 201).await).unwrap()
}

async fn an_invited_user_sets_a_password_from_the_emailed_link_which_works_once(app: TestApp) {
    let admin = app.token(&[Role::Admin]).await;
    let user = invite(
        &app,
        &admin,
        json!({"email": "Kenji.Sato@soumu.go.jp", "name": "Kenji Sato", "roles": ["rapporteur"]}),
    )
    .await;
    assert_eq!(user["email"], "kenji.sato@soumu.go.jp");
    assert_eq!(user["has_password"], false);
    let id = user["id"].as_str().unwrap();
    let link = emailed_link(&app, id, &app.settings.server.public_url).await;
    assert!(link.contains("/account/setup/"), "{link}");
    let path = path_of(&link);
    let browser = Browser::open(&app).await;
    let form = expect_status(browser.get(&path).await, 200).await;
    assert!(form.contains("kenji.sato@soumu.go.jp"));
    for (password, message) in [
        ("too short", "at least 12 characters"),
        ("Password1234", "most common passwords"),
    ] {
        let fields = [("password", password), ("confirm", password)];
        let page = expect_status(browser.post_form(&path, &fields, true).await, 422).await;
        assert!(
            page.contains(message) && page.contains("id=\"password-error\""),
            "{page}"
        );
    }
    let good = "tomato basket under the bridge";
    let fields = [("password", good), ("confirm", good)];
    expect_status(browser.post_form(&path, &fields, true).await, 200).await;
    expect_status(browser.post_form(&path, &fields, true).await, 404).await;
    assert_eq!(
        browser.get(&path).await.status(),
        404,
        "the link is used up"
    );
    let body = json!({"email": "kenji.sato@soumu.go.jp", "password": good});
    assert_eq!(
        app.request(
            reqwest::Method::POST,
            "/api/v1/auth/token",
            None,
            Some(body)
        )
        .await
        .status(),
        200
    );
    let audit: Value = app
        .get_as(
            &admin,
            &format!("/api/v1/audit?record_kind=user&record_id={id}"),
        )
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["user.password_set", "user.invited"]);
    assert!(audit["items"][0]["actor"]
        .as_str()
        .unwrap()
        .starts_with("link:account_setup:"));
    assert!(!audit.to_string().contains(good));
}

async fn a_focal_point_needs_a_valid_scope_and_only_admins_invite(app: TestApp) {
    let admin = app.token(&[Role::Admin]).await;
    let no_scope = app
        .post_as(
            &admin,
            "/api/v1/users",
            json!({"email": "fp@ke.example", "name": "FP", "roles": ["focal_point"]}),
        )
        .await;
    let problem: Value = serde_json::from_str(&expect_status(no_scope, 422).await).unwrap();
    assert!(problem["errors"]["focal_point_scope"].is_array());
    let unknown = app.post_as(&admin, "/api/v1/users", json!({"email": "fp@ke.example", "name": "FP", "roles": ["focal_point"], "focal_point_scope": {"country": "XX"}})).await;
    expect_status(unknown, 422).await;
    let bad_role = app
        .post_as(
            &admin,
            "/api/v1/users",
            json!({"email": "fp@ke.example", "name": "FP", "roles": ["king"]}),
        )
        .await;
    expect_status(bad_role, 422).await;
    let user = invite(&app, &admin, json!({"email": "fp@ke.example", "name": "FP", "roles": ["focal_point"], "focal_point_scope": {"country": "ke"}})).await;
    assert_eq!(user["focal_point_scope"], json!({"country": "KE"}));
    let entity = invite(&app, &admin, json!({"email": "fp@ntt.example", "name": "FP2", "roles": ["focal_point"], "focal_point_scope": {"entity": "NTT"}})).await;
    assert_eq!(entity["focal_point_scope"], json!({"entity": "NTT"}));
    let again = app
        .post_as(
            &admin,
            "/api/v1/users",
            json!({"email": "FP@ke.example", "name": "FP", "roles": ["organiser"]}),
        )
        .await;
    expect_status(again, 409).await;
    let organiser = app.organiser().await;
    let refused = app
        .post_as(
            &organiser,
            "/api/v1/users",
            json!({"email": "x@y.org", "name": "X", "roles": ["admin"]}),
        )
        .await;
    expect_status(refused, 403).await;
    let list: Value = app
        .get_as(&admin, "/api/v1/users?limit=2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 4);
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    assert_eq!(app.get_as(&organiser, "/api/v1/users").await.status(), 403);
}

async fn a_password_reset_answers_the_same_for_any_email_and_ends_old_tokens_and_sessions(
    app: TestApp,
) {
    let (email, old_password) = app.account(&[Role::Organiser]).await;
    let token = app.token(&[Role::Admin]).await;
    let old_token = {
        let body = json!({"email": email, "password": old_password});
        let response = app
            .request(
                reqwest::Method::POST,
                "/api/v1/auth/token",
                None,
                Some(body),
            )
            .await;
        response.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let mut session = Browser::open(&app).await;
    session.sign_in(&email, &old_password).await;
    let asker = Browser::open(&app).await;
    let known = expect_status(
        asker
            .post_form("/password-reset", &[("email", &email)], true)
            .await,
        200,
    )
    .await;
    let unknown = expect_status(
        asker
            .post_form("/password-reset", &[("email", "nobody@example.org")], true)
            .await,
        200,
    )
    .await;
    assert_eq!(known, unknown);
    assert!(known.contains("If an account exists for this email"));
    let me: Value = app
        .get_as(&old_token, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    let id = me["id"].as_str().unwrap().to_string();
    let path = path_of(&emailed_link(&app, &id, &app.settings.server.public_url).await);
    assert!(path.starts_with("/password-reset/"));
    let new_password = "a brand new and long password";
    let fields = [("password", new_password), ("confirm", new_password)];
    expect_status(asker.post_form(&path, &fields, true).await, 200).await;
    assert_eq!(
        app.get_as(&old_token, "/api/v1/me").await.status(),
        401,
        "API tokens revoked"
    );
    assert_eq!(
        session.get("/api/v1/me").await.status(),
        401,
        "other sessions ended"
    );
    assert_eq!(
        app.get_as(&token, "/api/v1/me").await.status(),
        200,
        "other accounts untouched"
    );
    expect_status(asker.post_form(&path, &fields, true).await, 404).await;
    let old = json!({"email": email, "password": old_password});
    assert_eq!(
        app.request(reqwest::Method::POST, "/api/v1/auth/token", None, Some(old))
            .await
            .status(),
        401
    );
    let new = json!({"email": email, "password": new_password});
    assert_eq!(
        app.request(reqwest::Method::POST, "/api/v1/auth/token", None, Some(new))
            .await
            .status(),
        200
    );
}

async fn a_wrong_or_expired_link_answers_404(app: TestApp) {
    let admin = app.token(&[Role::Admin]).await;
    let user = invite(
        &app,
        &admin,
        json!({"email": "late@example.org", "name": "Late", "roles": ["organiser"]}),
    )
    .await;
    let id = user["id"].as_str().unwrap().to_string();
    let expired = db::run(&app.pool, move |conn| {
        let long_ago = chrono::Utc::now() - chrono::Duration::days(10);
        Ok(links::store::issue(
            conn,
            Purpose::AccountSetup,
            &id,
            Some(chrono::Duration::hours(1)),
            long_ago,
        )?)
    })
    .await
    .unwrap();
    let browser = Browser::open(&app).await;
    let mut bodies = Vec::new();
    for path in [
        format!("/account/setup/{expired}"),
        format!("/account/setup/{}", "0".repeat(64)),
        "/account/setup/garbage".into(),
        format!("/password-reset/{expired}"),
    ] {
        bodies.push(expect_status(browser.get(&path).await, 404).await);
        let fields = [
            ("password", "tomato basket under the bridge"),
            ("confirm", "tomato basket under the bridge"),
        ];
        expect_status(browser.post_form(&path, &fields, true).await, 404).await;
    }
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "a 404 does not tell which"
    );
}

async fn the_admin_page_invites_users_and_shows_errors_beside_the_fields(app: TestApp) {
    let admin = signed_in(&app, &[Role::Admin]).await;
    expect_status(admin.get("/admin/users").await, 200).await;
    let bad = [
        ("email", "not-an-email"),
        ("name", ""),
        ("roles", "focal_point"),
    ];
    let page = expect_status(admin.post_form("/admin/users", &bad, true).await, 422).await;
    for id in ["email-error", "name-error", "scope-error"] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id} in {page}");
    }
    assert!(
        page.contains("value=\"not-an-email\""),
        "the form keeps what was typed"
    );
    let good = [
        ("email", "amina@ca.go.ke"),
        ("name", "Amina Odhiambo"),
        ("roles", "focal_point"),
        ("roles", "rapporteur"),
        ("scope_kind", "country"),
        ("scope_value", "KE"),
    ];
    let response = admin.post_form("/admin/users", &good, true).await;
    assert_eq!(response.status(), 303);
    let list = expect_status(
        admin
            .get(response.headers()["location"].to_str().unwrap())
            .await,
        200,
    )
    .await;
    assert!(
        list.contains("amina@ca.go.ke")
            && list.contains("(KE)")
            && list.contains("Invited, no password yet")
    );
}
