//! Use cases of the reference data: create, change and list rooms and equipment.

use serde_json::json;

use super::domain::{Equipment, EquipmentId, EquipmentInput, Room, RoomId, RoomInput};
use crate::audit::Actor;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;

/// Creates a room.
pub fn create_room(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    input: RoomInput,
) -> Result<Room, AppError> {
    let room = input.apply(RoomId::random(), None)?;
    db::write(conn, |conn| {
        crate::rooms::store::insert_room(conn, &room, db::micros(ctx.now))?;
        crate::audit::store::record(conn, actor, "room.created", "room", &room.id, json!(room))?;
        Ok(room.clone())
    })
}

/// Changes any fields of a room.
pub fn patch_room(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    id: &RoomId,
    input: RoomInput,
) -> Result<Room, AppError> {
    db::write(conn, |conn| {
        let current = get_room(conn, id)?;
        let room = input.clone().apply(current.id.clone(), Some(&current))?;
        crate::rooms::store::update_room(conn, &room, db::micros(ctx.now))?;
        let changes = json!({"from": current, "to": room});
        crate::audit::store::record(conn, actor, "room.updated", "room", &room.id, changes)?;
        Ok(room)
    })
}

/// One room.
pub fn get_room(conn: &mut Conn, id: &RoomId) -> Result<Room, AppError> {
    crate::rooms::store::find_room(conn, id)?.ok_or(AppError::NotFound)
}

/// A page of rooms by name.
pub fn list_rooms(conn: &mut Conn, limit: i64, offset: i64) -> Result<(Vec<Room>, i64), AppError> {
    Ok(crate::rooms::store::list_rooms(conn, limit, offset)?)
}

/// Creates an equipment item with its stock.
pub fn create_equipment(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    input: EquipmentInput,
) -> Result<Equipment, AppError> {
    let item = input.apply(EquipmentId::random(), None)?;
    db::write(conn, |conn| {
        crate::rooms::store::insert_equipment(conn, &item, db::micros(ctx.now))?;
        crate::audit::store::record(
            conn,
            actor,
            "equipment.created",
            "equipment",
            &item.id,
            json!(item),
        )?;
        Ok(item.clone())
    })
}

/// Changes an equipment item; lowering its stock below what is reserved from now on is a 409
/// that lists the reservations in the way.
pub fn patch_equipment(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    id: &EquipmentId,
    input: EquipmentInput,
) -> Result<Equipment, AppError> {
    db::write(conn, |conn| {
        crate::bookings::store::lock(conn, None, &[], std::slice::from_ref(id))?;
        let current = get_equipment(conn, id)?;
        let item = input.clone().apply(current.id.clone(), Some(&current))?;
        if item.quantity < current.quantity {
            let ahead = crate::bookings::domain::Interval::ahead(ctx.now);
            let held = crate::bookings::store::held_overlapping(conn, id, &ahead, None)?;
            crate::bookings::domain::check_new_stock(&item, &held)?;
        }
        crate::rooms::store::update_equipment(conn, &item, db::micros(ctx.now))?;
        let changes = json!({"from": current, "to": item});
        crate::audit::store::record(
            conn,
            actor,
            "equipment.updated",
            "equipment",
            &item.id,
            changes,
        )?;
        Ok(item)
    })
}

/// One equipment item.
pub fn get_equipment(conn: &mut Conn, id: &EquipmentId) -> Result<Equipment, AppError> {
    crate::rooms::store::many_equipment(conn, vec![id.clone()])?
        .pop()
        .ok_or(AppError::NotFound)
}

/// A page of equipment by name.
pub fn list_equipment(
    conn: &mut Conn,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Equipment>, i64), AppError> {
    Ok(crate::rooms::store::list_equipment(conn, limit, offset)?)
}
