//! The transactional outbox: every email is a row written in the transaction of the change that
//! causes it. Capabilities reach it as `mail::outbox`.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::calendar::Method;
use crate::db::schema::outbox;
use crate::db::{self, Conn};

/// Where a message is in its delivery.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[schema(as = MessageStatus)]
pub enum Status {
    Queued,
    Sending,
    Sent,
    Failed,
}

impl Status {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Sending => "sending",
            Status::Sent => "sent",
            Status::Failed => "failed",
        }
    }

    /// Reads a wire name.
    pub fn parse(name: &str) -> Option<Status> {
        [
            Status::Queued,
            Status::Sending,
            Status::Sent,
            Status::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// The kind of record an email is about. Each capability names its own kinds (`holds`,
/// `registrations`, `agendas`, …) as constants, so a new capability adds one without editing mail.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(transparent)]
#[schema(value_type = String)]
pub struct RecordKind(Cow<'static, str>);

impl RecordKind {
    /// A delegate's registration.
    pub const REGISTRATION: RecordKind = RecordKind::named("registration");
    /// A calendar hold: an invitation, its update or its cancellation.
    pub const CALENDAR_HOLD: RecordKind = RecordKind::named("calendar_hold");
    /// An account: setting a password, resetting it.
    pub const USER: RecordKind = RecordKind::named("user");

    /// A kind by its stored name.
    pub const fn named(name: &'static str) -> RecordKind {
        RecordKind(Cow::Borrowed(name))
    }

    /// The stored name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl crate::wire::TextValue for RecordKind {
    fn as_text(&self) -> &str {
        &self.0
    }
    fn from_text(text: &str) -> Option<RecordKind> {
        Some(RecordKind(Cow::Owned(text.to_string())))
    }
}

crate::text_column!(RecordKind);

/// Who a reply to an email goes to, when not the sender (an organiser writing to delegates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyTo {
    pub name: String,
    pub email: String,
}

/// One email to write to the outbox.
#[derive(Debug, Clone)]
pub struct Email {
    pub to_email: String,
    pub to_name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// An iCalendar object and its iTIP method, sent inline and as invite.ics.
    pub calendar: Option<(String, Method)>,
    /// The record the email is about, e.g. (`RecordKind::REGISTRATION`, id).
    pub record_kind: RecordKind,
    pub record_id: String,
    /// The Reply-To header; None: replies go to the sender.
    pub reply_to: Option<ReplyTo>,
}

/// An outbox row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = outbox, treat_none_as_null = true)]
pub struct OutboxRow {
    pub id: String,
    pub message_id: String,
    pub to_email: String,
    pub to_name: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub calendar: Option<String>,
    pub calendar_method: Option<String>,
    pub record_kind: RecordKind,
    pub record_id: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub lease_until: Option<NaiveDateTime>,
    pub claimed_by: Option<String>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub reply_to_email: Option<String>,
    pub reply_to_name: Option<String>,
}

/// Queues an email inside the caller's open transaction; `host` names the Message-ID's domain.
pub fn enqueue(conn: &mut Conn, host: &str, email: Email) -> QueryResult<OutboxRow> {
    let id = Uuid::new_v4().to_string();
    let now = db::micros(Utc::now());
    let (calendar, method) = match email.calendar {
        Some((ics, method)) => (Some(ics), Some(method.as_str().to_string())),
        None => (None, None),
    };
    let row = OutboxRow {
        message_id: format!("<{}@{}>", Uuid::new_v4().simple(), host),
        id,
        to_email: email.to_email,
        to_name: email.to_name,
        subject: email.subject,
        text_body: email.text,
        html_body: email.html,
        calendar,
        calendar_method: method,
        record_kind: email.record_kind,
        record_id: email.record_id,
        status: Status::Queued.as_str().into(),
        attempts: 0,
        next_attempt_at: now,
        lease_until: None,
        claimed_by: None,
        last_error: None,
        created_at: now,
        sent_at: None,
        reply_to_name: email.reply_to.as_ref().map(|r| r.name.clone()),
        reply_to_email: email.reply_to.map(|r| r.email),
    };
    crate::db::deferred::insert(conn, row.clone(), |conn, rows| {
        crate::db::deferred::insert_rows!(conn, outbox::table, rows)
    })?;
    Ok(row)
}

/// The messages about one record, oldest first.
pub fn of_record(conn: &mut Conn, kind: RecordKind, id: &str) -> QueryResult<Vec<OutboxRow>> {
    outbox::table
        .filter(outbox::record_kind.eq(kind))
        .filter(outbox::record_id.eq(id))
        .order((outbox::created_at.asc(), outbox::id.asc()))
        .select(OutboxRow::as_select())
        .load(conn)
}

/// The latest messages about one session, newest first: to its delegates, its speakers, the
/// holders of its calendar invitations, and about its agenda.
pub fn of_session(conn: &mut Conn, session_id: &str, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    use crate::db::schema::{calendar_holds, registrations, speaker_invitations};
    let delegates = registrations::table
        .filter(registrations::session_id.eq(session_id))
        .select(registrations::id);
    let holds = calendar_holds::table
        .filter(calendar_holds::session_id.eq(session_id))
        .select(calendar_holds::id);
    let speakers = speaker_invitations::table
        .filter(speaker_invitations::session_id.eq(session_id))
        .select(speaker_invitations::id);
    let kind = |name: &'static str| outbox::record_kind.eq(RecordKind::named(name));
    outbox::table
        .filter(
            (kind("registration").and(outbox::record_id.eq_any(delegates)))
                .or(kind("calendar_hold").and(outbox::record_id.eq_any(holds)))
                .or(kind("speaker_invitation").and(outbox::record_id.eq_any(speakers)))
                .or(kind("agenda").and(outbox::record_id.eq(session_id))),
        )
        .order((outbox::created_at.desc(), outbox::id.desc()))
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)
}

/// A page of messages, newest first, optionally of one status, with the total count.
pub fn list(
    conn: &mut Conn,
    status: Option<Status>,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<OutboxRow>, i64)> {
    let filtered = || {
        let mut query = outbox::table.into_boxed();
        if let Some(status) = status {
            query = query.filter(outbox::status.eq(status.as_str()));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((outbox::created_at.desc(), outbox::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(OutboxRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// One message by id.
pub fn find(conn: &mut Conn, id: &str) -> QueryResult<Option<OutboxRow>> {
    outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()
}

/// Queues a failed (or still queued) message for an attempt at `now`, keeping its attempts;
/// answers 0 when it is sent or being sent. Conditional, so a worker claiming the row at the
/// same moment wins or loses cleanly.
pub fn requeue(conn: &mut Conn, id: &str, now: DateTime<Utc>) -> QueryResult<usize> {
    let retryable = [Status::Queued.as_str(), Status::Failed.as_str()];
    diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::status.eq_any(retryable)),
    )
    .set((
        outbox::status.eq(Status::Queued.as_str()),
        outbox::next_attempt_at.eq(db::micros(now)),
        outbox::claimed_by.eq(None::<String>),
        outbox::lease_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
}
