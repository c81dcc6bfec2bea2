//! Use cases of rooms and bookings: book, release, follow a moved session, answer availability.

use std::any::Any;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use uuid::Uuid;

use super::domain::{
    self, clash_error, Booking, BookingChange, BookingEvent, BookingInput, Clash, Held, Interval,
};
use super::store;
use crate::audit::{self, Actor};
use crate::db::failure::DbError;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::meetings::{self, domain::Meeting};
use crate::rooms::domain::{Equipment, Room};
use crate::rooms::store as reference_store;
use crate::sessions::domain::{SessionChange, SessionEvent, SessionId};
use crate::sessions::{self, domain::SessionStatus};

/// Every clash of these bookings-to-be with what is held already (other than by `except_session`).
///
/// The candidates are checked together, so a session's own bookings count against one another
/// when it moves.
fn clashes(
    conn: &mut Conn,
    candidates: &[Booking],
    except_session: Option<&str>,
    stock: &[Equipment],
) -> Result<Vec<Clash>, AppError> {
    let mut found: Vec<Clash> = Vec::new();
    for candidate in candidates {
        for other in store::room_bookings_overlapping(
            conn,
            &candidate.room_id,
            &candidate.interval,
            except_session,
        )? {
            found.push(Clash::room(&candidate.room_id, &other));
        }
        for line in &candidate.equipment {
            let mut held = store::held_overlapping(
                conn,
                &line.equipment_id,
                &candidate.interval,
                except_session,
            )?;
            held.extend(
                candidates
                    .iter()
                    .flat_map(|c| held_by(c, &line.equipment_id)),
            );
            let quantity = stock
                .iter()
                .find(|e| e.id == line.equipment_id)
                .map_or(0, |e| e.quantity);
            for i in domain::over_stock(quantity, &candidate.interval, &held) {
                let clash = Clash::equipment(&line.equipment_id, &held[i]);
                let own = candidates.iter().any(|c| c.id == held[i].booking_id);
                if !own && !found.contains(&clash) {
                    found.push(clash);
                }
            }
        }
    }
    Ok(found)
}

fn held_by(booking: &Booking, equipment_id: &str) -> Option<Held> {
    booking
        .equipment
        .iter()
        .find(|r| r.equipment_id == equipment_id)
        .map(|r| Held {
            session_id: booking.session_id.clone(),
            booking_id: booking.id.clone(),
            interval: booking.interval,
            quantity: r.quantity,
        })
}

/// The items of a request, each known and within its stock, or a 422 naming the bad lines.
fn stock_of(conn: &mut Conn, lines: &[(String, i32)]) -> Result<Vec<Equipment>, AppError> {
    let items =
        reference_store::many_equipment(conn, lines.iter().map(|(id, _)| id.clone()).collect())?;
    let mut check = crate::input::Check::new();
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
    check.finish()?;
    Ok(items)
}

/// Books a room (and equipment) for a session, refusing every clash with a 409 that lists them.
pub fn book(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    session_id: &str,
    input: BookingInput,
) -> Result<Booking, AppError> {
    let settings = &ctx.settings.rooms;
    let request = input.validate(
        settings.default_setup_minutes,
        settings.default_teardown_minutes,
    )?;
    db::write(conn, |conn| {
        let items: Vec<String> = request.equipment.iter().map(|(id, _)| id.clone()).collect();
        store::lock(
            conn,
            Some(session_id),
            std::slice::from_ref(&request.room_id),
            &items,
        )?;
        let session = sessions::store::find(conn, session_id)?.ok_or(AppError::NotFound)?;
        if session.status == SessionStatus::Cancelled {
            return Err(AppError::conflict("a cancelled session cannot be booked"));
        }
        let room = reference_store::find_room(conn, &request.room_id)?
            .ok_or_else(|| AppError::invalid("room_id", "no room has this id"))?;
        let stock = stock_of(conn, &request.equipment)?;
        domain::check_capacity(&room, session.fields.capacity, request.override_capacity)?;
        let booking = request.booking(Uuid::new_v4().to_string(), &session, &room);
        let found = clashes(conn, std::slice::from_ref(&booking), None, &stock)?;
        if !found.is_empty() {
            return Err(clash_error(
                "the room or equipment is taken at that time",
                &found,
            ));
        }
        store::insert_booking(conn, &booking, db::micros(Utc::now()))
            .map_err(exclusion_to_clash)?;
        let changes = json!({"room_id": booking.room_id, "interval": booking.interval,
            "equipment": booking.equipment, "capacity_overridden": booking.capacity_overridden});
        audit::store::record(
            conn,
            actor,
            "booking.created",
            "session",
            &session.id,
            changes,
        )?;
        let event = BookingEvent {
            actor: actor.clone(),
            session_id: session.id.clone(),
            change: BookingChange::Booked,
        };
        ctx.announce(conn, &event)?;
        Ok(booking)
    })
}

/// The exclusion constraint is the last guard behind the locks; its refusal is a clash too.
fn exclusion_to_clash(e: diesel::result::Error) -> AppError {
    match DbError::from(e) {
        DbError::Exclusion(_) => clash_error(
            "the room was booked at that time by a concurrent request",
            &[],
        ),
        other => other.into(),
    }
}

/// Deletes one booking of a session; the room and equipment are free at once.
pub fn unbook(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    session_id: &str,
    booking_id: &str,
) -> Result<(), AppError> {
    db::write(conn, |conn| {
        let booking = store::bookings_of_session(conn, session_id)?
            .into_iter()
            .find(|b| b.id == booking_id)
            .ok_or(AppError::NotFound)?;
        store::delete_bookings(conn, vec![booking.id.clone()])?;
        let changes = json!({"booking_id": booking.id, "room_id": booking.room_id});
        audit::store::record(
            conn,
            actor,
            "booking.deleted",
            "session",
            session_id,
            changes,
        )?;
        let event = BookingEvent {
            actor: actor.clone(),
            session_id: SessionId::from(session_id),
            change: BookingChange::Released,
        };
        ctx.announce(conn, &event)?;
        Ok(())
    })
}

/// Follows a session: its bookings move with it (or the move is refused with the clashes), and
/// a cancelled session frees its rooms and equipment at once.
pub fn react(conn: &mut Conn, _ctx: &Ctx, event: &dyn Any) -> Result<(), AppError> {
    let Some(event) = event.downcast_ref::<SessionEvent>() else {
        return Ok(());
    };
    if event.change == SessionChange::Cancelled {
        release_session(conn, &event.actor, &event.session.id)?;
    } else if let Some((starts_at, ends_at)) = event.moved_to() {
        follow_session(conn, &event.actor, &event.session.id, starts_at, ends_at)?;
    }
    Ok(())
}

/// Frees every room and item a session holds, inside the caller's transaction (on cancelling).
pub fn release_session(
    conn: &mut Conn,
    actor: &Actor,
    session_id: &str,
) -> Result<usize, AppError> {
    store::lock(conn, Some(session_id), &[], &[])?;
    let ids: Vec<String> = store::bookings_of_session(conn, session_id)?
        .into_iter()
        .map(|b| b.id)
        .collect();
    if ids.is_empty() {
        return Ok(0);
    }
    let released = store::delete_bookings(conn, ids.clone())?;
    audit::store::record(
        conn,
        actor,
        "booking.released",
        "session",
        session_id,
        json!({"booking_ids": ids}),
    )?;
    Ok(released)
}

/// Moves a session's bookings with it, inside the caller's transaction; a clash refuses the move.
pub fn follow_session(
    conn: &mut Conn,
    actor: &Actor,
    session_id: &str,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> Result<(), AppError> {
    store::lock(conn, Some(session_id), &[], &[])?;
    let mut bookings = store::bookings_of_session(conn, session_id)?;
    if bookings.is_empty() {
        return Ok(());
    }
    let rooms: Vec<String> = bookings.iter().map(|b| b.room_id.clone()).collect();
    let items: Vec<String> = bookings
        .iter()
        .flat_map(|b| b.equipment.iter().map(|r| r.equipment_id.clone()))
        .collect();
    store::lock(conn, Some(session_id), &rooms, &items)?;
    for b in &mut bookings {
        b.interval = Interval::blocked(starts_at, ends_at, b.setup_minutes, b.teardown_minutes);
    }
    let stock = reference_store::many_equipment(conn, items)?;
    let found = clashes(conn, &bookings, Some(session_id), &stock)?;
    if !found.is_empty() {
        return Err(clash_error(
            "the session's room or equipment is taken at the new time",
            &found,
        ));
    }
    for b in &bookings {
        store::move_booking(conn, &b.id, &b.interval)?;
    }
    let moved: Vec<_> = bookings
        .iter()
        .map(|b| json!({"booking_id": b.id, "to": b.interval}))
        .collect();
    audit::store::record(
        conn,
        actor,
        "booking.moved",
        "session",
        session_id,
        json!({"bookings": moved}),
    )?;
    Ok(())
}

/// The bookings of a session, with their equipment.
pub fn bookings_of(conn: &mut Conn, session_id: &str) -> Result<Vec<Booking>, AppError> {
    sessions::store::find(conn, session_id)?.ok_or(AppError::NotFound)?;
    Ok(store::bookings_of_session(conn, session_id)?)
}

/// Longest span an availability question may cover.
pub const MAX_AVAILABILITY_DAYS: i64 = 92;

/// A room and its bookings (with session titles) overlapping the interval.
pub fn availability(
    conn: &mut Conn,
    room_id: &str,
    within: &Interval,
) -> Result<(Room, Vec<(Booking, String)>), AppError> {
    let mut check = crate::input::Check::new();
    if within.to <= within.from {
        check.fail("to", "must be after from");
    } else if within.to - within.from > Duration::days(MAX_AVAILABILITY_DAYS) {
        check.fail(
            "to",
            format!("must be at most {MAX_AVAILABILITY_DAYS} days after from"),
        );
    }
    check.finish()?;
    let room = reference_store::find_room(conn, room_id)?.ok_or(AppError::NotFound)?;
    let busy = store::bookings_between(conn, Some(room_id), within)?;
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
pub fn meeting_plan(conn: &mut Conn, meeting_id: &str) -> Result<MeetingPlan, AppError> {
    let meeting = meetings::store::find(conn, meeting_id)?.ok_or(AppError::NotFound)?;
    let (from, to) = meeting.window();
    let (rooms, _) = reference_store::list_rooms(conn, 500, 0)?;
    let (equipment, _) = reference_store::list_equipment(conn, 500, 0)?;
    let bookings = store::bookings_between(conn, None, &Interval::new(from, to))?;
    Ok(MeetingPlan {
        meeting,
        rooms,
        equipment,
        bookings,
    })
}
