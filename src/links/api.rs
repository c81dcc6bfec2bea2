//! Staff API over secret links: revoke a person's link, or replace it with a fresh one to resend.
//!
//! Generic over the record a link opens; the capability that owns the record (registrations,
//! speaker invitations) sends the email that carries the new token.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::json;

use super::domain::Purpose;
use super::store;
use crate::access::Organiser;
use crate::audit::{self, Actor};
use crate::db::{self, Conn};
use crate::error::{AppError, Problem};
use crate::state::AppState;

/// Purposes staff may manage here; account links are the account holder's business.
fn staff_purpose(name: &str) -> Result<Purpose, AppError> {
    match Purpose::parse(name) {
        Some(
            p @ (Purpose::Registration | Purpose::SpeakerInvitation | Purpose::FocalPointDecision),
        ) => Ok(p),
        _ => Err(AppError::NotFound),
    }
}

/// The audit record kind of the record a link opens.
pub fn record_kind(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Registration | Purpose::FocalPointDecision => "registration",
        Purpose::SpeakerInvitation => "invitation",
        Purpose::AccountSetup | Purpose::PasswordReset => "user",
    }
}

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

/// Revokes a record's links and issues a fresh one with the same lifetime as the last.
pub fn reissue(
    conn: &mut Conn,
    actor: &Actor,
    purpose: Purpose,
    record_id: &str,
) -> Result<(String, Option<DateTime<Utc>>), AppError> {
    db::write(conn, |conn| {
        let last = store::latest(conn, purpose, record_id)?.ok_or(AppError::NotFound)?;
        let ttl = last.expires_at.map(|e| e - last.created_at);
        let now = Utc::now();
        let token = store::reissue(conn, purpose, record_id, ttl, now)?;
        let changes = json!({"link": {"purpose": purpose.as_str(), "action": "reissued"}});
        audit::store::record(
            conn,
            actor,
            "link.reissued",
            record_kind(purpose),
            record_id,
            changes,
        )?;
        Ok((token, ttl.map(|ttl: Duration| now + ttl)))
    })
}

/// Revokes every live link of a record, so that the person's emailed link opens nothing.
pub fn revoke(
    conn: &mut Conn,
    actor: &Actor,
    purpose: Purpose,
    record_id: &str,
) -> Result<usize, AppError> {
    db::write(conn, |conn| {
        store::latest(conn, purpose, record_id)?.ok_or(AppError::NotFound)?;
        let revoked = store::revoke(conn, purpose, record_id, Utc::now())?;
        let changes = json!({"link": {"purpose": purpose.as_str(), "revoked": revoked}});
        audit::store::record(
            conn,
            actor,
            "link.revoked",
            record_kind(purpose),
            record_id,
            changes,
        )?;
        Ok(revoked)
    })
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
    let (actor, id) = (Actor::User(user.id), record_id.clone());
    let (token, expires_at) =
        db::run(&state.pool, move |conn| reissue(conn, &actor, purpose, &id)).await?;
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
    let (actor, id) = (Actor::User(user.id), record_id.clone());
    let revoked = db::run(&state.pool, move |conn| revoke(conn, &actor, purpose, &id)).await?;
    Ok(HttpResponse::Ok().json(RevokedLinks {
        purpose: purpose.as_str().into(),
        record_id,
        revoked,
    }))
}
