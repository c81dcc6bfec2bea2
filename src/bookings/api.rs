//! JSON handlers for rooms, equipment, bookings and availability.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use super::domain::{self, Booking, BookingInput, Interval, Reservation};
use super::service;
use crate::access::{Organiser, Staff};
use crate::audit::Actor;
use crate::bookings::domain::ClashProblem;
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::Check;
use crate::rooms::domain::Room;
use crate::state::AppState;

/// A booking as the API shows it: the blocked interval (set-up and tear-down included).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BookingView {
    pub id: String,
    pub session_id: String,
    pub room_id: String,
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

/// `?from=&to=` of an availability question, RFC 3339 instants.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct Window {
    /// Start of the window, e.g. 2026-03-10T00:00:00+01:00.
    pub from: Option<String>,
    /// End of the window (exclusive).
    pub to: Option<String>,
}

impl Window {
    fn interval(&self) -> Result<Interval, AppError> {
        let mut check = Check::new();
        let mut instant = |field: &str, value: &Option<String>| match value {
            None => {
                check.fail(field, "is required");
                None
            }
            Some(v) => DateTime::<FixedOffset>::parse_from_rfc3339(v)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| check.fail(field, "must be an RFC 3339 instant with an offset"))
                .ok(),
        };
        let (from, to) = (instant("from", &self.from), instant("to", &self.to));
        check.finish()?;
        match (from, to) {
            (Some(from), Some(to)) => Ok(Interval::new(from, to)),
            _ => Err(AppError::invalid("from", "is required")),
        }
    }
}

/// One busy interval of a room.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Busy {
    pub booking_id: String,
    pub session_id: String,
    pub session_title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// A free gap of the window.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Free {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// When a room is busy and free within a window.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Availability {
    pub room: Room,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub busy: Vec<Busy>,
    pub free: Vec<Free>,
}

impl Availability {
    /// The answer for a room's bookings within a window.
    pub fn of(room: Room, within: Interval, bookings: Vec<(Booking, String)>) -> Availability {
        let intervals: Vec<Interval> = bookings.iter().map(|(b, _)| b.interval).collect();
        let free = domain::free_gaps(&within, &intervals)
            .into_iter()
            .map(|g| Free {
                starts_at: g.from,
                ends_at: g.to,
            })
            .collect();
        let busy = bookings
            .into_iter()
            .map(|(b, title)| Busy {
                starts_at: b.interval.from,
                ends_at: b.interval.to,
                booking_id: b.id,
                session_id: b.session_id,
                session_title: title,
            })
            .collect();
        Availability {
            room,
            from: within.from,
            to: within.to,
            busy,
            free,
        }
    }
}

fn created<T: Serialize>(value: T) -> HttpResponse {
    HttpResponse::Created().json(value)
}

/// When a room is busy (with the sessions holding it) and free within a window.
#[utoipa::path(get, path = "/api/v1/rooms/{id}/availability", tag = "rooms", params(("id" = String, Path), Window),
    responses((status = 200, body = Availability), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn availability(
    state: web::Data<AppState>,
    _staff: Staff,
    id: web::Path<String>,
    window: web::Query<Window>,
) -> Result<HttpResponse, AppError> {
    let within = window.interval()?;
    let (room, bookings) = db::run(&state.pool, move |conn| {
        service::availability(conn, &id, &within)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Availability::of(room, within, bookings)))
}

/// Books a room and equipment for a session; 409 lists every clash.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/bookings", tag = "rooms", request_body = BookingInput, params(("id" = String, Path)),
    responses((status = 201, body = BookingView), (status = 404, body = Problem), (status = 409, body = ClashProblem), (status = 422, body = Problem)))]
pub async fn book(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<String>,
    body: web::Json<BookingInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::User(user.id);
    let ctx = state.ctx();
    let booking = db::run(&state.pool, move |conn| {
        service::book(conn, &ctx, &actor, &id, body.into_inner())
    })
    .await?;
    Ok(created(BookingView::of(booking)))
}

/// The bookings of a session.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/bookings", tag = "rooms", params(("id" = String, Path)),
    responses((status = 200, body = Vec<BookingView>), (status = 404, body = Problem)))]
pub async fn list_bookings(
    state: web::Data<AppState>,
    _staff: Staff,
    id: web::Path<String>,
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
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (actor, ctx) = (Actor::User(user.id), state.ctx());
    let (session_id, booking_id) = path.into_inner();
    db::run(&state.pool, move |conn| {
        service::unbook(conn, &ctx, &actor, &session_id, &booking_id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
