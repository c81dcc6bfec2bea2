//! Approvals and rejections by focal points and organisers, one or in bulk, and bulk emails.

use std::collections::BTreeSet;

use serde_json::json;

use super::domain::{batch, check_states, may_decide, ScopeOf};
use crate::access::User;
use crate::audit::Actor;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::links::Purpose;
use crate::mail::notice::Composed;
use crate::meetings::domain::Meeting;
use crate::registrations::domain::{
    seat, Registration, RegistrationError, RegistrationId, Seats, Status,
};
use crate::registrations::notices::{self, Context, Draft};
use crate::registrations::service::{fill, session_and_meeting};
use crate::registrations::store;
use crate::sessions::domain::{Session, SessionId, SessionStatus};

/// Who takes a decision, and what is recorded for it.
#[derive(Debug, Clone)]
pub struct Decider {
    pub actor: Actor,
    pub decided_by: String,
    /// The account whose scope is checked; None for a focal point's emailed link to one registration.
    pub user: Option<User>,
}

impl Decider {
    /// A signed-in focal point or organiser.
    pub fn account(user: User) -> Decider {
        Decider {
            actor: Actor::User(user.id.clone()),
            decided_by: user.id.clone(),
            user: Some(user),
        }
    }
}

/// Locks the sessions of the registrations, then reads them again and checks that every one
/// exists, lies in `session_id` (when given) and in the decider's scope; otherwise 404 for all.
fn locked_in_scope(
    conn: &mut Conn,
    user: Option<&User>,
    session_id: Option<&str>,
    ids: &[RegistrationId],
) -> Result<Vec<Registration>, AppError> {
    let first = store::many(conn, ids)?;
    let sessions: BTreeSet<SessionId> = first.iter().map(|r| r.session_id.clone()).collect();
    for session in &sessions {
        store::lock_session(conn, session)?;
    }
    let found = store::many(conn, ids)?;
    let every_one_allowed = found.len() == ids.len()
        && found.iter().all(|r| {
            session_id.is_none_or(|s| s == r.session_id.as_str())
                && user.is_none_or(|u| may_decide(u, ScopeOf::of(r)))
        });
    if every_one_allowed {
        Ok(found)
    } else {
        Err(AppError::NotFound)
    }
}

/// Approves or rejects registrations: all of them, or (outside scope, wrong state) none.
pub fn decide(
    conn: &mut Conn,
    ctx: &Ctx,
    decider: &Decider,
    session_id: Option<&str>,
    ids: &[RegistrationId],
    (approve, comment): (bool, Option<String>),
) -> Result<Vec<Registration>, AppError> {
    let ids = batch(ids)?;
    db::write(conn, |conn| {
        let found = locked_in_scope(conn, decider.user.as_ref(), session_id, &ids)?;
        check_states(&found, approve)?;
        let mut decided = Vec::new();
        for registration in found {
            let (session, meeting) = session_and_meeting(conn, &registration.session_id)?;
            let cx = Context::new(conn, ctx, &session, &meeting)?;
            let one = decide_one(conn, &cx, decider, registration, (approve, &comment))?;
            decided.push(one);
        }
        Ok(decided)
    })
}

fn decide_one(
    conn: &mut Conn,
    cx: &Context,
    decider: &Decider,
    mut registration: Registration,
    (approve, comment): (bool, &Option<String>),
) -> Result<Registration, AppError> {
    let session = cx.session;
    if approve && session.status != SessionStatus::Scheduled {
        return Err(RegistrationError::NotScheduled.into());
    }
    let (was, now) = (registration.status, cx.ctx.now);
    registration.status = if approve {
        let attendance = registration.delegate.attendance;
        let taken = store::taken(conn, &session.id, attendance)?;
        let seats = Seats::of(&session.fields, attendance, now);
        seat(seats, registration.country_group, taken)
    } else {
        Status::Rejected
    };
    registration.decided_by = Some(decider.decided_by.clone());
    registration.decision_comment = comment.clone().filter(|c| !c.trim().is_empty());
    registration.decided_at = Some(db::micros(now));
    registration.updated_at = db::micros(now);
    store::update(conn, &registration)?;
    audit_decided(conn, decider, &registration, was)?;
    crate::links::store::revoke(conn, Purpose::FocalPointDecision, &registration.id, now)?;
    tell(conn, cx, &registration, was)?;
    Ok(registration)
}

fn audit_decided(
    conn: &mut Conn,
    decider: &Decider,
    r: &Registration,
    was: Status,
) -> Result<(), AppError> {
    let action = if r.status == Status::Rejected {
        "registration.rejected"
    } else {
        "registration.approved"
    };
    let changes = json!({"status": {"from": was, "to": r.status}, "comment": r.decision_comment});
    crate::audit::store::record(conn, &decider.actor, action, "registration", &r.id, changes)?;
    Ok(())
}

/// The delegate hears the decision either way; a rejection frees any seat it held.
fn tell(
    conn: &mut Conn,
    cx: &Context,
    registration: &Registration,
    was: Status,
) -> Result<(), AppError> {
    if registration.status == Status::Rejected {
        notices::ended(conn, cx, registration, was)?;
        if was == Status::Confirmed {
            fill(conn, cx, registration.delegate.attendance)?;
        }
    } else {
        let position = store::position_of(conn, registration)?;
        notices::placed(conn, cx, registration, position)?;
    }
    Ok(())
}

/// The registration a focal point's emailed link opens, with its session.
pub fn by_decision_token(
    conn: &mut Conn,
    ctx: &Ctx,
    token: &str,
) -> Result<(String, Registration, Session, Meeting), AppError> {
    let link = crate::links::store::resolve(conn, Purpose::FocalPointDecision, token, ctx.now)?
        .ok_or(AppError::NotFound)?;
    let registration = store::find(conn, &link.record_id)?.ok_or(AppError::NotFound)?;
    let (session, meeting) = session_and_meeting(conn, &registration.session_id)?;
    Ok((link.id, registration, session, meeting))
}

/// A focal point decides from the link in their email; the link then opens nothing again.
pub fn decide_by_token(
    conn: &mut Conn,
    ctx: &Ctx,
    token: &str,
    decision: (bool, Option<String>),
) -> Result<Registration, AppError> {
    let (link_id, registration, _, _) = by_decision_token(conn, ctx, token)?;
    let decider = Decider {
        actor: Actor::Link("focal_point_decision", link_id.clone()),
        decided_by: format!("link:{link_id}"),
        user: None,
    };
    let ids = [registration.id];
    let mut decided = decide(conn, ctx, &decider, None, &ids, decision)?;
    decided.pop().ok_or(AppError::NotFound)
}

/// An organiser emails a group of a session's registrations (through the outbox); replies go
/// to the organiser.
pub fn email(
    conn: &mut Conn,
    ctx: &Ctx,
    organiser: &User,
    (session_id, ids): (&str, &[RegistrationId]),
    draft: &Draft,
) -> Result<usize, AppError> {
    let ids = batch(ids)?;
    db::write(conn, |conn| {
        let found = locked_in_scope(conn, Some(organiser), Some(session_id), &ids)?;
        let (session, meeting) = session_and_meeting(conn, session_id)?;
        let cx = Context::new(conn, ctx, &session, &meeting)?;
        for registration in &found {
            notices::message(conn, &cx, registration, draft, organiser)?;
        }
        let changes = json!({"subject": draft.subject, "recipients": found.len(),
            "greeting": draft.greeting});
        crate::audit::store::record(
            conn,
            &Actor::User(organiser.id.clone()),
            "registrations.emailed",
            "session",
            session_id,
            changes,
        )?;
        Ok(found.len())
    })
}

/// What a bulk email would look like: rendered for the first of the registrations (in arrival
/// order), with how many it would go to. Sends nothing.
pub fn preview(
    conn: &mut Conn,
    ctx: &Ctx,
    organiser: &User,
    (session_id, ids): (&str, &[RegistrationId]),
    draft: &Draft,
) -> Result<(Composed, Registration, usize), AppError> {
    let ids = batch(ids)?;
    let found = store::many(conn, &ids)?;
    let allowed = found.len() == ids.len()
        && found
            .iter()
            .all(|r| r.session_id.as_str() == session_id && may_decide(organiser, ScopeOf::of(r)));
    if !allowed {
        return Err(AppError::NotFound);
    }
    let first = found
        .into_iter()
        .min_by_key(|r| r.arrival)
        .ok_or(AppError::NotFound)?;
    let (session, meeting) = session_and_meeting(conn, session_id)?;
    let cx = Context::new(conn, ctx, &session, &meeting)?;
    let mail = notices::preview(&cx, &first, draft)?;
    Ok((mail, first, ids.len()))
}
