//! Use cases of invitations: an organiser invites a speaker to a slot (the speaker is emailed a
//! secret link); the speaker confirms (the slot's calendar invitation follows; an overlapping
//! confirmed slot in any session refuses it, decided under a lock per speaker), declines with a
//! reason, withdraws, and gives travel details.

use serde_json::json;

use super::domain::{
    overlap, takes_speakers, Invitation, InvitationError, InvitationId, InvitationStatus, Slot,
    SlotRole, Travel,
};
use super::notices::{self, Answered, Confirmed, Invited, Withdrawn};
use super::slots::{self, Sending};
use super::store;
use crate::access::domain::{parse_roles, Role, User};
use crate::audit::Actor;
use crate::calendar::Method;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::links::Purpose;
use crate::meetings::domain::Meeting;
use crate::sessions::domain::{Session, SessionStatus};
use crate::speakers::domain::Speaker;

impl From<InvitationError> for AppError {
    fn from(e: InvitationError) -> AppError {
        match e {
            InvitationError::NotASlot => AppError::invalid("item_id", e.to_string()),
            InvitationError::Overlap(ref other) => AppError::Conflict(
                e.to_string(),
                Some(
                    json!({"conflicts": [{"session_id": other.session_id, "item_id": other.item_id,
                    "title": other.title, "starts_at": other.starts_at, "ends_at": other.ends_at}]}),
                ),
            ),
            other => AppError::conflict(other.to_string()),
        }
    }
}

/// The speaker's page behind a token.
pub fn page_link(ctx: &Ctx, token: &str) -> String {
    format!("{}/invitations/{token}", ctx.settings.base_url())
}

/// An invitation with everything its pages and emails show.
#[derive(Debug, Clone)]
pub struct Full {
    pub invitation: Invitation,
    pub speaker: Speaker,
    pub session: Session,
    pub meeting: Meeting,
    pub slot: Slot,
}

fn full(conn: &mut Conn, invitation: Invitation) -> Result<Full, AppError> {
    let speaker =
        crate::speakers::store::find(conn, &invitation.speaker_id)?.ok_or(AppError::NotFound)?;
    let (session, meeting) = slots::session_and_meeting(conn, &invitation.session_id)?;
    let slot = slots::find(conn, &invitation.session_id, &invitation.item_id)?;
    Ok(Full {
        invitation,
        speaker,
        session,
        meeting,
        slot,
    })
}

fn audit(conn: &mut Conn, actor: &Actor, action: &str, i: &Invitation) -> Result<(), AppError> {
    let changes = json!({"status": i.status, "item_id": i.item_id, "role": i.role});
    Ok(crate::audit::store::record(
        conn,
        actor,
        action,
        "invitation",
        &i.id,
        changes,
    )?)
}

/// Invites a speaker to a slot of the working copy: the speaker is emailed ("Action required")
/// a secret link to answer. 409 when they were invited to it already.
pub fn invite(
    conn: &mut Conn,
    ctx: &Ctx,
    user: &User,
    (session_id, item_id): (&str, &str),
    (speaker_id, role): (String, SlotRole),
) -> Result<Invitation, AppError> {
    db::write(conn, |conn| {
        let (session, meeting) = slots::session_and_meeting(conn, session_id)?;
        if session.status == SessionStatus::Cancelled {
            return Err(AppError::conflict("the session is cancelled"));
        }
        let slot = slots::find(conn, session_id, item_id)?;
        takes_speakers(slot.kind)?;
        let speaker = crate::speakers::store::find(conn, &speaker_id)?
            .ok_or_else(|| AppError::invalid("speaker_id", "no speaker has this id"))?;
        if let Some(earlier) = store::of_slot_and_speaker(conn, item_id, &speaker_id)? {
            let detail = format!(
                "this speaker is invited to this slot already ({})",
                earlier.status
            );
            return Err(AppError::Conflict(
                detail,
                Some(json!({"invitation_id": earlier.id})),
            ));
        }
        let invitation = new_invitation(ctx, user, &slot, (&speaker, role));
        store::insert(conn, &invitation)?;
        audit(
            conn,
            &Actor::User(user.id.clone()),
            "invitation.created",
            &invitation,
        )?;
        let token = crate::links::store::issue(
            conn,
            Purpose::SpeakerInvitation,
            &invitation.id,
            None,
            ctx.now,
        )?;
        let sending = Sending {
            session: &session,
            meeting: &meeting,
            slot: &slot,
        };
        let notice = Invited {
            name: speaker.fields.name.clone(),
            slot: sending.summary(conn, ctx, role)?,
            link: page_link(ctx, &token),
        };
        let to = (speaker.fields.email.as_str(), speaker.fields.name.as_str());
        notices::send(conn, &ctx.settings, to, &invitation.id, &notice)?;
        Ok(invitation)
    })
}

fn new_invitation(
    ctx: &Ctx,
    user: &User,
    slot: &Slot,
    (speaker, role): (&Speaker, SlotRole),
) -> Invitation {
    Invitation {
        id: InvitationId::random(),
        session_id: slot.session_id.clone(),
        item_id: slot.item_id.clone(),
        speaker_id: speaker.id.clone(),
        role,
        status: InvitationStatus::Invited,
        reason: None,
        invited_by: user.id.clone(),
        invited_at: ctx.now,
        responded_at: None,
        reminders_sent: 0,
        last_reminded_at: None,
        travel: Travel::default(),
        updated_at: ctx.now,
    }
}

/// The invitation a live token opens; 404 for any other token.
pub fn by_token(conn: &mut Conn, ctx: &Ctx, token: &str) -> Result<Full, AppError> {
    let link = crate::links::store::resolve(conn, Purpose::SpeakerInvitation, token, ctx.now)?
        .ok_or(AppError::NotFound)?;
    let invitation = store::find(conn, &link.record_id)?.ok_or(AppError::NotFound)?;
    full(conn, invitation)
}

/// One invitation of a session, for its organisers.
pub fn of_session(conn: &mut Conn, session_id: &str, id: &str) -> Result<Full, AppError> {
    let invitation = store::find(conn, id)?
        .filter(|i| i.session_id.as_str() == session_id)
        .ok_or(AppError::NotFound)?;
    full(conn, invitation)
}

fn actor(i: &Invitation) -> Actor {
    Actor::Link("invitation", i.id.to_string())
}

/// The speaker confirms: the slot's REQUEST is sent (ORGANIZER the sender, ATTENDEE the
/// speaker). Refused (409, naming it) when the speaker is confirmed for an overlapping slot in
/// any session; decided under the speaker's lock, so of two racing confirmations one wins.
/// Confirming again answers the invitation as it is.
pub fn confirm(conn: &mut Conn, ctx: &Ctx, token: &str) -> Result<Full, AppError> {
    db::write(conn, |conn| {
        let mut f = by_token(conn, ctx, token)?;
        store::lock_speaker(conn, &f.speaker.id)?;
        f.invitation = store::find(conn, &f.invitation.id)?.ok_or(AppError::NotFound)?;
        if f.invitation.status == InvitationStatus::Confirmed {
            return Ok(f);
        }
        if f.session.status == SessionStatus::Cancelled {
            return Err(AppError::conflict("the session is cancelled"));
        }
        f.invitation.status = f.invitation.status.confirm()?;
        refuse_overlap(conn, &f)?;
        answered(&mut f.invitation, ctx, None);
        store::update(conn, &f.invitation)?;
        audit(
            conn,
            &actor(&f.invitation),
            "invitation.confirmed",
            &f.invitation,
        )?;
        let sending = Sending {
            session: &f.session,
            meeting: &f.meeting,
            slot: &f.slot,
        };
        let notice = Confirmed {
            name: f.speaker.fields.name.clone(),
            slot: sending.summary(conn, ctx, f.invitation.role)?,
            link: page_link(ctx, token),
        };
        sending.send(
            conn,
            ctx,
            (&f.invitation, &f.speaker),
            Method::Request,
            &notice,
        )?;
        slots::reopen_agenda(conn, ctx, &f.session.id)?;
        Ok(f)
    })
}

/// 409 naming the speaker's other confirmed slot that overlaps this one, in any session.
fn refuse_overlap(conn: &mut Conn, f: &Full) -> Result<(), AppError> {
    let mut mine = Vec::new();
    for other in store::of_speaker(conn, &f.speaker.id, InvitationStatus::Confirmed)? {
        if let Ok(slot) = slots::find(conn, &other.session_id, &other.item_id) {
            mine.push(slot);
        }
    }
    let Some(clash) = overlap(&f.slot, &mine) else {
        return Ok(());
    };
    let (session, meeting) = slots::session_and_meeting(conn, &clash.session_id)?;
    let when = crate::web::local_span(meeting.timezone, clash.starts_at, clash.ends_at);
    let detail = format!(
        "you are confirmed already for “{}” in “{}”, {when} ({}), which overlaps this slot",
        clash.title,
        session.fields.title,
        meeting.timezone.name()
    );
    let AppError::Conflict(_, body) =
        AppError::from(InvitationError::Overlap(Box::new(clash.clone())))
    else {
        return Err(AppError::conflict(detail));
    };
    Err(AppError::Conflict(detail, body))
}

fn answered(invitation: &mut Invitation, ctx: &Ctx, reason: Option<String>) {
    invitation.reason = reason;
    invitation.responded_at = Some(ctx.now);
    invitation.updated_at = ctx.now;
}

/// The speaker declines with a reason; the organisers are told.
pub fn decline(conn: &mut Conn, ctx: &Ctx, token: &str, reason: String) -> Result<Full, AppError> {
    db::write(conn, |conn| {
        let mut f = by_token(conn, ctx, token)?;
        f.invitation.status = f.invitation.status.decline()?;
        answered(&mut f.invitation, ctx, Some(reason.clone()));
        store::update(conn, &f.invitation)?;
        audit(
            conn,
            &actor(&f.invitation),
            "invitation.declined",
            &f.invitation,
        )?;
        tell_organisers(conn, ctx, &f, "speakers_answer_declined")?;
        Ok(f)
    })
}

/// The speaker withdraws after confirming: the slot's CANCEL is sent and the organisers told.
pub fn withdraw(
    conn: &mut Conn,
    ctx: &Ctx,
    token: &str,
    reason: Option<String>,
) -> Result<Full, AppError> {
    db::write(conn, |conn| {
        let mut f = by_token(conn, ctx, token)?;
        store::lock_speaker(conn, &f.speaker.id)?;
        f.invitation.status = f.invitation.status.withdraw()?;
        answered(&mut f.invitation, ctx, reason.clone());
        store::update(conn, &f.invitation)?;
        audit(
            conn,
            &actor(&f.invitation),
            "invitation.withdrawn",
            &f.invitation,
        )?;
        let sending = Sending {
            session: &f.session,
            meeting: &f.meeting,
            slot: &f.slot,
        };
        let notice = Withdrawn {
            name: f.speaker.fields.name.clone(),
            slot: sending.summary(conn, ctx, f.invitation.role)?,
            link: page_link(ctx, token),
        };
        sending.send(
            conn,
            ctx,
            (&f.invitation, &f.speaker),
            Method::Cancel,
            &notice,
        )?;
        tell_organisers(conn, ctx, &f, "speakers_answer_withdrawn")?;
        slots::reopen_agenda(conn, ctx, &f.session.id)?;
        Ok(f)
    })
}

/// Emails every organiser (active accounts holding the role) a speaker's answer.
fn tell_organisers(conn: &mut Conn, ctx: &Ctx, f: &Full, answer: &str) -> Result<(), AppError> {
    let sending = Sending {
        session: &f.session,
        meeting: &f.meeting,
        slot: &f.slot,
    };
    let summary = sending.summary(conn, ctx, f.invitation.role)?;
    let board = format!(
        "{}/sessions/{}/speakers",
        ctx.settings.base_url(),
        f.session.id
    );
    for (_, email, name, roles) in crate::agendas::store::organiser_candidates(conn)? {
        if !parse_roles(&roles).contains(&Role::Organiser) {
            continue;
        }
        let notice = Answered {
            name: name.clone(),
            slot: summary.clone(),
            speaker: format!("{} <{}>", f.speaker.fields.name, f.speaker.fields.email),
            answer: crate::i18n::text("en", answer),
            reason: f.invitation.reason.clone().unwrap_or_default(),
            board: board.clone(),
        };
        notices::send(
            conn,
            &ctx.settings,
            (&email, &name),
            &f.invitation.id,
            &notice,
        )?;
    }
    Ok(())
}

/// The speaker (through their link) or an organiser gives travel and dispatch details.
pub fn set_travel(
    conn: &mut Conn,
    ctx: &Ctx,
    (invitation_id, actor): (&str, &Actor),
    mut travel: Travel,
) -> Result<Invitation, AppError> {
    db::write(conn, |conn| {
        let mut invitation = store::find(conn, invitation_id)?.ok_or(AppError::NotFound)?;
        travel.updated_at = Some(ctx.now);
        invitation.travel = travel.clone();
        invitation.updated_at = ctx.now;
        store::update(conn, &invitation)?;
        let changes = json!({"travel": invitation.travel});
        crate::audit::store::record(
            conn,
            actor,
            "invitation.travel",
            "invitation",
            invitation_id,
            changes,
        )?;
        Ok(invitation)
    })
}

/// The speaker gives their travel details through their link.
pub fn travel_by_token(
    conn: &mut Conn,
    ctx: &Ctx,
    token: &str,
    travel: Travel,
) -> Result<Full, AppError> {
    let f = by_token(conn, ctx, token)?;
    let invitation = set_travel(conn, ctx, (&f.invitation.id, &actor(&f.invitation)), travel)?;
    Ok(Full { invitation, ..f })
}
