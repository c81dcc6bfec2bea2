//! Request extractors that state who may call a handler: `Caller`, `Staff`, `Organiser`, `Admin`,
//! `FocalPoint`. A caller is known from `Authorization: Bearer` or else from the session cookie.

use std::future::Future;
use std::pin::Pin;

use actix_session::SessionExt;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use chrono::Utc;

use super::domain::{FocalScope, Role, User};
use crate::accounts::service;
use crate::db;
use crate::error::AppError;
use crate::state::AppState;

/// Whoever is calling: an account, or nobody.
#[derive(Debug, Clone)]
pub struct Caller(pub Option<User>);

impl Caller {
    /// True for signed-in staff.
    pub fn is_staff(&self) -> bool {
        self.0.as_ref().is_some_and(User::is_staff)
    }
}

/// Any signed-in account with a role.
#[derive(Debug, Clone)]
pub struct Staff(pub User);

/// An organiser (or admin).
#[derive(Debug, Clone)]
pub struct Organiser(pub User);

/// An admin.
#[derive(Debug, Clone)]
pub struct Admin(pub User);

/// A focal point with the administration or entity they speak for.
#[derive(Debug, Clone)]
pub struct FocalPoint(pub User, pub FocalScope);

type Extracted<T> = Pin<Box<dyn Future<Output = Result<T, AppError>>>>;

/// Resolves the caller once per request and keeps the answer in the request's extensions.
async fn resolve(req: HttpRequest) -> Result<Option<User>, AppError> {
    if let Some(cached) = req.extensions().get::<Caller>() {
        return Ok(cached.0.clone());
    }
    let token = match req.headers().get(header::AUTHORIZATION) {
        None => None,
        Some(value) => {
            let value = value.to_str().map_err(|_| AppError::Unauthorized)?;
            let token = value
                .strip_prefix("Bearer ")
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .ok_or(AppError::Unauthorized)?;
            Some(token.to_string())
        }
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::Internal("no app state".into()))?;
    let user = match token {
        None => from_session(&req, state).await?,
        Some(token) => {
            let found = db::run(&state.pool, move |conn| {
                service::user_of_token(conn, &token)
            })
            .await?;
            Some(found.ok_or(AppError::Unauthorized)?)
        }
    };
    req.extensions_mut().insert(Caller(user.clone()));
    Ok(user)
}

/// The account a live session cookie names; an expired session, a deactivated account, or an
/// account whose sessions were ended since (sign-out, password or role change, "sign out
/// everywhere") ends the session and leaves the caller anonymous.
async fn from_session(req: &HttpRequest, state: &AppState) -> Result<Option<User>, AppError> {
    let session = req.get_session();
    let Some(claim) = crate::security::session::claim(&session) else {
        return Ok(None);
    };
    let now = Utc::now();
    if !crate::security::session::is_live(&state.settings, &claim, now) {
        crate::security::session::end(&session);
        return Ok(None);
    }
    let user_id = claim.user_id.clone();
    let found = db::run(&state.pool, move |conn| {
        Ok(crate::accounts::store::find(conn, &user_id)?.filter(|row| row.active))
    })
    .await?;
    match found {
        Some(row) if crate::security::session::is_current(&claim, row.session_generation) => {
            crate::security::session::touch(&session, &claim, now);
            Ok(Some(User::from(row)))
        }
        _ => {
            crate::security::session::end(&session);
            Ok(None)
        }
    }
}

impl FromRequest for Caller {
    type Error = AppError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(Caller(resolve(req).await?)) })
    }
}

fn require(req: &HttpRequest, allowed: fn(&User) -> bool) -> Extracted<User> {
    let req = req.clone();
    Box::pin(async move {
        let user = resolve(req).await?.ok_or(AppError::Unauthorized)?;
        if allowed(&user) {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    })
}

impl FromRequest for Staff {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = require(req, User::is_staff);
        Box::pin(async move { user.await.map(Staff) })
    }
}

impl FromRequest for Organiser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = require(req, User::is_organiser);
        Box::pin(async move { user.await.map(Organiser) })
    }
}

impl FromRequest for Admin {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = require(req, |u| u.has(Role::Admin));
        Box::pin(async move { user.await.map(Admin) })
    }
}

impl FromRequest for FocalPoint {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = require(req, |u| u.focal_scope().is_some());
        Box::pin(async move {
            let user = user.await?;
            let scope = user.focal_scope().ok_or(AppError::Forbidden)?;
            Ok(FocalPoint(user, scope))
        })
    }
}
