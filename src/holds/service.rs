//! Calendar invitations that follow their event: who holds one, and the REQUEST or CANCEL each
//! change (of the session, or of the room booked for it) sends them.

use std::any::Any;
use std::borrow::Cow;

use chrono::{DateTime, Utc};

use super::domain::{
    invitation_sequence, next_sequence, Hold, HoldId, HolderKind, Place, RoomLine,
};
use super::notices::{session_url, SessionCancelled, SessionSummary, SessionUpdate};
use super::store;
use crate::bookings::domain::BookingEvent;
use crate::calendar::{self, Event, Method, Person, Role};
use crate::config::Settings;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::mail::notice::{self, Composed, Notice};
use crate::mail::outbox::{self, Email, RecordKind};
use crate::meetings::domain::Meeting;
use crate::sessions::domain::{Session, SessionChange, SessionEvent, SessionStatus};
use crate::web::Lang;

/// Someone who receives a session's invitation: a delegate, or (for a slot) a speaker.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub holder: HolderKind,
    pub record_id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub lang: &'static str,
    pub remote: bool,
}

/// The stable UID of a session's event.
pub fn session_uid(settings: &Settings, session_id: &str) -> String {
    format!("session-{session_id}@{}", settings.public_host())
}

/// The organiser of every invitation: the configured sender.
pub fn organizer(settings: &Settings) -> Person {
    let from: Option<lettre::message::Mailbox> = settings.mail.from.parse().ok();
    Person {
        name: from
            .as_ref()
            .and_then(|m| m.name.clone())
            .unwrap_or_default(),
        email: from
            .map(|m| m.email.to_string())
            .unwrap_or_else(|| "seminars@localhost".into()),
    }
}

/// Where a session takes place now: the rooms booked for it, else its meeting's venue.
pub fn place(conn: &mut Conn, session: &Session, meeting: &Meeting) -> Result<Place, AppError> {
    let rooms = crate::bookings::store::rooms_of_session(conn, &session.id)?
        .into_iter()
        .map(|room| RoomLine {
            name: room.name,
            location: room.location,
        })
        .collect();
    Ok(Place {
        rooms,
        venue: meeting.venue.clone(),
        remote_url: session.fields.remote_url.clone(),
    })
}

/// What a remote attendee without a connection link reads as the place, in their language.
pub fn online(lang: &str) -> String {
    crate::i18n::text(lang, "mail_online")
}

/// The session as a calendar event at `location`, with its own SEQUENCE and `stamp` as DTSTAMP.
pub fn session_event(
    settings: &Settings,
    session: &Session,
    location: String,
    stamp: DateTime<Utc>,
) -> Event {
    let f = &session.fields;
    let url = session_url(settings, session);
    Event {
        uid: session_uid(settings, &session.id),
        sequence: u32::try_from(session.sequence).unwrap_or(0),
        summary: f.title.clone(),
        description: format!("{}\n\n{}", f.description, url).trim().to_string(),
        location,
        url,
        starts_at: f.starts_at,
        ends_at: f.ends_at,
        stamp,
    }
}

/// One session's change, as every holder of it is told.
struct Change<'a> {
    ctx: &'a Ctx,
    session: &'a Session,
    meeting: &'a Meeting,
    place: Cow<'a, Place>,
}

impl Change<'_> {
    fn of<'a>(
        conn: &mut Conn,
        ctx: &'a Ctx,
        session: &'a Session,
        meeting: &'a Meeting,
    ) -> Result<Change<'a>, AppError> {
        let place = place(conn, session, meeting)?;
        Ok(Change {
            ctx,
            session,
            meeting,
            place: Cow::Owned(place),
        })
    }

    /// Where this holder attends, as their calendar and email say; a remote holder reads the
    /// connection link in an invitation or its update, never in a cancellation.
    fn location(&self, hold: &Hold, method: Method) -> String {
        let with_link = method != Method::Cancel;
        self.place
            .for_attendee(hold.remote, with_link, &online(&hold.lang))
    }

    fn summary(&self, hold: &Hold, method: Method) -> SessionSummary {
        let location = self.location(hold, method);
        SessionSummary::of(&self.ctx.settings, self.session, self.meeting, location)
    }

    /// Renders `notice` and queues it to the holder with their calendar at `sequence`.
    fn send<N: Notice>(
        &self,
        conn: &mut Conn,
        hold: &Hold,
        (method, sequence): (Method, i32),
        notice: &N,
    ) -> Result<(), AppError> {
        let settings = &self.ctx.settings;
        let lang = Lang(crate::i18n::negotiate(Some(&hold.lang), None));
        let mail = notice::render(settings, lang, notice)?;
        let location = self.location(hold, method);
        let mut event = session_event(settings, self.session, location, self.ctx.now);
        event.sequence = u32::try_from(sequence).unwrap_or(0);
        queue(
            conn,
            settings,
            hold,
            mail,
            (itip(settings, hold, &event, method), method),
        )
    }
}

/// The REQUEST or CANCEL of `event` to a hold's holder, with the configured sender as ORGANIZER.
fn itip(settings: &Settings, hold: &Hold, event: &Event, method: Method) -> String {
    let attendee = Person {
        name: hold.name.clone(),
        email: hold.email.clone(),
    };
    match method {
        Method::Cancel => calendar::cancel(event, &organizer(settings), &attendee, hold.role),
        _ => calendar::request(event, &organizer(settings), &attendee, hold.role),
    }
}

/// Sends any event a hold is for (a slot's, built by the capability that owns the slot) as a
/// REQUEST or CANCEL at `event.sequence`, in the email `notice`, and records what was sent.
pub fn deliver<N: Notice>(
    conn: &mut Conn,
    ctx: &Ctx,
    hold: &Hold,
    (event, method): (&Event, Method),
    notice: &N,
) -> Result<(), AppError> {
    let settings = &ctx.settings;
    let sequence = i32::try_from(event.sequence).unwrap_or(i32::MAX);
    let active = method != Method::Cancel;
    store::put(conn, hold)?;
    store::sent(conn, &hold.id, sequence, active, db::micros(ctx.now))?;
    let lang = Lang(crate::i18n::negotiate(Some(&hold.lang), None));
    let mail = notice::render(settings, lang, notice)?;
    let ics = itip(settings, hold, event, method);
    queue(conn, settings, hold, mail, (ics, method))
}

fn queue(
    conn: &mut Conn,
    settings: &Settings,
    hold: &Hold,
    mail: Composed,
    calendar: (String, Method),
) -> Result<(), AppError> {
    let email = Email {
        to_email: hold.email.clone(),
        to_name: hold.name.clone(),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        calendar: Some(calendar),
        record_kind: RecordKind::CALENDAR_HOLD,
        record_id: hold.id.to_string(),
        reply_to: None,
    };
    outbox::enqueue(conn, &settings.public_host(), email)?;
    Ok(())
}

/// Sends a session's REQUEST to a recipient, with the email `notice` builds from what it shows
/// of the session, and remembers the hold.
pub fn invite<N: Notice>(
    conn: &mut Conn,
    ctx: &Ctx,
    (session, meeting, place): (&Session, &Meeting, &Place),
    recipient: &Recipient,
    notice: impl FnOnce(SessionSummary) -> N,
) -> Result<(), AppError> {
    let now = db::micros(ctx.now);
    let uid = session_uid(&ctx.settings, &session.id);
    let earlier = store::find(conn, &uid, recipient.holder, &recipient.record_id)?;
    let hold = Hold {
        id: earlier
            .as_ref()
            .map_or_else(HoldId::random, |h| h.id.clone()),
        event_uid: uid,
        session_id: session.id.clone(),
        item_id: None,
        holder: recipient.holder,
        record_id: recipient.record_id.clone(),
        email: recipient.email.clone(),
        name: recipient.name.clone(),
        role: recipient.role,
        lang: recipient.lang.into(),
        remote: recipient.remote,
        sequence_sent: invitation_sequence(
            earlier.as_ref().map(|h| h.sequence_sent),
            session.sequence,
        ),
        active: true,
        created_at: earlier.as_ref().map_or(now, |h| h.created_at),
        updated_at: now,
    };
    match earlier {
        Some(_) => store::put(conn, &hold)?,
        None => store::insert(conn, &hold)?,
    }
    let change = Change {
        ctx,
        session,
        meeting,
        place: Cow::Borrowed(place),
    };
    let notice = notice(change.summary(&hold, Method::Request));
    change.send(conn, &hold, (Method::Request, hold.sequence_sent), &notice)
}

/// Withdraws one holder's invitation (their registration or slot ended): a CANCEL with the
/// next SEQUENCE, in the email `notice` builds.
pub fn withdraw<N: Notice>(
    conn: &mut Conn,
    ctx: &Ctx,
    (session, meeting): (&Session, &Meeting),
    (holder, record_id): (HolderKind, &str),
    notice: impl Fn(SessionSummary) -> N,
) -> Result<(), AppError> {
    let change = Change::of(conn, ctx, session, meeting)?;
    let holds = store::active_of_session(conn, &session.id)?
        .into_iter()
        .filter(|h| h.holder == holder && h.record_id == record_id);
    for hold in holds {
        let notice = notice(change.summary(&hold, Method::Cancel));
        cancel_hold(conn, &change, &hold, &notice)?;
    }
    Ok(())
}

fn cancel_hold<N: Notice>(
    conn: &mut Conn,
    change: &Change,
    hold: &Hold,
    notice: &N,
) -> Result<(), AppError> {
    let sequence = next_sequence(hold.sequence_sent, change.session.sequence);
    store::sent(conn, &hold.id, sequence, false, db::micros(change.ctx.now))?;
    change.send(conn, hold, (Method::Cancel, sequence), notice)
}

/// Follows sessions and their bookings: every holder of a session's invitation gets the update
/// (time, place or title changed; a room booked or released) or the cancellation.
pub fn react(conn: &mut Conn, ctx: &Ctx, event: &dyn Any) -> Result<(), AppError> {
    if let Some(event) = event.downcast_ref::<SessionEvent>() {
        let (session, meeting) = (&event.session, &event.meeting);
        if event.change == SessionChange::Cancelled {
            session_cancelled(conn, ctx, session, meeting)?;
        } else if event.calendar_changed() {
            session_changed(conn, ctx, session, meeting)?;
        }
    } else if let Some(event) = event.downcast_ref::<BookingEvent>() {
        room_changed(conn, ctx, &event.session_id)?;
    }
    Ok(())
}

/// A room was booked for a session or released: its holders' place changed.
fn room_changed(conn: &mut Conn, ctx: &Ctx, session_id: &str) -> Result<usize, AppError> {
    let Some(session) = crate::sessions::store::find(conn, session_id)? else {
        return Ok(0);
    };
    // A cancelled session's holders have had their CANCEL; a draft has none.
    if session.status != SessionStatus::Scheduled {
        return Ok(0);
    }
    let meeting =
        crate::meetings::store::find(conn, &session.meeting_id)?.ok_or(AppError::NotFound)?;
    session_changed(conn, ctx, &session, &meeting)
}

/// After a change of time, place or title: a REQUEST with the next SEQUENCE to every holder.
pub fn session_changed(
    conn: &mut Conn,
    ctx: &Ctx,
    session: &Session,
    meeting: &Meeting,
) -> Result<usize, AppError> {
    let change = Change::of(conn, ctx, session, meeting)?;
    let holds = store::active_of_session(conn, &session.id)?;
    for hold in &holds {
        let sequence = next_sequence(hold.sequence_sent, session.sequence);
        store::sent(conn, &hold.id, sequence, true, db::micros(ctx.now))?;
        let notice = SessionUpdate {
            name: hold.name.clone(),
            session: change.summary(hold, Method::Request),
        };
        change.send(conn, hold, (Method::Request, sequence), &notice)?;
    }
    Ok(holds.len())
}

/// The session is cancelled: a CANCEL to every holder.
pub fn session_cancelled(
    conn: &mut Conn,
    ctx: &Ctx,
    session: &Session,
    meeting: &Meeting,
) -> Result<usize, AppError> {
    let change = Change::of(conn, ctx, session, meeting)?;
    let holds = store::active_of_session(conn, &session.id)?;
    for hold in &holds {
        let notice = SessionCancelled {
            name: hold.name.clone(),
            reason: session.cancel_reason.clone().unwrap_or_default(),
            session: change.summary(hold, Method::Cancel),
        };
        cancel_hold(conn, &change, hold, &notice)?;
    }
    Ok(holds.len())
}
