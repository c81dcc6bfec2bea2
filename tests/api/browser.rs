//! A browser for the access tests: a cookie jar, the CSRF token of its session, form posts, and
//! accounts with a focal point's scope.

use std::collections::BTreeSet;

use reqwest::{Client, Response};
use serde_json::Value;

use crate::support::TestApp;
use seminars::access::domain::{FocalScope, Role};
use seminars::accounts::users::{self, Invitation};
use seminars::audit::Actor;
use seminars::db;
use seminars::links::Purpose;

/// A client that keeps cookies, like a browser, and remembers its session's CSRF token.
pub struct Browser {
    pub client: Client,
    pub base: String,
    pub csrf: String,
}

/// The value of the first hidden `csrf_token` field of a page.
pub fn csrf_of(page: &str) -> Option<String> {
    let rest = page.split("name=\"csrf_token\" value=\"").nth(1)?;
    Some(rest.split('"').next()?.to_string())
}

impl Browser {
    /// A fresh browser that has opened the sign-in page (so it holds a session and a token).
    pub async fn open(app: &TestApp) -> Browser {
        // Idle connections are dropped before the server's 5 s keep-alive ends, so a request is
        // never sent on a connection the server is closing (IncompleteMessage after a long pause).
        let client = Client::builder()
            .pool_idle_timeout(std::time::Duration::from_secs(2))
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mut browser = Browser {
            client,
            base: app.address.clone(),
            csrf: String::new(),
        };
        browser.refresh_csrf().await;
        browser
    }

    /// Reads the session's current token from the sign-in page.
    pub async fn refresh_csrf(&mut self) {
        let page = self.get("/sign-in").await.text().await.unwrap();
        self.csrf = csrf_of(&page).expect("the sign-in page has a CSRF token");
    }

    /// GET a path.
    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// POST a form, with or without the session's CSRF token.
    pub async fn post_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        with_token: bool,
    ) -> Response {
        // A value may hold YYYY for the fixtures' year (see `support::fixture`).
        let mut fields: Vec<(&str, String)> = fields
            .iter()
            .map(|(k, v)| (*k, crate::support::fixture(v)))
            .collect();
        if with_token {
            fields.push(("csrf_token", self.csrf.clone()));
        }
        self.client
            .post(format!("{}{path}", self.base))
            .form(&fields)
            .send()
            .await
            .unwrap()
    }

    /// Sends JSON with the session cookie and the X-CSRF-Token header.
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Response {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap()
    }

    /// Signs in through the page and picks up the new session's token.
    pub async fn sign_in(&mut self, email: &str, password: &str) {
        let response = self
            .post_form(
                "/sign-in",
                &[("email", email), ("password", password)],
                true,
            )
            .await;
        assert_eq!(response.status(), 303, "sign-in of {email}");
        self.refresh_csrf().await;
    }
}

/// A browser signed in as a new account with these roles.
pub async fn signed_in(app: &TestApp, roles: &[Role]) -> Browser {
    let (email, password) = app.account(roles).await;
    let mut browser = Browser::open(app).await;
    browser.sign_in(&email, &password).await;
    browser
}

/// The first link in the newest email to an account that starts with `prefix`.
pub async fn emailed_link(app: &TestApp, user_id: &str, prefix: &str) -> String {
    let id = user_id.to_string();
    let rows = db::run(&app.pool, move |conn| {
        Ok(seminars::mail::outbox::of_record(
            conn,
            seminars::mail::outbox::RecordKind::USER,
            &id,
        )?)
    })
    .await
    .unwrap();
    let text = &rows.last().expect("an email to the account").text_body;
    let start = text.find(prefix).expect("the link is in the email");
    text[start..].split_whitespace().next().unwrap().to_string()
}

/// Creates an account with roles and an optional focal point's scope, sets its password through
/// its set-up link, and answers (id, email, password).
pub async fn scoped_account(
    app: &TestApp,
    roles: &[Role],
    scope: Option<FocalScope>,
) -> (String, String, String) {
    let email = format!("{}@example.org", uuid::Uuid::new_v4().simple());
    let invitation = Invitation {
        email: email.clone(),
        name: "Scoped Account".into(),
        roles: roles.iter().copied().collect::<BTreeSet<_>>(),
        scope,
    };
    let settings = app.settings.clone();
    let user = db::run(&app.pool, move |conn| {
        users::invite(conn, &settings, &Actor::Cli, invitation)
    })
    .await
    .unwrap();
    let link = emailed_link(app, &user.id, "http").await;
    let token = link.rsplit('/').next().unwrap().to_string();
    let password = "a perfectly long password".to_string();
    let (settings, pw) = (app.settings.clone(), password.clone());
    db::run(&app.pool, move |conn| {
        users::set_password(conn, &settings, Purpose::AccountSetup, &token, &pw)
    })
    .await
    .unwrap();
    (user.id, email, password)
}

/// Asserts an answer's status, showing the body when it differs.
pub async fn expect_status(response: Response, status: u16) -> String {
    let actual = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_eq!(actual, status, "{body}");
    body
}
