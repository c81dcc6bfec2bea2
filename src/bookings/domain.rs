//! Bookings of rooms and equipment for sessions: clashes, stock, capacity, and the rules that
//! refuse a booking. Pure: the service reads what others hold and hands it in.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use super::availability::domain::Interval;
use super::availability::domain::{over_stock, peak, Load};
use crate::audit::Actor;
use crate::input::{Check, Invalid};
use crate::rooms::domain::{Equipment, EquipmentId, Room, RoomId};
use crate::sessions::domain::{Session, SessionId, SessionStatus};

crate::typed_id!(
    /// A room booking's id.
    BookingId
);

/// What happened to a session's room booking, announced inside the same transaction to the
/// capabilities that follow it (calendar invitations and emails show the room).
#[derive(Debug, Clone)]
pub struct BookingEvent {
    pub actor: Actor,
    pub session_id: SessionId,
    pub change: BookingChange,
    /// The session's room after the change (see `room_per_session`), if it has one.
    pub room: Option<Room>,
}

/// The kind of change to a session's booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingChange {
    /// A room was booked for the session.
    Booked,
    /// A booking was deleted; the session may have no room now.
    Released,
    /// The session moved and its bookings moved with it.
    Moved,
}

/// Why a booking (or a change of stock) is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BookingError {
    #[error("the room or equipment is taken at that time")]
    Clash(Vec<Clash>),
    #[error("the session's room or equipment is taken at the new time")]
    MoveClash(Vec<Clash>),
    /// The database's exclusion constraint, the last guard behind the locks, refused the row.
    #[error("the room was booked at that time by a concurrent request")]
    ConcurrentClash,
    #[error("more than the new stock is reserved at some time")]
    OverReserved(Vec<Clash>),
    #[error("a cancelled session cannot be booked")]
    SessionCancelled,
    #[error(
        "{room} seats {seats}, fewer than the session's {wanted} in-person places; \
         send override_capacity: true to book it anyway"
    )]
    UnderCapacity {
        room: String,
        seats: i32,
        wanted: i32,
    },
    #[error(transparent)]
    Invalid(#[from] Invalid),
}

/// A quantity of one equipment item held over an interval, by one booking of one session.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub session_id: SessionId,
    pub booking_id: BookingId,
    pub interval: Interval,
    pub quantity: i32,
}

impl Load for Held {
    fn span(&self) -> Interval {
        self.interval
    }

    fn quantity(&self) -> i32 {
        self.quantity
    }
}

/// An item's stock may drop only while what is reserved of it (`held`, from now on) still fits.
pub fn check_new_stock(item: &Equipment, held: &[Held]) -> Result<(), BookingError> {
    let over: Vec<Clash> = held
        .iter()
        .filter(|h| peak(&h.interval, held) > item.quantity)
        .map(|h| Clash::equipment(&item.id, h))
        .collect();
    if over.is_empty() {
        Ok(())
    } else {
        Err(BookingError::OverReserved(over))
    }
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
    pub room_id: Option<RoomId>,
    /// The equipment item clashed over (equipment clashes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equipment_id: Option<EquipmentId>,
    pub with_session_id: SessionId,
    pub with_booking_id: BookingId,
    /// The other booking's blocked interval (set-up and tear-down included).
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// For equipment: how many the other booking holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i32>,
}

impl Clash {
    /// A clash over a room with another session's booking of it.
    pub fn room(room_id: &RoomId, other: &Booking) -> Clash {
        Clash {
            kind: ClashKind::Room,
            room_id: Some(room_id.clone()),
            equipment_id: None,
            with_session_id: other.session_id.clone(),
            with_booking_id: other.id.clone(),
            starts_at: other.interval.from,
            ends_at: other.interval.to,
            quantity: None,
        }
    }

    /// A clash over an equipment item with one of the reservations that exceed its stock.
    pub fn equipment(equipment_id: &EquipmentId, held: &Held) -> Clash {
        Clash {
            kind: ClashKind::Equipment,
            room_id: None,
            equipment_id: Some(equipment_id.clone()),
            with_session_id: held.session_id.clone(),
            with_booking_id: held.booking_id.clone(),
            starts_at: held.interval.from,
            ends_at: held.interval.to,
            quantity: Some(held.quantity),
        }
    }
}

/// What other sessions hold that one candidate booking could clash with, read by the service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Taken {
    /// Other sessions' bookings of the candidate's room over its interval.
    pub room: Vec<Booking>,
    /// For each item the candidate reserves: what other sessions hold of it over its interval.
    pub items: Vec<(EquipmentId, Vec<Held>)>,
}

/// Every clash of these bookings-to-be (`taken[i]` is what others hold against `candidates[i]`).
///
/// The candidates are checked together, so a session's own bookings count against one another
/// when it moves, but are never reported as clashes.
pub fn clashes(candidates: &[Booking], taken: &[Taken], stock: &[Equipment]) -> Vec<Clash> {
    let mut found: Vec<Clash> = Vec::new();
    for (candidate, taken) in candidates.iter().zip(taken) {
        for other in &taken.room {
            found.push(Clash::room(&candidate.room_id, other));
        }
        for (item, held) in &taken.items {
            for clash in item_clashes(candidate, candidates, item, held, stock) {
                if !found.contains(&clash) {
                    found.push(clash);
                }
            }
        }
    }
    found
}

fn item_clashes(
    candidate: &Booking,
    candidates: &[Booking],
    item: &EquipmentId,
    held_by_others: &[Held],
    stock: &[Equipment],
) -> Vec<Clash> {
    let mut held = held_by_others.to_vec();
    held.extend(candidates.iter().filter_map(|c| c.held(item)));
    let quantity = stock
        .iter()
        .find(|e| &e.id == item)
        .map_or(0, |e| e.quantity);
    over_stock(quantity, &candidate.interval, &held)
        .into_iter()
        .filter(|&i| !candidates.iter().any(|c| c.id == held[i].booking_id))
        .map(|i| Clash::equipment(item, &held[i]))
        .collect()
}

/// A cancelled session cannot be booked.
pub fn check_bookable(session: &Session) -> Result<(), BookingError> {
    match session.status {
        SessionStatus::Cancelled => Err(BookingError::SessionCancelled),
        _ => Ok(()),
    }
}

/// Refuses a room smaller than the session's in-person capacity, unless knowingly overridden.
pub fn check_capacity(
    room: &Room,
    in_person: i32,
    override_capacity: bool,
) -> Result<(), BookingError> {
    if room.capacity >= in_person || override_capacity {
        return Ok(());
    }
    Err(BookingError::UnderCapacity {
        room: room.name.clone(),
        seats: room.capacity,
        wanted: in_person,
    })
}

/// Every requested item exists and its whole stock covers the quantity asked; each failure is
/// named by its line.
pub fn check_stock(lines: &[(EquipmentId, i32)], items: &[Equipment]) -> Result<(), Invalid> {
    let mut check = Check::new();
    for (i, (id, quantity)) in lines.iter().enumerate() {
        match items.iter().find(|e| &e.id == id) {
            None => check.fail(
                &format!("equipment[{i}].equipment_id"),
                "no equipment has this id",
            ),
            Some(item) if item.quantity < *quantity => check.fail(
                &format!("equipment[{i}].quantity"),
                format!("exceeds the stock of {} ({})", item.name, item.quantity),
            ),
            Some(_) => {}
        }
    }
    check.finish()
}

/// Equipment held by a booking.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Reservation {
    pub equipment_id: EquipmentId,
    pub quantity: i32,
}

/// A room booked for a session, with the equipment it holds over the same interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Booking {
    pub id: BookingId,
    pub session_id: SessionId,
    pub room_id: RoomId,
    pub setup_minutes: i32,
    pub teardown_minutes: i32,
    /// The blocked interval: the session's time widened by set-up and tear-down.
    pub interval: Interval,
    pub capacity_overridden: bool,
    pub equipment: Vec<Reservation>,
}

impl Booking {
    /// What this booking holds of an item, if any.
    pub fn held(&self, item: &EquipmentId) -> Option<Held> {
        self.equipment
            .iter()
            .find(|r| &r.equipment_id == item)
            .map(|r| Held {
                session_id: self.session_id.clone(),
                booking_id: self.id.clone(),
                interval: self.interval,
                quantity: r.quantity,
            })
    }

    /// The booking when its session moves to a new time: the same buffers around it.
    pub fn follow(&mut self, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) {
        self.interval = Interval::blocked(
            starts_at,
            ends_at,
            self.setup_minutes,
            self.teardown_minutes,
        );
    }
}

/// The room each session is held in.
pub type SessionRooms = BTreeMap<SessionId, Room>;

/// A session's room is the room of its first booking: from rows ordered by when they were
/// booked, the first room of each session.
pub fn room_per_session(rows: Vec<(SessionId, Room)>) -> SessionRooms {
    let mut rooms = SessionRooms::new();
    for (session, room) in rows {
        rooms.entry(session).or_insert(room);
    }
    rooms
}

/// The 409 body of a refused booking, as clients read it: `{conflicts: [...]}`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ClashProblem {
    pub status: u16,
    pub detail: String,
    pub conflicts: Vec<Clash>,
}

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;
