//! When a reminder is due. Pure: the instant and the settings are passed in.

use chrono::{DateTime, Duration, Utc};

/// The sessions whose reminders are due at `now` start in `(now, now + days]`: from `days`
/// before the start until it starts; a session already started gets none.
pub fn window(now: DateTime<Utc>, days_before: u32) -> (DateTime<Utc>, DateTime<Utc>) {
    (now, now + Duration::days(i64::from(days_before)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_runs_from_now_to_days_ahead() {
        let now = DateTime::parse_from_rfc3339("2027-03-09T14:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let (from, until) = window(now, 1);
        assert_eq!(from, now);
        assert_eq!(until.to_rfc3339(), "2027-03-10T14:30:00+00:00");
    }
}
