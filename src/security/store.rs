//! Queries on the rate-limit counters.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::rate_counters;
use crate::db::Conn;

/// Adds one to a counter whose window opened after `opened_after` and is below `max`; answers
/// 1 when counted, 0 when no such counter exists or it is full.
pub fn count_hit(
    conn: &mut Conn,
    bucket: &str,
    key: &str,
    opened_after: NaiveDateTime,
    max: i32,
) -> QueryResult<usize> {
    diesel::update(
        rate_counters::table
            .filter(rate_counters::bucket.eq(bucket))
            .filter(rate_counters::key.eq(key))
            .filter(rate_counters::window_start.gt(opened_after))
            .filter(rate_counters::count.lt(max)),
    )
    .set(rate_counters::count.eq(rate_counters::count + 1))
    .execute(conn)
}

/// When the counter's window opened, if it opened after `opened_after`.
pub fn open_since(
    conn: &mut Conn,
    bucket: &str,
    key: &str,
    opened_after: NaiveDateTime,
) -> QueryResult<Option<NaiveDateTime>> {
    rate_counters::table
        .filter(rate_counters::bucket.eq(bucket))
        .filter(rate_counters::key.eq(key))
        .filter(rate_counters::window_start.gt(opened_after))
        .select(rate_counters::window_start)
        .first(conn)
        .optional()
}

/// A counter: when its window opened, its count, and until when the next attempt waits.
pub fn counter(
    conn: &mut Conn,
    bucket: &str,
    key: &str,
) -> QueryResult<Option<(NaiveDateTime, i32, Option<NaiveDateTime>)>> {
    rate_counters::table
        .filter(rate_counters::bucket.eq(bucket))
        .filter(rate_counters::key.eq(key))
        .select((
            rate_counters::window_start,
            rate_counters::count,
            rate_counters::blocked_until,
        ))
        .first(conn)
        .optional()
}

/// Sets a counter to `next` (and its wait) only if it still holds `seen` (window, count): a
/// compare-and-set, so two attempts cannot both count as the same one.
pub fn count_attempt(
    conn: &mut Conn,
    bucket: &str,
    key: &str,
    seen: (NaiveDateTime, i32),
    next: i32,
    wait: Option<NaiveDateTime>,
) -> QueryResult<usize> {
    diesel::update(
        rate_counters::table
            .filter(rate_counters::bucket.eq(bucket))
            .filter(rate_counters::key.eq(key))
            .filter(rate_counters::window_start.eq(seen.0))
            .filter(rate_counters::count.eq(seen.1)),
    )
    .set((
        rate_counters::count.eq(next),
        rate_counters::blocked_until.eq(wait),
    ))
    .execute(conn)
}

/// Replaces a closed window with a new one holding this first hit; an instance that races us
/// to the insert makes ours fail as a duplicate, and `hit` then counts against its window.
pub fn open_window(
    conn: &mut Conn,
    bucket: &str,
    key: &str,
    now: NaiveDateTime,
    blocked_until: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::delete(
        rate_counters::table
            .filter(rate_counters::bucket.eq(bucket))
            .filter(rate_counters::key.eq(key)),
    )
    .execute(conn)?;
    diesel::delete(
        rate_counters::table.filter(rate_counters::window_start.lt(now - Duration::days(1))),
    )
    .execute(conn)?;
    diesel::insert_into(rate_counters::table)
        .values((
            rate_counters::bucket.eq(bucket),
            rate_counters::key.eq(key),
            rate_counters::window_start.eq(now),
            rate_counters::count.eq(1),
            rate_counters::blocked_until.eq(blocked_until),
        ))
        .execute(conn)?;
    Ok(())
}

/// Gives back one hit (a sign-in that succeeded was not a failure).
pub fn give_back(conn: &mut Conn, bucket: &str, key: &str) -> QueryResult<usize> {
    diesel::update(
        rate_counters::table
            .filter(rate_counters::bucket.eq(bucket))
            .filter(rate_counters::key.eq(key))
            .filter(rate_counters::count.gt(0)),
    )
    .set(rate_counters::count.eq(rate_counters::count - 1))
    .execute(conn)
}

/// Forgets a key's counter (the account signed in, so earlier failures no longer count).
pub fn clear(conn: &mut Conn, bucket: &str, key: &str) -> QueryResult<usize> {
    diesel::delete(
        rate_counters::table
            .filter(rate_counters::bucket.eq(bucket))
            .filter(rate_counters::key.eq(key)),
    )
    .execute(conn)
}
