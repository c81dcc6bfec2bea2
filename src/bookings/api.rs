//! JSON handlers for the bookings of a session.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::domain::ClashProblem;
use super::domain::{Booking, BookingId, Reservation};
use super::request::BookingInput;
use super::service;
use crate::access::{Organiser, Staff};
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, Problem};
use crate::rooms::domain::RoomId;
use crate::sessions::domain::SessionId;
use crate::state::AppState;

/// A booking as the API shows it: the blocked interval (set-up and tear-down included).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BookingView {
    pub id: BookingId,
    pub session_id: SessionId,
    pub room_id: RoomId,
    pub setup_minutes: i32,
    pub teardown_minutes: i32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity_overridden: bool,
    pub equipment: Vec<Reservation>,
}

impl BookingView {
    /// The view of a booking.
    pub fn of(b: Booking) -> BookingView {
        BookingView {
            starts_at: b.interval.from,
            ends_at: b.interval.to,
            id: b.id,
            session_id: b.session_id,
            room_id: b.room_id,
            setup_minutes: b.setup_minutes,
            teardown_minutes: b.teardown_minutes,
            capacity_overridden: b.capacity_overridden,
            equipment: b.equipment,
        }
    }
}

/// Books a room and equipment for a session; 409 lists every clash.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/bookings", tag = "rooms", request_body = BookingInput, params(("id" = String, Path)),
    responses((status = 201, body = BookingView), (status = 404, body = Problem), (status = 409, body = ClashProblem), (status = 422, body = Problem)))]
pub async fn book(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<SessionId>,
    body: web::Json<BookingInput>,
) -> Result<HttpResponse, AppError> {
    let (actor, ctx) = (Actor::User(user.id), state.ctx());
    let booking = db::run(&state.pool, move |conn| {
        service::book(conn, &ctx, &actor, &id, body.into_inner())
    })
    .await?;
    Ok(HttpResponse::Created().json(BookingView::of(booking)))
}

/// The bookings of a session.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/bookings", tag = "rooms", params(("id" = String, Path)),
    responses((status = 200, body = Vec<BookingView>), (status = 404, body = Problem)))]
pub async fn list_bookings(
    state: web::Data<AppState>,
    _staff: Staff,
    id: web::Path<SessionId>,
) -> Result<HttpResponse, AppError> {
    let list = db::run(&state.pool, move |conn| service::bookings_of(conn, &id)).await?;
    let views: Vec<BookingView> = list.into_iter().map(BookingView::of).collect();
    Ok(HttpResponse::Ok().json(views))
}

/// Deletes a booking; its room and equipment are free at once.
#[utoipa::path(delete, path = "/api/v1/sessions/{id}/bookings/{booking_id}", tag = "rooms",
    params(("id" = String, Path), ("booking_id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn unbook(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    path: web::Path<(SessionId, BookingId)>,
) -> Result<HttpResponse, AppError> {
    let (actor, ctx) = (Actor::User(user.id), state.ctx());
    let (session_id, booking_id) = path.into_inner();
    db::run(&state.pool, move |conn| {
        service::unbook(conn, &ctx, &actor, &session_id, &booking_id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
