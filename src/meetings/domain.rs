//! Meetings (SG1 plenaries and Rapporteur Group meetings) and the rules on their days and time zone.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::input::{Check, Field, Invalid};

crate::typed_id!(
    /// A meeting's id.
    MeetingId
);

crate::text_enum!(
    /// What kind of ITU-D meeting the sessions are held along with.
    MeetingKind {
        StudyGroup = "study_group",
        RapporteurGroup = "rapporteur_group",
    }
);

/// A meeting with its validated fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub id: MeetingId,
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

fn kind(check: &mut Check, value: Field<String>) -> Option<MeetingKind> {
    let kind = check.required("kind", value)?;
    let parsed = MeetingKind::parse(&kind);
    if parsed.is_none() {
        check.fail("kind", "must be study_group or rapporteur_group");
    }
    parsed
}

fn study_group(check: &mut Check, value: Field<i64>) -> Option<i32> {
    match check.optional("study_group", value) {
        None => Some(1),
        Some(n @ 1..=9) => Some(n as i32),
        Some(_) => {
            check.fail("study_group", "must be 1 or 2 (an ITU-D study group)");
            None
        }
    }
}

fn question(check: &mut Check, value: Field<String>) -> Option<String> {
    let question = check.line("question", value, 20)?;
    if !is_question_number(&question) {
        check.fail(
            "question",
            "must look like 22-1/1 (Question number/Study Group)",
        );
        return None;
    }
    Some(question)
}

fn timezone(check: &mut Check, value: Field<String>) -> Option<Tz> {
    let tz = check.line("timezone", value, 64)?.parse::<Tz>().ok();
    if tz.is_none() {
        check.fail(
            "timezone",
            "must be an IANA time zone such as Europe/Zurich",
        );
    }
    tz
}

fn days(
    check: &mut Check,
    first: Field<NaiveDate>,
    last: Field<NaiveDate>,
) -> Option<(NaiveDate, NaiveDate)> {
    let (first, last) = (
        check.required("first_day", first),
        check.required("last_day", last),
    );
    let (first, last) = (first?, last?);
    if last < first {
        check.fail("last_day", "must not be before first_day");
    } else if (last - first).num_days() >= MAX_DAYS {
        check.fail(
            "last_day",
            format!("a meeting lasts at most {MAX_DAYS} days"),
        );
    }
    Some((first, last))
}

impl MeetingInput {
    /// Checks every field and the rules between them.
    pub fn validate(self) -> Result<MeetingFields, Invalid> {
        let mut check = Check::new();
        let kind = kind(&mut check, self.kind);
        let study_group = study_group(&mut check, self.study_group);
        let question = question(&mut check, self.question);
        let title = check.line("title", self.title, 200);
        let venue = check.line("venue", self.venue, 200);
        let timezone = timezone(&mut check, self.timezone);
        let days = days(&mut check, self.first_day, self.last_day);
        let fields = (|| {
            let (first_day, last_day) = days?;
            Some(MeetingFields {
                kind: kind?,
                study_group: study_group?,
                question: question?,
                title: title?,
                venue: venue?,
                timezone: timezone?,
                first_day,
                last_day,
            })
        })();
        check.finish()?;
        // Every field missing above has been named by the check.
        fields.ok_or_else(|| Invalid::field("kind", "is required"))
    }
}

impl MeetingFields {
    /// The new meeting these fields describe.
    pub fn into_meeting(self, id: MeetingId, now: NaiveDateTime) -> Meeting {
        Meeting {
            id,
            kind: self.kind,
            study_group: self.study_group,
            question: self.question,
            title: self.title,
            venue: self.venue,
            timezone: self.timezone,
            first_day: self.first_day,
            last_day: self.last_day,
            created_at: now,
            updated_at: now,
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

/// The earliest last day an upcoming meeting can have: a day of slack, since the last day in the
/// westernmost zone may still be running.
pub fn upcoming_last_day(now: DateTime<Utc>) -> NaiveDate {
    (now - Duration::days(1)).date_naive()
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
#[path = "domain_tests.rs"]
mod tests;
