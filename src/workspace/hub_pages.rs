//! A session's hub for staff: facts, status and seats, its room and equipment booking (book,
//! change, release; a refusal shows the clashes and the free rooms that fit), its rapporteurs,
//! the tabs other capabilities add, and its audit trail with people by name.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::domain;
use super::service::{self, Hub};
use super::views::{self, ZoneQuery};
use crate::access::domain::User;
use crate::access::{Organiser, Staff};
use crate::audit::Actor;
use crate::bookings::domain::BookingId;
use crate::bookings::request::{BookingInput, EquipmentLine};
use crate::db;
use crate::error::{AppError, FieldErrors};
use crate::input::Field;
use crate::sessions::domain::SessionId;
use crate::state::AppState;
use crate::web::{render_form, see_other, PageError};

/// What a refused form leaves on the hub: its errors, what was typed, the clashes and the
/// rooms that would fit.
#[derive(Default)]
struct Refusal {
    errors: FieldErrors,
    form: Value,
    clashes: Vec<String>,
    free_rooms: Vec<Value>,
    status: Option<StatusCode>,
}

fn tabs(state: &AppState, user: &User, id: &str) -> Vec<Value> {
    state
        .session_tabs
        .iter()
        .filter(|t| t.access.admits(user))
        .map(|t| json!({"label": crate::i18n::text("en", t.label), "href": t.href(id)}))
        .collect()
}

fn booking_lines(hub: &Hub, tz: chrono_tz::Tz) -> Vec<Value> {
    hub.bookings
        .iter()
        .map(|(b, room)| {
            let items: Vec<String> = b
                .equipment
                .iter()
                .map(|r| {
                    let name = hub.equipment.iter().find(|e| e.id == r.equipment_id);
                    format!("{} × {}", r.quantity, name.map_or("an item", |e| e.name.as_str()))
                })
                .collect();
            json!({"id": b.id, "room": room.name, "location": room.location, "capacity": room.capacity,
                "room_id": room.id, "blocked": views::span(tz, b.interval.from, b.interval.to),
                "equipment": items, "setup": b.setup_minutes, "teardown": b.teardown_minutes})
        })
        .collect()
}

fn hub_values(
    state: &AppState,
    user: &User,
    hub: &Hub,
    tz: chrono_tz::Tz,
    refusal: &Refusal,
) -> Value {
    let (s, m) = (&hub.session, &hub.meeting);
    let id = s.id.to_string();
    let organiser = user.is_organiser();
    let audit: Vec<Value> = hub
        .audit
        .iter()
        .map(|(e, who)| {
            json!({"at": views::instant(tz, e.at.and_utc()), "who": who,
            "action": e.action.replace(['.', '_'], " "), "changes": e.changes})
        })
        .collect();
    let messages: Vec<Value> = hub
        .messages
        .iter()
        .map(|m| {
            json!({"at": views::instant(tz, m.created_at.and_utc()), "status": m.status,
            "to": format!("{} <{}>", m.to_name, m.to_email), "subject": m.subject})
        })
        .collect();
    let rooms: Vec<Value> = hub
        .rooms
        .iter()
        .map(|r| {
            json!({"id": r.id, "name": r.name,
        "location": r.location, "capacity": r.capacity})
        })
        .collect();
    let typed = |k: &str| {
        refusal
            .form
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let equipment: Vec<Value> = hub
        .equipment
        .iter()
        .map(|e| {
            json!({"id": e.id, "name": e.name,
        "stock": e.quantity, "typed": typed(&format!("qty_{}", e.id))})
        })
        .collect();
    let person = |u: &crate::accounts::store::UserRow| json!({"id": u.id, "who": views::person(u)});
    json!({
        "s": views::session_line(s, tz, hub.bookings.first().map(|(_, r)| r)),
        "session_id": id, "meeting": views::meeting_facts(m),
        "cancel_reason": s.cancel_reason, "description": s.fields.description,
        "draft": s.status.as_str() == "draft", "cancelled": s.status.as_str() == "cancelled",
        "remote_url": s.fields.remote_url, "approval_required": s.fields.approval_required,
        "seats": hub.seats, "bookings": booking_lines(hub, tz), "rooms": rooms, "equipment": equipment,
        "rapporteurs": hub.rapporteurs.iter().map(person).collect::<Vec<_>>(),
        "candidates": hub.candidates.iter().map(person).collect::<Vec<_>>(),
        "organiser": organiser, "list_registrations": organiser,
        "tabs": tabs(state, user, &id), "audit": audit, "messages": messages,
        "zone": views::zone_links(&format!("/staff/sessions/{id}"), m.timezone, tz),
        "errors": refusal.errors, "form": {"room_id": typed("room_id"),
            "setup_minutes": typed("setup_minutes"), "teardown_minutes": typed("teardown_minutes")}, "clashes": refusal.clashes,
        "free_rooms": refusal.free_rooms,
    })
}

async fn show_hub(
    state: &AppState,
    req: &HttpRequest,
    user: User,
    id: SessionId,
    asked_tz: Option<String>,
    refusal: Refusal,
) -> Result<HttpResponse, PageError> {
    let reader = user.clone();
    let hub = db::run(&state.pool, move |conn| service::hub(conn, &reader, &id)).await?;
    let tz = domain::zone(hub.meeting.timezone, asked_tz.as_deref());
    let mut values = hub_values(state, &user, &hub, tz, &refusal);
    values["flash"] = json!(super::flash::take(req));
    let mut page = render_form(req, "workspace/hub.html", values)?;
    if let Some(status) = refusal.status {
        *page.status_mut() = status;
    }
    Ok(page)
}

/// A session's hub (organisers, and the session's rapporteurs; anyone else 404).
pub async fn hub(
    state: web::Data<AppState>,
    req: HttpRequest,
    Staff(user): Staff,
    id: web::Path<SessionId>,
    query: web::Query<ZoneQuery>,
) -> Result<HttpResponse, PageError> {
    let asked = query.into_inner().tz;
    show_hub(
        &state,
        &req,
        user,
        id.into_inner(),
        asked,
        Refusal::default(),
    )
    .await
}

fn form_fields(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn number(fields: &[(String, String)], name: &str) -> Field<i64> {
    match fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
    {
        None | Some("") => Field::Missing,
        Some(v) => v.parse().map_or_else(
            |_| Field::Invalid("must be a whole number".into()),
            Field::Value,
        ),
    }
}

/// The booking form: a room, set-up and tear-down minutes, and `qty_<equipment id>` per item.
fn booking_input(fields: &[(String, String)]) -> BookingInput {
    let room = fields
        .iter()
        .find(|(k, _)| k == "room_id")
        .map(|(_, v)| v.clone());
    let equipment = fields
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("qty_")?, v.trim())))
        .filter(|(_, v)| !v.is_empty() && *v != "0")
        .map(|(id, v)| EquipmentLine {
            equipment_id: Field::Value(id.to_string()),
            quantity: v.parse().map_or_else(
                |_| Field::Invalid("must be a whole number".into()),
                Field::Value,
            ),
        })
        .collect();
    BookingInput {
        room_id: room
            .filter(|r| !r.is_empty())
            .map_or(Field::Missing, Field::Value),
        setup_minutes: number(fields, "setup_minutes"),
        teardown_minutes: number(fields, "teardown_minutes"),
        equipment: Field::Value(equipment),
        override_capacity: Field::Value(fields.iter().any(|(k, _)| k == "override_capacity")),
    }
}

/// Books, or changes a booking (`Some(booking)`), from the hub's form.
async fn booking_action(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: User,
    id: SessionId,
    change: Option<BookingId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let fields = form_fields(&body);
    let input = booking_input(&fields);
    let (actor, ctx, sid) = (Actor::User(user.id.clone()), state.ctx(), id.clone());
    let done = db::run(&state.pool, move |conn| match &change {
        None => crate::bookings::service::book(conn, &ctx, &actor, &sid, input),
        Some(b) => crate::bookings::service::rebook(conn, &ctx, &actor, &sid, b, input),
    })
    .await;
    let form: serde_json::Map<String, Value> =
        fields.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    let mut refusal = Refusal {
        form: Value::Object(form),
        ..Refusal::default()
    };
    match done {
        Ok(_) => {
            super::flash::set(
                &req,
                "Room booked. Nothing was sent: delegates see the room on the session's page.",
            );
            return Ok(see_other(&format!("/staff/sessions/{id}")));
        }
        Err(AppError::Invalid(errors)) => {
            refusal.errors = errors;
            refusal.status = Some(StatusCode::UNPROCESSABLE_ENTITY);
        }
        Err(AppError::Conflict(detail, extra)) => {
            let sid = id.clone();
            let (clashes, free) = db::run(&state.pool, move |conn| {
                super::service::explain_refusal(conn, &sid, extra.as_ref())
            })
            .await?;
            refusal.clashes = std::iter::once(detail).chain(clashes).collect();
            refusal.free_rooms = free;
            refusal.status = Some(StatusCode::CONFLICT);
        }
        Err(other) => return Err(other.into()),
    }
    show_hub(&state, &req, user, id, None, refusal).await
}

/// Books a room (and equipment) from the hub.
pub async fn book(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<SessionId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    booking_action(state, req, user, id.into_inner(), None, body).await
}

/// Changes a booking for another room or equipment, all or nothing.
pub async fn rebook(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    path: web::Path<(SessionId, BookingId)>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (id, booking) = path.into_inner();
    booking_action(state, req, user, id, Some(booking), body).await
}

/// Releases a booking: its room and equipment are free at once.
pub async fn release(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    path: web::Path<(SessionId, BookingId)>,
) -> Result<HttpResponse, PageError> {
    let (id, booking) = path.into_inner();
    let (actor, ctx, sid) = (Actor::User(user.id), state.ctx(), id.clone());
    db::run(&state.pool, move |conn| {
        crate::bookings::service::unbook(conn, &ctx, &actor, &sid, &booking)
    })
    .await?;
    super::flash::set(
        &req,
        "Room released; its equipment is free again. Nothing was sent.",
    );
    Ok(see_other(&format!("/staff/sessions/{id}")))
}

/// Sets the session's rapporteurs from the ticked boxes.
pub async fn assign(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<SessionId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let ids: std::collections::BTreeSet<String> = form_fields(&body)
        .into_iter()
        .filter(|(k, _)| k == "user_ids")
        .map(|(_, v)| v)
        .collect();
    let (actor, ctx, sid) = (Actor::User(user.id), state.ctx(), id.into_inner());
    let back = format!("/staff/sessions/{sid}");
    let assigned = db::run(&state.pool, move |conn| {
        crate::rapporteurs::service::assign(conn, &ctx, &actor, &sid, &ids)
    })
    .await?;
    let names: Vec<String> = assigned.iter().map(views::person).collect();
    let message = if names.is_empty() {
        "No rapporteur is assigned now. Nothing was sent.".to_string()
    } else {
        format!("Rapporteurs now: {}. Nothing was sent.", names.join(", "))
    };
    super::flash::set(&req, message);
    Ok(see_other(&back))
}
