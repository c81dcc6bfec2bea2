//! JSON handlers for rooms, equipment, bookings and availability.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use super::domain::{self, Booking, BookingInput, Clash, Interval, Reservation};
use super::reference::{Equipment, EquipmentInput, Room, RoomInput};
use super::{inventory, service};
use crate::app::AppState;
use crate::audit::Actor;
use crate::auth::{Admin, Organiser, Staff};
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{Check, ListOf, Paging};

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

/// The 409 body of a refused booking.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClashProblem {
    pub status: u16,
    pub detail: String,
    pub conflicts: Vec<Clash>,
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

/// Creates a room.
#[utoipa::path(post, path = "/api/v1/rooms", tag = "rooms", request_body = RoomInput,
    responses((status = 201, body = Room), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/api/v1/rooms")]
pub async fn create_room(
    state: web::Data<AppState>,
    Admin(user): Admin,
    body: web::Json<RoomInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::User(user.id);
    let room = db::run(&state.pool, move |conn| {
        inventory::create_room(conn, &actor, body.into_inner())
    })
    .await?;
    Ok(created(room))
}

/// Lists rooms by name.
#[utoipa::path(get, path = "/api/v1/rooms", tag = "rooms", params(Paging),
    responses((status = 200, body = ListOf<Room>), (status = 401, body = Problem), (status = 403, body = Problem)))]
#[get("/api/v1/rooms")]
pub async fn list_rooms(
    state: web::Data<AppState>,
    _staff: Staff,
    paging: web::Query<Paging>,
) -> Result<HttpResponse, AppError> {
    let (limit, offset) = paging.checked()?;
    let (items, total) = db::run(&state.pool, move |conn| {
        inventory::list_rooms(conn, limit, offset)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ListOf { items, total }))
}

/// One room.
#[utoipa::path(get, path = "/api/v1/rooms/{id}", tag = "rooms", params(("id" = String, Path)),
    responses((status = 200, body = Room), (status = 404, body = Problem)))]
#[get("/api/v1/rooms/{id}")]
pub async fn get_room(
    state: web::Data<AppState>,
    _staff: Staff,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let room = db::run(&state.pool, move |conn| inventory::get_room(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(room))
}

/// Changes any fields of a room.
#[utoipa::path(patch, path = "/api/v1/rooms/{id}", tag = "rooms", request_body = RoomInput, params(("id" = String, Path)),
    responses((status = 200, body = Room), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[patch("/api/v1/rooms/{id}")]
pub async fn update_room(
    state: web::Data<AppState>,
    Admin(user): Admin,
    id: web::Path<String>,
    body: web::Json<RoomInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::User(user.id);
    let room = db::run(&state.pool, move |conn| {
        inventory::patch_room(conn, &actor, &id, body.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(room))
}

/// When a room is busy (with the sessions holding it) and free within a window.
#[utoipa::path(get, path = "/api/v1/rooms/{id}/availability", tag = "rooms", params(("id" = String, Path), Window),
    responses((status = 200, body = Availability), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/api/v1/rooms/{id}/availability")]
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

/// Creates an equipment item with its stock.
#[utoipa::path(post, path = "/api/v1/equipment", tag = "rooms", request_body = EquipmentInput,
    responses((status = 201, body = Equipment), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/api/v1/equipment")]
pub async fn create_equipment(
    state: web::Data<AppState>,
    Admin(user): Admin,
    body: web::Json<EquipmentInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::User(user.id);
    let item = db::run(&state.pool, move |conn| {
        inventory::create_equipment(conn, &actor, body.into_inner())
    })
    .await?;
    Ok(created(item))
}

/// Lists equipment by name.
#[utoipa::path(get, path = "/api/v1/equipment", tag = "rooms", params(Paging),
    responses((status = 200, body = ListOf<Equipment>), (status = 401, body = Problem), (status = 403, body = Problem)))]
#[get("/api/v1/equipment")]
pub async fn list_equipment(
    state: web::Data<AppState>,
    _staff: Staff,
    paging: web::Query<Paging>,
) -> Result<HttpResponse, AppError> {
    let (limit, offset) = paging.checked()?;
    let (items, total) = db::run(&state.pool, move |conn| {
        inventory::list_equipment(conn, limit, offset)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ListOf { items, total }))
}

/// One equipment item.
#[utoipa::path(get, path = "/api/v1/equipment/{id}", tag = "rooms", params(("id" = String, Path)),
    responses((status = 200, body = Equipment), (status = 404, body = Problem)))]
#[get("/api/v1/equipment/{id}")]
pub async fn get_equipment(
    state: web::Data<AppState>,
    _staff: Staff,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let item = db::run(&state.pool, move |conn| inventory::get_equipment(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(item))
}

/// Changes an equipment item; its stock cannot drop below what is reserved from now on.
#[utoipa::path(patch, path = "/api/v1/equipment/{id}", tag = "rooms", request_body = EquipmentInput, params(("id" = String, Path)),
    responses((status = 200, body = Equipment), (status = 404, body = Problem), (status = 409, body = ClashProblem), (status = 422, body = Problem)))]
#[patch("/api/v1/equipment/{id}")]
pub async fn update_equipment(
    state: web::Data<AppState>,
    Admin(user): Admin,
    id: web::Path<String>,
    body: web::Json<EquipmentInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::User(user.id);
    let item = db::run(&state.pool, move |conn| {
        inventory::patch_equipment(conn, &actor, &id, body.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(item))
}

/// Books a room and equipment for a session; 409 lists every clash.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/bookings", tag = "rooms", request_body = BookingInput, params(("id" = String, Path)),
    responses((status = 201, body = BookingView), (status = 404, body = Problem), (status = 409, body = ClashProblem), (status = 422, body = Problem)))]
#[post("/api/v1/sessions/{id}/bookings")]
pub async fn book(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<String>,
    body: web::Json<BookingInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::User(user.id);
    let settings = state.settings.rooms.clone();
    let booking = db::run(&state.pool, move |conn| {
        service::book(conn, &actor, &settings, &id, body.into_inner())
    })
    .await?;
    Ok(created(BookingView::of(booking)))
}

/// The bookings of a session.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/bookings", tag = "rooms", params(("id" = String, Path)),
    responses((status = 200, body = Vec<BookingView>), (status = 404, body = Problem)))]
#[get("/api/v1/sessions/{id}/bookings")]
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
#[delete("/api/v1/sessions/{id}/bookings/{booking_id}")]
pub async fn unbook(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::User(user.id);
    let (session_id, booking_id) = path.into_inner();
    db::run(&state.pool, move |conn| {
        service::unbook(conn, &actor, &session_id, &booking_id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
