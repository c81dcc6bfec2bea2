//! JSON handlers of invitations: organisers invite and edit travel details; the speaker reads,
//! confirms, declines, withdraws and gives travel details through their secret link.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::domain::{InvitationStatus, SlotRole, Travel};
use super::input::{reason, InviteInput, ReasonInput, TravelInput};
use super::service::{self, Full};
use crate::access::Organiser;
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, Problem};
use crate::state::AppState;

/// An invitation as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InvitationView {
    pub id: String,
    pub status: InvitationStatus,
    pub role: SlotRole,
    pub session_id: String,
    pub item_id: String,
    pub speaker_id: String,
    pub invited_at: DateTime<Utc>,
    pub responded_at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
    pub reminders_sent: i32,
    pub travel: Travel,
}

/// What the speaker's link shows: their invitation, the slot and the session.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SpeakerLinkView {
    #[serde(flatten)]
    pub invitation: InvitationView,
    pub speaker: String,
    pub slot: SlotView,
    pub session: SessionView,
}

/// A slot: its title and times (UTC), the meeting's zone, and its calendar SEQUENCE.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SlotView {
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub timezone: String,
    pub sequence: i32,
}

/// The session of a slot.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = SlotSessionView)]
pub struct SessionView {
    pub id: String,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl InvitationView {
    /// The view of an invitation.
    pub fn of(i: &super::domain::Invitation) -> InvitationView {
        InvitationView {
            id: i.id.to_string(),
            status: i.status,
            role: i.role,
            session_id: i.session_id.to_string(),
            item_id: i.item_id.clone(),
            speaker_id: i.speaker_id.to_string(),
            invited_at: i.invited_at,
            responded_at: i.responded_at,
            reason: i.reason.clone(),
            reminders_sent: i.reminders_sent,
            travel: i.travel.clone(),
        }
    }
}

impl SpeakerLinkView {
    fn of(f: &Full) -> SpeakerLinkView {
        SpeakerLinkView {
            invitation: InvitationView::of(&f.invitation),
            speaker: f.speaker.fields.name.clone(),
            slot: SlotView {
                title: f.slot.title.clone(),
                starts_at: f.slot.starts_at,
                ends_at: f.slot.ends_at,
                timezone: f.meeting.timezone.name().to_string(),
                sequence: f.slot.sequence,
            },
            session: SessionView {
                id: f.session.id.to_string(),
                title: f.session.fields.title.clone(),
                starts_at: f.session.fields.starts_at,
                ends_at: f.session.fields.ends_at,
            },
        }
    }
}

/// Invites a speaker to a slot (role speaker or moderator); the speaker is emailed a link.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/agenda/items/{item_id}/invitations", tag = "speakers",
    request_body = InviteInput, params(("id" = String, Path), ("item_id" = String, Path)),
    responses((status = 201, body = InvitationView), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn invite(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    path: web::Path<(String, String)>,
    body: web::Json<InviteInput>,
) -> Result<HttpResponse, AppError> {
    let (session_id, item_id) = path.into_inner();
    let input = body.into_inner().read()?;
    let ctx = state.ctx();
    let invitation = db::run(&state.pool, move |conn| {
        service::invite(conn, &ctx, &user, (&session_id, &item_id), input)
    })
    .await?;
    Ok(HttpResponse::Created().json(InvitationView::of(&invitation)))
}

/// The speaker's invitation: the slot, the session and the status.
#[utoipa::path(get, path = "/api/v1/invitations/{token}", tag = "speakers", params(("token" = String, Path)),
    responses((status = 200, body = SpeakerLinkView), (status = 404, body = Problem)))]
pub async fn mine(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ctx = state.ctx();
    let f = db::run(&state.pool, move |conn| {
        service::by_token(conn, &ctx, &token)
    })
    .await?;
    Ok(HttpResponse::Ok().json(SpeakerLinkView::of(&f)))
}

/// The speaker confirms; the slot's calendar invitation follows. 409 when they are confirmed
/// for an overlapping slot (named in `conflicts`).
#[utoipa::path(post, path = "/api/v1/invitations/{token}/confirm", tag = "speakers", params(("token" = String, Path)),
    responses((status = 200, body = SpeakerLinkView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn confirm(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ctx = state.ctx();
    let f = db::run(&state.pool, move |conn| {
        service::confirm(conn, &ctx, &token)
    })
    .await?;
    Ok(HttpResponse::Ok().json(SpeakerLinkView::of(&f)))
}

/// The speaker declines, with a reason (required); the organisers are told.
#[utoipa::path(post, path = "/api/v1/invitations/{token}/decline", tag = "speakers", request_body = ReasonInput,
    params(("token" = String, Path)),
    responses((status = 200, body = SpeakerLinkView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decline(
    state: web::Data<AppState>,
    token: web::Path<String>,
    body: web::Json<ReasonInput>,
) -> Result<HttpResponse, AppError> {
    let (ctx, why) = (state.ctx(), reason(body.into_inner().reason, true)?);
    let f = db::run(&state.pool, move |conn| {
        service::decline(conn, &ctx, &token, why.unwrap_or_default())
    })
    .await?;
    Ok(HttpResponse::Ok().json(SpeakerLinkView::of(&f)))
}

/// The speaker withdraws after confirming (reason optional); a CANCEL follows and the
/// organisers are told.
#[utoipa::path(post, path = "/api/v1/invitations/{token}/withdraw", tag = "speakers", request_body = ReasonInput,
    params(("token" = String, Path)),
    responses((status = 200, body = SpeakerLinkView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn withdraw(
    state: web::Data<AppState>,
    token: web::Path<String>,
    body: Option<web::Json<ReasonInput>>,
) -> Result<HttpResponse, AppError> {
    let given = body.map(|b| b.into_inner().reason).unwrap_or_default();
    let (ctx, why) = (state.ctx(), reason(given, false)?);
    let f = db::run(&state.pool, move |conn| {
        service::withdraw(conn, &ctx, &token, why)
    })
    .await?;
    Ok(HttpResponse::Ok().json(SpeakerLinkView::of(&f)))
}

/// The speaker's travel and dispatch details.
#[utoipa::path(put, path = "/api/v1/invitations/{token}/travel", tag = "speakers", request_body = TravelInput,
    params(("token" = String, Path)),
    responses((status = 200, body = SpeakerLinkView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn travel(
    state: web::Data<AppState>,
    token: web::Path<String>,
    body: web::Json<TravelInput>,
) -> Result<HttpResponse, AppError> {
    let (ctx, travel) = (state.ctx(), body.into_inner().read()?);
    let f = db::run(&state.pool, move |conn| {
        service::travel_by_token(conn, &ctx, &token, travel)
    })
    .await?;
    Ok(HttpResponse::Ok().json(SpeakerLinkView::of(&f)))
}

/// An organiser edits a speaker's travel and dispatch details.
#[utoipa::path(put, path = "/api/v1/sessions/{id}/invitations/{invitation_id}/travel", tag = "speakers",
    request_body = TravelInput, params(("id" = String, Path), ("invitation_id" = String, Path)),
    responses((status = 200, body = InvitationView), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn staff_travel(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    path: web::Path<(String, String)>,
    body: web::Json<TravelInput>,
) -> Result<HttpResponse, AppError> {
    let (session_id, id) = path.into_inner();
    let (ctx, travel, actor) = (state.ctx(), body.into_inner().read()?, Actor::User(user.id));
    let invitation = db::run(&state.pool, move |conn| {
        service::of_session(conn, &session_id, &id)?;
        service::set_travel(conn, &ctx, (&id, &actor), travel)
    })
    .await?;
    Ok(HttpResponse::Ok().json(InvitationView::of(&invitation)))
}
