//! Rooms and equipment booked for sessions, without double-booking or over-reservation. When
//! rooms and items are free lives in the `availability` sub-capability below.

pub mod api;
pub mod availability;
pub mod domain;
pub mod request;
pub mod service;
pub mod store;

use crate::api;
use crate::capability::Capability;
use crate::error::AppError;
use crate::web::routes::{Access, Routes};
use domain::{BookingError, Clash};

/// The bookings capability, as the app lists it.
pub const CAPABILITY: Capability = Capability {
    name: "bookings",
    mount,
    reacts: Some(service::react),
};

/// Mounts the routes, each with who may call it.
fn mount(r: &mut Routes) {
    api!(r, Access::Organiser, api::book);
    api!(r, Access::Staff, api::list_bookings);
    api!(r, Access::Organiser, api::unbook);
    availability::mount(r);
}

fn conflicts(detail: String, clashes: &[Clash]) -> AppError {
    AppError::Conflict(detail, Some(serde_json::json!({ "conflicts": clashes })))
}

impl From<BookingError> for AppError {
    fn from(e: BookingError) -> AppError {
        let detail = e.to_string();
        match e {
            BookingError::Clash(found)
            | BookingError::MoveClash(found)
            | BookingError::OverReserved(found) => conflicts(detail, &found),
            BookingError::ConcurrentClash => conflicts(detail, &[]),
            BookingError::SessionCancelled => AppError::conflict(detail),
            BookingError::UnderCapacity { .. } => AppError::invalid("room_id", detail),
            BookingError::Invalid(invalid) => invalid.into(),
        }
    }
}
