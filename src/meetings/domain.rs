//! Meetings (SG1 plenaries and Rapporteur Group meetings) and the rules on their days and time zone.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::input::{Check, Field};

/// What kind of ITU-D meeting the sessions are held along with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    StudyGroup,
    RapporteurGroup,
}

impl MeetingKind {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::StudyGroup => "study_group",
            MeetingKind::RapporteurGroup => "rapporteur_group",
        }
    }

    /// Reads a wire name.
    pub fn parse(name: &str) -> Option<MeetingKind> {
        [MeetingKind::StudyGroup, MeetingKind::RapporteurGroup]
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

/// A meeting with its validated fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub id: String,
    pub kind: MeetingKind,
    pub study_group: i32,
    pub question: String,
    pub title: String,
    pub venue: String,
    pub timezone: Tz,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The fields of a meeting a caller may set.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingFields {
    pub kind: MeetingKind,
    pub study_group: i32,
    pub question: String,
    pub title: String,
    pub venue: String,
    pub timezone: Tz,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

/// A meeting as a client sends it; every field is checked and every failure named.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingInput {
    #[serde(default)]
    #[schema(value_type = MeetingKind)]
    pub kind: Field<String>,
    #[serde(default)]
    #[schema(value_type = i32, example = 1)]
    pub study_group: Field<i64>,
    #[serde(default)]
    #[schema(value_type = String, example = "22-1/1")]
    pub question: Field<String>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub title: Field<String>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub venue: Field<String>,
    #[serde(default)]
    #[schema(value_type = String, example = "Europe/Zurich")]
    pub timezone: Field<String>,
    #[serde(default)]
    #[schema(value_type = String, format = Date)]
    pub first_day: Field<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = String, format = Date)]
    pub last_day: Field<NaiveDate>,
}

/// Longest meeting accepted, in days.
pub const MAX_DAYS: i64 = 31;

impl MeetingInput {
    /// Checks every field and the rules between them.
    pub fn validate(self) -> Result<MeetingFields, AppError> {
        let mut check = Check::new();
        let kind = check.required("kind", self.kind).and_then(|k| {
            let kind = MeetingKind::parse(&k);
            if kind.is_none() {
                check.fail("kind", "must be study_group or rapporteur_group");
            }
            kind
        });
        let study_group = match check.optional("study_group", self.study_group) {
            None => Some(1),
            Some(n @ 1..=9) => Some(n as i32),
            Some(_) => {
                check.fail("study_group", "must be 1 or 2 (an ITU-D study group)");
                None
            }
        };
        let question = check.line("question", self.question, 20).and_then(|q| {
            let ok = is_question_number(&q);
            if !ok {
                check.fail(
                    "question",
                    "must look like 22-1/1 (Question number/Study Group)",
                );
            }
            ok.then_some(q)
        });
        let title = check.line("title", self.title, 200);
        let venue = check.line("venue", self.venue, 200);
        let timezone = check.line("timezone", self.timezone, 64).and_then(|t| {
            let tz = t.parse::<Tz>().ok();
            if tz.is_none() {
                check.fail(
                    "timezone",
                    "must be an IANA time zone such as Europe/Zurich",
                );
            }
            tz
        });
        let first_day = check.required("first_day", self.first_day);
        let last_day = check.required("last_day", self.last_day);
        if let (Some(first), Some(last)) = (first_day, last_day) {
            if last < first {
                check.fail("last_day", "must not be before first_day");
            } else if (last - first).num_days() >= MAX_DAYS {
                check.fail(
                    "last_day",
                    format!("a meeting lasts at most {MAX_DAYS} days"),
                );
            }
        }
        check.finish()?;
        match (
            kind,
            study_group,
            question,
            title,
            venue,
            timezone,
            first_day,
            last_day,
        ) {
            (
                Some(kind),
                Some(study_group),
                Some(question),
                Some(title),
                Some(venue),
                Some(timezone),
                Some(first_day),
                Some(last_day),
            ) => Ok(MeetingFields {
                kind,
                study_group,
                question,
                title,
                venue,
                timezone,
                first_day,
                last_day,
            }),
            _ => Err(AppError::Internal("meeting validation lost a field".into())),
        }
    }
}

/// `22-1/1`, `3/2`: a question number, an optional revision, a slash and the study group.
pub fn is_question_number(q: &str) -> bool {
    let Some((number, group)) = q.split_once('/') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let number_ok = match number.split_once('-') {
        Some((n, rev)) => digits(n) && digits(rev),
        None => digits(number),
    };
    number_ok && digits(group)
}

/// The instant a local midnight falls on, taking the earlier one where clocks go back and the
/// first valid minute where they jump forward.
fn local_midnight(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    let naive = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    (0..=120)
        .find_map(|minutes| {
            tz.from_local_datetime(&(naive + Duration::minutes(minutes)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

impl Meeting {
    /// From the first day's local midnight to the local midnight after the last day.
    pub fn window(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let end = self.last_day.succ_opt().unwrap_or(self.last_day);
        (
            local_midnight(self.timezone, self.first_day),
            local_midnight(self.timezone, end),
        )
    }

    /// True when the interval lies within the meeting's days in its time zone.
    pub fn contains(&self, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> bool {
        let (from, to) = self.window();
        from <= starts_at && ends_at <= to
    }

    /// True while the meeting's last day has not passed in its time zone.
    pub fn is_upcoming(&self, now: DateTime<Utc>) -> bool {
        self.window().1 > now
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting(tz: &str, first: (i32, u32, u32), last: (i32, u32, u32)) -> Meeting {
        let day = |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        Meeting {
            id: "m".into(),
            kind: MeetingKind::StudyGroup,
            study_group: 1,
            question: "22-1/1".into(),
            title: "SG1".into(),
            venue: "Geneva".into(),
            timezone: tz.parse().unwrap(),
            first_day: day(first),
            last_day: day(last),
            created_at: NaiveDateTime::default(),
            updated_at: NaiveDateTime::default(),
        }
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_session_on_the_last_evening_in_geneva_lies_inside_the_meeting() {
        let m = meeting("Europe/Zurich", (2026, 3, 9), (2026, 3, 13));
        assert!(m.contains(utc("2026-03-13T17:00:00Z"), utc("2026-03-13T22:59:00Z")));
        assert!(!m.contains(utc("2026-03-13T22:30:00Z"), utc("2026-03-13T23:30:00Z")));
    }

    #[test]
    fn the_first_morning_is_counted_in_the_meetings_time_zone_not_utc() {
        let m = meeting("Asia/Tokyo", (2026, 3, 9), (2026, 3, 9));
        // 08:00 in Tokyo on 9 March is 23:00 UTC on 8 March.
        assert!(m.contains(utc("2026-03-08T23:00:00Z"), utc("2026-03-09T01:00:00Z")));
        assert!(!m.contains(utc("2026-03-08T14:00:00Z"), utc("2026-03-08T16:00:00Z")));
    }

    #[test]
    fn question_numbers_follow_the_itu_form() {
        assert!(is_question_number("22-1/1"));
        assert!(is_question_number("3/2"));
        for bad in ["22", "22-/1", "/1", "a-1/1", "22-1/"] {
            assert!(!is_question_number(bad), "{bad}");
        }
    }

    #[test]
    fn a_meeting_ending_before_it_starts_is_refused_with_every_field_named() {
        let input = MeetingInput {
            kind: Field::Value("plenary".into()),
            timezone: Field::Value("Mars/Base".into()),
            first_day: Field::Value(NaiveDate::from_ymd_opt(2026, 3, 13).unwrap()),
            last_day: Field::Value(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()),
            ..MeetingInput::default()
        };
        let Err(AppError::Invalid(errors)) = input.validate() else {
            panic!("expected Invalid")
        };
        for field in ["kind", "question", "title", "venue", "timezone", "last_day"] {
            assert!(errors.contains_key(field), "{field} not named: {errors:?}");
        }
    }
}
