//! Rate limits kept in the database, so that every instance counts against the same numbers.
//!
//! A counter is a fixed window per (bucket, key): the first hit opens the window, each hit adds
//! one while the count is below the limit, and a hit at the limit answers 429 with the seconds
//! left in the window. The increment is one conditional UPDATE (`count < limit`), which both
//! backends apply atomically, so concurrent requests can never pass more than `limit` hits.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::config::LimitSettings;
use crate::db::schema::rate_counters;
use crate::db::{self, Conn};
use crate::error::AppError;
use crate::state::AppState;

/// Bucket of sign-in attempts per account (keyed by the normalised email).
pub const SIGN_IN_ACCOUNT: &str = "sign_in_account";
/// Bucket of sign-in attempts per client address.
pub const SIGN_IN_ADDRESS: &str = "sign_in_address";

/// A limit: at most `max` hits per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
}

impl Limit {
    /// Failed sign-ins allowed per account.
    pub fn sign_in_account(settings: &LimitSettings) -> Limit {
        Limit {
            max: settings.sign_in_per_account,
            window: Duration::seconds(settings.window_secs as i64),
        }
    }

    /// Failed sign-ins allowed per client address.
    pub fn sign_in_address(settings: &LimitSettings) -> Limit {
        Limit {
            max: settings.sign_in_per_address,
            window: Duration::seconds(settings.window_secs as i64),
        }
    }

    /// Requests per client address per minute on public routes.
    pub fn public(settings: &LimitSettings) -> Limit {
        Limit {
            max: settings.public_per_address_per_minute,
            window: Duration::minutes(1),
        }
    }
}

/// Seconds until a window that opened at `start` closes (at least 1).
pub fn retry_after(start: NaiveDateTime, window: Duration, now: NaiveDateTime) -> u64 {
    ((start + window) - now).num_seconds().max(1) as u64
}

/// Counts one hit of `key` in `bucket`; 429 when the limit is reached. Joins an open transaction.
pub fn hit(
    conn: &mut Conn,
    bucket: &str,
    key: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let now = db::micros(now);
    let opened_after = now - limit.window;
    let mut attempt = 0;
    loop {
        let result = db::write_or_join(conn, |conn| {
            let counted = diesel::update(
                rate_counters::table
                    .filter(rate_counters::bucket.eq(bucket))
                    .filter(rate_counters::key.eq(key))
                    .filter(rate_counters::window_start.gt(opened_after))
                    .filter(rate_counters::count.lt(limit.max as i32)),
            )
            .set(rate_counters::count.eq(rate_counters::count + 1))
            .execute(conn)?;
            if counted == 1 {
                return Ok(());
            }
            let open: Option<NaiveDateTime> = rate_counters::table
                .filter(rate_counters::bucket.eq(bucket))
                .filter(rate_counters::key.eq(key))
                .filter(rate_counters::window_start.gt(opened_after))
                .select(rate_counters::window_start)
                .first(conn)
                .optional()?;
            if let Some(start) = open {
                let retry_after_secs = retry_after(start, limit.window, now);
                return Err(AppError::TooManyRequests { retry_after_secs });
            }
            if limit.max == 0 {
                return Err(AppError::TooManyRequests {
                    retry_after_secs: limit.window.num_seconds().max(1) as u64,
                });
            }
            open_window(conn, bucket, key, now)
        });
        match result {
            Err(e) if e.is_unique_violation() && attempt < 3 && !db::in_transaction(conn) => {
                attempt += 1
            }
            other => return other,
        }
    }
}

/// Replaces a closed window with a new one holding this first hit; an instance that races us
/// to the insert makes ours fail as a duplicate, and `hit` then counts against its window.
fn open_window(
    conn: &mut Conn,
    bucket: &str,
    key: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
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

/// The reusable limit for public routes: counts one request of `key` (normally the client
/// address, see `address`) in `bucket` against `limits.public_per_address_per_minute`, and
/// answers `AppError::TooManyRequests` (429 with Retry-After) past it. Does nothing when
/// `limits.enabled` is false.
///
/// ```ignore
/// crate::security::limits::check(&state, "registration", &crate::security::limits::address(&req)).await?;
/// ```
pub async fn check(state: &AppState, bucket: &str, key: &str) -> Result<(), AppError> {
    let settings = &state.settings.limits;
    if !settings.enabled {
        return Ok(());
    }
    let limit = Limit::public(settings);
    let (bucket, key) = (bucket.to_string(), key.to_string());
    db::run(&state.pool, move |conn| {
        hit(conn, &bucket, &key, limit, Utc::now())
    })
    .await
}

/// The client address a limit is keyed by: the peer of the TCP connection. Forwarded headers are
/// not trusted, since any client can write them.
pub fn address(req: &actix_web::HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_counts_the_seconds_left_in_the_window_and_is_never_zero() {
        let start = Utc::now().naive_utc();
        let window = Duration::seconds(900);
        assert_eq!(
            retry_after(start, window, start + Duration::seconds(100)),
            800
        );
        assert_eq!(
            retry_after(start, window, start + Duration::seconds(900)),
            1
        );
    }
}
