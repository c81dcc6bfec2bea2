//! The living part of `seminars demo`: rooms and equipment at ITU headquarters, the ad-hoc
//! session's booking and rapporteur, an agenda approved by that rapporteur, and delegates from
//! developed, developing and least developed countries registered. Each step is skipped when its
//! result exists already, so the demo can run twice.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset, NaiveTime, TimeZone};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::access::User;
use crate::audit::Actor;
use crate::config::Settings;
use crate::db::Conn;
use crate::effects::Ctx;
use crate::error::AppError;
use crate::meetings::domain::Meeting;
use crate::rooms::domain::{Equipment, Room};
use crate::sessions::domain::Session;

/// The agenda of the ad-hoc session: kind, local start and end, title, description.
const AGENDA: [(&str, &str, &str, &str, &str); 7] = [
    ("opening", "14:30", "14:40", "Opening remarks", "The Ministry of Internal Affairs and Communications of Japan and the Rapporteur for Question 22-1/1."),
    ("expert_presentation", "14:40", "15:20", "Setting up a national CIRT: the first three years", "Mandate, funding, staffing and the first incidents handled; what we would do differently."),
    ("expert_presentation", "15:20", "15:55", "Public-private information sharing that operators trust", "Agreements, traffic-light protocol and a shared platform between regulator and operators."),
    ("break", "15:55", "16:10", "Coffee break", ""),
    ("stakeholder_presentation", "16:10", "16:50", "Cybersecurity challenges in least developed countries", "Skills, budgets and awareness: experience from policy-makers and regulators of LDCs."),
    ("discussion", "16:50", "17:20", "Discussion: action items for Question 22-1/1", "Which capacity-building measures the output report should recommend."),
    ("closing", "17:20", "17:30", "Closing", ""),
];

/// Delegates: name, email, organisation, country, stakeholder category, attendance.
const DELEGATES: [(&str, &str, &str, &str, &str, &str); 10] = [
    (
        "Wanjiru Kamau",
        "w.kamau@ca.go.ke.example",
        "Communications Authority of Kenya",
        "KE",
        "regulator",
        "in_person",
    ),
    (
        "Rahim Chowdhury",
        "rahim@btrc.gov.bd.example",
        "BTRC",
        "BD",
        "regulator",
        "in_person",
    ),
    (
        "Aminata Diallo",
        "a.diallo@artp.sn.example",
        "ARTP Sénégal",
        "SN",
        "regulator",
        "remote",
    ),
    (
        "Jean-Paul Habimana",
        "jp.habimana@minict.gov.rw.example",
        "Ministry of ICT and Innovation, Rwanda",
        "RW",
        "policy_maker",
        "in_person",
    ),
    (
        "Sita Gurung",
        "sita.gurung@nta.gov.np.example",
        "Nepal Telecommunications Authority",
        "NP",
        "regulator",
        "remote",
    ),
    (
        "Lucas Oliveira",
        "lucas.oliveira@operadora.com.br.example",
        "Operadora Brasil",
        "BR",
        "operator",
        "in_person",
    ),
    (
        "Priya Raman",
        "priya.raman@dot.gov.in.example",
        "Department of Telecommunications, India",
        "IN",
        "policy_maker",
        "in_person",
    ),
    (
        "Hiroshi Sato",
        "h.sato@devices.co.jp.example",
        "Devices Co., Ltd.",
        "JP",
        "manufacturer",
        "in_person",
    ),
    (
        "Anna Schneider",
        "anna.schneider@bnetza.de.example",
        "Bundesnetzagentur",
        "DE",
        "regulator",
        "remote",
    ),
    (
        "Omar Farouk",
        "omar.farouk@tra.gov.eg.example",
        "NTRA Egypt",
        "EG",
        "policy_maker",
        "in_person",
    ),
];

/// Furnishes the session and says what it did, one line each.
pub fn furnish(
    conn: &mut Conn,
    settings: &Settings,
    session: &Session,
    meeting: &Meeting,
) -> Result<Vec<String>, AppError> {
    let ctx = crate::app::ctx(settings);
    let (room, projector) = furniture(conn, &ctx)?;
    let mut report = vec![format!(
        "rooms: {}, {} ({}); equipment: {} × {}",
        room.name, room.location, room.capacity, projector.quantity, projector.name
    )];
    if crate::bookings::service::bookings_of(conn, &session.id)?.is_empty() {
        let input = from_json(json!({
            "room_id": room.id.to_string(),
            "equipment": [{"equipment_id": projector.id.to_string(), "quantity": 1}],
        }))?;
        crate::bookings::service::book(conn, &ctx, &Actor::Cli, &session.id, input)?;
        report.push(format!("booked: {} with a projector", room.name));
    }
    let (organiser, rapporteur) = (user(conn, "organiser")?, user(conn, "rapporteur")?);
    approved_agenda(conn, &ctx, session, meeting, (&organiser, &rapporteur))?;
    report.push(format!(
        "agenda: {} items, approved by {}",
        AGENDA.len(),
        rapporteur.name
    ));
    for (name, email, organisation, country, category, attendance) in DELEGATES {
        let input = from_json(json!({
            "name": name, "email": email, "organisation": organisation, "job_title": "Delegate",
            "country": country, "stakeholder_category": category, "attendance": attendance,
            "consent_directory": true,
        }))?;
        crate::registrations::intake::register(conn, &ctx, &session.id, input, "en")?;
    }
    report.push(format!(
        "registrations: {} delegates (in person and remote)",
        DELEGATES.len()
    ));
    Ok(report)
}

/// The room and the projectors, created the first time.
fn furniture(conn: &mut Conn, ctx: &Ctx) -> Result<(Room, Equipment), AppError> {
    let (rooms, _) = crate::rooms::service::list_rooms(conn, 100, 0)?;
    let room = match rooms.into_iter().find(|r| r.name == "Room K") {
        Some(room) => room,
        None => {
            for (name, location, capacity) in [
                ("Room K", "ITU headquarters, Popov building, level 2", 80),
                ("Room H", "ITU headquarters, Tower building, level 1", 40),
            ] {
                let input = from_json(json!({
                    "name": name, "location": location, "capacity": capacity,
                    "features": ["interpretation_booths", "video_conferencing", "step_free_access"],
                }))?;
                crate::rooms::service::create_room(conn, ctx, &Actor::Cli, input)?;
            }
            return furniture(conn, ctx);
        }
    };
    let (equipment, _) = crate::rooms::service::list_equipment(conn, 100, 0)?;
    let projector = match equipment.into_iter().find(|e| e.name == "Projector") {
        Some(projector) => projector,
        None => {
            let input =
                from_json(json!({"name": "Projector", "kind": "projector", "quantity": 3}))?;
            crate::rooms::service::create_equipment(conn, ctx, &Actor::Cli, input)?
        }
    };
    Ok((room, projector))
}

/// Assigns the rapporteur, writes the agenda, submits it and has the rapporteur approve it.
fn approved_agenda(
    conn: &mut Conn,
    ctx: &Ctx,
    session: &Session,
    meeting: &Meeting,
    (organiser, rapporteur): (&User, &User),
) -> Result<(), AppError> {
    if crate::agendas::service::approved_items(conn, &session.id)?.is_some() {
        return Ok(());
    }
    let assigned = BTreeSet::from([rapporteur.id.clone()]);
    crate::rapporteurs::service::assign(conn, ctx, &Actor::Cli, &session.id, &assigned)?;
    let actor = Actor::User(organiser.id.clone());
    for (kind, starts, ends, title, description) in AGENDA {
        let input = from_json(json!({
            "kind": kind, "title": title, "description": description,
            "starts_at": local(session, meeting, starts)?, "ends_at": local(session, meeting, ends)?,
        }))?;
        crate::agendas::service::add_item(conn, ctx, &actor, &session.id, input)?;
    }
    crate::agendas::approval::service::submit(conn, ctx, organiser, &session.id)?;
    let comment = Some("Approved for the Study Group 1 meeting.".to_string());
    crate::agendas::approval::service::approve(conn, ctx, rapporteur, &session.id, comment)?;
    Ok(())
}

/// An `HH:MM` on the session's day in the meeting's zone.
fn local(
    session: &Session,
    meeting: &Meeting,
    at: &str,
) -> Result<DateTime<FixedOffset>, AppError> {
    let tz = meeting.timezone;
    let day = session.fields.starts_at.with_timezone(&tz).date_naive();
    NaiveTime::parse_from_str(at, "%H:%M")
        .ok()
        .and_then(|time| tz.from_local_datetime(&day.and_time(time)).earliest())
        .map(|t| t.fixed_offset())
        .ok_or_else(|| AppError::Internal(format!("no such local time {at}")))
}

/// The demo account holding the role.
fn user(conn: &mut Conn, name: &str) -> Result<User, AppError> {
    let email = format!("{name}@seminars.example");
    crate::accounts::store::find_by_email(conn, &email)?
        .map(User::from)
        .ok_or_else(|| AppError::Internal(format!("no demo account {email}")))
}

/// An input as a client would send it.
fn from_json<T: DeserializeOwned>(value: Value) -> Result<T, AppError> {
    serde_json::from_value(value).map_err(|e| AppError::Internal(format!("demo input: {e}")))
}
