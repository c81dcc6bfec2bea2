//! Use cases of an organiser's registrations by hand. Each runs in one transaction under the
//! session's lock, records who did it in the audit trail and tells the delegate.

use serde_json::json;

use crate::access::User;
use crate::audit::Actor;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::registrations::domain::{seat, Delegate, Registration, RegistrationId, Seats, Status};
use crate::registrations::input::RegistrationInput;
use crate::registrations::notices::{self, Context};
use crate::registrations::service::{self as registrations, session_and_meeting, validate};
use crate::registrations::store;
use crate::sessions::domain::SessionStatus;

fn audit(
    conn: &mut Conn,
    user: &User,
    what: &str,
    id: &str,
    changes: serde_json::Value,
) -> Result<(), AppError> {
    let actor = Actor::User(user.id.clone());
    crate::audit::store::record(conn, &actor, what, "registration", id, changes)?;
    Ok(())
}

/// An organiser registers a delegate on their behalf: the registration window and approval do
/// not apply (the organiser decides), seats and the waiting list do. The delegate gets their
/// link by email. An email already registered for the session answers 409.
pub fn register_for(
    conn: &mut Conn,
    ctx: &Ctx,
    user: &User,
    session_id: &str,
    input: RegistrationInput,
) -> Result<Registration, AppError> {
    let (delegate, group) = validate(conn, ctx, input)?;
    db::write(conn, |conn| {
        let (session, meeting) = session_and_meeting(conn, session_id)?;
        if session.status != SessionStatus::Scheduled {
            return Err(AppError::conflict(
                "only a published, not cancelled, session takes registrations",
            ));
        }
        store::lock_session(conn, session_id)?;
        if store::find_by_email(conn, session_id, &delegate.email)?.is_some() {
            return Err(crate::input::Invalid::field(
                "email",
                "is already registered for this session",
            )
            .into());
        }
        let cx = Context::new(conn, ctx, &session, &meeting)?;
        let taken = registrations::fill(conn, &cx, delegate.attendance)?;
        let seats = Seats::of(&session.fields, delegate.attendance, ctx.now);
        let now = db::micros(ctx.now);
        let registration = Registration {
            id: RegistrationId::random(),
            session_id: session.id.clone(),
            arrival: store::next_arrival(conn, &session.id)?,
            delegate: delegate.clone(),
            country_group: group,
            status: seat(seats, group, taken),
            lang: "en".into(),
            decided_by: Some(user.id.clone()),
            decision_comment: None,
            decided_at: session.fields.approval_required.then_some(now),
            created_at: now,
            updated_at: now,
        };
        store::insert(conn, &registration)?;
        let changes = json!({"status": registration.status, "by_hand": true,
            "stakeholder_category": delegate.category, "attendance": delegate.attendance});
        audit(
            conn,
            user,
            "registration.created",
            &registration.id,
            changes,
        )?;
        let position = store::position_of(conn, &registration)?;
        notices::placed(conn, &cx, &registration, position)?;
        Ok(registration)
    })
}

/// One registration with its position, for the organiser's page.
pub fn find(conn: &mut Conn, id: &str) -> Result<(Registration, Option<i64>), AppError> {
    let registration = store::find(conn, id)?.ok_or(AppError::NotFound)?;
    let position = store::position_of(conn, &registration)?;
    Ok((registration, position))
}

/// An organiser corrects a delegate's details. How they attend, their place and their passport
/// details stay as they are (cancel and register again to change the attendance).
pub fn edit(
    conn: &mut Conn,
    ctx: &Ctx,
    user: &User,
    id: &str,
    input: RegistrationInput,
) -> Result<Registration, AppError> {
    let (delegate, group) = validate(conn, ctx, input)?;
    db::write(conn, |conn| {
        let mut registration = store::find(conn, id)?.ok_or(AppError::NotFound)?;
        let before = registration.delegate.clone();
        registration.delegate = Delegate {
            attendance: before.attendance,
            visa: before.visa.clone(),
            ..delegate.clone()
        };
        registration.country_group = group;
        registration.updated_at = db::micros(ctx.now);
        store::update(conn, &registration)?;
        let changes = json!({"email": {"from": before.email, "to": registration.delegate.email},
            "name": {"from": before.name, "to": registration.delegate.name}});
        audit(conn, user, "registration.edited", id, changes)?;
        Ok(registration)
    })
}

/// An organiser cancels a registration: the delegate is told and a freed seat goes to the
/// first waiting. Cancelling a cancelled one answers it as it is.
pub fn withdraw(
    conn: &mut Conn,
    ctx: &Ctx,
    user: &User,
    id: &str,
) -> Result<Registration, AppError> {
    let actor = Actor::User(user.id.clone());
    db::write(conn, |conn| {
        registrations::cancel_locked(conn, ctx, &actor, id)
    })
}

/// An organiser moves a waiting delegate to a seat, even past the capacity (their decision);
/// the delegate is told, with their invitation.
pub fn promote(
    conn: &mut Conn,
    ctx: &Ctx,
    user: &User,
    id: &str,
) -> Result<Registration, AppError> {
    db::write(conn, |conn| {
        let found = store::find(conn, id)?.ok_or(AppError::NotFound)?;
        store::lock_session(conn, &found.session_id)?;
        let mut registration = store::find(conn, id)?.ok_or(AppError::NotFound)?;
        if registration.status != Status::Waitlisted {
            return Err(AppError::conflict(
                "only a registration on the waiting list can be moved to a seat",
            ));
        }
        let (session, meeting) = session_and_meeting(conn, &registration.session_id)?;
        if session.status != SessionStatus::Scheduled {
            return Err(AppError::conflict("the session is not scheduled"));
        }
        let cx = Context::new(conn, ctx, &session, &meeting)?;
        registration.status = Status::Confirmed;
        registration.updated_at = db::micros(ctx.now);
        store::update(conn, &registration)?;
        let changes = json!({"status": {"from": "waitlisted", "to": "confirmed"}, "by_hand": true});
        audit(conn, user, "registration.promoted", id, changes)?;
        notices::promoted(conn, &cx, &registration)?;
        Ok(registration)
    })
}
