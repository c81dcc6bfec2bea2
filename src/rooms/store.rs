//! Queries on rooms and equipment, the reference data bookings refer to.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{Equipment, EquipmentId, EquipmentKind, Feature, Room, RoomId};
use crate::db::schema::{equipment, rooms};
use crate::db::Conn;

crate::text_column!(RoomId);
crate::text_column!(EquipmentId);
crate::text_column!(EquipmentKind);

/// A room as stored; features are a comma-separated list of wire names.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = rooms)]
pub struct RoomRow {
    pub id: RoomId,
    pub name: String,
    pub location: String,
    pub capacity: i32,
    pub features: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl RoomRow {
    /// The domain value; an unknown feature is a corrupt database.
    pub fn into_domain(self) -> QueryResult<Room> {
        let features = self
            .features
            .split(',')
            .filter(|f| !f.is_empty())
            .map(|f| {
                Feature::parse(f).ok_or_else(|| {
                    diesel::result::Error::DeserializationError(
                        format!("room {}: bad feature {f:?}", self.id).into(),
                    )
                })
            })
            .collect::<QueryResult<_>>()?;
        Ok(Room {
            id: self.id,
            name: self.name,
            location: self.location,
            capacity: self.capacity,
            features,
        })
    }

    /// The row for a domain value, stamped `now`.
    fn from_domain(room: &Room, now: NaiveDateTime) -> RoomRow {
        RoomRow {
            id: room.id.clone(),
            name: room.name.clone(),
            location: room.location.clone(),
            capacity: room.capacity,
            features: feature_list(&room.features),
            created_at: now,
            updated_at: now,
        }
    }
}

fn feature_list(features: &[Feature]) -> String {
    features
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// An equipment item as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = equipment)]
pub struct EquipmentRow {
    pub id: EquipmentId,
    pub name: String,
    pub kind: EquipmentKind,
    pub quantity: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl EquipmentRow {
    /// The domain value.
    pub fn into_domain(self) -> Equipment {
        Equipment {
            id: self.id,
            name: self.name,
            kind: self.kind,
            quantity: self.quantity,
        }
    }
}

/// Inserts a room.
pub fn insert_room(conn: &mut Conn, room: &Room, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::insert_into(rooms::table)
        .values(&RoomRow::from_domain(room, now))
        .execute(conn)
}

/// Writes the fields of a room.
pub fn update_room(conn: &mut Conn, room: &Room, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(rooms::table.find(&room.id))
        .set((
            rooms::name.eq(&room.name),
            rooms::location.eq(&room.location),
            rooms::capacity.eq(room.capacity),
            rooms::features.eq(feature_list(&room.features)),
            rooms::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Finds one room.
pub fn find_room(conn: &mut Conn, id: &RoomId) -> QueryResult<Option<Room>> {
    rooms::table
        .find(id)
        .select(RoomRow::as_select())
        .first(conn)
        .optional()?
        .map(RoomRow::into_domain)
        .transpose()
}

/// Rooms by name, a page at a time, with the total count.
pub fn list_rooms(conn: &mut Conn, limit: i64, offset: i64) -> QueryResult<(Vec<Room>, i64)> {
    let total = rooms::table.count().get_result(conn)?;
    let rows = rooms::table
        .order((rooms::name.asc(), rooms::id.asc()))
        .limit(limit)
        .offset(offset)
        .select(RoomRow::as_select())
        .load(conn)?;
    let rooms = rows
        .into_iter()
        .map(RoomRow::into_domain)
        .collect::<QueryResult<_>>()?;
    Ok((rooms, total))
}

/// Inserts an equipment item.
pub fn insert_equipment(
    conn: &mut Conn,
    item: &Equipment,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(equipment::table)
        .values(&EquipmentRow {
            id: item.id.clone(),
            name: item.name.clone(),
            kind: item.kind,
            quantity: item.quantity,
            created_at: now,
            updated_at: now,
        })
        .execute(conn)
}

/// Writes the fields of an equipment item.
pub fn update_equipment(
    conn: &mut Conn,
    item: &Equipment,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(equipment::table.find(&item.id))
        .set((
            equipment::name.eq(&item.name),
            equipment::kind.eq(item.kind),
            equipment::quantity.eq(item.quantity),
            equipment::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Equipment items with these ids (unknown ids are left out).
pub fn many_equipment(conn: &mut Conn, ids: Vec<EquipmentId>) -> QueryResult<Vec<Equipment>> {
    Ok(equipment::table
        .filter(equipment::id.eq_any(ids.iter().map(|id| id.to_string()).collect::<Vec<_>>()))
        .select(EquipmentRow::as_select())
        .load(conn)?
        .into_iter()
        .map(EquipmentRow::into_domain)
        .collect())
}

/// Equipment by name, a page at a time, with the total count.
pub fn list_equipment(
    conn: &mut Conn,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Equipment>, i64)> {
    let total = equipment::table.count().get_result(conn)?;
    let rows = equipment::table
        .order((equipment::name.asc(), equipment::id.asc()))
        .limit(limit)
        .offset(offset)
        .select(EquipmentRow::as_select())
        .load(conn)?;
    Ok((
        rows.into_iter().map(EquipmentRow::into_domain).collect(),
        total,
    ))
}
