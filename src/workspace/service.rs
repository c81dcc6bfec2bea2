//! What the staff pages gather: a role's dashboard, a session's hub, a meeting's timetable.
//! Reads through other capabilities' stores; every change goes through their services.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::domain::{self, Seats, Slot};
use crate::access::domain::{focal_point_covers, Role, User};
use crate::accounts::store::UserRow;
use crate::agendas::domain::AgendaStatus;
use crate::audit::store::AuditEvent;
use crate::bookings::domain::{Booking, SessionRooms};
use crate::db::{self, Conn};
use crate::error::AppError;
use crate::meetings::domain::{Meeting, MeetingId};
use crate::registrations::domain::{Registration, Status};
use crate::rooms::domain::{Equipment, Room};
use crate::sessions::domain::{Session, SessionId, SessionStatus};
use crate::sessions::store::Filter;

/// The addresses written to since `since` (an action's start): "what was sent to whom".
pub fn told_since(conn: &mut Conn, since: DateTime<Utc>) -> Result<usize, AppError> {
    Ok(crate::workspace::store::recipients_since(conn, db::micros(since))?.len())
}

/// A meeting with its sessions (all statuses) and their rooms.
pub struct MeetingWork {
    pub meeting: Meeting,
    pub sessions: Vec<Session>,
    pub rooms: SessionRooms,
}

fn sessions_of(conn: &mut Conn, meetings: &[Meeting]) -> Result<Vec<Session>, AppError> {
    let filter = Filter {
        meeting_ids: Some(meetings.iter().map(|m| m.id.clone()).collect()),
        ..Default::default()
    };
    let (mut sessions, _) = crate::sessions::store::list(conn, &filter, 2000, 0)?;
    sessions.sort_by_key(|s| s.fields.starts_at);
    Ok(sessions)
}

/// One meeting with every session of it, for organisers.
pub fn meeting(conn: &mut Conn, id: &MeetingId) -> Result<MeetingWork, AppError> {
    let meeting = crate::meetings::store::find(conn, id)?.ok_or(AppError::NotFound)?;
    let sessions = sessions_of(conn, std::slice::from_ref(&meeting))?;
    let rooms = crate::bookings::service::rooms_of(conn, &sessions)?;
    Ok(MeetingWork {
        meeting,
        sessions,
        rooms,
    })
}

/// The meeting's sessions laid out by day and room, in `tz`.
pub fn timetable(work: &MeetingWork, tz: chrono_tz::Tz) -> Vec<domain::Day> {
    let placed = work
        .sessions
        .iter()
        .map(|s| {
            let slot = Slot {
                session_id: s.id.to_string(),
                title: s.fields.title.clone(),
                status: s.status.as_str().into(),
                starts_at: s.fields.starts_at,
                ends_at: s.fields.ends_at,
            };
            (slot, work.rooms.get(&s.id).map(|r| r.name.clone()))
        })
        .collect();
    let (first, last) = (work.meeting.first_day, work.meeting.last_day);
    domain::timetable(tz, (first, last), placed)
}

/// What an organiser should look at: drafts, sessions without a room, agendas waiting for
/// approval, failed mail.
#[derive(Default)]
pub struct Attention {
    pub drafts: Vec<SessionId>,
    pub without_room: Vec<SessionId>,
    pub agendas_waiting: Vec<SessionId>,
    pub failed_mail: i64,
}

/// A dashboard's contents; each part filled for the roles it concerns.
#[derive(Default)]
pub struct Dashboard {
    pub meetings: Vec<MeetingWork>,
    pub attention: Attention,
    /// The rapporteur's sessions, with their meetings.
    pub assigned: Vec<(Session, Meeting)>,
    /// The focal point's registrations waiting for a decision, with their sessions.
    pub waiting: Vec<(Registration, Session, Meeting)>,
    /// Admins: how many accounts, rooms, equipment items and countries there are.
    pub counts: Option<(i64, i64, i64, usize)>,
}

/// The dashboard of one staff member, by role.
pub fn dashboard(conn: &mut Conn, user: &User, now: DateTime<Utc>) -> Result<Dashboard, AppError> {
    let mut board = Dashboard::default();
    let from_day = crate::meetings::domain::upcoming_last_day(now);
    let (upcoming, _) = crate::meetings::store::list(conn, Some(from_day), 100, 0)?;
    if user.is_organiser() {
        board.meetings = organiser_meetings(conn, upcoming.clone())?;
        board.attention = attention(conn, &board.meetings)?;
    }
    if user.has(Role::Rapporteur) {
        board.assigned = assigned(conn, &user.id)?;
    }
    if let Some(scope) = user.focal_scope() {
        for session in sessions_of(conn, &upcoming)? {
            let meeting = upcoming
                .iter()
                .find(|m| m.id == session.meeting_id)
                .cloned();
            let Some(meeting) = meeting else { continue };
            for r in crate::registrations::store::of_status(conn, &session.id, Status::Pending)? {
                if focal_point_covers(&scope, &r.delegate.country, &r.delegate.organisation) {
                    board.waiting.push((r, session.clone(), meeting.clone()));
                }
            }
        }
    }
    if user.has(Role::Admin) {
        let accounts = crate::accounts::store::list(conn, 1, 0)?.1;
        let rooms = crate::rooms::store::list_rooms(conn, 1, 0)?.1;
        let equipment = crate::rooms::store::list_equipment(conn, 1, 0)?.1;
        let countries = crate::countries::store::all(conn)?.len();
        board.counts = Some((accounts, rooms, equipment, countries));
    }
    Ok(board)
}

fn organiser_meetings(
    conn: &mut Conn,
    meetings: Vec<Meeting>,
) -> Result<Vec<MeetingWork>, AppError> {
    let sessions = sessions_of(conn, &meetings)?;
    let rooms = crate::bookings::service::rooms_of(conn, &sessions)?;
    Ok(meetings
        .into_iter()
        .map(|meeting| {
            let mine: Vec<Session> = sessions
                .iter()
                .filter(|s| s.meeting_id == meeting.id)
                .cloned()
                .collect();
            let rooms = rooms
                .iter()
                .filter(|(id, _)| mine.iter().any(|s| &s.id == *id))
                .map(|(id, r)| (id.clone(), r.clone()))
                .collect();
            MeetingWork {
                meeting,
                sessions: mine,
                rooms,
            }
        })
        .collect())
}

fn attention(conn: &mut Conn, meetings: &[MeetingWork]) -> Result<Attention, AppError> {
    let mut attention = Attention::default();
    for work in meetings {
        for s in &work.sessions {
            if s.status == SessionStatus::Draft {
                attention.drafts.push(s.id.clone());
            }
            if s.status != SessionStatus::Cancelled && !work.rooms.contains_key(&s.id) {
                attention.without_room.push(s.id.clone());
            }
        }
    }
    attention.agendas_waiting = crate::agendas::store::sessions_in(conn, AgendaStatus::Submitted)?;
    let failed = crate::mail::store::list(conn, Some(crate::mail::store::Status::Failed), 1, 0)?;
    attention.failed_mail = failed.1;
    Ok(attention)
}

fn assigned(conn: &mut Conn, user_id: &str) -> Result<Vec<(Session, Meeting)>, AppError> {
    let ids = crate::agendas::store::sessions_of_rapporteur(conn, user_id)?;
    let sessions = crate::sessions::store::many(conn, ids)?;
    let meetings = crate::meetings::store::many(
        conn,
        sessions.iter().map(|s| s.meeting_id.clone()).collect(),
    )?;
    let mut out: Vec<(Session, Meeting)> = sessions
        .into_iter()
        .filter_map(|s| {
            let m = meetings.iter().find(|m| m.id == s.meeting_id)?.clone();
            Some((s, m))
        })
        .collect();
    out.sort_by_key(|(s, _)| s.fields.starts_at);
    Ok(out)
}

/// Everything a session's staff page shows.
pub struct Hub {
    pub session: Session,
    pub meeting: Meeting,
    pub seats: Seats,
    pub bookings: Vec<(Booking, Room)>,
    pub equipment: Vec<Equipment>,
    pub rooms: Vec<Room>,
    pub rapporteurs: Vec<UserRow>,
    pub candidates: Vec<UserRow>,
    pub audit: Vec<(AuditEvent, String)>,
    /// The latest messages about the session (organisers only; empty for rapporteurs).
    pub messages: Vec<crate::mail::store::OutboxRow>,
}

/// A session's hub, for organisers and the session's rapporteurs (anyone else: 404).
pub fn hub(conn: &mut Conn, user: &User, id: &SessionId) -> Result<Hub, AppError> {
    let session = crate::sessions::store::find(conn, id)?.ok_or(AppError::NotFound)?;
    let assigned = crate::rapporteurs::store::of_session(conn, id)?;
    if !crate::access::domain::may_see_session_work(user, &assigned) {
        return Err(AppError::NotFound);
    }
    let meeting =
        crate::meetings::store::find(conn, &session.meeting_id)?.ok_or(AppError::NotFound)?;
    let counts: Vec<_> = crate::registrations::reports::store::counts(conn, &[id.to_string()])?
        .into_iter()
        .map(|(_, _, attendance, status, n)| (attendance, status, n))
        .collect();
    let f = &session.fields;
    let seats = domain::seats(&counts, f.capacity, f.remote_capacity);
    let rooms = crate::rooms::store::list_rooms(conn, 500, 0)?.0;
    let mut bookings = Vec::new();
    for b in crate::bookings::store::bookings_of_session(conn, id)? {
        if let Some(room) = rooms.iter().find(|r| r.id == b.room_id) {
            bookings.push((b, room.clone()));
        }
    }
    let equipment = crate::rooms::store::list_equipment(conn, 500, 0)?.0;
    let rapporteurs = crate::rapporteurs::store::accounts_of(conn, id)?;
    let candidates = crate::accounts::store::list(conn, 1000, 0)?
        .0
        .into_iter()
        .filter(|u| u.active && u.roles.contains(Role::Rapporteur.as_str()))
        .collect();
    let events = crate::audit::store::of_record(conn, "session", id)?;
    let audit = named(conn, events)?;
    let messages = if user.is_organiser() {
        crate::mail::store::of_session(conn, id, 20)?
    } else {
        Vec::new()
    };
    Ok(Hub {
        session,
        meeting,
        seats,
        bookings,
        equipment,
        rooms,
        rapporteurs,
        candidates,
        audit,
        messages,
    })
}

/// Each audit event with who made it in words: `Name <email>`, a link's holder, the system.
fn named(conn: &mut Conn, events: Vec<AuditEvent>) -> Result<Vec<(AuditEvent, String)>, AppError> {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let who = match e.actor.strip_prefix("user:") {
            Some(id) => match names.get(id) {
                Some(n) => n.clone(),
                None => {
                    let n = crate::accounts::store::find(conn, id)?.map_or_else(
                        || "a deleted account".to_string(),
                        |u| format!("{} <{}>", u.name, u.email),
                    );
                    names.insert(id.to_string(), n.clone());
                    n
                }
            },
            None if e.actor.starts_with("link:registration") => "the delegate (own link)".into(),
            None if e.actor.starts_with("link:") => "the holder of a secret link".into(),
            None if e.actor == "cli" => "the command line".into(),
            None => "the service".into(),
        };
        out.push((e, who));
    }
    out.reverse();
    Ok(out)
}

/// The rooms that would fit the session (capacity) and are free over `interval`.
pub fn free_rooms(
    conn: &mut Conn,
    session: &Session,
    within: &crate::bookings::availability::domain::Interval,
) -> Result<Vec<Room>, AppError> {
    let mut free = Vec::new();
    for room in crate::rooms::store::list_rooms(conn, 500, 0)?.0 {
        if room.capacity < session.fields.capacity {
            continue;
        }
        let busy = crate::bookings::store::room_bookings_overlapping(
            conn,
            &room.id,
            within,
            Some(&session.id),
        )?;
        if busy.is_empty() {
            free.push(room);
        }
    }
    Ok(free)
}

/// Explains a refused booking in words (each clash: what, with which session, when, in the
/// meeting's zone) and lists the rooms that would fit and are free at the session's time.
pub fn explain_refusal(
    conn: &mut Conn,
    id: &SessionId,
    extra: Option<&serde_json::Value>,
) -> Result<(Vec<String>, Vec<serde_json::Value>), AppError> {
    let session = crate::sessions::store::find(conn, id)?.ok_or(AppError::NotFound)?;
    let meeting =
        crate::meetings::store::find(conn, &session.meeting_id)?.ok_or(AppError::NotFound)?;
    let tz = meeting.timezone;
    let rooms = crate::rooms::store::list_rooms(conn, 500, 0)?.0;
    let equipment = crate::rooms::store::list_equipment(conn, 500, 0)?.0;
    let clashes = extra
        .and_then(|e| e.get("conflicts"))
        .and_then(|c| c.as_array())
        .cloned()
        .unwrap_or_default();
    let mut words = Vec::new();
    for c in clashes {
        let text = |k: &str| c.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let what = match (c.get("room_id"), c.get("equipment_id")) {
            (Some(r), _) => rooms
                .iter()
                .find(|x| Some(x.id.as_str()) == r.as_str())
                .map_or("the room".into(), |x| format!("Room {}", x.name)),
            (_, Some(e)) => equipment
                .iter()
                .find(|x| Some(x.id.as_str()) == e.as_str())
                .map_or("an item".into(), |x| format!("{} (all in use)", x.name)),
            _ => "It".into(),
        };
        let other = crate::sessions::store::find(conn, &text("with_session_id"))?
            .map_or("another session".into(), |s| {
                format!("\"{}\"", s.fields.title)
            });
        let at = |k: &str| {
            DateTime::parse_from_rfc3339(&text(k))
                .ok()
                .map(|t| t.with_timezone(&Utc))
        };
        let when = match (at("starts_at"), at("ends_at")) {
            (Some(a), Some(b)) => super::views::span(tz, a, b),
            _ => String::new(),
        };
        words.push(format!("{what} is held by {other}, {when}"));
    }
    let within = crate::bookings::availability::domain::Interval::new(
        session.fields.starts_at,
        session.fields.ends_at,
    );
    let free = free_rooms(conn, &session, &within)?
        .into_iter()
        .map(|r| serde_json::json!({"id": r.id, "name": r.name, "location": r.location, "capacity": r.capacity}))
        .collect();
    Ok((words, free))
}

/// True when the reader may open the session's staff-only work (its agenda, its hub):
/// organisers and the session's rapporteurs.
pub fn may_see_work(conn: &mut Conn, user: Option<&User>, id: &str) -> Result<bool, AppError> {
    let Some(user) = user else { return Ok(false) };
    if user.is_organiser() {
        return Ok(true);
    }
    let assigned = crate::rapporteurs::store::of_session(conn, id)?;
    Ok(crate::access::domain::may_see_session_work(user, &assigned))
}
