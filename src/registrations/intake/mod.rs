//! The intake of new registrations: a delegate's registration placed under its session's lock
//! (confirmed while seats last, then waitlisted in arrival order, or pending where the session
//! needs approval), alone from the command line or batched with its session's others for a
//! request (see `db::group`).
//!
//! The registrations of one batch share what they read under the session's lock (`Intake`): the
//! session, its meeting and place, the next arrival number, and per attendance mode the seats
//! taken and the waiting list's length, kept up to date as each is placed. So a batch reads them
//! once, and each registration costs only its own writes.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

use serde_json::json;

use super::domain::{
    admission, placement, Approval, Attendance, Delegate, Registration, RegistrationId, Seats,
    Status, Taken,
};
use super::input::RegistrationInput;
use super::notices::{self, Context};
use super::service::{fill, session_and_meeting, validate, Placed};
use super::store;
use crate::access::User;
use crate::audit::Actor;
use crate::countries::CountryGroup;
use crate::db::group::Shared;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::holds::domain::Place;
use crate::meetings::domain::Meeting;
use crate::sessions::domain::Session;
use crate::state::AppState;

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
        let mut shared = Shared::default();
        place_new(
            (conn, &mut shared),
            ctx,
            session_id,
            &delegate,
            (group, lang),
        )
    });
    match placed {
        // A twin committed between our lookup and insert; answer theirs.
        Err(e) if e.is_unique_violation() => twin(conn, session_id, &delegate.email, e),
        other => other,
    }
}

/// The registration of this email a twin request committed between our lookup and our insert
/// (on another instance), answered as found; `error` when there is none after all.
fn twin(
    conn: &mut Conn,
    session_id: &str,
    email: &str,
    error: AppError,
) -> Result<Placed, AppError> {
    let registration = store::find_by_email(conn, session_id, email)?.ok_or(error)?;
    Placed::found(conn, registration)
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
        .submit(&state.pool, key, move |conn, shared| {
            place_new((conn, shared), &ctx, &id, &who, (group, lang))
        })
        .await;
    match placed {
        // A twin committed on another instance between our lookup and insert; answer theirs.
        Err(e) if e.is_unique_violation() => {
            db::run(&state.pool, move |conn| {
                twin(conn, &session_id, &delegate.email, e)
            })
            .await
        }
        other => other,
    }
}

/// What the registrations of one batch read under the session's lock, kept up to date as each
/// is placed.
struct Intake {
    session: Session,
    meeting: Meeting,
    place: Place,
    /// The arrival number of the next registration.
    arrival: i32,
    seats: HashMap<Attendance, Tally>,
}

/// One attendance mode's seats as the batch found them after filling free ones, and since.
struct Tally {
    /// The seats this was counted for; a reservation ending mid-batch counts again.
    seats: Seats,
    taken: Taken,
    waiting: i64,
}

impl Intake {
    /// Locks the session (its registrations are placed one at a time) and reads it.
    fn load(conn: &mut Conn, ctx: &Ctx, session_id: &str) -> Result<Intake, AppError> {
        store::lock_session(conn, session_id)?;
        let (session, meeting) = session_and_meeting(conn, session_id)?;
        let place = crate::holds::service::place(conn, &session, &meeting)?;
        let arrival = store::next_arrival(conn, session_id)?;
        let _ = ctx;
        Ok(Intake {
            session,
            meeting,
            place,
            arrival,
            seats: HashMap::new(),
        })
    }
}

fn place_new(
    (conn, shared): (&mut Conn, &mut Shared),
    ctx: &Ctx,
    session_id: &str,
    delegate: &Delegate,
    (group, lang): (CountryGroup, &str),
) -> Result<Placed, AppError> {
    let intake = shared.get_or_load(|| Intake::load(conn, ctx, session_id))?;
    let Intake {
        session,
        meeting,
        place,
        arrival,
        seats,
    } = intake;
    admission(session.status, &session.fields, ctx.now)?;
    // Straight through a batch, the same email registered before (or twice in the batch) breaks
    // the unique index when the rows are written, and the batch runs again one by one, looking.
    if !db::deferred::holding() {
        if let Some(registration) = store::find_by_email(conn, session_id, &delegate.email)? {
            return Placed::found(conn, registration);
        }
    }
    let cx = Context {
        ctx,
        session,
        meeting,
        place: Cow::Borrowed(place),
    };
    let tally = tally(conn, &cx, seats, delegate.attendance)?;
    let registration = admit(conn, &cx, delegate, (group, lang), (tally.taken, *arrival))?;
    *arrival += 1;
    let position = match registration.status {
        Status::Confirmed => {
            tally.taken.add(group);
            None
        }
        Status::Waitlisted => {
            tally.waiting += 1;
            Some(tally.waiting)
        }
        _ => None,
    };
    notices::placed(conn, &cx, &registration, position)?;
    Ok(Placed {
        registration,
        position,
        created: true,
    })
}

/// The seats of one attendance mode, counted after free ones went to the waiting list; counted
/// once per batch, and again if the seats changed since (a reservation ended).
fn tally<'t>(
    conn: &mut Conn,
    cx: &Context,
    tallies: &'t mut HashMap<Attendance, Tally>,
    attendance: Attendance,
) -> Result<&'t mut Tally, AppError> {
    let seats = Seats::of(&cx.session.fields, attendance, cx.ctx.now);
    Ok(match tallies.entry(attendance) {
        Entry::Occupied(entry) if entry.get().seats == seats => entry.into_mut(),
        Entry::Occupied(mut entry) => {
            entry.insert(count(conn, cx, attendance, seats)?);
            entry.into_mut()
        }
        Entry::Vacant(entry) => entry.insert(count(conn, cx, attendance, seats)?),
    })
}

/// One attendance mode's seats, free ones filled from the waiting list first.
fn count(
    conn: &mut Conn,
    cx: &Context,
    attendance: Attendance,
    seats: Seats,
) -> Result<Tally, AppError> {
    let taken = fill(conn, cx, attendance)?;
    let waiting = store::waiting_count(conn, &cx.session.id, attendance)?;
    Ok(Tally {
        seats,
        taken,
        waiting,
    })
}

/// The active account with this email, whose own registration may need no approval.
fn own_account(conn: &mut Conn, email: &str) -> Result<Option<User>, AppError> {
    Ok(crate::accounts::store::find_by_email(conn, email)?
        .filter(|row| row.active)
        .map(User::from))
}

/// Places and stores a new registration, with its audit event, given the seats taken so far and
/// its arrival number.
fn admit(
    conn: &mut Conn,
    cx: &Context,
    delegate: &Delegate,
    (group, lang): (CountryGroup, &str),
    (taken, arrival): (Taken, i32),
) -> Result<Registration, AppError> {
    let session = cx.session;
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
        arrival,
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
