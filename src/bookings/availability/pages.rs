//! Staff pages: a meeting's room grid and equipment stock by day.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::{grid, service};
use crate::access::Staff;
use crate::db;
use crate::meetings::domain::MeetingId;
use crate::state::AppState;
use crate::web::PageError;
use crate::web::{render, Lang};

/// The rooms × hours grid of every day of a meeting.
pub async fn room_grid(
    state: web::Data<AppState>,
    req: HttpRequest,
    _staff: Staff,
    id: web::Path<MeetingId>,
) -> Result<HttpResponse, PageError> {
    let plan = db::run(&state.pool, move |conn| service::meeting_plan(conn, &id)).await?;
    let days = grid::room_grid(&plan);
    let meeting = json!({"id": plan.meeting.id, "title": plan.meeting.title, "timezone": plan.meeting.timezone.name()});
    Ok(render(
        Lang::of(&req),
        "rooms/grid.html",
        json!({"meeting": meeting, "days": days}),
    )?)
}

/// Equipment stock and reservations per day of a meeting.
pub async fn equipment_days(
    state: web::Data<AppState>,
    req: HttpRequest,
    _staff: Staff,
    id: web::Path<MeetingId>,
) -> Result<HttpResponse, PageError> {
    let plan = db::run(&state.pool, move |conn| service::meeting_plan(conn, &id)).await?;
    let days = grid::stock_days(&plan);
    let meeting = json!({"id": plan.meeting.id, "title": plan.meeting.title, "timezone": plan.meeting.timezone.name()});
    Ok(render(
        Lang::of(&req),
        "rooms/equipment.html",
        json!({"meeting": meeting, "days": days}),
    )?)
}
