//! A booking request as a client sends it, and the checks that turn it into a booking.

use serde::Deserialize;

use super::domain::{Booking, BookingId, Interval, Reservation};
use crate::input::{Check, Field, Invalid};
use crate::rooms::domain::{EquipmentId, Room, RoomId, MAX_COUNT};
use crate::sessions::domain::Session;

/// Longest set-up or tear-down a booking may ask for, in minutes.
pub const MAX_BUFFER_MINUTES: i64 = crate::config::RoomSettings::MAX_BUFFER_MINUTES;

/// One line of a booking request: this many of this item.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EquipmentLine {
    #[serde(default)]
    #[schema(value_type = String, format = Uuid)]
    pub equipment_id: Field<String>,
    #[serde(default)]
    #[schema(value_type = i32)]
    pub quantity: Field<i64>,
}

/// A booking as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingInput {
    #[serde(default)]
    #[schema(value_type = String, format = Uuid)]
    pub room_id: Field<String>,
    /// Minutes blocked before the session (default from the settings).
    #[serde(default)]
    #[schema(value_type = Option<i32>)]
    pub setup_minutes: Field<i64>,
    /// Minutes blocked after the session (default from the settings).
    #[serde(default)]
    #[schema(value_type = Option<i32>)]
    pub teardown_minutes: Field<i64>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<EquipmentLine>>)]
    pub equipment: Field<Vec<EquipmentLine>>,
    /// Book a room smaller than the session's in-person capacity, knowingly.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub override_capacity: Field<bool>,
}

/// A checked booking request.
#[derive(Debug, Clone, PartialEq)]
pub struct BookingRequest {
    pub room_id: RoomId,
    pub setup_minutes: i32,
    pub teardown_minutes: i32,
    /// Equipment ids with quantities, each item once.
    pub equipment: Vec<(EquipmentId, i32)>,
    pub override_capacity: bool,
}

fn minutes(check: &mut Check, field: &str, value: Field<i64>, default: i32) -> i32 {
    match check.optional(field, value) {
        Some(m) if (0..=MAX_BUFFER_MINUTES).contains(&m) => m as i32,
        Some(_) => {
            check.fail(field, format!("must be between 0 and {MAX_BUFFER_MINUTES}"));
            default
        }
        None => default,
    }
}

fn quantity(check: &mut Check, field: &str, value: Field<i64>) -> Option<i32> {
    match check.required(field, value)? {
        q if (1..=MAX_COUNT).contains(&q) => Some(q as i32),
        _ => {
            check.fail(field, format!("must be between 1 and {MAX_COUNT}"));
            None
        }
    }
}

/// The lines of a request, each item once; a repeated item is named by its second line.
fn equipment_lines(check: &mut Check, lines: Vec<EquipmentLine>) -> Vec<(EquipmentId, i32)> {
    let mut equipment: Vec<(EquipmentId, i32)> = Vec::new();
    for (i, line) in lines.into_iter().enumerate() {
        let id_field = format!("equipment[{i}].equipment_id");
        let id = check.line(&id_field, line.equipment_id, 100);
        let quantity = quantity(check, &format!("equipment[{i}].quantity"), line.quantity);
        if let (Some(id), Some(quantity)) = (id, quantity) {
            let id = EquipmentId::from(id);
            if equipment.iter().any(|(e, _)| *e == id) {
                check.fail(&id_field, "is listed twice");
            } else {
                equipment.push((id, quantity));
            }
        }
    }
    equipment
}

impl BookingInput {
    /// Checks the request's own fields; whether the room and items exist is the service's part.
    pub fn validate(
        self,
        setup_default: i32,
        teardown_default: i32,
    ) -> Result<BookingRequest, Invalid> {
        let mut check = Check::new();
        let room_id = check.line("room_id", self.room_id, 100);
        let setup = minutes(
            &mut check,
            "setup_minutes",
            self.setup_minutes,
            setup_default,
        );
        let teardown = minutes(
            &mut check,
            "teardown_minutes",
            self.teardown_minutes,
            teardown_default,
        );
        let override_capacity = check.optional("override_capacity", self.override_capacity);
        let lines = check.optional("equipment", self.equipment);
        let equipment = equipment_lines(&mut check, lines.unwrap_or_default());
        check.finish()?;
        Ok(BookingRequest {
            room_id: RoomId::from(room_id.unwrap_or_default()),
            setup_minutes: setup,
            teardown_minutes: teardown,
            equipment,
            override_capacity: override_capacity.unwrap_or(false),
        })
    }
}

impl BookingRequest {
    /// The booking this request makes for a session's time in a room.
    pub fn booking(&self, id: BookingId, session: &Session, room: &Room) -> Booking {
        let (starts_at, ends_at) = (session.fields.starts_at, session.fields.ends_at);
        let (setup, teardown) = (self.setup_minutes, self.teardown_minutes);
        Booking {
            id,
            session_id: session.id.clone(),
            room_id: room.id.clone(),
            setup_minutes: setup,
            teardown_minutes: teardown,
            interval: Interval::blocked(starts_at, ends_at, setup, teardown),
            capacity_overridden: room.capacity < session.fields.capacity,
            equipment: self
                .equipment
                .iter()
                .map(|(id, quantity)| Reservation {
                    equipment_id: id.clone(),
                    quantity: *quantity,
                })
                .collect(),
        }
    }
}
