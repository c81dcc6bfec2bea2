//! Use cases of registrations: register, view, cancel, fill free seats from the waiting list.

use chrono::Utc;
use serde_json::json;
use uuid::Uuid;

use super::domain::{
    placement, promotions, Attendance, Delegate, Registration, Seats, Status, Taken,
};
use super::input::RegistrationInput;
use super::notify::{self, Context};
use super::store;
use crate::audit::{self, Actor};
use crate::auth::links::{self, Purpose};
use crate::auth::Role;
use crate::config::Settings;
use crate::countries::{self, CountryGroup};
use crate::db::{self, Conn};
use crate::error::AppError;
use crate::meetings::{self, domain::Meeting};
use crate::sessions::{self, domain::Session, domain::SessionStatus};

/// A registration and where it stands, as answered to the delegate.
#[derive(Debug, Clone)]
pub struct Placed {
    pub registration: Registration,
    pub position: Option<i64>,
    /// False when the email had registered already and the existing registration is answered.
    pub created: bool,
}

/// The session and its meeting, for a registration's emails.
pub fn session_and_meeting(conn: &mut Conn, id: &str) -> Result<(Session, Meeting), AppError> {
    let session = sessions::store::find(conn, id)?.ok_or(AppError::NotFound)?;
    let meeting = meetings::store::find(conn, &session.meeting_id)?.ok_or(AppError::NotFound)?;
    Ok((session, meeting))
}

/// The session, if it takes registrations now: a draft is unknown, a cancelled or closed one a conflict.
pub fn open_session(conn: &mut Conn, id: &str) -> Result<(Session, Meeting), AppError> {
    let (session, meeting) = session_and_meeting(conn, id)?;
    match session.status {
        SessionStatus::Draft => Err(AppError::NotFound),
        SessionStatus::Cancelled => Err(AppError::conflict("the session is cancelled")),
        SessionStatus::Scheduled if !session.fields.registration_window_open(Utc::now()) => {
            Err(AppError::Conflict(
                "registration is not open for this session".into(),
                Some(json!({
                    "registration_opens_at": session.fields.registration_opens_at,
                    "registration_closes_at": session.fields.registration_closes_at
                        .unwrap_or(session.fields.starts_at),
                })),
            ))
        }
        SessionStatus::Scheduled => Ok((session, meeting)),
    }
}

fn validate(
    conn: &mut Conn,
    input: RegistrationInput,
) -> Result<(Delegate, CountryGroup), AppError> {
    let mut failure = None;
    let checked = input.validate(
        Utc::now().date_naive(),
        |typed| match countries::service::resolve(conn, typed) {
            Ok(found) => found.map(|c| (c.alpha2, c.group)),
            Err(e) => {
                failure = Some(e);
                None
            }
        },
    );
    match failure {
        Some(e) => Err(e),
        None => checked,
    }
}

fn is_unique_violation(e: &AppError) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    matches!(
        e,
        AppError::Database(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _))
    )
}

/// Registers a delegate: confirmed while seats last, then waitlisted in arrival order, or pending
/// where the session needs approval. The same email again answers the first registration.
pub fn register(
    conn: &mut Conn,
    settings: &Settings,
    session_id: &str,
    input: RegistrationInput,
    lang: &str,
) -> Result<Placed, AppError> {
    let (delegate, group) = validate(conn, input)?;
    let placed = db::write(conn, |conn| {
        place_new(conn, settings, session_id, &delegate, group, lang)
    });
    match placed {
        // A twin committed between our lookup and insert; answer theirs.
        Err(e) if is_unique_violation(&e) => {
            let registration = store::find_by_email(conn, session_id, &delegate.email)?.ok_or(e)?;
            let position = store::position_of(conn, &registration)?;
            Ok(Placed {
                registration,
                position,
                created: false,
            })
        }
        other => other,
    }
}

fn place_new(
    conn: &mut Conn,
    settings: &Settings,
    session_id: &str,
    delegate: &Delegate,
    group: CountryGroup,
    lang: &str,
) -> Result<Placed, AppError> {
    let (session, meeting) = open_session(conn, session_id)?;
    store::lock_session(conn, session_id)?;
    if let Some(registration) = store::find_by_email(conn, session_id, &delegate.email)? {
        let position = store::position_of(conn, &registration)?;
        return Ok(Placed {
            registration,
            position,
            created: false,
        });
    }
    let cx = Context {
        settings,
        session: &session,
        meeting: &meeting,
    };
    let registration = admit(conn, &cx, delegate, group, lang)?;
    let position = store::position_of(conn, &registration)?;
    notify::placed(conn, &cx, &registration, position)?;
    Ok(Placed {
        registration,
        position,
        created: true,
    })
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
    let session_id = session.id.as_str();
    let taken = fill(conn, cx, delegate.attendance)?;
    let own = own_focal_point(conn, &delegate.email)?;
    let seats = Seats::of(&session.fields, delegate.attendance, Utc::now());
    let needs_approval = session.fields.approval_required && own.is_none();
    let now = db::micros(Utc::now());
    let registration = Registration {
        id: Uuid::new_v4().to_string(),
        session_id: session_id.to_string(),
        arrival: store::next_arrival(conn, session_id)?,
        delegate: delegate.clone(),
        country_group: group,
        status: placement(needs_approval, seats, group, taken),
        lang: lang.to_string(),
        decided_by: own.filter(|_| session.fields.approval_required),
        decision_comment: None,
        decided_at: None,
        created_at: now,
        updated_at: now,
    };
    store::insert(conn, &registration)?;
    let changes = json!({"status": registration.status, "arrival": registration.arrival,
        "country_group": group, "stakeholder_category": delegate.category, "attendance": delegate.attendance});
    let actor = Actor::Link("registration", registration.id.clone());
    audit::record(
        conn,
        &actor,
        "registration.created",
        "registration",
        &registration.id,
        changes,
    )?;
    Ok(registration)
}

/// The id of the focal-point account with this email, whose own registration needs no approval.
fn own_focal_point(conn: &mut Conn, email: &str) -> Result<Option<String>, AppError> {
    Ok(crate::auth::store::find_by_email(conn, email)?
        .filter(|row| {
            row.active && crate::auth::domain::parse_roles(&row.roles).contains(&Role::FocalPoint)
        })
        .map(|row| row.id))
}

/// Promotes the first waiting people of one attendance mode into free seats (call under the
/// session's lock) and answers the seats taken afterwards.
pub fn fill(conn: &mut Conn, cx: &Context, attendance: Attendance) -> Result<Taken, AppError> {
    let seats = Seats::of(&cx.session.fields, attendance, Utc::now());
    let mut taken = store::taken(conn, &cx.session.id, attendance)?;
    if taken.total() >= seats.capacity || cx.session.status != SessionStatus::Scheduled {
        return Ok(taken);
    }
    let waiting = store::waiting(conn, &cx.session.id, attendance)?;
    let groups: Vec<CountryGroup> = waiting.iter().map(|r| r.country_group).collect();
    for index in promotions(seats, taken, &groups) {
        let mut registration = waiting[index].clone();
        registration.status = Status::Confirmed;
        registration.updated_at = db::micros(Utc::now());
        store::update(conn, &registration)?;
        let changes = json!({"status": {"from": "waitlisted", "to": "confirmed"}});
        audit::record(
            conn,
            &Actor::System,
            "registration.promoted",
            "registration",
            &registration.id,
            changes,
        )?;
        notify::promoted(conn, cx, &registration)?;
        taken.add(registration.country_group);
    }
    Ok(taken)
}

/// After a session's capacity or reservation changed (inside its transaction): fill free seats.
pub fn fill_free_seats(
    conn: &mut Conn,
    settings: &Settings,
    session: &Session,
    meeting: &Meeting,
) -> Result<(), AppError> {
    if session.status != SessionStatus::Scheduled {
        return Ok(());
    }
    store::lock_session(conn, &session.id)?;
    let cx = Context {
        settings,
        session,
        meeting,
    };
    for attendance in Attendance::ALL {
        fill(conn, &cx, *attendance)?;
    }
    Ok(())
}

/// What staff should hear after a session's capacity changed: a sentence per attendance mode
/// that has more confirmed delegates than seats.
pub fn capacity_notices(conn: &mut Conn, session: &Session) -> Result<Vec<String>, AppError> {
    let mut notices = Vec::new();
    for attendance in Attendance::ALL {
        let seats = Seats::of(&session.fields, *attendance, Utc::now());
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
    settings: &Settings,
    session: &Session,
    meeting: &Meeting,
) -> Result<(), AppError> {
    let cx = Context {
        settings,
        session,
        meeting,
    };
    for status in [Status::Waitlisted, Status::Pending] {
        let filter = store::Filter {
            status: Some(status),
            ..store::Filter::default()
        };
        let (waiting, _) = store::list(conn, &session.id, &filter, i64::MAX, 0)?;
        for registration in &waiting {
            notify::session_cancelled(conn, &cx, registration)?;
        }
    }
    Ok(())
}

/// The registration a delegate's link opens, with its position and session.
pub fn by_token(conn: &mut Conn, token: &str) -> Result<(Placed, Session, Meeting), AppError> {
    let link = links::resolve(conn, Purpose::Registration, token, Utc::now())?
        .ok_or(AppError::NotFound)?;
    let registration = store::find(conn, &link.record_id)?.ok_or(AppError::NotFound)?;
    let position = store::position_of(conn, &registration)?;
    let (session, meeting) = session_and_meeting(conn, &registration.session_id)?;
    let placed = Placed {
        registration,
        position,
        created: false,
    };
    Ok((placed, session, meeting))
}

/// The delegate cancels: a CANCEL for a held invitation, and the first waiting person gets the seat.
pub fn cancel(conn: &mut Conn, settings: &Settings, token: &str) -> Result<Registration, AppError> {
    db::write(conn, |conn| {
        let link = links::resolve(conn, Purpose::Registration, token, Utc::now())?
            .ok_or(AppError::NotFound)?;
        let found = store::find(conn, &link.record_id)?.ok_or(AppError::NotFound)?;
        store::lock_session(conn, &found.session_id)?;
        // Read again under the lock: a promotion may have changed it meanwhile.
        let mut registration = store::find(conn, &found.id)?.ok_or(AppError::NotFound)?;
        match registration.status {
            Status::Cancelled => return Ok(registration),
            Status::Rejected => return Err(AppError::conflict("the registration was rejected")),
            _ => {}
        }
        let (session, meeting) = session_and_meeting(conn, &registration.session_id)?;
        let cx = Context {
            settings,
            session: &session,
            meeting: &meeting,
        };
        let was = registration.status;
        registration.status = Status::Cancelled;
        registration.updated_at = db::micros(Utc::now());
        store::update(conn, &registration)?;
        let changes = json!({"status": {"from": was, "to": "cancelled"}});
        let actor = Actor::Link("registration", registration.id.clone());
        audit::record(
            conn,
            &actor,
            "registration.cancelled",
            "registration",
            &registration.id,
            changes,
        )?;
        notify::ended(conn, &cx, &registration, was, "registration_cancelled")?;
        if was == Status::Confirmed && session.status == SessionStatus::Scheduled {
            fill(conn, &cx, registration.delegate.attendance)?;
        }
        Ok(registration)
    })
}

/// Revokes a registration's links and emails the delegate a fresh one.
pub fn resend_link(
    conn: &mut Conn,
    settings: &Settings,
    actor: &Actor,
    id: &str,
) -> Result<Registration, AppError> {
    db::write(conn, |conn| {
        let registration = store::find(conn, id)?.ok_or(AppError::NotFound)?;
        let (session, meeting) = session_and_meeting(conn, &registration.session_id)?;
        let cx = Context {
            settings,
            session: &session,
            meeting: &meeting,
        };
        notify::link_resent(conn, &cx, &registration)?;
        let changes = json!({"link": "resent"});
        audit::record(
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
