//! Approvals and rejections by focal points and organisers, one or in bulk, and bulk emails.

use std::collections::BTreeSet;

use chrono::Utc;
use serde_json::json;

use crate::access::User;
use crate::audit::{self, Actor};
use crate::config::Settings;
use crate::db::{self, Conn};
use crate::error::AppError;
use crate::links::{self, Purpose};
use crate::meetings::domain::Meeting;
use crate::registrations::domain::{
    decision, may_decide, placement, Registration, ScopeOf, Seats, Status,
};
use crate::registrations::notify::{self, Context};
use crate::registrations::service::{fill, session_and_meeting};
use crate::registrations::store;
use crate::sessions::domain::{Session, SessionStatus};

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

/// The registration's scope, as `may_decide` judges it.
pub fn scope_of(r: &Registration) -> ScopeOf<'_> {
    ScopeOf {
        country: &r.delegate.country,
        organisation: &r.delegate.organisation,
    }
}

fn unique(ids: &[String]) -> Result<Vec<String>, AppError> {
    let ids: Vec<String> = ids
        .iter()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if ids.is_empty() {
        return Err(AppError::invalid("ids", "name at least one registration"));
    }
    if ids.len() > 1000 {
        return Err(AppError::invalid(
            "ids",
            "at most 1000 registrations at once",
        ));
    }
    Ok(ids)
}

/// Locks the sessions of the registrations, then reads them again and checks that every one
/// exists, lies in `session_id` (when given) and in the decider's scope; otherwise 404 for all.
fn locked_in_scope(
    conn: &mut Conn,
    user: Option<&User>,
    session_id: Option<&str>,
    ids: &[String],
) -> Result<Vec<Registration>, AppError> {
    let first = store::many(conn, ids)?;
    let sessions: BTreeSet<String> = first.iter().map(|r| r.session_id.clone()).collect();
    for session in &sessions {
        store::lock_session(conn, session)?;
    }
    let found = store::many(conn, ids)?;
    let every_one_allowed = found.len() == ids.len()
        && found.iter().all(|r| {
            session_id.is_none_or(|s| s == r.session_id)
                && user.is_none_or(|u| may_decide(u, scope_of(r)))
        });
    if every_one_allowed {
        Ok(found)
    } else {
        Err(AppError::NotFound)
    }
}

/// 409 naming every registration the decision cannot apply to.
fn refuse_wrong_states(found: &[Registration], approve: bool) -> Result<(), AppError> {
    let refused: Vec<&str> = found
        .iter()
        .filter(|r| decision(r.status, approve).is_err())
        .map(|r| r.id.as_str())
        .collect();
    if refused.is_empty() {
        return Ok(());
    }
    let what = if approve {
        "only pending registrations can be approved"
    } else {
        "cancelled or rejected registrations cannot be rejected"
    };
    Err(AppError::Conflict(
        what.into(),
        Some(json!({"ids": refused})),
    ))
}

/// Approves or rejects registrations: all of them, or (outside scope, wrong state) none.
pub fn decide(
    conn: &mut Conn,
    settings: &Settings,
    decider: &Decider,
    session_id: Option<&str>,
    ids: &[String],
    approve: bool,
    comment: Option<String>,
) -> Result<Vec<Registration>, AppError> {
    let ids = unique(ids)?;
    db::write(conn, |conn| {
        let found = locked_in_scope(conn, decider.user.as_ref(), session_id, &ids)?;
        refuse_wrong_states(&found, approve)?;
        let mut decided = Vec::new();
        for registration in found {
            let (session, meeting) = session_and_meeting(conn, &registration.session_id)?;
            let one = decide_one(
                conn,
                settings,
                (&session, &meeting),
                decider,
                registration,
                approve,
                comment.clone(),
            )?;
            decided.push(one);
        }
        Ok(decided)
    })
}

fn decide_one(
    conn: &mut Conn,
    settings: &Settings,
    (session, meeting): (&Session, &Meeting),
    decider: &Decider,
    mut registration: Registration,
    approve: bool,
    comment: Option<String>,
) -> Result<Registration, AppError> {
    let cx = Context {
        settings,
        session,
        meeting,
    };
    if approve && session.status != SessionStatus::Scheduled {
        return Err(AppError::conflict("the session is not scheduled"));
    }
    let was = registration.status;
    let now = Utc::now();
    registration.status = if approve {
        let attendance = registration.delegate.attendance;
        let taken = store::taken(conn, &session.id, attendance)?;
        placement(
            false,
            Seats::of(&session.fields, attendance, now),
            registration.country_group,
            taken,
        )
    } else {
        Status::Rejected
    };
    registration.decided_by = Some(decider.decided_by.clone());
    registration.decision_comment = comment.filter(|c| !c.trim().is_empty());
    registration.decided_at = Some(db::micros(now));
    registration.updated_at = db::micros(now);
    store::update(conn, &registration)?;
    let action = if approve {
        "registration.approved"
    } else {
        "registration.rejected"
    };
    let changes = json!({"status": {"from": was, "to": registration.status}, "comment": registration.decision_comment});
    audit::store::record(
        conn,
        &decider.actor,
        action,
        "registration",
        &registration.id,
        changes,
    )?;
    links::store::revoke(conn, Purpose::FocalPointDecision, &registration.id, now)?;
    tell(conn, &cx, &registration, was)?;
    Ok(registration)
}

/// The delegate hears the decision either way; a rejection frees any seat it held.
fn tell(
    conn: &mut Conn,
    cx: &Context,
    registration: &Registration,
    was: Status,
) -> Result<(), AppError> {
    if registration.status == Status::Rejected {
        notify::ended(conn, cx, registration, was, "registration_rejected")?;
        if was == Status::Confirmed {
            fill(conn, cx, registration.delegate.attendance)?;
        }
    } else {
        let position = store::position_of(conn, registration)?;
        notify::placed(conn, cx, registration, position)?;
    }
    Ok(())
}

/// The registration a focal point's emailed link opens, with its session.
pub fn by_decision_token(
    conn: &mut Conn,
    token: &str,
) -> Result<(String, Registration, Session, Meeting), AppError> {
    let link = links::store::resolve(conn, Purpose::FocalPointDecision, token, Utc::now())?
        .ok_or(AppError::NotFound)?;
    let registration = store::find(conn, &link.record_id)?.ok_or(AppError::NotFound)?;
    let (session, meeting) = session_and_meeting(conn, &registration.session_id)?;
    Ok((link.id, registration, session, meeting))
}

/// A focal point decides from the link in their email; the link then opens nothing again.
pub fn decide_by_token(
    conn: &mut Conn,
    settings: &Settings,
    token: &str,
    approve: bool,
    comment: Option<String>,
) -> Result<Registration, AppError> {
    let (link_id, registration, _, _) = by_decision_token(conn, token)?;
    let decider = Decider {
        actor: Actor::Link("focal_point_decision", link_id.clone()),
        decided_by: format!("link:{link_id}"),
        user: None,
    };
    let mut decided = decide(
        conn,
        settings,
        &decider,
        None,
        &[registration.id],
        approve,
        comment,
    )?;
    decided.pop().ok_or(AppError::NotFound)
}

/// An organiser emails a group of a session's registrations (through the outbox).
pub fn email(
    conn: &mut Conn,
    settings: &Settings,
    organiser: &User,
    session_id: &str,
    ids: &[String],
    (subject, message): (String, String),
) -> Result<usize, AppError> {
    let ids = unique(ids)?;
    db::write(conn, |conn| {
        let found = locked_in_scope(conn, Some(organiser), Some(session_id), &ids)?;
        let (session, meeting) = session_and_meeting(conn, session_id)?;
        let cx = Context {
            settings,
            session: &session,
            meeting: &meeting,
        };
        for registration in &found {
            notify::message(conn, &cx, registration, &subject, &message)?;
        }
        let changes = json!({"subject": subject, "recipients": found.len()});
        audit::store::record(
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
