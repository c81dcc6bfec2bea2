//! CSRF: every form posted without its token is refused; bearer-token API calls are exempt.
//! Also the security headers, on every kind of answer, with HSTS over https.

use serde_json::json;

use crate::browser::{emailed_link, expect_status, signed_in, Browser};
use crate::on_both_backends;
use crate::support::{spawn_with, Backend, TestApp};
use seminars::access::Role;

on_both_backends!(
    every_form_posted_without_its_token_is_refused_with_403,
    the_api_needs_the_token_header_with_the_cookie_but_not_with_a_bearer_token,
);

async fn every_form_posted_without_its_token_is_refused_with_403(app: TestApp) {
    let admin_token = app.token(&[Role::Admin]).await;
    let user = app
        .post_as(
            &admin_token,
            "/api/v1/users",
            json!({"email": "new@example.org", "name": "New", "roles": ["organiser"]}),
        )
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let setup = emailed_link(
        &app,
        user["id"].as_str().unwrap(),
        &app.settings.server.public_url,
    )
    .await;
    let setup = setup
        .trim_start_matches(&app.settings.server.public_url)
        .to_string();
    let admin = signed_in(&app, &[Role::Admin]).await;
    let anonymous = Browser::open(&app).await;
    let password = [
        ("password", "tomato basket under the bridge"),
        ("confirm", "tomato basket under the bridge"),
    ];
    // Each form with its answer once the token is there: wrong credentials, a reset sent, a
    // password set, an account invited, a session ended.
    type Form<'a> = (&'a Browser, &'a str, &'a str, Vec<(&'a str, &'a str)>, u16);
    let forms: Vec<Form> = vec![
        (
            &anonymous,
            "/sign-in",
            "/sign-in",
            vec![("email", "a@b.org"), ("password", "whatever it is")],
            401,
        ),
        (
            &anonymous,
            "/password-reset",
            "/password-reset",
            vec![("email", "a@b.org")],
            200,
        ),
        (&anonymous, &setup, &setup, password.to_vec(), 200),
        (
            &admin,
            "/admin/users",
            "/admin/users",
            vec![("email", "x@y.org"), ("name", "X"), ("roles", "organiser")],
            303,
        ),
        (&admin, "/staff", "/sign-out", vec![], 303),
    ];
    for (browser, page, action, fields, status) in forms {
        let form = expect_status(browser.get(page).await, 200).await;
        assert!(
            form.contains(&format!("action=\"{action}\"")) || action == setup,
            "{page} holds the form"
        );
        assert!(
            form.contains("name=\"csrf_token\""),
            "{page} has the hidden field"
        );
        let refused = browser.post_form(action, &fields, false).await;
        assert_eq!(refused.status(), 403, "{action} without the token");
        let mut wrong = fields.clone();
        wrong.push(("csrf_token", "0000"));
        assert_eq!(
            browser.post_form(action, &wrong, false).await.status(),
            403,
            "{action} with a wrong token"
        );
        let fresh = app
            .client
            .post(app.url(action))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(
            fresh.status(),
            403,
            "{action} from a client without any session"
        );
        let accepted = browser.post_form(action, &fields, true).await;
        assert_eq!(accepted.status(), status, "{action} with the token");
    }
}

async fn the_api_needs_the_token_header_with_the_cookie_but_not_with_a_bearer_token(app: TestApp) {
    let admin = signed_in(&app, &[Role::Admin]).await;
    let body = json!({"email": "one@example.org", "name": "One", "roles": ["organiser"]});
    let without = admin
        .client
        .post(app.url("/api/v1/users"))
        .json(&body)
        .send()
        .await
        .unwrap();
    expect_status(without, 403).await;
    let with = admin
        .send_json(reqwest::Method::POST, "/api/v1/users", Some(body))
        .await;
    expect_status(with, 201).await;
    let token = app.token(&[Role::Admin]).await;
    let bearer = app
        .post_as(
            &token,
            "/api/v1/users",
            json!({"email": "two@example.org", "name": "Two", "roles": ["organiser"]}),
        )
        .await;
    expect_status(bearer, 201).await;
    let anonymous_registration_style = app
        .client
        .post(app.url("/api/v1/users"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        anonymous_registration_style.status(),
        401,
        "no cookie, no bearer: the API answers for itself"
    );
}

fn assert_security_headers(response: &reqwest::Response, hsts: bool) {
    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'")
            && csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers.contains_key("referrer-policy"));
    assert_eq!(
        headers.contains_key("strict-transport-security"),
        hsts,
        "{}",
        response.url()
    );
}

async fn security_headers_are_on_every_answer_and_hsts_only_over_https(backend: Backend) {
    for (url, https) in [
        ("https://seminars.example.org", true),
        ("http://127.0.0.1:8080", false),
    ] {
        let Some(app) = spawn_with(backend, |s| s.server.public_url = url.into()).await else {
            return;
        };
        let sign_in = app.get("/sign-in").await;
        assert_security_headers(&sign_in, https);
        let cookie = sign_in.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(cookie.contains("Secure"), https, "{cookie}");
        for path in [
            "/",
            "/api/v1/me",
            "/no/such/page",
            "/api/v1/no/such/route",
            "/healthz",
        ] {
            assert_security_headers(&app.get(path).await, https);
        }
        let refused = app
            .client
            .post(app.url("/sign-in"))
            .form(&[("email", "a@b.org")])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
        assert_security_headers(&refused, https);
        if https {
            let hsts = app.get("/").await.headers()["strict-transport-security"]
                .to_str()
                .unwrap()
                .to_string();
            assert!(hsts.contains("max-age=31536000"), "{hsts}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_are_on_every_answer_and_hsts_only_over_https_on_sqlite() {
    security_headers_are_on_every_answer_and_hsts_only_over_https(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_are_on_every_answer_and_hsts_only_over_https_on_postgres() {
    security_headers_are_on_every_answer_and_hsts_only_over_https(Backend::Postgres).await;
}
