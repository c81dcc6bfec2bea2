//! Use cases of bookings: book, release, follow a moved session, list a session's bookings.

use std::any::Any;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::domain::{
    self, Booking, BookingChange, BookingError, BookingEvent, BookingId, SessionRooms, Taken,
};
use super::request::{BookingInput, BookingRequest};
use crate::audit::Actor;
use crate::db::failure::DbError;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::rooms::domain::EquipmentId;
use crate::sessions::domain::{Session, SessionChange, SessionEvent, SessionId};

/// What other sessions hold against each candidate (other than `except_session`).
fn taken(
    conn: &mut Conn,
    candidates: &[Booking],
    except_session: Option<&SessionId>,
) -> Result<Vec<Taken>, AppError> {
    let mut taken = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        let (room_id, within) = (&candidate.room_id, &candidate.interval);
        let room = crate::bookings::store::room_bookings_overlapping(
            conn,
            room_id,
            within,
            except_session,
        )?;
        let mut items = Vec::with_capacity(candidate.equipment.len());
        for line in &candidate.equipment {
            let item = &line.equipment_id;
            let held =
                crate::bookings::store::held_overlapping(conn, item, within, except_session)?;
            items.push((item.clone(), held));
        }
        taken.push(Taken { room, items });
    }
    Ok(taken)
}

/// Books a room (and equipment) for a session, refusing every clash with a 409 that lists them.
pub fn book(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    session_id: &SessionId,
    input: BookingInput,
) -> Result<Booking, AppError> {
    let settings = &ctx.settings.rooms;
    let request = input.validate(
        settings.default_setup_minutes,
        settings.default_teardown_minutes,
    )?;
    db::write(conn, |conn| {
        book_locked(conn, ctx, actor, session_id, &request)
    })
}

fn book_locked(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    session_id: &SessionId,
    request: &BookingRequest,
) -> Result<Booking, AppError> {
    let items: Vec<EquipmentId> = request.equipment.iter().map(|(id, _)| id.clone()).collect();
    let room_ids = std::slice::from_ref(&request.room_id);
    crate::bookings::store::lock(conn, Some(session_id), room_ids, &items)?;
    let session = crate::sessions::store::find(conn, session_id)?.ok_or(AppError::NotFound)?;
    domain::check_bookable(&session)?;
    let room = crate::rooms::store::find_room(conn, &request.room_id)?
        .ok_or_else(|| AppError::invalid("room_id", "no room has this id"))?;
    let stock = crate::rooms::store::many_equipment(conn, items)?;
    domain::check_stock(&request.equipment, &stock)?;
    domain::check_capacity(&room, session.fields.capacity, request.override_capacity)?;
    let booking = request.booking(BookingId::random(), &session, &room);
    let candidates = std::slice::from_ref(&booking);
    let found = domain::clashes(candidates, &taken(conn, candidates, None)?, &stock);
    if !found.is_empty() {
        return Err(BookingError::Clash(found).into());
    }
    crate::bookings::store::insert_booking(conn, &booking, db::micros(ctx.now))
        .map_err(exclusion_to_clash)?;
    let changes = json!({"room_id": booking.room_id, "interval": booking.interval,
        "equipment": booking.equipment, "capacity_overridden": booking.capacity_overridden});
    crate::audit::store::record(
        conn,
        actor,
        "booking.created",
        "session",
        &session.id,
        changes,
    )?;
    announce(conn, ctx, actor, &session.id, BookingChange::Booked)?;
    Ok(booking)
}

/// The exclusion constraint is the last guard behind the locks; its refusal is a clash too.
fn exclusion_to_clash(e: DbError) -> AppError {
    match e {
        DbError::Exclusion(_) => BookingError::ConcurrentClash.into(),
        other => other.into(),
    }
}

/// Tells the capabilities that follow a session's room what changed, with the room it has now.
fn announce(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    session_id: &SessionId,
    change: BookingChange,
) -> Result<(), AppError> {
    let rows = crate::bookings::store::rooms_of(conn, std::slice::from_ref(session_id))?;
    let event = BookingEvent {
        actor: actor.clone(),
        session_id: session_id.clone(),
        change,
        room: domain::room_per_session(rows).remove(session_id),
    };
    ctx.announce(conn, &event)
}

/// Deletes one booking of a session; the room and equipment are free at once.
pub fn unbook(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    session_id: &SessionId,
    booking_id: &BookingId,
) -> Result<(), AppError> {
    db::write(conn, |conn| {
        let booking = crate::bookings::store::bookings_of_session(conn, session_id)?
            .into_iter()
            .find(|b| &b.id == booking_id)
            .ok_or(AppError::NotFound)?;
        crate::bookings::store::delete_bookings(conn, vec![booking.id.clone()])?;
        let changes = json!({"booking_id": booking.id, "room_id": booking.room_id});
        crate::audit::store::record(
            conn,
            actor,
            "booking.deleted",
            "session",
            session_id,
            changes,
        )?;
        announce(conn, ctx, actor, session_id, BookingChange::Released)
    })
}

/// Changes a session's booking for another room or equipment in one transaction: the old one
/// is released and the new one booked, or, on any clash, nothing changes.
pub fn rebook(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    session_id: &SessionId,
    booking_id: &BookingId,
    input: BookingInput,
) -> Result<Booking, AppError> {
    let settings = &ctx.settings.rooms;
    let request = input.validate(
        settings.default_setup_minutes,
        settings.default_teardown_minutes,
    )?;
    db::write(conn, |conn| {
        let old = crate::bookings::store::bookings_of_session(conn, session_id)?
            .into_iter()
            .find(|b| &b.id == booking_id)
            .ok_or(AppError::NotFound)?;
        crate::bookings::store::lock(conn, Some(session_id), &[], &[])?;
        crate::bookings::store::delete_bookings(conn, vec![old.id.clone()])?;
        let changes = json!({"booking_id": old.id, "room_id": old.room_id});
        crate::audit::store::record(
            conn,
            actor,
            "booking.deleted",
            "session",
            session_id,
            changes,
        )?;
        book_locked(conn, ctx, actor, session_id, &request)
    })
}

/// Follows a session: its bookings move with it (or the move is refused with the clashes), and
/// a cancelled session frees its rooms and equipment at once.
pub fn react(conn: &mut Conn, ctx: &Ctx, event: &dyn Any) -> Result<(), AppError> {
    let Some(event) = event.downcast_ref::<SessionEvent>() else {
        return Ok(());
    };
    if event.change == SessionChange::Cancelled {
        release_session(conn, &event.actor, &event.session.id)?;
    } else if let Some((starts_at, ends_at)) = event.moved_to() {
        follow_session(
            conn,
            ctx,
            &event.actor,
            &event.session.id,
            starts_at,
            ends_at,
        )?;
    }
    Ok(())
}

/// Frees every room and item a cancelled session holds, inside the caller's transaction.
///
/// Nothing is announced: the session's cancellation is the news, and those who follow the
/// room (calendar holds) follow the session's cancellation already.
fn release_session(
    conn: &mut Conn,
    actor: &Actor,
    session_id: &SessionId,
) -> Result<usize, AppError> {
    crate::bookings::store::lock(conn, Some(session_id), &[], &[])?;
    let ids: Vec<BookingId> = crate::bookings::store::bookings_of_session(conn, session_id)?
        .into_iter()
        .map(|b| b.id)
        .collect();
    if ids.is_empty() {
        return Ok(0);
    }
    let released = crate::bookings::store::delete_bookings(conn, ids.clone())?;
    let changes = json!({"booking_ids": ids});
    crate::audit::store::record(
        conn,
        actor,
        "booking.released",
        "session",
        session_id,
        changes,
    )?;
    Ok(released)
}

/// Moves a session's bookings with it, inside the caller's transaction; a clash refuses the
/// move. Announces `Moved` when there was anything to move.
fn follow_session(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    session_id: &SessionId,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> Result<(), AppError> {
    crate::bookings::store::lock(conn, Some(session_id), &[], &[])?;
    let mut moving = crate::bookings::store::bookings_of_session(conn, session_id)?;
    if moving.is_empty() {
        return Ok(());
    }
    let rooms: Vec<_> = moving.iter().map(|b| b.room_id.clone()).collect();
    let items: Vec<EquipmentId> = moving
        .iter()
        .flat_map(|b| b.equipment.iter().map(|r| r.equipment_id.clone()))
        .collect();
    crate::bookings::store::lock(conn, Some(session_id), &rooms, &items)?;
    moving.iter_mut().for_each(|b| b.follow(starts_at, ends_at));
    let stock = crate::rooms::store::many_equipment(conn, items)?;
    let found = domain::clashes(&moving, &taken(conn, &moving, Some(session_id))?, &stock);
    if !found.is_empty() {
        return Err(BookingError::MoveClash(found).into());
    }
    for b in &moving {
        crate::bookings::store::move_booking(conn, &b.id, &b.interval)?;
    }
    let moved: Vec<_> = moving
        .iter()
        .map(|b| json!({"booking_id": b.id, "to": b.interval}))
        .collect();
    let changes = json!({"bookings": moved});
    crate::audit::store::record(conn, actor, "booking.moved", "session", session_id, changes)?;
    announce(conn, ctx, actor, session_id, BookingChange::Moved)
}

/// The bookings of a session, with their equipment.
pub fn bookings_of(conn: &mut Conn, session_id: &SessionId) -> Result<Vec<Booking>, AppError> {
    crate::sessions::store::find(conn, session_id)?.ok_or(AppError::NotFound)?;
    Ok(crate::bookings::store::bookings_of_session(
        conn, session_id,
    )?)
}

/// The room each of these sessions is held in (those with a booking), in one query.
pub fn rooms_of(conn: &mut Conn, sessions: &[Session]) -> Result<SessionRooms, AppError> {
    let ids: Vec<SessionId> = sessions.iter().map(|s| s.id.clone()).collect();
    Ok(domain::room_per_session(crate::bookings::store::rooms_of(
        conn, &ids,
    )?))
}
