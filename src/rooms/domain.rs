//! Rooms, equipment and bookings: their fields and the rules on intervals, clashes and stock.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::reference::{Room, MAX_COUNT};
use crate::error::AppError;
use crate::input::{Check, Field};
use crate::sessions::domain::Session;

/// Longest set-up or tear-down a booking may ask for, in minutes.
pub const MAX_BUFFER_MINUTES: i64 = 480;
/// A half-open span of time `[from, to)`: one that ends as another starts does not clash with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Interval {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Interval {
    /// The span from `from` to `to`.
    pub fn new(from: DateTime<Utc>, to: DateTime<Utc>) -> Interval {
        Interval { from, to }
    }

    /// The time a room is blocked for a session: its time widened by set-up and tear-down.
    pub fn blocked(
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        setup_minutes: i32,
        teardown_minutes: i32,
    ) -> Interval {
        Interval {
            from: starts_at - Duration::minutes(setup_minutes.into()),
            to: ends_at + Duration::minutes(teardown_minutes.into()),
        }
    }

    /// True when the two spans share at least one instant.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.from < other.to && other.from < self.to
    }

    /// True when the instant lies in the span.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && at < self.to
    }
}

/// A quantity of one equipment item held over an interval, by one booking of one session.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub session_id: String,
    pub booking_id: String,
    pub interval: Interval,
    pub quantity: i32,
}

/// The instants at which the reserved total can change upwards inside `within`.
fn rising_points(within: &Interval, held: &[Held]) -> Vec<DateTime<Utc>> {
    let mut points: Vec<DateTime<Utc>> = std::iter::once(within.from)
        .chain(
            held.iter()
                .map(|h| h.interval.from)
                .filter(|at| within.contains(*at)),
        )
        .collect();
    points.sort();
    points.dedup();
    points
}

fn total_at(at: DateTime<Utc>, held: &[Held]) -> i32 {
    held.iter()
        .filter(|h| h.interval.contains(at))
        .map(|h| h.quantity)
        .sum()
}

/// The largest total held at any instant of `within`.
///
/// The total only rises where a reservation starts, so its maximum inside the span is reached
/// at the span's start or at a reservation's start within it. Summing every reservation that
/// overlaps the span would refuse two sessions that merely follow one another.
pub fn peak(within: &Interval, held: &[Held]) -> i32 {
    rising_points(within, held)
        .into_iter()
        .map(|at| total_at(at, held))
        .max()
        .unwrap_or(0)
}

/// The reservations that together exceed `stock` at some instant of `within` (none when it fits).
///
/// Each one is held at an instant where the total is over stock; indices into `held`.
pub fn over_stock(stock: i32, within: &Interval, held: &[Held]) -> Vec<usize> {
    let mut culprits: Vec<usize> = Vec::new();
    for at in rising_points(within, held) {
        if total_at(at, held) > stock {
            culprits.extend(
                held.iter()
                    .enumerate()
                    .filter(|(_, h)| h.interval.contains(at))
                    .map(|(i, _)| i),
            );
        }
    }
    culprits.sort_unstable();
    culprits.dedup();
    culprits
}

/// What a clash is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClashKind {
    Room,
    Equipment,
}

/// One reason a booking is refused: another session holds the room or the equipment.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Clash {
    pub kind: ClashKind,
    /// The room clashed over (room clashes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_id: Option<String>,
    /// The equipment item clashed over (equipment clashes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equipment_id: Option<String>,
    pub with_session_id: String,
    pub with_booking_id: String,
    /// The other booking's blocked interval (set-up and tear-down included).
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// For equipment: how many the other booking holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i32>,
}

impl Clash {
    /// A clash over a room with another session's booking of it.
    pub fn room(room_id: &str, other: &Booking) -> Clash {
        Clash {
            kind: ClashKind::Room,
            room_id: Some(room_id.to_string()),
            equipment_id: None,
            with_session_id: other.session_id.clone(),
            with_booking_id: other.id.clone(),
            starts_at: other.interval.from,
            ends_at: other.interval.to,
            quantity: None,
        }
    }

    /// A clash over an equipment item with one of the reservations that exceed its stock.
    pub fn equipment(equipment_id: &str, held: &Held) -> Clash {
        Clash {
            kind: ClashKind::Equipment,
            room_id: None,
            equipment_id: Some(equipment_id.to_string()),
            with_session_id: held.session_id.clone(),
            with_booking_id: held.booking_id.clone(),
            starts_at: held.interval.from,
            ends_at: held.interval.to,
            quantity: Some(held.quantity),
        }
    }
}

/// The 409 that lists every clash, in the shape clients read: `{conflicts: [...]}`.
pub fn clash_error(detail: &str, clashes: &[Clash]) -> AppError {
    AppError::Conflict(
        detail.to_string(),
        Some(serde_json::json!({ "conflicts": clashes })),
    )
}

/// Refuses a room smaller than the session's in-person capacity, unless knowingly overridden.
pub fn check_capacity(
    room: &Room,
    in_person: i32,
    override_capacity: bool,
) -> Result<(), AppError> {
    if room.capacity >= in_person || override_capacity {
        return Ok(());
    }
    Err(AppError::invalid(
        "room_id",
        format!(
            "{} seats {}, fewer than the session's {} in-person places; \
             send override_capacity: true to book it anyway",
            room.name, room.capacity, in_person
        ),
    ))
}

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
    pub room_id: String,
    pub setup_minutes: i32,
    pub teardown_minutes: i32,
    /// Equipment ids with quantities, each item once.
    pub equipment: Vec<(String, i32)>,
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

impl BookingInput {
    /// Checks the request's own fields; whether the room and items exist is the service's part.
    pub fn validate(
        self,
        setup_default: i32,
        teardown_default: i32,
    ) -> Result<BookingRequest, AppError> {
        let mut check = Check::new();
        let room_id = check.line("room_id", self.room_id, 100);
        let setup_minutes = minutes(
            &mut check,
            "setup_minutes",
            self.setup_minutes,
            setup_default,
        );
        let teardown_minutes = minutes(
            &mut check,
            "teardown_minutes",
            self.teardown_minutes,
            teardown_default,
        );
        let override_capacity = check.optional("override_capacity", self.override_capacity);
        let lines = check
            .optional("equipment", self.equipment)
            .unwrap_or_default();
        let mut equipment: Vec<(String, i32)> = Vec::new();
        for (i, line) in lines.into_iter().enumerate() {
            let id = check.line(
                &format!("equipment[{i}].equipment_id"),
                line.equipment_id,
                100,
            );
            let field = format!("equipment[{i}].quantity");
            let quantity = match check.required(&field, line.quantity) {
                Some(q) if (1..=MAX_COUNT).contains(&q) => Some(q as i32),
                Some(_) => {
                    check.fail(&field, format!("must be between 1 and {MAX_COUNT}"));
                    None
                }
                None => None,
            };
            if let (Some(id), Some(quantity)) = (id, quantity) {
                if equipment.iter().any(|(e, _)| *e == id) {
                    check.fail(&format!("equipment[{i}].equipment_id"), "is listed twice");
                } else {
                    equipment.push((id, quantity));
                }
            }
        }
        check.finish()?;
        Ok(BookingRequest {
            room_id: room_id.unwrap_or_default(),
            setup_minutes,
            teardown_minutes,
            equipment,
            override_capacity: override_capacity.unwrap_or(false),
        })
    }
}

impl BookingRequest {
    /// The booking this request makes for a session's time in a room.
    pub fn booking(&self, id: String, session: &Session, room: &Room) -> Booking {
        let (starts_at, ends_at) = (session.fields.starts_at, session.fields.ends_at);
        Booking {
            id,
            session_id: session.id.clone(),
            room_id: room.id.clone(),
            setup_minutes: self.setup_minutes,
            teardown_minutes: self.teardown_minutes,
            interval: Interval::blocked(
                starts_at,
                ends_at,
                self.setup_minutes,
                self.teardown_minutes,
            ),
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

/// Equipment held by a booking.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Reservation {
    pub equipment_id: String,
    pub quantity: i32,
}

/// A room booked for a session, with the equipment it holds over the same interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Booking {
    pub id: String,
    pub session_id: String,
    pub room_id: String,
    pub setup_minutes: i32,
    pub teardown_minutes: i32,
    /// The blocked interval: the session's time widened by set-up and tear-down.
    pub interval: Interval,
    pub capacity_overridden: bool,
    pub equipment: Vec<Reservation>,
}

/// The free gaps of `within` between busy intervals (sorted by start).
pub fn free_gaps(within: &Interval, busy: &[Interval]) -> Vec<Interval> {
    let mut gaps = Vec::new();
    let mut cursor = within.from;
    for b in busy {
        if b.from > cursor {
            gaps.push(Interval::new(cursor, b.from.min(within.to)));
        }
        cursor = cursor.max(b.to);
    }
    if cursor < within.to {
        gaps.push(Interval::new(cursor, within.to));
    }
    gaps
}

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;
