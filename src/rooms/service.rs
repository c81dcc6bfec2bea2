//! Use cases of the reference data: create, change and list rooms and equipment.

use chrono::{Duration, Utc};
use serde_json::json;
use uuid::Uuid;

use super::domain::{Equipment, EquipmentInput, Room, RoomInput};
use super::store;
use crate::audit::{self, Actor};
use crate::bookings::domain::{self as booking_rules, clash_error, Clash, Interval};
use crate::bookings::store as bookings;
use crate::db::{self, Conn};
use crate::error::AppError;

/// Creates a room.
pub fn create_room(conn: &mut Conn, actor: &Actor, input: RoomInput) -> Result<Room, AppError> {
    let room = input.apply(Uuid::new_v4().to_string(), None)?;
    db::write(conn, |conn| {
        store::insert_room(conn, &room, db::micros(Utc::now()))?;
        audit::store::record(conn, actor, "room.created", "room", &room.id, json!(room))?;
        Ok(room.clone())
    })
}

/// Changes any fields of a room.
pub fn patch_room(
    conn: &mut Conn,
    actor: &Actor,
    id: &str,
    input: RoomInput,
) -> Result<Room, AppError> {
    db::write(conn, |conn| {
        let current = store::find_room(conn, id)?.ok_or(AppError::NotFound)?;
        let room = input.clone().apply(current.id.clone(), Some(&current))?;
        store::update_room(conn, &room, db::micros(Utc::now()))?;
        let changes = json!({"from": current, "to": room});
        audit::store::record(conn, actor, "room.updated", "room", &room.id, changes)?;
        Ok(room)
    })
}

/// One room.
pub fn get_room(conn: &mut Conn, id: &str) -> Result<Room, AppError> {
    store::find_room(conn, id)?.ok_or(AppError::NotFound)
}

/// A page of rooms by name.
pub fn list_rooms(conn: &mut Conn, limit: i64, offset: i64) -> Result<(Vec<Room>, i64), AppError> {
    Ok(store::list_rooms(conn, limit, offset)?)
}

/// Creates an equipment item with its stock.
pub fn create_equipment(
    conn: &mut Conn,
    actor: &Actor,
    input: EquipmentInput,
) -> Result<Equipment, AppError> {
    let item = input.apply(Uuid::new_v4().to_string(), None)?;
    db::write(conn, |conn| {
        store::insert_equipment(conn, &item, db::micros(Utc::now()))?;
        audit::store::record(
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

/// Changes an equipment item; lowering its stock below what is reserved from now on is a 409.
pub fn patch_equipment(
    conn: &mut Conn,
    actor: &Actor,
    id: &str,
    input: EquipmentInput,
) -> Result<Equipment, AppError> {
    db::write(conn, |conn| {
        bookings::lock(conn, None, &[], &[id.to_string()])?;
        let current = get_equipment(conn, id)?;
        let item = input.clone().apply(current.id.clone(), Some(&current))?;
        if item.quantity < current.quantity {
            let now = Utc::now();
            let ahead = Interval::new(now, now + Duration::days(366 * 10));
            let held = bookings::held_overlapping(conn, id, &ahead, None)?;
            let over: Vec<Clash> = held
                .iter()
                .filter(|h| booking_rules::peak(&h.interval, &held) > item.quantity)
                .map(|h| Clash::equipment(id, h))
                .collect();
            if !over.is_empty() {
                return Err(clash_error(
                    "more than the new stock is reserved at some time",
                    &over,
                ));
            }
        }
        store::update_equipment(conn, &item, db::micros(Utc::now()))?;
        let changes = json!({"from": current, "to": item});
        audit::store::record(
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
pub fn get_equipment(conn: &mut Conn, id: &str) -> Result<Equipment, AppError> {
    store::many_equipment(conn, vec![id.to_string()])?
        .pop()
        .ok_or(AppError::NotFound)
}

/// A page of equipment by name.
pub fn list_equipment(
    conn: &mut Conn,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Equipment>, i64), AppError> {
    Ok(store::list_equipment(conn, limit, offset)?)
}
