//! Request extractors that state who may call a handler: `Caller`, `Staff`, `Organiser`, `Admin`.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

use super::domain::{Role, User};
use super::service;
use crate::app::AppState;
use crate::db;
use crate::error::AppError;

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
    let user = match token {
        None => None,
        Some(token) => {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| AppError::Internal("no app state".into()))?;
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
