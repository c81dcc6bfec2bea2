//! The outbox as the delivery worker sees it: claiming due messages with a lease, and recording each outcome.
//!
//! A claim is one conditional UPDATE: a row changes hands only while it is queued and due, or
//! while the lease of an earlier claimant has run out. PostgreSQL re-checks the condition on the
//! locked row and SQLite serialises writers, so of several instances exactly one wins each row.
//!
//! The claim counts the attempt: an instance that crashes after claiming (perhaps after the relay
//! took the message) records no outcome, and the attempt must still count when the message is
//! taken up again. Claims given back unattempted (`release`) are uncounted.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::domain::Outcome;
use crate::db::schema::outbox;
use crate::db::{self, Conn};
use crate::error::AppError;
use crate::mail::redact;
use crate::mail::store::{OutboxRow, Status};

/// Longest error text kept on a row; SMTP replies can be long and only the gist helps staff.
const ERROR_LIMIT: usize = 1000;

/// Claims up to `limit` due messages for `claimant` until `lease_until`, oldest due first.
pub fn claim(
    conn: &mut Conn,
    claimant: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<OutboxRow>, AppError> {
    let now = db::micros(now);
    let lease_until = db::micros(lease_until);
    db::write(conn, |conn| {
        let due = outbox::status
            .eq(Status::Queued.as_str())
            .and(outbox::next_attempt_at.le(now))
            .or(outbox::status
                .eq(Status::Sending.as_str())
                .and(outbox::lease_until.lt(now)));
        let ids: Vec<String> = outbox::table
            .filter(due)
            .order((outbox::next_attempt_at.asc(), outbox::created_at.asc()))
            .limit(limit)
            .select(outbox::id)
            .load(conn)?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // The condition is repeated in the UPDATE: only rows still due when locked are taken.
        diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)).filter(due))
            .set((
                outbox::status.eq(Status::Sending.as_str()),
                outbox::claimed_by.eq(claimant),
                outbox::lease_until.eq(lease_until),
                outbox::attempts.eq(outbox::attempts + 1),
            ))
            .execute(conn)?;
        Ok(outbox::table
            .filter(outbox::id.eq_any(&ids))
            .filter(outbox::claimed_by.eq(claimant))
            .filter(outbox::status.eq(Status::Sending.as_str()))
            .order((outbox::next_attempt_at.asc(), outbox::created_at.asc()))
            .select(OutboxRow::as_select())
            .load(conn)?)
    })
}

/// Fails the messages whose lease ran out after their last allowed attempt: every claim ended
/// without an outcome (the instance crashed), and a message that brings instances down must not
/// be taken up forever. Answers how many were given up.
pub fn give_up_abandoned(
    conn: &mut Conn,
    now: DateTime<Utc>,
    max_attempts: i32,
) -> Result<usize, AppError> {
    let now = db::micros(now);
    let error = format!("gave up after {max_attempts} attempts: the last ended without an outcome");
    db::write(conn, |conn| {
        Ok(diesel::update(
            outbox::table
                .filter(outbox::status.eq(Status::Sending.as_str()))
                .filter(outbox::lease_until.lt(now))
                .filter(outbox::attempts.ge(max_attempts)),
        )
        .set((
            outbox::status.eq(Status::Failed.as_str()),
            outbox::last_error.eq(Some(error.clone())),
            outbox::claimed_by.eq(None::<String>),
            outbox::lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?)
    })
}

/// Marks a claimed message sent; false if the claim was lost (its lease ran out and another took it).
/// The same UPDATE blanks the secret links in the stored bodies: the recipient has them now, and
/// the outbox keeps only what staff need (subject, recipient, wording).
pub fn mark_sent(
    conn: &mut Conn,
    row: &OutboxRow,
    claimant: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let now = db::micros(now);
    let text = redact::without_secret_links(&row.text_body);
    let html = redact::without_secret_links(&row.html_body);
    let calendar = row
        .calendar
        .as_deref()
        .map(redact::calendar_without_secret_links);
    let changed = db::write(conn, |conn| {
        Ok(diesel::update(mine(&row.id, claimant))
            .set((
                outbox::status.eq(Status::Sent.as_str()),
                outbox::sent_at.eq(now),
                outbox::lease_until.eq(None::<NaiveDateTime>),
                outbox::last_error.eq(None::<String>),
                outbox::text_body.eq(&text),
                outbox::html_body.eq(&html),
                outbox::calendar.eq(&calendar),
            ))
            .execute(conn)?)
    })?;
    Ok(changed == 1)
}

/// Records a failed attempt (counted when it was claimed): queued again after `retry_at`, or
/// failed when `retry_at` is None.
pub fn mark_failed(
    conn: &mut Conn,
    row: &OutboxRow,
    claimant: &str,
    error: &str,
    outcome: Outcome,
) -> Result<(), AppError> {
    let error: String = error.chars().take(ERROR_LIMIT).collect();
    let (status, next) = match outcome {
        Outcome::Retry(at) => (Status::Queued, db::micros(at)),
        Outcome::Failed => (Status::Failed, row.next_attempt_at),
    };
    db::write(conn, |conn| {
        diesel::update(mine(&row.id, claimant))
            .set((
                outbox::status.eq(status.as_str()),
                outbox::next_attempt_at.eq(next),
                outbox::last_error.eq(Some(error.clone())),
                outbox::claimed_by.eq(None::<String>),
                outbox::lease_until.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// Gives back claimed messages that were not attempted (shutdown, or the lease running short),
/// uncounting the attempt their claim counted.
pub fn release(conn: &mut Conn, ids: &[String], claimant: &str) -> Result<usize, AppError> {
    db::write(conn, |conn| {
        Ok(diesel::update(
            outbox::table
                .filter(outbox::id.eq_any(ids))
                .filter(outbox::claimed_by.eq(claimant))
                .filter(outbox::status.eq(Status::Sending.as_str())),
        )
        .set((
            outbox::status.eq(Status::Queued.as_str()),
            outbox::claimed_by.eq(None::<String>),
            outbox::lease_until.eq(None::<NaiveDateTime>),
            outbox::attempts.eq(outbox::attempts - 1),
        ))
        .execute(conn)?)
    })
}

type Mine<'a> = diesel::dsl::Filter<
    diesel::dsl::Filter<
        diesel::dsl::Filter<outbox::table, diesel::dsl::Eq<outbox::id, &'a str>>,
        diesel::dsl::Eq<outbox::claimed_by, &'a str>,
    >,
    diesel::dsl::Eq<outbox::status, &'static str>,
>;

/// The row while this claimant still holds it.
fn mine<'a>(id: &'a str, claimant: &'a str) -> Mine<'a> {
    outbox::table
        .filter(outbox::id.eq(id))
        .filter(outbox::claimed_by.eq(claimant))
        .filter(outbox::status.eq(Status::Sending.as_str()))
}
