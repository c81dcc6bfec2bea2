//! Pages behind emailed links: setting a first password, asking for and completing a reset.
//! They are public, so every request counts against the per-address limit.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::users;
use crate::db;
use crate::error::AppError;
use crate::links::Purpose;
use crate::security::limits;
use crate::state::AppState;
use crate::web::render_form;
use crate::web::PageError;

/// What the password forms send.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub password: String,
    pub confirm: String,
    pub email: String,
    pub csrf_token: String,
}

async fn limited(state: &AppState, req: &HttpRequest, bucket: &str) -> Result<(), PageError> {
    match limits::check(state, bucket, &limits::address(req)).await {
        Err(AppError::TooManyRequests { retry_after_secs }) => {
            Err(PageError(AppError::TooManyRequests { retry_after_secs }))
        }
        other => Ok(other?),
    }
}

fn title_key(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::AccountSetup => "password_setup_title",
        _ => "password_reset_title",
    }
}

async fn form(
    state: web::Data<AppState>,
    req: HttpRequest,
    purpose: Purpose,
    token: String,
) -> Result<HttpResponse, PageError> {
    limited(&state, &req, "secret_link").await?;
    let user = db::run(&state.pool, move |conn| {
        users::holder_of(conn, purpose, &token)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    let values = json!({"title_key": title_key(purpose), "email": user.email, "errors": {}});
    Ok(render_form(&req, "auth/password.html", values)?)
}

async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    purpose: Purpose,
    token: String,
    form: PasswordForm,
) -> Result<HttpResponse, PageError> {
    limited(&state, &req, "secret_link").await?;
    let settings = state.settings.clone();
    let confirmed = form.password == form.confirm;
    let password = form.password;
    let result = db::run(&state.pool, move |conn| {
        if !confirmed {
            users::holder_of(conn, purpose, &token)?.ok_or(AppError::NotFound)?;
            return Err(AppError::invalid("confirm", "does not match the password"));
        }
        users::set_password(conn, &settings, purpose, &token, &password)
    })
    .await;
    match result {
        Ok(user) => Ok(render_form(
            &req,
            "auth/password_done.html",
            json!({"email": user.email}),
        )?),
        Err(AppError::Invalid(errors)) => {
            let values = json!({"title_key": title_key(purpose), "errors": errors});
            let mut page = render_form(&req, "auth/password.html", values)?;
            *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        }
        Err(other) => Err(other.into()),
    }
}

/// The form to set a first password, from the invitation email.
pub async fn setup_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    form(state, req, Purpose::AccountSetup, token.into_inner()).await
}

/// Sets the first password; the link is used up.
pub async fn setup(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    body: web::Form<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    submit(
        state,
        req,
        Purpose::AccountSetup,
        token.into_inner(),
        body.into_inner(),
    )
    .await
}

/// The form asking for an email to send a reset link to.
pub async fn reset_request_form(req: HttpRequest) -> Result<HttpResponse, PageError> {
    Ok(render_form(&req, "auth/reset_request.html", json!({}))?)
}

/// Sends a reset link if an account has the email; the answer is the same either way.
pub async fn reset_request(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Form<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    limited(&state, &req, "password_reset").await?;
    let settings = state.settings.clone();
    let email = body.into_inner().email;
    db::run(&state.pool, move |conn| {
        users::request_reset(conn, &settings, &email)
    })
    .await?;
    let mut page = render_form(&req, "auth/reset_sent.html", json!({}))?;
    page.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(page)
}

/// The form to choose a new password, from the reset email.
pub async fn reset_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    form(state, req, Purpose::PasswordReset, token.into_inner()).await
}

/// Sets the new password; the link is used up, API tokens revoked, other sessions ended.
pub async fn reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    body: web::Form<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    submit(
        state,
        req,
        Purpose::PasswordReset,
        token.into_inner(),
        body.into_inner(),
    )
    .await
}
