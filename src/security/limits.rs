//! Rate limits kept in the database, so that every instance counts against the same numbers.
//!
//! A counter is a fixed window per (bucket, key): the first hit opens the window, each hit adds
//! one while the count is below the limit, and a hit at the limit answers 429 with the seconds
//! left in the window. The increment is one conditional UPDATE (`count < limit`), which both
//! backends apply atomically, so concurrent requests can never pass more than `limit` hits.
//!
//! Sign-in is not locked that way, or anyone could lock anyone out: attempts are counted per
//! account and client address together, and past a few free ones each further attempt from that
//! address at that account waits longer (`Backoff`), while the right password from elsewhere is
//! never refused. A per-address limit still stops one client spraying guesses over accounts.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use crate::config::LimitSettings;
use crate::db::{self, Conn};
use crate::error::AppError;
use crate::security::proxies::TrustedProxies;
use crate::security::store;
use crate::state::AppState;

/// Bucket of sign-in attempts per account and client address together (see `pair`).
pub const SIGN_IN_PAIR: &str = "sign_in_pair";
/// Bucket of sign-in attempts per client address.
pub const SIGN_IN_ADDRESS: &str = "sign_in_address";
/// Bucket of public registrations (and focal points' decision links) per client address.
pub const REGISTRATION: &str = "registration";

/// The key of an account (normalised email) and a client address together.
pub fn pair(email: &str, address: &str) -> String {
    format!("{address} {email}")
}

/// A limit: at most `max` hits per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
}

impl Limit {
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

    /// Registrations per client address per minute: generous, since the delegates at one venue
    /// often share one address.
    pub fn registration(settings: &LimitSettings) -> Limit {
        Limit {
            max: settings.registration_per_address_per_minute,
            window: Duration::minutes(1),
        }
    }

    /// The limit a public bucket counts against.
    pub fn of_bucket(settings: &LimitSettings, bucket: &str) -> Limit {
        match bucket {
            REGISTRATION => Limit::registration(settings),
            _ => Limit::public(settings),
        }
    }
}

/// How repeated attempts slow down: `free` attempts within the window pass at once; after each
/// further one the next must wait `first`, doubling, at most `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub free: u32,
    pub first: Duration,
    pub max: Duration,
    pub window: Duration,
}

impl Backoff {
    /// Sign-in attempts per account and address.
    pub fn sign_in(settings: &LimitSettings) -> Backoff {
        Backoff {
            free: settings.sign_in_per_account,
            first: Duration::seconds(settings.sign_in_delay_secs as i64),
            max: Duration::seconds(settings.sign_in_max_delay_secs as i64),
            window: Duration::seconds(settings.window_secs as i64),
        }
    }

    /// How long the attempt after the `attempt`th (counting from 1) must wait, if at all.
    pub fn wait_after(&self, attempt: u32) -> Option<Duration> {
        if attempt < self.free.max(1) || self.first <= Duration::zero() {
            return None;
        }
        let doublings = (attempt - self.free.max(1)).min(20);
        let wait = self.first * 2i32.pow(doublings);
        Some(wait.min(self.max.max(self.first)))
    }
}

/// Seconds until `until` (at least 1).
fn seconds_until(until: NaiveDateTime, now: NaiveDateTime) -> u64 {
    let left = until - now;
    let whole = left.num_seconds() + i64::from(left.subsec_nanos() > 0);
    whole.max(1) as u64
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
            if store::count_hit(conn, bucket, key, opened_after, limit.max as i32)? == 1 {
                return Ok(());
            }
            let open = store::open_since(conn, bucket, key, opened_after)?;
            if let Some(start) = open {
                let retry_after_secs = retry_after(start, limit.window, now);
                return Err(AppError::TooManyRequests { retry_after_secs });
            }
            if limit.max == 0 {
                return Err(AppError::TooManyRequests {
                    retry_after_secs: limit.window.num_seconds().max(1) as u64,
                });
            }
            Ok(store::open_window(conn, bucket, key, now, None)?)
        });
        match result {
            Err(e) if e.is_unique_violation() && attempt < 3 && !db::in_transaction(conn) => {
                attempt += 1
            }
            other => return other,
        }
    }
}

/// Counts one attempt of `key` in `bucket` under a backoff: 429 with the seconds left while the
/// wait set by the previous attempt runs; otherwise the attempt is counted and sets the wait of
/// the next one. Each attempt is counted before it is checked, with a compare-and-set on the
/// count, so concurrent attempts cannot slip past the wait. Joins an open transaction.
pub fn attempt(
    conn: &mut Conn,
    bucket: &str,
    key: &str,
    backoff: Backoff,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let now = db::micros(now);
    let opened_after = now - backoff.window;
    for _ in 0..8 {
        let result = db::write_or_join(conn, |conn| {
            let counter = store::counter(conn, bucket, key)?;
            let Some((start, count, blocked)) = counter.filter(|c| c.0 > opened_after) else {
                let wait = backoff.wait_after(1).map(|w| now + w);
                store::open_window(conn, bucket, key, now, wait)?;
                return Ok(true);
            };
            if let Some(until) = blocked.filter(|until| *until > now) {
                let retry_after_secs = seconds_until(until, now);
                return Err(AppError::TooManyRequests { retry_after_secs });
            }
            let next = count.saturating_add(1);
            let wait = backoff.wait_after(next.max(1) as u32).map(|w| now + w);
            let counted = store::count_attempt(conn, bucket, key, (start, count), next, wait)?;
            Ok(counted == 1)
        });
        match result {
            Ok(true) => return Ok(()),
            // Another attempt changed the counter first: look again.
            Ok(false) => {}
            Err(e) if e.is_unique_violation() && !db::in_transaction(conn) => {}
            Err(other) => return Err(other),
        }
    }
    Err(AppError::TooManyRequests {
        retry_after_secs: 1,
    })
}

/// The reusable limit for public routes: counts one request of `key` (normally the client
/// address, see `address`) in `bucket` against the bucket's limit (`REGISTRATION`:
/// `limits.registration_per_address_per_minute`; any other: `limits.public_per_address_per_minute`),
/// and answers `AppError::TooManyRequests` (429 with Retry-After) past it. Does nothing when
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
    let limit = Limit::of_bucket(settings, bucket);
    let (bucket, key) = (bucket.to_string(), key.to_string());
    db::run(&state.pool, move |conn| {
        hit(conn, &bucket, &key, limit, Utc::now())
    })
    .await
}

/// The client address a limit is keyed by: the peer of the TCP connection, or, when the peer is
/// one of `server.trusted_proxies`, the client it forwarded for (see `proxies`).
pub fn address(req: &actix_web::HttpRequest) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".into();
    };
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect();
    let proxies = req
        .app_data::<actix_web::web::Data<AppState>>()
        .map(|state| state.proxies.clone())
        .unwrap_or_else(|| std::sync::Arc::new(TrustedProxies::default()));
    proxies.client(peer, &forwarded).to_string()
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

    #[test]
    fn attempts_pass_freely_then_wait_twice_as_long_each_time_up_to_the_cap() {
        let backoff = Backoff {
            free: 5,
            first: Duration::seconds(2),
            max: Duration::seconds(60),
            window: Duration::seconds(900),
        };
        let waits: Vec<_> = (1..=11)
            .map(|n| backoff.wait_after(n).map(|w| w.num_seconds()))
            .collect();
        assert_eq!(
            waits,
            [
                None,
                None,
                None,
                None,
                Some(2),
                Some(4),
                Some(8),
                Some(16),
                Some(32),
                Some(60),
                Some(60)
            ]
        );
        assert_eq!(backoff.wait_after(u32::MAX), Some(Duration::seconds(60)));
    }

    #[test]
    fn a_wait_is_rounded_up_to_whole_seconds() {
        let now = Utc::now().naive_utc();
        assert_eq!(seconds_until(now + Duration::milliseconds(1500), now), 2);
        assert_eq!(seconds_until(now, now), 1);
    }
}
