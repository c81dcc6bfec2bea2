//! The emails a registration's changes send, one typed notice per template, all through the
//! outbox in the caller's transaction.

use std::borrow::Cow;

use serde::Serialize;

use super::decisions::domain::{focal_point_covers, ScopeOf};
use super::domain::{sees_remote_link, Attendance, Category, Registration, Status};
use super::store;
use crate::access::User;
use crate::calendar::Role;
use crate::db::Conn;
use crate::effects::Ctx;
use crate::error::AppError;
use crate::holds::domain::{HolderKind, Place};
use crate::holds::notices::SessionSummary;
use crate::holds::service::{self as holds, Recipient};
use crate::links::Purpose;
use crate::mail::notice::{self, Composed, Notice};
use crate::mail::outbox::{self, Email, RecordKind, ReplyTo};
use crate::meetings::domain::Meeting;
use crate::sessions::domain::Session;
use crate::web::Lang;

/// Declares a notice: a struct of what its template shows, and the template's name.
macro_rules! notice {
    ($(#[$doc:meta])* $name:ident = $template:literal { $($field:ident: $type:ty),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Serialize)]
        pub struct $name {
            /// The person the email greets.
            pub name: String,
            pub session: SessionSummary,
            $(pub $field: $type),*
        }

        impl Notice for $name {
            const TEMPLATE: &'static str = $template;
        }
    };
}

notice!(
    /// A seat is confirmed; the invitation is attached.
    Confirmed = "registration_confirmed" { link: String }
);
notice!(
    /// A seat became free for a waiting delegate; the invitation is attached.
    Promoted = "registration_promoted" { link: String }
);
notice!(
    /// The delegate waits for a seat, at this position.
    Waitlisted = "registration_waitlisted" { link: String, position: i64 }
);
notice!(
    /// The registration waits for a focal point's approval.
    Pending = "registration_pending" { link: String }
);
notice!(
    /// A fresh link to the delegate's page; the earlier ones stop working.
    LinkResent = "registration_link" { link: String }
);
notice!(
    /// The delegate cancelled; with the CANCEL of the invitation they held, if any.
    Cancelled = "registration_cancelled" { calendar_attached: bool }
);
notice!(
    /// The registration was rejected; with the CANCEL of the invitation it held, if any.
    Rejected = "registration_rejected" { comment: String, calendar_attached: bool }
);
notice!(
    /// The session is cancelled, to a delegate who held no invitation.
    SessionCancelled = "registration_session_cancelled" { reason: String }
);
notice!(
    /// An organiser's message to delegates, opened with "Dear NAME," when `greeting`.
    Message = "registration_message" { greeting: bool, subject: String, message: String }
);
notice!(
    /// Asks a focal point in scope to decide on a registration, through their link.
    DecisionAsked = "registration_decision" { delegate: DelegateLine, link: String }
);

/// The delegate as a focal point's email shows them.
#[derive(Debug, Clone, Serialize)]
pub struct DelegateLine {
    pub name: String,
    pub organisation: String,
    pub job_title: String,
    pub country: String,
    pub category: Category,
}

/// An organiser's email to delegates, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub subject: String,
    pub message: String,
    /// Open with "Dear NAME,"; off when the message has its own greeting.
    pub greeting: bool,
}

/// The session a registration belongs to, and where it takes place.
pub struct Context<'a> {
    pub ctx: &'a Ctx,
    pub session: &'a Session,
    pub meeting: &'a Meeting,
    /// Where the session takes place: read for this context, or shared by a batch.
    pub place: Cow<'a, Place>,
}

impl<'a> Context<'a> {
    /// The context of a session's registrations' emails.
    pub fn new(
        conn: &mut Conn,
        ctx: &'a Ctx,
        session: &'a Session,
        meeting: &'a Meeting,
    ) -> Result<Context<'a>, AppError> {
        let place = holds::place(conn, session, meeting)?;
        Ok(Context {
            ctx,
            session,
            meeting,
            place: Cow::Owned(place),
        })
    }

    /// The session as an email to this delegate shows it: the connection link only for a
    /// confirmed remote delegate.
    pub fn summary(&self, r: &Registration) -> SessionSummary {
        let remote = r.delegate.attendance == Attendance::Remote;
        let with_link = sees_remote_link(r.status, r.delegate.attendance);
        let online = holds::online(lang_of(r));
        let location = self.place.for_attendee(remote, with_link, &online);
        SessionSummary::of(&self.ctx.settings, self.session, self.meeting, location)
    }
}

fn lang_of(r: &Registration) -> &'static str {
    crate::i18n::negotiate(Some(&r.lang), None)
}

/// A fresh secret link to the delegate's page; each email carries its own, all stay valid.
pub fn link(conn: &mut Conn, cx: &Context, r: &Registration) -> Result<String, AppError> {
    let token = crate::links::store::issue(conn, Purpose::Registration, &r.id, None, cx.ctx.now)?;
    Ok(format!(
        "{}/registrations/{token}",
        cx.ctx.settings.base_url()
    ))
}

fn queue(
    conn: &mut Conn,
    cx: &Context,
    (to_email, to_name): (&str, &str),
    (r, mail): (&Registration, Composed),
    reply_to: Option<ReplyTo>,
) -> Result<(), AppError> {
    let email = Email {
        to_email: to_email.to_string(),
        to_name: to_name.to_string(),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        calendar: None,
        record_kind: RecordKind::REGISTRATION,
        record_id: r.id.to_string(),
        reply_to,
    };
    outbox::enqueue(conn, &cx.ctx.settings.public_host(), email)?;
    Ok(())
}

/// A plain email (no calendar) to the delegate.
pub fn plain<N: Notice>(
    conn: &mut Conn,
    cx: &Context,
    r: &Registration,
    notice: &N,
    reply_to: Option<ReplyTo>,
) -> Result<(), AppError> {
    let mail = notice::render(&cx.ctx.settings, Lang(lang_of(r)), notice)?;
    let to = (r.delegate.email.as_str(), r.delegate.name.as_str());
    queue(conn, cx, to, (r, mail), reply_to)
}

/// The session's REQUEST to a confirmed delegate, in the email `notice` builds.
fn invite<N: Notice>(
    conn: &mut Conn,
    cx: &Context,
    r: &Registration,
    notice: impl FnOnce(SessionSummary) -> N,
) -> Result<(), AppError> {
    let recipient = Recipient {
        holder: HolderKind::Registration,
        record_id: r.id.to_string(),
        email: r.delegate.email.clone(),
        name: r.delegate.name.clone(),
        role: Role::ReqParticipant,
        lang: lang_of(r),
        remote: r.delegate.attendance == Attendance::Remote,
    };
    holds::invite(
        conn,
        cx.ctx,
        (cx.session, cx.meeting, &cx.place),
        &recipient,
        notice,
    )
}

/// Tells a delegate where their registration (new, or just approved) stands.
pub fn placed(
    conn: &mut Conn,
    cx: &Context,
    r: &Registration,
    position: Option<i64>,
) -> Result<(), AppError> {
    if !r.status.is_active() {
        return Ok(());
    }
    let (name, link) = (r.delegate.name.clone(), link(conn, cx, r)?);
    let session = cx.summary(r);
    match r.status {
        Status::Confirmed => invite(conn, cx, r, |session| Confirmed {
            name,
            session,
            link,
        }),
        Status::Pending => {
            plain(
                conn,
                cx,
                r,
                &Pending {
                    name,
                    session,
                    link,
                },
                None,
            )?;
            ask_focal_points(conn, cx, r)
        }
        _ => {
            let position = position.unwrap_or(0);
            let notice = Waitlisted {
                name,
                session,
                link,
                position,
            };
            plain(conn, cx, r, &notice, None)
        }
    }
}

/// A new link replaces the delegate's earlier ones (staff re-sending a lost email).
pub fn link_resent(conn: &mut Conn, cx: &Context, r: &Registration) -> Result<(), AppError> {
    crate::links::store::revoke(conn, Purpose::Registration, &r.id, cx.ctx.now)?;
    let (name, link, session) = (r.delegate.name.clone(), link(conn, cx, r)?, cx.summary(r));
    plain(
        conn,
        cx,
        r,
        &LinkResent {
            name,
            session,
            link,
        },
        None,
    )
}

/// A seat became free: the invitation goes out at once, with the connection link for a remote
/// delegate.
pub fn promoted(conn: &mut Conn, cx: &Context, r: &Registration) -> Result<(), AppError> {
    let (name, link) = (r.delegate.name.clone(), link(conn, cx, r)?);
    invite(conn, cx, r, |session| Promoted {
        name,
        session,
        link,
    })
}

/// The registration ended (its status is now cancelled or rejected); an invitation it held
/// (`was` confirmed) is withdrawn with a CANCEL.
pub fn ended(conn: &mut Conn, cx: &Context, r: &Registration, was: Status) -> Result<(), AppError> {
    let calendar_attached = was == Status::Confirmed;
    let name = r.delegate.name.clone();
    if r.status == Status::Rejected {
        let comment = r.decision_comment.clone().unwrap_or_default();
        tell_end(conn, cx, r, calendar_attached, |session| Rejected {
            name: name.clone(),
            session,
            comment: comment.clone(),
            calendar_attached,
        })
    } else {
        tell_end(conn, cx, r, calendar_attached, |session| Cancelled {
            name: name.clone(),
            session,
            calendar_attached,
        })
    }
}

fn tell_end<N: Notice>(
    conn: &mut Conn,
    cx: &Context,
    r: &Registration,
    held: bool,
    notice: impl Fn(SessionSummary) -> N,
) -> Result<(), AppError> {
    if held {
        let record = (HolderKind::Registration, r.id.as_str());
        holds::withdraw(conn, cx.ctx, (cx.session, cx.meeting), record, notice)
    } else {
        plain(conn, cx, r, &notice(cx.summary(r)), None)
    }
}

/// The session was cancelled; for a delegate who held no invitation, a plain email.
pub fn session_cancelled(conn: &mut Conn, cx: &Context, r: &Registration) -> Result<(), AppError> {
    let notice = SessionCancelled {
        name: r.delegate.name.clone(),
        session: cx.summary(r),
        reason: cx.session.cancel_reason.clone().unwrap_or_default(),
    };
    plain(conn, cx, r, &notice, None)
}

fn message_to(cx: &Context, r: &Registration, draft: &Draft) -> Message {
    Message {
        name: r.delegate.name.clone(),
        session: cx.summary(r),
        greeting: draft.greeting,
        subject: draft.subject.clone(),
        message: draft.message.clone(),
    }
}

/// An organiser's message to a delegate; replies go to the organiser.
pub fn message(
    conn: &mut Conn,
    cx: &Context,
    r: &Registration,
    draft: &Draft,
    organiser: &User,
) -> Result<(), AppError> {
    let reply_to = ReplyTo {
        name: organiser.name.clone(),
        email: organiser.email.clone(),
    };
    plain(conn, cx, r, &message_to(cx, r, draft), Some(reply_to))
}

/// The organiser's message as this delegate would receive it, queued nowhere.
pub fn preview(cx: &Context, r: &Registration, draft: &Draft) -> Result<Composed, AppError> {
    notice::render(
        &cx.ctx.settings,
        Lang(lang_of(r)),
        &message_to(cx, r, draft),
    )
}

/// Emails each focal point whose scope covers the registration a link to decide on it.
fn ask_focal_points(conn: &mut Conn, cx: &Context, r: &Registration) -> Result<(), AppError> {
    let deciders: Vec<User> = store::focal_points(conn)?
        .into_iter()
        .filter(|u| focal_point_covers(u, ScopeOf::of(r)))
        .collect();
    let d = &r.delegate;
    let delegate = DelegateLine {
        name: d.name.clone(),
        organisation: d.organisation.clone(),
        job_title: d.job_title.clone(),
        country: d.country.clone(),
        category: d.category,
    };
    for user in deciders {
        let token =
            crate::links::store::issue(conn, Purpose::FocalPointDecision, &r.id, None, cx.ctx.now)?;
        let notice = DecisionAsked {
            name: user.name.clone(),
            session: cx.summary(r),
            delegate: delegate.clone(),
            link: format!("{}/decisions/{token}", cx.ctx.settings.base_url()),
        };
        let mail = notice::render(&cx.ctx.settings, Lang("en"), &notice)?;
        queue(conn, cx, (&user.email, &user.name), (r, mail), None)?;
    }
    Ok(())
}
