//! Use cases of registrations: register, view, cancel, fill free seats from the waiting list.

use std::any::Any;

use serde_json::json;

use super::domain::{
    admission, cancellation, promotions, Attendance, Delegate, Registration, Seats, Status, Taken,
};
use super::input::RegistrationInput;
use super::notices::{self, Context};
use super::store;
use crate::audit::Actor;
use crate::countries::CountryGroup;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::links::Purpose;
use crate::meetings::domain::Meeting;
use crate::sessions::domain::{Session, SessionChange, SessionEvent, SessionStatus};

/// A registration and where it stands, as answered to the delegate.
#[derive(Debug, Clone)]
pub struct Placed {
    pub registration: Registration,
    pub position: Option<i64>,
    /// False when the email had registered already and the existing registration is answered.
    pub created: bool,
}

impl Placed {
    pub fn found(conn: &mut Conn, registration: Registration) -> Result<Placed, AppError> {
        let position = store::position_of(conn, &registration)?;
        Ok(Placed {
            registration,
            position,
            created: false,
        })
    }
}

/// The session and its meeting, for a registration's emails.
pub fn session_and_meeting(conn: &mut Conn, id: &str) -> Result<(Session, Meeting), AppError> {
    let session = crate::sessions::store::find(conn, id)?.ok_or(AppError::NotFound)?;
    let meeting =
        crate::meetings::store::find(conn, &session.meeting_id)?.ok_or(AppError::NotFound)?;
    Ok((session, meeting))
}

/// The session, if it takes registrations at the context's instant.
pub fn open_session(conn: &mut Conn, ctx: &Ctx, id: &str) -> Result<(Session, Meeting), AppError> {
    let (session, meeting) = session_and_meeting(conn, id)?;
    admission(session.status, &session.fields, ctx.now)?;
    Ok((session, meeting))
}

pub fn validate(
    conn: &mut Conn,
    ctx: &Ctx,
    input: RegistrationInput,
) -> Result<(Delegate, CountryGroup), AppError> {
    let mut failure = None;
    let checked =
        input.validate(
            ctx.now.date_naive(),
            |typed| match crate::countries::service::resolve(conn, typed) {
                Ok(found) => found.map(|c| (c.alpha2, c.group)),
                Err(e) => {
                    failure = Some(e);
                    None
                }
            },
        );
    match failure {
        Some(e) => Err(e),
        None => Ok(checked?),
    }
}

/// Promotes the first waiting people of one attendance mode into free seats (call under the
/// session's lock) and answers the seats taken afterwards.
pub fn fill(conn: &mut Conn, cx: &Context, attendance: Attendance) -> Result<Taken, AppError> {
    let seats = Seats::of(&cx.session.fields, attendance, cx.ctx.now);
    let mut taken = store::taken(conn, &cx.session.id, attendance)?;
    if taken.total() >= seats.capacity || cx.session.status != SessionStatus::Scheduled {
        return Ok(taken);
    }
    // Only as many as there are free seats, and only of the groups a free seat may go to: the
    // rest of a long waiting list is never read.
    let free = i64::from(seats.capacity - taken.total());
    let groups = (!seats.has_seat_for(CountryGroup::Developed, taken))
        .then_some(&[CountryGroup::Developing, CountryGroup::Ldc][..]);
    let waiting = store::waiting(conn, &cx.session.id, attendance, (groups, free))?;
    let groups: Vec<CountryGroup> = waiting.iter().map(|r| r.country_group).collect();
    for index in promotions(seats, taken, &groups) {
        let mut registration = waiting[index].clone();
        registration.status = Status::Confirmed;
        registration.updated_at = db::micros(cx.ctx.now);
        store::update(conn, &registration)?;
        let changes = json!({"status": {"from": "waitlisted", "to": "confirmed"}});
        crate::audit::store::record(
            conn,
            &Actor::System,
            "registration.promoted",
            "registration",
            &registration.id,
            changes,
        )?;
        notices::promoted(conn, cx, &registration)?;
        taken.add(registration.country_group);
    }
    Ok(taken)
}

/// Follows a session: more seats go to the waiting list at once; when it is cancelled, those
/// still waiting or pending are told.
pub fn react(conn: &mut Conn, ctx: &Ctx, event: &dyn Any) -> Result<(), AppError> {
    let Some(event) = event.downcast_ref::<SessionEvent>() else {
        return Ok(());
    };
    let (session, meeting) = (&event.session, &event.meeting);
    match event.change {
        SessionChange::Cancelled => session_cancelled(conn, ctx, session, meeting),
        SessionChange::Edited { .. } => fill_free_seats(conn, ctx, session, meeting),
        SessionChange::Published => Ok(()),
    }
}

/// After a session's capacity or reservation changed (inside its transaction): fill free seats.
pub fn fill_free_seats(
    conn: &mut Conn,
    ctx: &Ctx,
    session: &Session,
    meeting: &Meeting,
) -> Result<(), AppError> {
    if session.status != SessionStatus::Scheduled {
        return Ok(());
    }
    store::lock_session(conn, &session.id)?;
    let cx = Context::new(conn, ctx, session, meeting)?;
    for attendance in Attendance::ALL {
        fill(conn, &cx, *attendance)?;
    }
    Ok(())
}

/// What staff should hear after a session's capacity changed: a sentence per attendance mode
/// that has more confirmed delegates than seats.
pub fn capacity_notices(
    conn: &mut Conn,
    ctx: &Ctx,
    session: &Session,
) -> Result<Vec<String>, AppError> {
    let mut notices = Vec::new();
    for attendance in Attendance::ALL {
        let seats = Seats::of(&session.fields, *attendance, ctx.now);
        let confirmed = store::taken(conn, &session.id, *attendance)?.total();
        notices.extend(super::domain::over_capacity(
            *attendance,
            seats.capacity,
            confirmed,
        ));
    }
    Ok(notices)
}

/// The session is cancelled (inside its transaction): those waiting or pending are told; the
/// confirmed already received the CANCEL of their invitation.
pub fn session_cancelled(
    conn: &mut Conn,
    ctx: &Ctx,
    session: &Session,
    meeting: &Meeting,
) -> Result<(), AppError> {
    let cx = Context::new(conn, ctx, session, meeting)?;
    for status in [Status::Waitlisted, Status::Pending] {
        for registration in &store::of_status(conn, &session.id, status)? {
            notices::session_cancelled(conn, &cx, registration)?;
        }
    }
    Ok(())
}

/// The registration a delegate's link opens, with its position and session.
pub fn by_token(
    conn: &mut Conn,
    ctx: &Ctx,
    token: &str,
) -> Result<(Placed, Session, Meeting), AppError> {
    let link = crate::links::store::resolve(conn, Purpose::Registration, token, ctx.now)?
        .ok_or(AppError::NotFound)?;
    let registration = store::find(conn, &link.record_id)?.ok_or(AppError::NotFound)?;
    let (session, meeting) = session_and_meeting(conn, &registration.session_id)?;
    Ok((Placed::found(conn, registration)?, session, meeting))
}

/// The delegate cancels: a CANCEL for a held invitation, and the first waiting person gets the seat.
pub fn cancel(conn: &mut Conn, ctx: &Ctx, token: &str) -> Result<Registration, AppError> {
    db::write(conn, |conn| {
        let link = crate::links::store::resolve(conn, Purpose::Registration, token, ctx.now)?
            .ok_or(AppError::NotFound)?;
        let actor = Actor::Link("registration", link.record_id.clone());
        cancel_locked(conn, ctx, &actor, &link.record_id)
    })
}

/// Cancels a registration (inside a transaction) for `actor`: the delegate is told and a freed
/// seat goes to the first waiting person.
pub fn cancel_locked(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    id: &str,
) -> Result<Registration, AppError> {
    let found = store::find(conn, id)?.ok_or(AppError::NotFound)?;
    store::lock_session(conn, &found.session_id)?;
    // Read again under the lock: a promotion may have changed it meanwhile.
    let mut registration = store::find(conn, &found.id)?.ok_or(AppError::NotFound)?;
    let Some(was) = cancellation(registration.status)? else {
        return Ok(registration);
    };
    let (session, meeting) = session_and_meeting(conn, &registration.session_id)?;
    let cx = Context::new(conn, ctx, &session, &meeting)?;
    registration.status = Status::Cancelled;
    registration.updated_at = db::micros(ctx.now);
    store::update(conn, &registration)?;
    let changes = json!({"status": {"from": was, "to": "cancelled"}});
    crate::audit::store::record(
        conn,
        actor,
        "registration.cancelled",
        "registration",
        &registration.id,
        changes,
    )?;
    notices::ended(conn, &cx, &registration, was)?;
    if was == Status::Confirmed && session.status == SessionStatus::Scheduled {
        fill(conn, &cx, registration.delegate.attendance)?;
    }
    Ok(registration)
}

/// Revokes a registration's links and emails the delegate a fresh one.
pub fn resend_link(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    id: &str,
) -> Result<Registration, AppError> {
    db::write(conn, |conn| {
        let registration = store::find(conn, id)?.ok_or(AppError::NotFound)?;
        let (session, meeting) = session_and_meeting(conn, &registration.session_id)?;
        let cx = Context::new(conn, ctx, &session, &meeting)?;
        notices::link_resent(conn, &cx, &registration)?;
        let changes = json!({"link": "resent"});
        crate::audit::store::record(
            conn,
            actor,
            "registration.link_resent",
            "registration",
            id,
            changes,
        )?;
        Ok(registration)
    })
}
