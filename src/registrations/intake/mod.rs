//! The intake of new registrations: a delegate's registration placed under its session's lock
//! (confirmed while seats last, then waitlisted in arrival order, or pending where the session
//! needs approval), alone from the command line or batched with its session's others for a
//! request (see `db::group`).

use serde_json::json;

use super::domain::{placement, Approval, Delegate, Registration, RegistrationId, Seats, Status};
use super::input::RegistrationInput;
use super::notices::{self, Context};
use super::service::{fill, open_session, validate, Placed};
use super::store;
use crate::access::User;
use crate::audit::Actor;
use crate::countries::CountryGroup;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
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
        place_new(conn, ctx, session_id, &delegate, (group, lang))
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
        .submit(&state.pool, key, move |conn| {
            place_new(conn, &ctx, &id, &who, (group, lang))
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
