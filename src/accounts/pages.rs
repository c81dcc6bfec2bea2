//! Sign-in, sign-out and the staff landing page, and the gates that keep staff pages for staff.

use actix_session::SessionExt;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;

use super::signin;
use crate::access::Caller;
use crate::audit::Actor;
use crate::db;
use crate::error::AppError;
use crate::security::{csrf, limits, session};
use crate::state::AppState;
use crate::web::PageError;
use crate::web::{render_form, see_other};

/// What the sign-in form sends.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignInForm {
    pub email: String,
    pub password: String,
    pub next: String,
    pub csrf_token: String,
}

/// Where to go after signing in: a path on this site, never another site; anything else goes
/// to the dashboard. Browsers drop a TAB or newline inside a `Location` (`/\t/evil.example`
/// becomes `//evil.example`) and read `\` as `/`, so only visible ASCII is accepted, and the
/// character after the first `/` must not start another slash.
pub fn safe_next(next: &str) -> &str {
    let mut chars = next.chars();
    let on_this_site = chars.next() == Some('/')
        && chars.next().is_some_and(|c| c != '/' && c != '\\')
        && next.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    if on_this_site {
        next
    } else {
        "/staff"
    }
}

#[derive(Deserialize)]
/// Where to go after signing in.
pub struct NextQuery {
    next: Option<String>,
}

/// The sign-in form.
pub async fn sign_in_form(
    req: HttpRequest,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let next = query.into_inner().next.unwrap_or_default();
    Ok(render_form(
        &req,
        "auth/sign_in.html",
        json!({"next": safe_next(&next)}),
    )?)
}

/// Checks email and password and starts a browser session.
pub async fn sign_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let (settings, decoy, address) = (
        state.settings.clone(),
        state.decoy_hash.clone(),
        limits::address(&req),
    );
    let (email, password) = (form.email.clone(), form.password.clone());
    let checked = db::run(&state.pool, move |conn| {
        let row = signin::verify(conn, &settings, &decoy, &email, &password, &address)?;
        let changes = json!({"session": "started"});
        crate::audit::store::record(
            conn,
            &Actor::User(row.id.clone()),
            "user.signed_in",
            "user",
            &row.id,
            changes,
        )?;
        Ok(row)
    })
    .await;
    let values =
        |error: &str| json!({"next": safe_next(&form.next), "email": form.email, "error": error});
    match checked {
        Ok(row) => {
            let cookie = req.get_session();
            session::start(&cookie, &row.id, row.session_generation, Utc::now());
            csrf::rotate(&cookie);
            Ok(see_other(safe_next(&form.next)))
        }
        Err(AppError::Unauthorized) => {
            let mut page = render_form(&req, "auth/sign_in.html", values("sign_in_failed"))?;
            *page.status_mut() = StatusCode::UNAUTHORIZED;
            Ok(page)
        }
        Err(AppError::TooManyRequests { retry_after_secs }) => {
            let mut page = render_form(&req, "auth/sign_in.html", values("sign_in_too_many"))?;
            *page.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            page.headers_mut()
                .insert(header::RETRY_AFTER, retry_after_secs.into());
            Ok(page)
        }
        Err(other) => Err(other.into()),
    }
}

/// Signs out: ends this browser session and every other session of the account, on every
/// instance, so that a copied cookie stops working too.
pub async fn sign_out(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
) -> Result<HttpResponse, PageError> {
    if let Some(user) = caller.0 {
        db::run(&state.pool, move |conn| {
            super::service::sign_out(conn, &user.id)
        })
        .await?;
    }
    req.get_session().purge();
    Ok(see_other("/"))
}
