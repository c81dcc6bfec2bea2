//! JSON handlers for rooms and equipment, the reference data sessions book.

use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::domain::{Equipment, EquipmentId, EquipmentInput, Room, RoomId, RoomInput};
use super::service;
use crate::access::{Admin, Staff};
use crate::audit::Actor;
use crate::bookings::domain::ClashProblem;
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{ListOf, Paging};
use crate::state::AppState;

fn created<T: Serialize>(value: T) -> HttpResponse {
    HttpResponse::Created().json(value)
}

/// Creates a room.
#[utoipa::path(post, path = "/api/v1/rooms", tag = "rooms", request_body = RoomInput,
    responses((status = 201, body = Room), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_room(
    state: web::Data<AppState>,
    Admin(user): Admin,
    body: web::Json<RoomInput>,
) -> Result<HttpResponse, AppError> {
    let (actor, ctx) = (Actor::User(user.id), state.ctx());
    let room = db::run(&state.pool, move |conn| {
        service::create_room(conn, &ctx, &actor, body.into_inner())
    })
    .await?;
    Ok(created(room))
}

/// Lists rooms by name.
#[utoipa::path(get, path = "/api/v1/rooms", tag = "rooms", params(Paging),
    responses((status = 200, body = ListOf<Room>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_rooms(
    state: web::Data<AppState>,
    _staff: Staff,
    paging: web::Query<Paging>,
) -> Result<HttpResponse, AppError> {
    let (limit, offset) = paging.checked()?;
    let (items, total) = db::run(&state.pool, move |conn| {
        service::list_rooms(conn, limit, offset)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ListOf { items, total }))
}

/// One room.
#[utoipa::path(get, path = "/api/v1/rooms/{id}", tag = "rooms", params(("id" = String, Path)),
    responses((status = 200, body = Room), (status = 404, body = Problem)))]
pub async fn get_room(
    state: web::Data<AppState>,
    _staff: Staff,
    id: web::Path<RoomId>,
) -> Result<HttpResponse, AppError> {
    let room = db::run(&state.pool, move |conn| service::get_room(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(room))
}

/// Changes any fields of a room.
#[utoipa::path(patch, path = "/api/v1/rooms/{id}", tag = "rooms", request_body = RoomInput, params(("id" = String, Path)),
    responses((status = 200, body = Room), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_room(
    state: web::Data<AppState>,
    Admin(user): Admin,
    id: web::Path<RoomId>,
    body: web::Json<RoomInput>,
) -> Result<HttpResponse, AppError> {
    let (actor, ctx) = (Actor::User(user.id), state.ctx());
    let room = db::run(&state.pool, move |conn| {
        service::patch_room(conn, &ctx, &actor, &id, body.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(room))
}

/// Creates an equipment item with its stock.
#[utoipa::path(post, path = "/api/v1/equipment", tag = "rooms", request_body = EquipmentInput,
    responses((status = 201, body = Equipment), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_equipment(
    state: web::Data<AppState>,
    Admin(user): Admin,
    body: web::Json<EquipmentInput>,
) -> Result<HttpResponse, AppError> {
    let (actor, ctx) = (Actor::User(user.id), state.ctx());
    let item = db::run(&state.pool, move |conn| {
        service::create_equipment(conn, &ctx, &actor, body.into_inner())
    })
    .await?;
    Ok(created(item))
}

/// Lists equipment by name.
#[utoipa::path(get, path = "/api/v1/equipment", tag = "rooms", params(Paging),
    responses((status = 200, body = ListOf<Equipment>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_equipment(
    state: web::Data<AppState>,
    _staff: Staff,
    paging: web::Query<Paging>,
) -> Result<HttpResponse, AppError> {
    let (limit, offset) = paging.checked()?;
    let (items, total) = db::run(&state.pool, move |conn| {
        service::list_equipment(conn, limit, offset)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ListOf { items, total }))
}

/// One equipment item.
#[utoipa::path(get, path = "/api/v1/equipment/{id}", tag = "rooms", params(("id" = String, Path)),
    responses((status = 200, body = Equipment), (status = 404, body = Problem)))]
pub async fn get_equipment(
    state: web::Data<AppState>,
    _staff: Staff,
    id: web::Path<EquipmentId>,
) -> Result<HttpResponse, AppError> {
    let item = db::run(&state.pool, move |conn| service::get_equipment(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(item))
}

/// Changes an equipment item; its stock cannot drop below what is reserved from now on.
#[utoipa::path(patch, path = "/api/v1/equipment/{id}", tag = "rooms", request_body = EquipmentInput, params(("id" = String, Path)),
    responses((status = 200, body = Equipment), (status = 404, body = Problem), (status = 409, body = ClashProblem), (status = 422, body = Problem)))]
pub async fn update_equipment(
    state: web::Data<AppState>,
    Admin(user): Admin,
    id: web::Path<EquipmentId>,
    body: web::Json<EquipmentInput>,
) -> Result<HttpResponse, AppError> {
    let (actor, ctx) = (Actor::User(user.id), state.ctx());
    let item = db::run(&state.pool, move |conn| {
        service::patch_equipment(conn, &ctx, &actor, &id, body.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(item))
}
