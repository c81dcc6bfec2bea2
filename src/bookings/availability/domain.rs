//! When rooms and items are busy or free: spans of time, the total held at each instant, and
//! the gaps between. Pure, and a leaf: bookings build their clash rules on it.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::input::{Check, Invalid};

/// Longest span an availability question may cover.
pub const MAX_AVAILABILITY_DAYS: i64 = 92;
/// How far ahead anything can be booked, as far as a change of stock is concerned.
const HORIZON_DAYS: i64 = 366 * 10;

/// A half-open span of time `[from, to)`: one that ends as another starts does not clash with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Interval {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Interval {
    /// The span from `from` to `to`.
    pub fn new(from: DateTime<Utc>, to: DateTime<Utc>) -> Interval {
        Interval { from, to }
    }

    /// From now on, as far ahead as any booking can reach.
    pub fn ahead(now: DateTime<Utc>) -> Interval {
        Interval::new(now, now + Duration::days(HORIZON_DAYS))
    }

    /// The time a room is blocked for a session: its time widened by set-up and tear-down.
    pub fn blocked(
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        setup_minutes: i32,
        teardown_minutes: i32,
    ) -> Interval {
        Interval {
            from: starts_at - Duration::minutes(setup_minutes.into()),
            to: ends_at + Duration::minutes(teardown_minutes.into()),
        }
    }

    /// True when the two spans share at least one instant.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.from < other.to && other.from < self.to
    }

    /// True when the instant lies in the span.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && at < self.to
    }
}

/// An availability question may cover up to `MAX_AVAILABILITY_DAYS`, and must end after it starts.
pub fn check_window(within: &Interval) -> Result<(), Invalid> {
    let mut check = Check::new();
    if within.to <= within.from {
        check.fail("to", "must be after from");
    } else if within.to - within.from > Duration::days(MAX_AVAILABILITY_DAYS) {
        check.fail(
            "to",
            format!("must be at most {MAX_AVAILABILITY_DAYS} days after from"),
        );
    }
    check.finish()
}

/// A quantity held over a span (an equipment reservation).
pub trait Load {
    /// When it is held.
    fn span(&self) -> Interval;
    /// How many are held.
    fn quantity(&self) -> i32;
}

/// The instants at which the held total can change upwards inside `within`.
fn rising_points(within: &Interval, held: &[impl Load]) -> Vec<DateTime<Utc>> {
    let mut points: Vec<DateTime<Utc>> = std::iter::once(within.from)
        .chain(
            held.iter()
                .map(|h| h.span().from)
                .filter(|at| within.contains(*at)),
        )
        .collect();
    points.sort();
    points.dedup();
    points
}

fn total_at(at: DateTime<Utc>, held: &[impl Load]) -> i32 {
    held.iter()
        .filter(|h| h.span().contains(at))
        .map(|h| h.quantity())
        .sum()
}

/// The largest total held at any instant of `within`.
///
/// The total only rises where a reservation starts, so its maximum inside the span is reached
/// at the span's start or at a reservation's start within it. Summing every reservation that
/// overlaps the span would refuse two sessions that merely follow one another.
pub fn peak(within: &Interval, held: &[impl Load]) -> i32 {
    rising_points(within, held)
        .into_iter()
        .map(|at| total_at(at, held))
        .max()
        .unwrap_or(0)
}

/// The loads that together exceed `stock` at some instant of `within` (none when it fits).
///
/// Each one is held at an instant where the total is over stock; indices into `held`.
pub fn over_stock(stock: i32, within: &Interval, held: &[impl Load]) -> Vec<usize> {
    let mut culprits: Vec<usize> = Vec::new();
    for at in rising_points(within, held) {
        if total_at(at, held) > stock {
            culprits.extend(
                held.iter()
                    .enumerate()
                    .filter(|(_, h)| h.span().contains(at))
                    .map(|(i, _)| i),
            );
        }
    }
    culprits.sort_unstable();
    culprits.dedup();
    culprits
}

/// The free gaps of `within` between busy intervals (sorted by start).
pub fn free_gaps(within: &Interval, busy: &[Interval]) -> Vec<Interval> {
    let mut gaps = Vec::new();
    let mut cursor = within.from;
    for b in busy {
        if b.from > cursor {
            gaps.push(Interval::new(cursor, b.from.min(within.to)));
        }
        cursor = cursor.max(b.to);
    }
    if cursor < within.to {
        gaps.push(Interval::new(cursor, within.to));
    }
    gaps
}

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;
