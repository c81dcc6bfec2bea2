//! Use cases of availability: a room's busy and free times, a meeting's rooms and equipment.

use super::domain::{self, Interval};
use crate::bookings::domain::Booking;
use crate::db::Conn;
use crate::error::AppError;
use crate::meetings::{domain::Meeting, domain::MeetingId};
use crate::rooms::domain::{Equipment, Room, RoomId};

/// A room and its bookings (with session titles) overlapping the interval.
pub fn availability(
    conn: &mut Conn,
    room_id: &RoomId,
    within: &Interval,
) -> Result<(Room, Vec<(Booking, String)>), AppError> {
    domain::check_window(within)?;
    let room = crate::rooms::store::find_room(conn, room_id)?.ok_or(AppError::NotFound)?;
    let busy = crate::bookings::store::bookings_between(conn, Some(room_id), within)?;
    Ok((room, busy))
}

/// What a meeting's room and equipment pages show: its rooms, equipment and bookings.
pub struct MeetingPlan {
    pub meeting: Meeting,
    pub rooms: Vec<Room>,
    pub equipment: Vec<Equipment>,
    /// Bookings overlapping the meeting's days, with their session's title.
    pub bookings: Vec<(Booking, String)>,
}

/// The rooms, equipment and bookings of a meeting's days.
pub fn meeting_plan(conn: &mut Conn, meeting_id: &MeetingId) -> Result<MeetingPlan, AppError> {
    let meeting = crate::meetings::store::find(conn, meeting_id)?.ok_or(AppError::NotFound)?;
    let (from, to) = meeting.window();
    let (rooms, _) = crate::rooms::store::list_rooms(conn, 500, 0)?;
    let (equipment, _) = crate::rooms::store::list_equipment(conn, 500, 0)?;
    let bookings = crate::bookings::store::bookings_between(conn, None, &Interval::new(from, to))?;
    Ok(MeetingPlan {
        meeting,
        rooms,
        equipment,
        bookings,
    })
}
