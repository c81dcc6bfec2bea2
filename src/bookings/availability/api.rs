//! JSON handler: when a room is busy, with the sessions holding it, and free.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use super::domain::{self, Interval};
use super::service;
use crate::access::Staff;
use crate::bookings::domain::{Booking, BookingId};
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::Check;
use crate::rooms::domain::{Room, RoomId};
use crate::sessions::domain::SessionId;
use crate::state::AppState;

/// `?from=&to=` of an availability question, RFC 3339 instants.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct Window {
    /// Start of the window, e.g. 2026-03-10T00:00:00+01:00.
    #[param(required = true)]
    pub from: Option<String>,
    /// End of the window (exclusive).
    #[param(required = true)]
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
    pub booking_id: BookingId,
    pub session_id: SessionId,
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

/// When a room is busy (with the sessions holding it) and free within a window.
#[utoipa::path(get, path = "/api/v1/rooms/{id}/availability", tag = "rooms", params(("id" = String, Path), Window),
    responses((status = 200, body = Availability), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn availability(
    state: web::Data<AppState>,
    _staff: Staff,
    id: web::Path<RoomId>,
    window: web::Query<Window>,
) -> Result<HttpResponse, AppError> {
    let within = window.interval()?;
    let (room, bookings) = db::run(&state.pool, move |conn| {
        service::availability(conn, &id, &within)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Availability::of(room, within, bookings)))
}
