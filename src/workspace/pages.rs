//! The dashboard each staff role lands on after sign-in, and a meeting's staff page with its
//! sessions on a day-by-room timetable.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::domain::{self, dashboard_links, may_list_registrations};
use super::service::{self, Dashboard};
use super::views::{self, ZoneQuery};
use crate::access::domain::Role;
use crate::access::{Organiser, Staff};
use crate::db;
use crate::meetings::domain::MeetingId;
use crate::state::AppState;
use crate::web::{render_form, PageError};

fn organiser_part(board: &Dashboard) -> Value {
    let meetings: Vec<Value> = board
        .meetings
        .iter()
        .map(|w| {
            let tz = w.meeting.timezone;
            let sessions: Vec<Value> = w
                .sessions
                .iter()
                .map(|s| views::session_line(s, tz, w.rooms.get(&s.id)))
                .collect();
            json!({"m": views::meeting_facts(&w.meeting), "sessions": sessions})
        })
        .collect();
    let title = |id: &crate::sessions::domain::SessionId| {
        board
            .meetings
            .iter()
            .flat_map(|w| w.sessions.iter())
            .find(|s| &s.id == id)
            .map(|s| json!({"id": id, "title": s.fields.title}))
    };
    let a = &board.attention;
    let waiting: Vec<Value> = a.agendas_waiting.iter().filter_map(title).collect();
    json!({"meetings": meetings,
        "drafts": a.drafts.iter().filter_map(title).collect::<Vec<_>>(),
        "without_room": a.without_room.iter().filter_map(title).collect::<Vec<_>>(),
        "agendas_waiting": waiting, "failed_mail": a.failed_mail})
}

/// The dashboard: what each of the reader's roles needs, and only links the reader may open.
pub async fn dashboard(
    state: web::Data<AppState>,
    req: HttpRequest,
    Staff(user): Staff,
) -> Result<HttpResponse, PageError> {
    let (reader, now) = (user.clone(), state.ctx().now);
    let board = db::run(&state.pool, move |conn| {
        service::dashboard(conn, &reader, now)
    })
    .await?;
    let assigned: Vec<Value> = board
        .assigned
        .iter()
        .map(|(s, m)| json!({"s": views::session_line(s, m.timezone, None), "meeting": m.title}))
        .collect();
    let waiting: Vec<Value> = board
        .waiting
        .iter()
        .map(|(r, s, m)| {
            json!({"name": r.delegate.name, "email": r.delegate.email, "organisation": r.delegate.organisation,
            "session_id": s.id, "session": s.fields.title, "meeting": m.title,
            "since": views::instant(m.timezone, r.created_at.and_utc())})
        })
        .collect();
    let roles: Vec<&str> = user.roles.iter().map(|r| role_words(*r)).collect();
    let values = json!({"user": {"name": user.name, "email": user.email}, "roles": roles,
        "links": dashboard_links(&user), "organiser": user.is_organiser(),
        "rapporteur": user.has(Role::Rapporteur), "focal_point": user.focal_scope().is_some(),
        "list_registrations": may_list_registrations(&user),
        "board": if user.is_organiser() { organiser_part(&board) } else { Value::Null },
        "assigned": assigned, "waiting": waiting,
        "counts": board.counts.map(|(a, r, e, c)| json!({"accounts": a, "rooms": r, "equipment": e, "countries": c})),
        "flash": super::flash::take(&req)});
    Ok(render_form(&req, "workspace/dashboard.html", values)?)
}

fn role_words(role: Role) -> &'static str {
    match role {
        Role::Admin => "Admin",
        Role::Organiser => "Organiser",
        Role::Rapporteur => "Rapporteur",
        Role::FocalPoint => "Focal point",
    }
}

/// A meeting's staff page: its facts, its sessions on a day-by-room timetable, in the meeting's
/// zone (or UTC when asked).
pub async fn meeting(
    state: web::Data<AppState>,
    req: HttpRequest,
    _organiser: Organiser,
    id: web::Path<MeetingId>,
    query: web::Query<ZoneQuery>,
) -> Result<HttpResponse, PageError> {
    let work = db::run(&state.pool, move |conn| service::meeting(conn, &id)).await?;
    let meeting_tz = work.meeting.timezone;
    let tz = domain::zone(meeting_tz, query.tz.as_deref());
    let days: Vec<Value> = service::timetable(&work, tz)
        .into_iter()
        .map(|d| {
            let rooms: Vec<Value> = d
                .rooms
                .iter()
                .map(|r| {
                    let slots: Vec<Value> = r
                        .slots
                        .iter()
                        .map(|s| json!({"id": s.session_id, "title": s.title, "status": s.status,
                            "time": format!("{}–{}", s.starts_at.with_timezone(&tz).format("%H:%M"), s.ends_at.with_timezone(&tz).format("%H:%M"))}))
                        .collect();
                    json!({"room": r.room, "slots": slots})
                })
                .collect();
            json!({"date": d.date.format("%a %Y-%m-%d").to_string(), "rooms": rooms})
        })
        .collect();
    let sessions: Vec<Value> = work
        .sessions
        .iter()
        .map(|s| views::session_line(s, tz, work.rooms.get(&s.id)))
        .collect();
    let path = format!("/staff/meetings/{}", work.meeting.id);
    let values = json!({"m": views::meeting_facts(&work.meeting), "days": days, "sessions": sessions,
        "zone": views::zone_links(&path, meeting_tz, tz), "flash": super::flash::take(&req)});
    Ok(render_form(&req, "workspace/meeting.html", values)?)
}
