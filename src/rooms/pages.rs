//! Admin pages: the lists of rooms and equipment, each with a plain form to add one.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::domain::{EquipmentInput, EquipmentKind, Feature, RoomInput};
use super::service;
use crate::access::Admin;
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, FieldErrors};
use crate::input::Field;
use crate::state::AppState;
use crate::web::PageError;
use crate::web::{render_form, see_other};

/// The fields of an urlencoded form, in order (a name may repeat, as checkboxes do).
fn form_fields(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn text_field(fields: &[(String, String)], name: &str) -> Field<String> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or(Field::Missing, |(_, v)| Field::Value(v.clone()))
}

fn number_field(fields: &[(String, String)], name: &str) -> Field<i64> {
    match text_field(fields, name) {
        Field::Value(v) if v.trim().is_empty() => Field::Missing,
        Field::Value(v) => v.trim().parse().map_or_else(
            |_| Field::Invalid("must be a whole number".into()),
            Field::Value,
        ),
        _ => Field::Missing,
    }
}

fn room_input(fields: &[(String, String)]) -> RoomInput {
    let features = fields
        .iter()
        .filter(|(k, _)| k == "features")
        .map(|(_, v)| v.clone())
        .collect();
    RoomInput {
        name: text_field(fields, "name"),
        location: text_field(fields, "location"),
        capacity: number_field(fields, "capacity"),
        features: Field::Value(features),
    }
}

async fn admin_page(
    state: &AppState,
    req: &HttpRequest,
    template: &str,
    form: serde_json::Value,
    errors: Option<FieldErrors>,
) -> Result<HttpResponse, PageError> {
    let ((rooms, _), (equipment, _)) = db::run(&state.pool, |conn| {
        Ok((
            service::list_rooms(conn, 200, 0)?,
            service::list_equipment(conn, 200, 0)?,
        ))
    })
    .await?;
    let status = if errors.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let features: Vec<&str> = Feature::ALL.iter().map(|f| f.as_str()).collect();
    let kinds: Vec<&str> = EquipmentKind::ALL.iter().map(|k| k.as_str()).collect();
    let values = json!({"rooms": rooms, "equipment": equipment, "features": features,
        "kinds": kinds, "form": form, "errors": errors.unwrap_or_default()});
    let mut response = render_form(req, template, values)?;
    *response.status_mut() = status;
    Ok(response)
}

/// The rooms, with a form to add one.
pub async fn rooms_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    _admin: Admin,
) -> Result<HttpResponse, PageError> {
    admin_page(&state, &req, "rooms/admin_rooms.html", json!({}), None).await
}

/// Adds a room from the form; a bad field shows the form again with its message.
pub async fn add_room(
    state: web::Data<AppState>,
    req: HttpRequest,
    Admin(user): Admin,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let fields = form_fields(&body);
    let input = room_input(&fields);
    let (actor, ctx) = (Actor::User(user.id), state.ctx());
    let created = db::run(&state.pool, move |conn| {
        service::create_room(conn, &ctx, &actor, input).map(|_| ())
    })
    .await;
    let features: Vec<&String> = fields
        .iter()
        .filter(|(k, _)| k == "features")
        .map(|(_, v)| v)
        .collect();
    let form =
        json!({"fields": fields.iter().cloned().collect::<BTreeMap<_, _>>(), "features": features});
    after_create(
        &state,
        &req,
        created,
        "/admin/rooms",
        "rooms/admin_rooms.html",
        form,
    )
    .await
}

/// Back to the list after a good post; the form again with its messages after a bad one.
async fn after_create(
    state: &AppState,
    req: &HttpRequest,
    created: Result<(), AppError>,
    list: &str,
    template: &str,
    form: serde_json::Value,
) -> Result<HttpResponse, PageError> {
    match created {
        Ok(()) => Ok(see_other(list)),
        Err(AppError::Invalid(errors)) => {
            admin_page(state, req, template, form, Some(errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The equipment, with a form to add an item.
pub async fn equipment_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    _admin: Admin,
) -> Result<HttpResponse, PageError> {
    admin_page(&state, &req, "rooms/admin_equipment.html", json!({}), None).await
}

/// Adds an equipment item from the form; a bad field shows the form again with its message.
pub async fn add_equipment(
    state: web::Data<AppState>,
    req: HttpRequest,
    Admin(user): Admin,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let fields = form_fields(&body);
    let input = EquipmentInput {
        name: text_field(&fields, "name"),
        kind: text_field(&fields, "kind"),
        quantity: number_field(&fields, "quantity"),
    };
    let (actor, ctx) = (Actor::User(user.id), state.ctx());
    let created = db::run(&state.pool, move |conn| {
        service::create_equipment(conn, &ctx, &actor, input).map(|_| ())
    })
    .await;
    let form = json!({"fields": fields.into_iter().collect::<BTreeMap<_, _>>()});
    let template = "rooms/admin_equipment.html";
    after_create(&state, &req, created, "/admin/equipment", template, form).await
}
