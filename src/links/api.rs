//! Staff API over secret links: revoke a person's link, or replace it with a fresh one to resend.
//!
//! Generic over the record a link opens; the capability that owns the record (registrations,
//! speaker invitations) sends the email that carries the new token.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::domain::Purpose;
use super::service;
use crate::access::Organiser;
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, Problem};
use crate::state::AppState;

/// A new link, shown to staff once so they can pass it on.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReissuedLink {
    pub purpose: String,
    pub record_id: String,
    pub token: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// How many live links were revoked.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RevokedLinks {
    pub purpose: String,
    pub record_id: String,
    pub revoked: usize,
}

fn staff_purpose(name: &str) -> Result<Purpose, AppError> {
    Purpose::managed_by_staff(name).ok_or(AppError::NotFound)
}

/// Replaces the secret link of a registration or speaker invitation; the old one stops working.
#[utoipa::path(post, path = "/api/v1/links/{purpose}/{record_id}/reissue", tag = "links",
    params(("purpose" = String, Path, description = "registration, speaker_invitation or focal_point_decision"), ("record_id" = String, Path)),
    responses((status = 200, body = ReissuedLink), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn reissue_link(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (purpose, record_id) = path.into_inner();
    let purpose = staff_purpose(&purpose)?;
    let (actor, id, ctx) = (Actor::User(user.id), record_id.clone(), state.ctx());
    let (token, expires_at) = db::run(&state.pool, move |conn| {
        service::reissue(conn, &ctx, &actor, purpose, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ReissuedLink {
        purpose: purpose.as_str().into(),
        record_id,
        token,
        expires_at,
    }))
}

/// Revokes the secret links of a registration or speaker invitation.
#[utoipa::path(post, path = "/api/v1/links/{purpose}/{record_id}/revoke", tag = "links",
    params(("purpose" = String, Path), ("record_id" = String, Path)),
    responses((status = 200, body = RevokedLinks), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke_link(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (purpose, record_id) = path.into_inner();
    let purpose = staff_purpose(&purpose)?;
    let (actor, id, ctx) = (Actor::User(user.id), record_id.clone(), state.ctx());
    let revoked = db::run(&state.pool, move |conn| {
        service::revoke(conn, &ctx, &actor, purpose, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(RevokedLinks {
        purpose: purpose.as_str().into(),
        record_id,
        revoked,
    }))
}
