//! The emails a registration's changes send, all through the outbox in the caller's transaction.

use chrono::Utc;
use serde_json::{json, Value};

use super::domain::{focal_point_covers, Attendance, Registration, ScopeOf, Status};
use super::store;
use crate::calendar::Role;
use crate::config::Settings;
use crate::db::Conn;
use crate::error::AppError;
use crate::holds::service::{self as holds, Recipient};
use crate::links::{self, Purpose};
use crate::mail::compose::compose;
use crate::mail::outbox::{self, Email};
use crate::meetings::domain::Meeting;
use crate::sessions::domain::Session;
use crate::web::{local_span, Lang};

/// The session and meeting a registration belongs to.
pub struct Context<'a> {
    pub settings: &'a Settings,
    pub session: &'a Session,
    pub meeting: &'a Meeting,
}

fn lang_of(r: &Registration) -> &'static str {
    crate::i18n::negotiate(Some(&r.lang), None)
}

/// A fresh secret link to the delegate's page; each email carries its own, all stay valid.
fn link(conn: &mut Conn, cx: &Context, r: &Registration) -> Result<String, AppError> {
    let token = links::store::issue(conn, Purpose::Registration, &r.id, None, Utc::now())?;
    Ok(format!("{}/registrations/{token}", cx.settings.base_url()))
}

fn values(cx: &Context, r: &Registration, extra: Value) -> Value {
    let remote = r.delegate.attendance == Attendance::Remote;
    let event = holds::session_event(cx.settings, cx.session, cx.meeting, remote);
    let f = &cx.session.fields;
    let mut values = json!({
        "name": r.delegate.name,
        "reason": cx.session.cancel_reason.clone().unwrap_or_default(),
        "status": r.status.as_str(),
        "comment": r.decision_comment.clone().unwrap_or_default(),
        "session": {
            "title": f.title,
            "when": local_span(cx.meeting.timezone, f.starts_at, f.ends_at),
            "timezone": cx.meeting.timezone.name(),
            "location": event.location,
            "url": event.url,
        }
    });
    if let (Some(base), Value::Object(more)) = (values.as_object_mut(), extra) {
        base.extend(more);
    }
    values
}

/// A plain email (no calendar) to the delegate.
fn plain(
    conn: &mut Conn,
    cx: &Context,
    r: &Registration,
    template: &str,
    extra: Value,
) -> Result<(), AppError> {
    let mail = compose(
        cx.settings,
        Lang(lang_of(r)),
        template,
        values(cx, r, extra),
    )?;
    let email = Email {
        to_email: r.delegate.email.clone(),
        to_name: r.delegate.name.clone(),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        calendar: None,
        record_kind: "registration",
        record_id: r.id.clone(),
    };
    outbox::enqueue(conn, &cx.settings.public_host(), email)?;
    Ok(())
}

/// The session's REQUEST to a confirmed delegate, with their link.
fn invite(conn: &mut Conn, cx: &Context, r: &Registration, template: &str) -> Result<(), AppError> {
    let recipient = Recipient {
        record_kind: "registration",
        record_id: r.id.clone(),
        email: r.delegate.email.clone(),
        name: r.delegate.name.clone(),
        role: Role::ReqParticipant,
        lang: lang_of(r),
        remote: r.delegate.attendance == Attendance::Remote,
    };
    let extra = json!({"link": link(conn, cx, r)?, "comment": r.decision_comment.clone().unwrap_or_default()});
    holds::invite(
        conn,
        cx.settings,
        cx.session,
        cx.meeting,
        &recipient,
        template,
        extra,
    )
}

/// Tells a delegate where their registration (new, or just approved) stands.
pub fn placed(
    conn: &mut Conn,
    cx: &Context,
    r: &Registration,
    position: Option<i64>,
) -> Result<(), AppError> {
    match r.status {
        Status::Confirmed => invite(conn, cx, r, "registration_confirmed"),
        Status::Waitlisted => {
            let extra = json!({"link": link(conn, cx, r)?, "position": position.unwrap_or(0)});
            plain(conn, cx, r, "registration_waitlisted", extra)
        }
        Status::Pending => {
            let extra = json!({"link": link(conn, cx, r)?});
            plain(conn, cx, r, "registration_pending", extra)?;
            ask_focal_points(conn, cx, r)
        }
        Status::Cancelled | Status::Rejected => Ok(()),
    }
}

/// A new link replaces the delegate's earlier ones (staff re-sending a lost email).
pub fn link_resent(conn: &mut Conn, cx: &Context, r: &Registration) -> Result<(), AppError> {
    links::store::revoke(conn, Purpose::Registration, &r.id, Utc::now())?;
    let extra = json!({"link": link(conn, cx, r)?});
    plain(conn, cx, r, "registration_link", extra)
}

/// A seat became free: the invitation goes out at once.
pub fn promoted(conn: &mut Conn, cx: &Context, r: &Registration) -> Result<(), AppError> {
    invite(conn, cx, r, "registration_promoted")
}

/// The registration ended (cancelled or rejected); a held invitation is withdrawn with a CANCEL.
pub fn ended(
    conn: &mut Conn,
    cx: &Context,
    r: &Registration,
    was: Status,
    template: &str,
) -> Result<(), AppError> {
    if was == Status::Confirmed {
        holds::withdraw(
            conn,
            cx.settings,
            cx.session,
            cx.meeting,
            "registration",
            &r.id,
            template,
        )
    } else {
        plain(conn, cx, r, template, json!({}))
    }
}

/// The session was cancelled; for a delegate who held no invitation, a plain email.
pub fn session_cancelled(conn: &mut Conn, cx: &Context, r: &Registration) -> Result<(), AppError> {
    plain(conn, cx, r, "registration_session_cancelled", json!({}))
}

/// An organiser's message to a delegate.
pub fn message(
    conn: &mut Conn,
    cx: &Context,
    r: &Registration,
    subject: &str,
    text: &str,
) -> Result<(), AppError> {
    let extra = json!({"subject": subject, "message": text});
    plain(conn, cx, r, "registration_message", extra)
}

/// Emails each focal point whose scope covers the registration a link to decide on it.
fn ask_focal_points(conn: &mut Conn, cx: &Context, r: &Registration) -> Result<(), AppError> {
    let scope = ScopeOf {
        country: &r.delegate.country,
        organisation: &r.delegate.organisation,
    };
    let deciders: Vec<_> = store::focal_points(conn)?
        .into_iter()
        .filter(|u| focal_point_covers(u, scope))
        .collect();
    for user in deciders {
        let token =
            links::store::issue(conn, Purpose::FocalPointDecision, &r.id, None, Utc::now())?;
        let extra = json!({
            "name": user.name,
            "delegate": {"name": r.delegate.name, "organisation": r.delegate.organisation,
                         "job_title": r.delegate.job_title, "country": r.delegate.country,
                         "category": r.delegate.category.as_str()},
            "link": format!("{}/decisions/{token}", cx.settings.base_url()),
        });
        let mail = compose(
            cx.settings,
            Lang("en"),
            "registration_decision",
            values(cx, r, extra),
        )?;
        let email = Email {
            to_email: user.email.clone(),
            to_name: user.name.clone(),
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            calendar: None,
            record_kind: "registration",
            record_id: r.id.clone(),
        };
        outbox::enqueue(conn, &cx.settings.public_host(), email)?;
    }
    Ok(())
}
