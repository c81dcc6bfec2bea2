//! The day-by-day views of a meeting's rooms and equipment, in the meeting's time zone.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::domain::{self, Interval};
use super::service::MeetingPlan;
use crate::bookings::domain::Held;
use crate::rooms::domain::{Equipment, Room};
use crate::web::local_span;

/// First hour column of the room grid (local time).
pub const FIRST_HOUR: u32 = 7;
/// The hour after the last column of the room grid (local time).
pub const LAST_HOUR: u32 = 21;

/// A session shown in a grid cell or a reservation line.
#[derive(Debug, Serialize)]
pub struct SessionRef {
    pub id: String,
    pub title: String,
}

/// One hour of one room.
#[derive(Debug, Serialize)]
pub struct Cell {
    pub hour: String,
    pub sessions: Vec<SessionRef>,
}

/// One room across a day.
#[derive(Debug, Serialize)]
pub struct RoomRow {
    pub id: String,
    pub name: String,
    pub capacity: i32,
    pub cells: Vec<Cell>,
}

/// One day of the room grid.
#[derive(Debug, Serialize)]
pub struct GridDay {
    pub label: String,
    pub hours: Vec<String>,
    pub rows: Vec<RoomRow>,
}

/// One reservation of an item on a day.
#[derive(Debug, Serialize)]
pub struct ReservationLine {
    pub session: SessionRef,
    pub quantity: i32,
    pub when: String,
}

/// One item on one day: its stock, the most reserved at once, and the reservations.
#[derive(Debug, Serialize)]
pub struct StockLine {
    pub name: String,
    pub kind: &'static str,
    pub stock: i32,
    pub peak: i32,
    pub free: i32,
    pub reservations: Vec<ReservationLine>,
}

/// One day of the equipment view.
#[derive(Debug, Serialize)]
pub struct StockDay {
    pub label: String,
    pub items: Vec<StockLine>,
}

/// The instant a local wall-clock hour starts (the next existing minute across a DST gap).
fn local(tz: Tz, day: NaiveDate, hour: u32) -> DateTime<Utc> {
    let naive = day.and_hms_opt(0, 0, 0).unwrap_or_default() + chrono::Duration::hours(hour.into());
    (0..=120)
        .find_map(|m| {
            tz.from_local_datetime(&(naive + chrono::Duration::minutes(m)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

fn days(plan: &MeetingPlan) -> Vec<NaiveDate> {
    plan.meeting
        .first_day
        .iter_days()
        .take_while(|d| *d <= plan.meeting.last_day)
        .collect()
}

fn room_row(plan: &MeetingPlan, room: &Room, day: NaiveDate) -> RoomRow {
    let tz = plan.meeting.timezone;
    let cells = (FIRST_HOUR..LAST_HOUR)
        .map(|h| {
            let hour = Interval::new(local(tz, day, h), local(tz, day, h + 1));
            let sessions = plan
                .bookings
                .iter()
                .filter(|(b, _)| b.room_id == room.id && b.interval.overlaps(&hour))
                .map(|(b, title)| SessionRef {
                    id: b.session_id.to_string(),
                    title: title.clone(),
                })
                .collect();
            Cell {
                hour: format!("{h:02}:00"),
                sessions,
            }
        })
        .collect();
    RoomRow {
        id: room.id.to_string(),
        name: room.name.clone(),
        capacity: room.capacity,
        cells,
    }
}

/// The grid of rooms × hours for every day of the meeting.
pub fn room_grid(plan: &MeetingPlan) -> Vec<GridDay> {
    days(plan)
        .into_iter()
        .map(|day| GridDay {
            label: day.format("%a %Y-%m-%d").to_string(),
            hours: (FIRST_HOUR..LAST_HOUR)
                .map(|h| format!("{h:02}:00"))
                .collect(),
            rows: plan
                .rooms
                .iter()
                .map(|room| room_row(plan, room, day))
                .collect(),
        })
        .collect()
}

fn stock_line(plan: &MeetingPlan, item: &Equipment, day: &Interval) -> StockLine {
    let tz = plan.meeting.timezone;
    let mut held: Vec<Held> = Vec::new();
    let mut reservations = Vec::new();
    for (b, title) in plan
        .bookings
        .iter()
        .filter(|(b, _)| b.interval.overlaps(day))
    {
        for r in b.equipment.iter().filter(|r| r.equipment_id == item.id) {
            held.push(Held {
                session_id: b.session_id.clone(),
                booking_id: b.id.clone(),
                interval: b.interval,
                quantity: r.quantity,
            });
            reservations.push(ReservationLine {
                session: SessionRef {
                    id: b.session_id.to_string(),
                    title: title.clone(),
                },
                quantity: r.quantity,
                when: local_span(tz, b.interval.from, b.interval.to),
            });
        }
    }
    let peak = domain::peak(day, &held);
    StockLine {
        name: item.name.clone(),
        kind: item.kind.as_str(),
        stock: item.quantity,
        peak,
        free: item.quantity - peak,
        reservations,
    }
}

/// Stock and reservations of every item for every day of the meeting.
pub fn stock_days(plan: &MeetingPlan) -> Vec<StockDay> {
    let tz = plan.meeting.timezone;
    days(plan)
        .into_iter()
        .map(|day| {
            let whole = Interval::new(local(tz, day, 0), local(tz, day, 24));
            StockDay {
                label: day.format("%a %Y-%m-%d").to_string(),
                items: plan
                    .equipment
                    .iter()
                    .map(|item| stock_line(plan, item, &whole))
                    .collect(),
            }
        })
        .collect()
}
