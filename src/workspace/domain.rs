//! What each staff role sees first, the seats of a session, and a meeting's day-by-room
//! timetable: pure rules, shared by the workspace's pages.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::access::domain::{Role, User};
use crate::registrations::domain::{Attendance, Status};

/// The zone staff pages show times in: the meeting's, or UTC when asked (`?tz=UTC`).
pub fn zone(meeting: Tz, asked: Option<&str>) -> Tz {
    match asked {
        Some(name) if name.eq_ignore_ascii_case("utc") => chrono_tz::UTC,
        _ => meeting,
    }
}

/// A link a role may follow from its dashboard: its address and words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub href: String,
    pub label: String,
}

fn link(href: &str, label: &str) -> Link {
    Link {
        href: href.into(),
        label: label.into(),
    }
}

/// The pages a staff member may open from the dashboard, by role; never one that would
/// answer Forbidden.
pub fn dashboard_links(user: &User) -> Vec<Link> {
    let mut links = vec![link("/", "Public programme")];
    if user.is_organiser() {
        links.push(link("/staff/meetings/new", "Create a meeting"));
        links.push(link("/outbox", "Outbox (messages sent and failed)"));
    }
    if user.has(Role::Admin) {
        links.push(link("/admin/users", "Accounts"));
        links.push(link("/admin/rooms", "Rooms"));
        links.push(link("/admin/equipment", "Equipment"));
        links.push(link("/admin/countries", "Countries"));
        links.push(link("/admin/audit", "Audit trail"));
    }
    links
}

/// Who may open a session's registrations list: organisers all of them, focal points those
/// of their administration; rapporteurs may not.
pub fn may_list_registrations(user: &User) -> bool {
    user.is_organiser() || user.focal_scope().is_some()
}

/// A session's seats: in person confirmed of capacity, waiting, pending approval, remote.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Seats {
    pub confirmed: i64,
    pub capacity: i32,
    pub waiting: i64,
    pub pending: i64,
    pub remote_confirmed: i64,
    pub remote_capacity: i32,
    pub remote_waiting: i64,
}

/// Adds up registrations counted by (attendance, status).
pub fn seats(counts: &[(Attendance, Status, i64)], capacity: i32, remote_capacity: i32) -> Seats {
    let mut seats = Seats {
        capacity,
        remote_capacity,
        ..Seats::default()
    };
    for (attendance, status, n) in counts {
        let slot = match (attendance, status) {
            (Attendance::InPerson, Status::Confirmed) => &mut seats.confirmed,
            (Attendance::InPerson, Status::Waitlisted) => &mut seats.waiting,
            (Attendance::Remote, Status::Confirmed) => &mut seats.remote_confirmed,
            (Attendance::Remote, Status::Waitlisted) => &mut seats.remote_waiting,
            (_, Status::Pending) => &mut seats.pending,
            _ => continue,
        };
        *slot += n;
    }
    seats
}

/// One session placed on the timetable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slot {
    pub session_id: String,
    pub title: String,
    pub status: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// A room's sessions on one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoomDay {
    pub room: String,
    pub slots: Vec<Slot>,
}

/// One day of a meeting with its rooms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Day {
    pub date: NaiveDate,
    pub rooms: Vec<RoomDay>,
}

/// Where no room is booked yet, on the timetable.
pub const NO_ROOM: &str = "No room booked yet";

/// Lays sessions out by day (in the zone) and room (`None`: no room yet, listed last); every
/// day of the meeting is listed, with every room used during the meeting.
pub fn timetable(
    tz: Tz,
    days: (NaiveDate, NaiveDate),
    placed: Vec<(Slot, Option<String>)>,
) -> Vec<Day> {
    let mut rooms: Vec<Option<String>> = placed.iter().map(|(_, r)| r.clone()).collect();
    rooms.sort_by(|a, b| (a.is_none(), a).cmp(&(b.is_none(), b)));
    rooms.dedup();
    let mut by_day: BTreeMap<(NaiveDate, Option<String>), Vec<Slot>> = BTreeMap::new();
    for (slot, room) in placed {
        let date = slot.starts_at.with_timezone(&tz).date_naive();
        by_day.entry((date, room)).or_default().push(slot);
    }
    let mut out = Vec::new();
    let mut date = days.0;
    while date <= days.1 {
        let rooms = rooms
            .iter()
            .map(|room| {
                let mut slots = by_day.remove(&(date, room.clone())).unwrap_or_default();
                slots.sort_by_key(|s| s.starts_at);
                RoomDay {
                    room: room.clone().unwrap_or_else(|| NO_ROOM.into()),
                    slots,
                }
            })
            .collect();
        out.push(Day { date, rooms });
        match date.succ_opt() {
            Some(next) => date = next,
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn slot(title: &str, starts: &str) -> Slot {
        Slot {
            session_id: title.into(),
            title: title.into(),
            status: "scheduled".into(),
            starts_at: at(starts),
            ends_at: at(starts),
        }
    }

    #[test]
    fn sessions_land_on_their_local_day_and_room_with_unbooked_ones_last() {
        let tz: Tz = "Asia/Tokyo".parse().unwrap();
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let placed = vec![
            (slot("late", "2026-03-10T16:00:00Z"), Some("Room B".into())),
            (slot("none", "2026-03-10T01:00:00Z"), None),
            (slot("early", "2026-03-10T01:00:00Z"), Some("Room B".into())),
        ];
        let days = timetable(tz, (day(10), day(11)), placed);
        assert_eq!(days.len(), 2);
        let rooms: Vec<&str> = days[0].rooms.iter().map(|r| r.room.as_str()).collect();
        assert_eq!(rooms, ["Room B", NO_ROOM]);
        assert_eq!(days[0].rooms[0].slots[0].title, "early");
        // 16:00 UTC is 01:00 the next day in Tokyo.
        assert_eq!(days[1].rooms[0].slots[0].title, "late");
    }

    #[test]
    fn seats_add_up_by_attendance_and_status() {
        let counts = [
            (Attendance::InPerson, Status::Confirmed, 3),
            (Attendance::InPerson, Status::Waitlisted, 2),
            (Attendance::Remote, Status::Pending, 1),
            (Attendance::InPerson, Status::Pending, 1),
            (Attendance::Remote, Status::Confirmed, 4),
            (Attendance::InPerson, Status::Cancelled, 9),
        ];
        let s = seats(&counts, 30, 50);
        assert_eq!(
            (s.confirmed, s.waiting, s.pending, s.remote_confirmed),
            (3, 2, 2, 4)
        );
    }

    #[test]
    fn utc_is_shown_only_when_asked() {
        let tz: Tz = "Europe/Zurich".parse().unwrap();
        assert_eq!(zone(tz, Some("UTC")), chrono_tz::UTC);
        assert_eq!(zone(tz, None), tz);
    }
}
