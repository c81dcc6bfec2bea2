//! Use cases of registrations: register, view, cancel, fill free seats from the waiting list.

use std::any::Any;

use serde_json::json;

use super::domain::{
    admission, cancellation, placement, promotions, Approval, Attendance, Delegate, Registration,
    RegistrationId, Seats, Status, Taken,
};
use super::input::RegistrationInput;
use super::notices::{self, Context};
use super::store;
use crate::access::User;
use crate::audit::Actor;
use crate::countries::CountryGroup;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::links::Purpose;
use crate::meetings::domain::Meeting;
use crate::sessions::domain::{Session, SessionChange, SessionEvent, SessionStatus};
use crate::state::AppState;

/// A registration and where it stands, as answered to the delegate.
#[derive(Debug, Clone)]
pub struct Placed {
    pub registration: Registration,
    pub position: Option<i64>,
    /// False when the email had registered already and the existing registration is answered.
    pub created: bool,
}

impl Placed {
    fn found(conn: &mut Conn, registration: Registration) -> Result<Placed, AppError> {
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

/// Registers a delegate: confirmed while seats last, then waitlisted in arrival order, or pending
/// where the session needs approval. The same email again answers the first registration.
pub fn register(
    conn: &mut Conn,
    ctx: &Ctx,
    session_id: &str,
    input: RegistrationInput,
    lang: &str,
) -> Result<Placed, AppError> {
    let (delegate, group) = validate(conn, ctx, input)?;
    let placed = db::write(conn, |conn| {
        place_new(conn, ctx, session_id, &delegate, (group, lang))
    });
    match placed {
        // A twin committed between our lookup and insert; answer theirs.
        Err(e) if e.is_unique_violation() => {
            let registration = store::find_by_email(conn, session_id, &delegate.email)?.ok_or(e)?;
            Placed::found(conn, registration)
        }
        other => other,
    }
}

/// `register` for a request: the placement joins the session's next batch of registrations
/// (see `db::group`), so a rush shares the session's lock and commits; the answer comes once the
/// batch has committed.
pub async fn register_grouped(
    state: &AppState,
    ctx: Ctx,
    session_id: String,
    input: RegistrationInput,
    lang: &'static str,
) -> Result<Placed, AppError> {
    let checking = ctx.clone();
    let (delegate, group) =
        db::run(&state.pool, move |conn| validate(conn, &checking, input)).await?;
    let (key, id, who) = (
        format!("registrations/{session_id}"),
        session_id.clone(),
        delegate.clone(),
    );
    let placed = state
        .groups
        .submit(&state.pool, key, move |conn| {
            place_new(conn, &ctx, &id, &who, (group, lang))
        })
        .await;
    match placed {
        // A twin committed on another instance between our lookup and insert; answer theirs.
        Err(e) if e.is_unique_violation() => {
            db::run(&state.pool, move |conn| {
                let found = store::find_by_email(conn, &session_id, &delegate.email)?;
                Placed::found(conn, found.ok_or(e)?)
            })
            .await
        }
        other => other,
    }
}

fn place_new(
    conn: &mut Conn,
    ctx: &Ctx,
    session_id: &str,
    delegate: &Delegate,
    (group, lang): (CountryGroup, &str),
) -> Result<Placed, AppError> {
    let (session, meeting) = open_session(conn, ctx, session_id)?;
    store::lock_session(conn, session_id)?;
    if let Some(registration) = store::find_by_email(conn, session_id, &delegate.email)? {
        return Placed::found(conn, registration);
    }
    let cx = Context::new(conn, ctx, &session, &meeting)?;
    let registration = admit(conn, &cx, delegate, group, lang)?;
    // The newest arrival is last on its waiting list: its position is the list's length.
    let position = match registration.status {
        Status::Waitlisted => Some(store::waiting_count(conn, session_id, delegate.attendance)?),
        _ => None,
    };
    notices::placed(conn, &cx, &registration, position)?;
    Ok(Placed {
        registration,
        position,
        created: true,
    })
}

/// The active account with this email, whose own registration may need no approval.
fn own_account(conn: &mut Conn, email: &str) -> Result<Option<User>, AppError> {
    Ok(crate::accounts::store::find_by_email(conn, email)?
        .filter(|row| row.active)
        .map(User::from))
}

/// Places and stores a new registration under the session's lock, with its audit event.
fn admit(
    conn: &mut Conn,
    cx: &Context,
    delegate: &Delegate,
    group: CountryGroup,
    lang: &str,
) -> Result<Registration, AppError> {
    let session = cx.session;
    let taken = fill(conn, cx, delegate.attendance)?;
    let account = match session.fields.approval_required {
        true => own_account(conn, &delegate.email)?,
        false => None,
    };
    let approval = Approval::of(session.fields.approval_required, account.as_ref());
    let seats = Seats::of(&session.fields, delegate.attendance, cx.ctx.now);
    let now = db::micros(cx.ctx.now);
    let registration = Registration {
        id: RegistrationId::random(),
        session_id: session.id.clone(),
        arrival: store::next_arrival(conn, &session.id)?,
        delegate: delegate.clone(),
        country_group: group,
        status: placement(&approval, seats, group, taken),
        lang: lang.to_string(),
        decided_by: approval.decided_by(),
        decision_comment: None,
        decided_at: None,
        created_at: now,
        updated_at: now,
    };
    store::insert(conn, &registration)?;
    audit_created(conn, &registration)?;
    Ok(registration)
}

fn audit_created(conn: &mut Conn, r: &Registration) -> Result<(), AppError> {
    let d = &r.delegate;
    let changes = json!({"status": r.status, "arrival": r.arrival, "country_group": r.country_group,
        "stakeholder_category": d.category, "attendance": d.attendance});
    let actor = Actor::Link("registration", r.id.to_string());
    crate::audit::store::record(
        conn,
        &actor,
        "registration.created",
        "registration",
        &r.id,
        changes,
    )?;
    Ok(())
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
