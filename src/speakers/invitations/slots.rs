//! Slots as speakers are told of them, and their calendar invitations: a slot is an event of its
//! own (UID `slot-{item}@host`, SEQUENCE from the approved version it last changed in), held by
//! each confirmed speaker through the one holds mechanism. Follows approvals (a moved slot sends
//! an update, a removed one a cancellation), sessions and their rooms.

use std::any::Any;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use super::domain::{Invitation, InvitationStatus, Slot, SlotRole};
use super::notices::{SlotCancelled, SlotSummary, Updated};
use super::store;
use crate::agendas::domain::{AgendaEvent, Item, ItemChange};
use crate::agendas::versions::store as versions;
use crate::bookings::domain::BookingEvent;
use crate::calendar::{Event, Method, Role};
use crate::config::Settings;
use crate::db::Conn;
use crate::effects::Ctx;
use crate::error::AppError;
use crate::holds::domain::{invitation_sequence, next_sequence, Hold, HoldId, HolderKind};
use crate::holds::service::{deliver, place};
use crate::mail::notice::Notice;
use crate::meetings::domain::Meeting;
use crate::sessions::domain::{Session, SessionChange, SessionEvent, SessionId, SessionStatus};
use crate::speakers::domain::Speaker;

/// The stable UID of a slot's event.
pub fn slot_uid(settings: &Settings, item_id: &str) -> String {
    format!("slot-{item_id}@{}", settings.public_host())
}

fn of_item(session_id: &str, item: &Item, sequence: i32) -> Slot {
    Slot {
        session_id: session_id.into(),
        item_id: item.id.to_string(),
        kind: item.kind,
        title: item.title.clone(),
        starts_at: item.starts_at,
        ends_at: item.ends_at,
        sequence,
    }
}

/// Every slot of a session as speakers are told of it: each item of the latest approved version
/// (SEQUENCE: the version it last changed in), then the working copy's items not approved yet.
pub fn of_session(conn: &mut Conn, session_id: &str) -> Result<Vec<Slot>, AppError> {
    let id = SessionId::from(session_id.to_string());
    Ok(of_sessions(conn, std::slice::from_ref(&id))?
        .remove(&id)
        .unwrap_or_default())
}

/// The slots of several sessions, as `of_session` tells them, in a constant number of queries.
pub fn of_sessions(
    conn: &mut Conn,
    session_ids: &[SessionId],
) -> Result<HashMap<SessionId, Vec<Slot>>, AppError> {
    let mut slots: HashMap<SessionId, Vec<Slot>> = HashMap::new();
    for (session, s) in versions::latest_items_of(conn, session_ids)? {
        let slot = of_item(session.as_str(), &s.item, s.since_version);
        slots.entry(session).or_default().push(slot);
    }
    for (session, item) in crate::agendas::store::items_of_sessions(conn, session_ids)? {
        let mine = slots.entry(session.clone()).or_default();
        if !mine.iter().any(|s| s.item_id == item.id.as_str()) {
            mine.push(of_item(session.as_str(), &item, 0));
        }
    }
    for mine in slots.values_mut() {
        mine.sort_by_key(|s| s.starts_at);
    }
    Ok(slots)
}

/// One slot of a session; 404 when neither the approved agenda nor the working copy has it.
pub fn find(conn: &mut Conn, session_id: &str, item_id: &str) -> Result<Slot, AppError> {
    of_session(conn, session_id)?
        .into_iter()
        .find(|s| s.item_id == item_id)
        .ok_or(AppError::NotFound)
}

/// The calendar role of a slot role.
fn role(role: SlotRole) -> Role {
    match role {
        SlotRole::Moderator => Role::Chair,
        SlotRole::Speaker => Role::ReqParticipant,
    }
}

/// A slot as a calendar event at `sequence`, stamped `stamp`.
pub fn event(
    settings: &Settings,
    session: &Session,
    (slot, location): (&Slot, String),
    (sequence, stamp): (i32, DateTime<Utc>),
) -> Event {
    let url = format!("{}/sessions/{}", settings.base_url(), session.id);
    Event {
        uid: slot_uid(settings, &slot.item_id),
        sequence: u32::try_from(sequence).unwrap_or(0),
        summary: slot.title.clone(),
        description: format!("{}\n\n{url}", session.fields.title),
        location,
        url,
        starts_at: slot.starts_at,
        ends_at: slot.ends_at,
        stamp,
    }
}

/// The facts of one send: the session and meeting, and the slot.
pub struct Sending<'a> {
    pub session: &'a Session,
    pub meeting: &'a Meeting,
    pub slot: &'a Slot,
}

impl Sending<'_> {
    /// What the emails show of the slot for a speaker in `role`.
    pub fn summary(
        &self,
        conn: &mut Conn,
        ctx: &Ctx,
        role: SlotRole,
    ) -> Result<SlotSummary, AppError> {
        let location = place(conn, self.session, self.meeting)?.in_person();
        let pair = (self.session, self.meeting);
        Ok(SlotSummary::of(
            &ctx.settings,
            pair,
            self.slot,
            role,
            location,
        ))
    }

    /// Sends the slot's REQUEST (an invitation, or its update) or CANCEL to the invitation's
    /// speaker, with the next SEQUENCE past what they were sent, and records the hold.
    pub fn send<N: Notice>(
        &self,
        conn: &mut Conn,
        ctx: &Ctx,
        (invitation, speaker): (&Invitation, &Speaker),
        method: Method,
        notice: &N,
    ) -> Result<(), AppError> {
        let uid = slot_uid(&ctx.settings, &self.slot.item_id);
        let holder = HolderKind::SpeakerInvitation;
        let earlier = crate::holds::store::find(conn, &uid, holder, &invitation.id)?;
        let sequence = match (&earlier, method) {
            (Some(h), Method::Cancel) => next_sequence(h.sequence_sent, self.slot.sequence),
            (Some(h), _) if h.active => next_sequence(h.sequence_sent, self.slot.sequence),
            (earlier, _) => invitation_sequence(
                earlier.as_ref().map(|h| h.sequence_sent),
                self.slot.sequence,
            ),
        };
        let now = crate::db::micros(ctx.now);
        let hold = Hold {
            id: earlier
                .as_ref()
                .map_or_else(HoldId::random, |h| h.id.clone()),
            event_uid: uid,
            session_id: self.session.id.clone(),
            item_id: Some(self.slot.item_id.clone()),
            holder,
            record_id: invitation.id.to_string(),
            email: speaker.fields.email.clone(),
            name: speaker.fields.name.clone(),
            role: role(invitation.role),
            lang: "en".into(),
            remote: false,
            sequence_sent: sequence,
            active: method != Method::Cancel,
            created_at: earlier.as_ref().map_or(now, |h| h.created_at),
            updated_at: now,
        };
        let location = place(conn, self.session, self.meeting)?.in_person();
        let event = event(
            &ctx.settings,
            self.session,
            (self.slot, location),
            (sequence, ctx.now),
        );
        deliver(conn, ctx, &hold, (&event, method), notice)
    }
}

/// The session and its meeting.
pub fn session_and_meeting(conn: &mut Conn, id: &str) -> Result<(Session, Meeting), AppError> {
    crate::agendas::service::session_and_meeting(conn, id)
}

/// Follows approvals (slots moved, retitled, added with holders, removed), cancelled or changed
/// sessions and their rooms: every speaker holding a slot's invitation hears of it.
pub fn react(conn: &mut Conn, ctx: &Ctx, event: &dyn Any) -> Result<(), AppError> {
    if let Some(AgendaEvent::VersionApproved {
        session_id,
        version,
        changes,
    }) = event.downcast_ref()
    {
        return approved(conn, ctx, session_id, *version, changes);
    }
    let (session_id, cancelled) = match (
        event.downcast_ref::<SessionEvent>(),
        event.downcast_ref::<BookingEvent>(),
    ) {
        (Some(e), _) if e.change == SessionChange::Cancelled => (e.session.id.to_string(), true),
        (Some(e), _) if e.calendar_changed() => (e.session.id.to_string(), false),
        (None, Some(b)) => (b.session_id.to_string(), false),
        _ => return Ok(()),
    };
    session_changed(conn, ctx, &session_id, cancelled)
}

/// A version was approved: each slot whose time or title changed, or that came or went.
fn approved(
    conn: &mut Conn,
    ctx: &Ctx,
    session_id: &str,
    version: i32,
    changes: &[ItemChange],
) -> Result<(), AppError> {
    let mut touched: BTreeMap<String, &ItemChange> = BTreeMap::new();
    for change in changes.iter().filter(|c| c.touches_calendar()) {
        touched.entry(change.item_id.to_string()).or_insert(change);
    }
    if touched.is_empty() {
        return Ok(());
    }
    let (session, meeting) = session_and_meeting(conn, session_id)?;
    for (item_id, change) in touched {
        match &change.new {
            Some(item) => {
                let slot = of_item(session_id, item, version);
                update_holders(conn, ctx, (&session, &meeting), &slot, &item_id)?;
            }
            None => {
                let Some(old) = &change.old else { continue };
                let slot = of_item(session_id, old, version);
                removed(conn, ctx, (&session, &meeting), &slot)?;
            }
        }
    }
    Ok(())
}

/// Sends the holders of one slot its update.
fn update_holders(
    conn: &mut Conn,
    ctx: &Ctx,
    (session, meeting): (&Session, &Meeting),
    slot: &Slot,
    item_id: &str,
) -> Result<(), AppError> {
    let sending = Sending {
        session,
        meeting,
        slot,
    };
    for hold in crate::holds::store::active_of_item(conn, item_id)? {
        let Some((invitation, speaker)) = holder(conn, &hold)? else {
            continue;
        };
        let notice = Updated {
            name: speaker.fields.name.clone(),
            slot: sending.summary(conn, ctx, invitation.role)?,
        };
        sending.send(conn, ctx, (&invitation, &speaker), Method::Request, &notice)?;
    }
    Ok(())
}

/// A slot left the approved agenda: its holders get a CANCEL and its invitations end.
fn removed(
    conn: &mut Conn,
    ctx: &Ctx,
    (session, meeting): (&Session, &Meeting),
    slot: &Slot,
) -> Result<(), AppError> {
    let reason = crate::i18n::text("en", "speakers_reason_slot_removed");
    cancel_holders(conn, ctx, (session, meeting), slot, &reason)?;
    for mut invitation in store::of_item(conn, &slot.item_id)? {
        if matches!(
            invitation.status,
            InvitationStatus::Invited | InvitationStatus::Confirmed
        ) {
            invitation.status = InvitationStatus::Cancelled;
            invitation.updated_at = ctx.now;
            store::update(conn, &invitation)?;
        }
    }
    Ok(())
}

fn cancel_holders(
    conn: &mut Conn,
    ctx: &Ctx,
    (session, meeting): (&Session, &Meeting),
    slot: &Slot,
    reason: &str,
) -> Result<(), AppError> {
    let sending = Sending {
        session,
        meeting,
        slot,
    };
    for hold in crate::holds::store::active_of_item(conn, &slot.item_id)? {
        let Some((invitation, speaker)) = holder(conn, &hold)? else {
            continue;
        };
        let notice = SlotCancelled {
            name: speaker.fields.name.clone(),
            slot: sending.summary(conn, ctx, invitation.role)?,
            reason: reason.to_string(),
        };
        sending.send(conn, ctx, (&invitation, &speaker), Method::Cancel, &notice)?;
    }
    Ok(())
}

/// The session was cancelled (a CANCEL to every slot's holder) or its time, title or place
/// changed (an update to each).
fn session_changed(
    conn: &mut Conn,
    ctx: &Ctx,
    session_id: &str,
    cancelled: bool,
) -> Result<(), AppError> {
    let holds = crate::holds::store::active_slots_of_session(conn, session_id)?;
    if holds.is_empty() {
        return Ok(());
    }
    let (session, meeting) = session_and_meeting(conn, session_id)?;
    if !cancelled && session.status != SessionStatus::Scheduled {
        return Ok(());
    }
    let slots = of_session(conn, session_id)?;
    let reason = session.cancel_reason.clone().unwrap_or_default();
    let mut items: Vec<&str> = holds.iter().filter_map(|h| h.item_id.as_deref()).collect();
    items.dedup();
    for slot in slots.iter().filter(|s| items.contains(&s.item_id.as_str())) {
        match cancelled {
            true => cancel_holders(conn, ctx, (&session, &meeting), slot, &reason)?,
            false => update_holders(conn, ctx, (&session, &meeting), slot, &slot.item_id)?,
        }
    }
    Ok(())
}

/// The invitation and speaker behind a slot's hold.
fn holder(conn: &mut Conn, hold: &Hold) -> Result<Option<(Invitation, Speaker)>, AppError> {
    let Some(invitation) = store::find(conn, &hold.record_id)? else {
        return Ok(None);
    };
    let speaker = crate::speakers::store::find(conn, &invitation.speaker_id)?;
    Ok(speaker.map(|s| (invitation, s)))
}

/// The speakers of an approved agenda changed: it needs approval again before the public
/// programme names them (the public page keeps the approved version until then).
pub fn reopen_agenda(conn: &mut Conn, ctx: &Ctx, session_id: &str) -> Result<(), AppError> {
    use crate::agendas::domain::AgendaStatus;
    crate::agendas::store::lock(conn, session_id)?;
    if let Some(mut agenda) = crate::agendas::store::find(conn, session_id)? {
        if agenda.status == AgendaStatus::Approved {
            agenda.status = AgendaStatus::Draft;
            agenda.updated_at = ctx.now;
            crate::agendas::store::update(conn, &agenda)?;
        }
    }
    Ok(())
}
