//! The rules of delivery: what follows a failed attempt, and how long to wait before the next.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;

/// What became of a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Queued again, due at the given instant.
    Retry(DateTime<Utc>),
    /// Given up: out of attempts, or the failure cannot pass by retrying.
    Failed,
}

/// What follows the `attempt`-th failure (1 = first) given at most `max_attempts` attempts.
pub fn after_failure(
    attempt: u32,
    max_attempts: u32,
    permanent: bool,
    now: DateTime<Utc>,
    base: Duration,
    max: Duration,
) -> Outcome {
    if permanent || attempt >= max_attempts {
        return Outcome::Failed;
    }
    let delay = backoff(attempt, base, max, rand::rng().random_range(0.0..=1.0));
    let delay = chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::hours(1));
    Outcome::Retry(now + delay)
}

/// Exponential backoff with "equal jitter": the delay doubles per attempt up to `max`, and a
/// random half of it (`jitter` in 0..=1) spreads out instances that failed together.
pub fn backoff(attempt: u32, base: Duration, max: Duration, jitter: f64) -> Duration {
    let doubling = 2u32.saturating_pow(attempt.saturating_sub(1).min(30));
    let full = base.saturating_mul(doubling).min(max);
    full / 2 + (full / 2).mul_f64(jitter.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Duration = Duration::from_secs(30);
    const MAX: Duration = Duration::from_secs(3600);

    #[test]
    fn the_delay_doubles_with_each_attempt_until_the_cap() {
        let full = |attempt| backoff(attempt, BASE, MAX, 1.0);
        assert_eq!(full(1), BASE);
        assert_eq!(full(2), BASE * 2);
        assert_eq!(full(3), BASE * 4);
        assert_eq!(full(20), MAX);
        assert_eq!(full(u32::MAX), MAX);
    }

    #[test]
    fn jitter_keeps_the_delay_between_half_and_all_of_it() {
        for attempt in 1..10 {
            let low = backoff(attempt, BASE, MAX, 0.0);
            let high = backoff(attempt, BASE, MAX, 1.0);
            assert_eq!(low * 2, high);
            let mid = backoff(attempt, BASE, MAX, 0.5);
            assert!(low < mid && mid < high);
        }
    }

    #[test]
    fn the_last_allowed_attempt_or_a_permanent_error_fails_the_message() {
        let now = Utc::now();
        assert_eq!(after_failure(3, 3, false, now, BASE, MAX), Outcome::Failed);
        assert_eq!(after_failure(1, 3, true, now, BASE, MAX), Outcome::Failed);
        match after_failure(2, 3, false, now, BASE, MAX) {
            Outcome::Retry(at) => {
                assert!(at >= now + chrono::Duration::seconds(30));
                assert!(at <= now + chrono::Duration::seconds(60));
            }
            Outcome::Failed => panic!("a second failure of three is retried"),
        }
    }
}
