//! Use cases of a session's agenda working copy: read it, add, change, move and remove items,
//! and what other capabilities read of the approved programme.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::domain::{self, Agenda, AgendaError, AgendaItemId, Frame, Item, SlotSpeaker};
use super::input::ItemInput;
use super::store;
use super::views::{self, ProgrammeView};
use crate::access::domain::{may_review_agenda, may_see_session_work, User};
use crate::agendas::versions::domain::{SnapshotItem, VersionInfo};
use crate::agendas::versions::store as vstore;
use crate::audit::Actor;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::meetings::domain::Meeting;
use crate::sessions::domain::{Session, SessionStatus};

impl From<AgendaError> for AppError {
    fn from(e: AgendaError) -> Self {
        match e {
            AgendaError::Invalid(errors) => AppError::Invalid(errors),
            other => AppError::conflict(other.to_string()),
        }
    }
}

/// A session's agenda as its staff pages and the API show it.
#[derive(Debug, Clone)]
pub struct WorkingCopy {
    pub session: Session,
    pub meeting: Meeting,
    pub agenda: Agenda,
    pub items: Vec<Item>,
    /// The caller may edit it (an organiser).
    pub editor: bool,
    /// The caller may decide on it (a rapporteur assigned to the session).
    pub reviewer: bool,
}

impl WorkingCopy {
    /// The session's span and the meeting's zone.
    pub fn frame(&self) -> Frame {
        frame_of(&self.session, &self.meeting)
    }
}

/// The session's span and the meeting's zone.
pub fn frame_of(session: &Session, meeting: &Meeting) -> Frame {
    Frame {
        starts_at: session.fields.starts_at,
        ends_at: session.fields.ends_at,
        tz: meeting.timezone,
    }
}

/// The session and its meeting; 404 when there is none.
pub fn session_and_meeting(
    conn: &mut Conn,
    session_id: &str,
) -> Result<(Session, Meeting), AppError> {
    let session = crate::sessions::store::find(conn, session_id)?.ok_or(AppError::NotFound)?;
    let meeting =
        crate::meetings::store::find(conn, &session.meeting_id)?.ok_or(AppError::NotFound)?;
    Ok((session, meeting))
}

/// Whether the caller may see the session's staff work (organisers and its rapporteurs), and
/// whether they review it. Anyone else must not learn the session exists: 404.
pub fn standing(conn: &mut Conn, user: &User, session_id: &str) -> Result<(bool, bool), AppError> {
    let rapporteurs = crate::rapporteurs::store::of_session(conn, session_id)?;
    if !may_see_session_work(user, &rapporteurs) {
        return Err(AppError::NotFound);
    }
    Ok((user.is_organiser(), may_review_agenda(user, &rapporteurs)))
}

/// The working copy of a session's agenda, for its organisers and rapporteurs.
pub fn working_copy(
    conn: &mut Conn,
    user: &User,
    session_id: &str,
) -> Result<WorkingCopy, AppError> {
    let (session, meeting) = session_and_meeting(conn, session_id)?;
    let (editor, reviewer) = standing(conn, user, session_id)?;
    let agenda = store::find(conn, session_id)?
        .unwrap_or_else(|| Agenda::new(session.id.clone(), session.created_at.and_utc()));
    let items = store::items_of(conn, session_id)?;
    let items = with_speakers(conn, session_id, items)?;
    Ok(WorkingCopy {
        session,
        meeting,
        agenda,
        items,
        editor,
        reviewer,
    })
}

/// The items with the speakers confirmed in each slot now: what an approval puts in its version,
/// and what the working copy and its review show.
pub fn with_speakers(
    conn: &mut Conn,
    session_id: &str,
    mut items: Vec<Item>,
) -> Result<Vec<Item>, AppError> {
    let people = crate::speakers::invitations::store::confirmed_people(conn, session_id)?;
    if people.is_empty() {
        return Ok(items);
    }
    let countries = crate::countries::store::all(conn)?;
    for (item_id, role, speaker_id, name, organisation, country) in people {
        let Some(item) = items.iter_mut().find(|i| i.id.as_str() == item_id) else {
            continue;
        };
        let country_name = countries
            .iter()
            .find(|c| c.alpha2 == country)
            .map_or_else(|| country.clone(), |c| c.name.clone());
        item.speakers.push(SlotSpeaker {
            name,
            role: role.as_str().to_string(),
            speaker_id: speaker_id.to_string(),
            organisation,
            country,
            country_name,
        });
    }
    Ok(items)
}

/// What the agenda page shows besides the working copy.
pub struct AgendaPage {
    pub copy: WorkingCopy,
    /// The approved versions, newest first.
    pub versions: Vec<VersionInfo>,
    /// For an organiser facing an empty agenda: earlier sessions' approved agendas to start
    /// from, with their latest version.
    pub sources: Vec<(Session, i32)>,
}

/// What the agenda page shows: the working copy, the approved versions, and the sources.
pub fn agenda_page(conn: &mut Conn, user: &User, session_id: &str) -> Result<AgendaPage, AppError> {
    let copy = working_copy(conn, user, session_id)?;
    let versions = vstore::versions_of(conn, session_id)?;
    let sources = match copy.editor && copy.items.is_empty() {
        true => sources(conn)?,
        false => Vec::new(),
    };
    Ok(AgendaPage {
        copy,
        versions,
        sources,
    })
}

/// Locks a session's agenda for this transaction and reads it, creating its first row; a
/// cancelled session's agenda is closed.
pub fn locked(
    conn: &mut Conn,
    session_id: &str,
    now: DateTime<Utc>,
) -> Result<(Session, Meeting, Agenda), AppError> {
    store::lock(conn, session_id)?;
    let (session, meeting) = session_and_meeting(conn, session_id)?;
    if session.status == SessionStatus::Cancelled {
        return Err(AppError::conflict(
            "the session is cancelled; its agenda cannot change",
        ));
    }
    let agenda = match store::find(conn, session_id)? {
        Some(agenda) => agenda,
        None => {
            let agenda = Agenda::new(session.id.clone(), now);
            store::insert(conn, &agenda)?;
            agenda
        }
    };
    Ok((session, meeting, agenda))
}

/// Writes the difference between two item lists of a working copy.
pub fn save_items(
    conn: &mut Conn,
    agenda: &Agenda,
    before: &[Item],
    after: &[Item],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for gone in before
        .iter()
        .filter(|b| !after.iter().any(|a| a.id == b.id))
    {
        store::delete_item(conn, &gone.id)?;
    }
    for item in after {
        match before.iter().find(|b| b.id == item.id) {
            None => store::insert_item(conn, &agenda.session_id, item, now)?,
            Some(old) if old != item => store::update_item(conn, item, now)?,
            Some(_) => {}
        }
    }
    Ok(())
}

/// One edit of the working copy in one transaction: the agenda is locked, must not be
/// submitted, and an approved one becomes a new draft based on its version.
fn edit(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    session_id: &str,
    action: &str,
    change: impl Fn(&Frame, &[Item]) -> Result<(Vec<Item>, Value), AppError>,
) -> Result<Vec<Item>, AppError> {
    db::write(conn, |conn| {
        let (session, meeting, mut agenda) = locked(conn, session_id, ctx.now)?;
        agenda.status = agenda.status.after_edit()?;
        let before = store::items_of(conn, session_id)?;
        let (after, changes) = change(&frame_of(&session, &meeting), &before)?;
        save_items(conn, &agenda, &before, &after, ctx.now)?;
        agenda.updated_at = ctx.now;
        store::update(conn, &agenda)?;
        crate::audit::store::record(conn, actor, action, "agenda", session_id, changes)?;
        Ok(after)
    })
}

fn audit_item(item: &Item) -> Value {
    json!({"item_id": item.id, "kind": item.kind, "title": item.title,
        "starts_at": item.starts_at, "ends_at": item.ends_at})
}

/// Adds an item to the working copy; 422 when it falls outside the session or overlaps another.
pub fn add_item(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    session_id: &str,
    input: ItemInput,
) -> Result<Item, AppError> {
    let id = AgendaItemId::random();
    let (item, _) = input.apply(None, id.clone())?;
    let after = edit(
        conn,
        ctx,
        actor,
        session_id,
        "agenda.item_added",
        |frame, items| {
            let placed = domain::place(frame, items, item.clone(), false)?;
            Ok((placed, audit_item(&item)))
        },
    )?;
    found(after, &id)
}

fn found(items: Vec<Item>, id: &AgendaItemId) -> Result<Item, AppError> {
    items
        .into_iter()
        .find(|i| &i.id == id)
        .ok_or(AppError::NotFound)
}

/// Changes or moves an item (keeping its id); with `shift_following`, the items after one that
/// grows move by as much.
pub fn change_item(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    session_id: &str,
    item_id: &str,
    input: ItemInput,
) -> Result<Item, AppError> {
    let id = AgendaItemId::from(item_id);
    let after = edit(
        conn,
        ctx,
        actor,
        session_id,
        "agenda.item_changed",
        |frame, items| {
            let current = items
                .iter()
                .find(|i| i.id == id)
                .ok_or(AppError::NotFound)?;
            let (item, shift) = input.clone().apply(Some(current), id.clone())?;
            let placed = domain::place(frame, items, item.clone(), shift)?;
            let moved: Vec<&AgendaItemId> = placed
                .iter()
                .filter(|p| items.iter().any(|i| i.id == p.id && i != *p))
                .map(|p| &p.id)
                .collect();
            Ok((
                placed.clone(),
                json!({"before": audit_item(current), "after": audit_item(&item), "changed": moved}),
            ))
        },
    )?;
    found(after, &id)
}

/// Removes an item from the working copy.
pub fn remove_item(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    session_id: &str,
    item_id: &str,
) -> Result<(), AppError> {
    let id = AgendaItemId::from(item_id);
    edit(
        conn,
        ctx,
        actor,
        session_id,
        "agenda.item_removed",
        |_, items| {
            let gone = items
                .iter()
                .find(|i| i.id == id)
                .ok_or(AppError::NotFound)?;
            let rest = items.iter().filter(|i| i.id != id).cloned().collect();
            Ok((rest, audit_item(gone)))
        },
    )?;
    Ok(())
}

/// The items of a session's latest approved version, each with the version it last changed in
/// (its calendar SEQUENCE), or None while nothing is approved. The public calendar feed of the
/// session lists them as events of their own; nothing here ever reads the working copy.
pub fn approved_items(
    conn: &mut Conn,
    session_id: &str,
) -> Result<Option<(VersionInfo, Vec<SnapshotItem>)>, AppError> {
    let Some(number) = vstore::latest_number(conn, session_id)? else {
        return Ok(None);
    };
    Ok(vstore::version(conn, session_id, number)?.map(|v| (v.info, v.items)))
}

/// What the public session page shows of the programme: the latest approved version with its
/// times in the meeting's zone, or None (the page says the programme is in preparation).
pub fn public_programme(
    conn: &mut Conn,
    session_id: &str,
    lang: &str,
) -> Result<Option<ProgrammeView>, AppError> {
    let (session, meeting) = session_and_meeting(conn, session_id)?;
    let Some(number) = vstore::latest_number(conn, session_id)? else {
        return Ok(None);
    };
    let version = vstore::version(conn, session_id, number)?.ok_or(AppError::NotFound)?;
    Ok(Some(views::programme(
        &version,
        &frame_of(&session, &meeting),
        lang,
    )))
}

/// the most recent first.
pub fn sources(conn: &mut Conn) -> Result<Vec<(Session, i32)>, AppError> {
    let latest = vstore::sessions_with_versions(conn)?;
    let ids = latest.iter().map(|(id, _)| id.clone()).collect();
    let mut found: Vec<(Session, i32)> = crate::sessions::store::many(conn, ids)?
        .into_iter()
        .filter_map(|s| {
            let number = latest.iter().find(|(id, _)| *id == s.id)?.1;
            Some((s, number))
        })
        .collect();
    found.reverse();
    Ok(found)
}
