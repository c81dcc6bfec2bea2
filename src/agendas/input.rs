//! Reading an agenda item from a JSON body (RFC 3339 instants) or from a page's form (a date and
//! clock times in the meeting's zone). Pure: every invalid field is named at once.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::domain::{AgendaItemId, Item, ItemKind};
use crate::input::{Check, Field, Invalid};

/// Longest title accepted.
pub const MAX_TITLE: usize = 200;
/// Longest description accepted.
pub const MAX_DESCRIPTION: usize = 5000;
const INSTANT_HINT: &str =
    "must be an RFC 3339 instant with an offset, e.g. 2026-03-10T14:30:00+01:00";

/// An item as a client sends it: every field for a new item, any of them for a change. A change
/// that gives only `starts_at` moves the item and keeps its length.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    #[serde(default)]
    #[schema(value_type = ItemKind)]
    pub kind: Field<String>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub title: Field<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Field<String>,
    #[serde(default)]
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: Field<DateTime<FixedOffset>>,
    #[serde(default)]
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: Field<DateTime<FixedOffset>>,
    /// When the item grows, move every later item by as much (refused if one would leave the session).
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub shift_following: Field<bool>,
}

fn instant(
    check: &mut Check,
    field: &str,
    value: Field<DateTime<FixedOffset>>,
) -> Field<DateTime<Utc>> {
    match value {
        Field::Value(t) => Field::Value(t.with_timezone(&Utc)),
        Field::Invalid(_) => {
            check.fail(field, INSTANT_HINT);
            Field::Missing
        }
        Field::Missing => Field::Missing,
        Field::Null => Field::Null,
    }
}

fn kind(check: &mut Check, value: Option<String>) -> Option<ItemKind> {
    let kind = value.as_deref().and_then(ItemKind::parse);
    if value.is_some() && kind.is_none() {
        let names: Vec<&str> = ItemKind::ALL.iter().map(|k| k.as_str()).collect();
        check.fail("kind", format!("must be one of {}", names.join(", ")));
    }
    kind
}

/// A text without control characters (line breaks allowed where `lines`): PostgreSQL refuses a
/// NUL byte, and a title is one line in every calendar and email subject.
fn clean(check: &mut Check, field: &str, text: Option<String>, lines: bool) -> Option<String> {
    let text = text?;
    let allowed = |c: char| lines && matches!(c, '\n' | '\r' | '\t');
    if text.chars().any(|c| c.is_control() && !allowed(c)) {
        check.fail(field, "must not contain control characters");
        return None;
    }
    Some(text)
}

/// A required field when creating, an optional one when changing.
fn pick<T>(check: &mut Check, creating: bool, field: &str, value: Field<T>) -> Option<T> {
    if creating {
        check.required(field, value)
    } else {
        check.optional(field, value)
    }
}

fn description(check: &mut Check, value: Field<String>) -> Option<String> {
    let text = check
        .optional("description", value)
        .map(|d| d.trim().to_string());
    if text
        .as_ref()
        .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION)
    {
        check.fail(
            "description",
            format!("must be at most {MAX_DESCRIPTION} characters"),
        );
    }
    clean(check, "description", text, true)
}

/// The fields an input gives, each checked; None where it leaves one as it is.
struct Given {
    kind: Option<ItemKind>,
    title: Option<String>,
    description: Option<String>,
    starts_at: Option<DateTime<Utc>>,
    ends_at: Option<DateTime<Utc>>,
}

impl Given {
    fn new_item(self, id: AgendaItemId) -> Item {
        Item {
            id,
            kind: self.kind.unwrap_or(ItemKind::Discussion),
            title: self.title.unwrap_or_default(),
            description: self.description.unwrap_or_default(),
            starts_at: self.starts_at.unwrap_or_default(),
            ends_at: self.ends_at.unwrap_or_default(),
            speakers: Vec::new(),
        }
    }

    /// The current item with these changes; a new start alone moves it and keeps its length.
    fn onto(self, current: &Item) -> Item {
        let length = current.ends_at - current.starts_at;
        let (starts_at, ends_at) = match (self.starts_at, self.ends_at) {
            (Some(s), None) => (s, s + length),
            (s, e) => (s.unwrap_or(current.starts_at), e.unwrap_or(current.ends_at)),
        };
        Item {
            kind: self.kind.unwrap_or(current.kind),
            title: self.title.unwrap_or_else(|| current.title.clone()),
            description: self
                .description
                .unwrap_or_else(|| current.description.clone()),
            starts_at,
            ends_at,
            ..current.clone()
        }
    }
}

impl ItemInput {
    fn read(self, creating: bool) -> Result<(Given, bool), Invalid> {
        let mut check = Check::new();
        let kind_text = pick(&mut check, creating, "kind", self.kind);
        let kind = kind(&mut check, kind_text);
        let title = match (creating, self.title) {
            (false, Field::Missing) => None,
            (_, title) => check.text("title", title, MAX_TITLE),
        };
        let title = clean(&mut check, "title", title, false);
        let description = description(&mut check, self.description);
        let starts_at = instant(&mut check, "starts_at", self.starts_at);
        let starts_at = pick(&mut check, creating, "starts_at", starts_at);
        let ends_at = instant(&mut check, "ends_at", self.ends_at);
        let ends_at = pick(&mut check, creating, "ends_at", ends_at);
        let shift = check.optional("shift_following", self.shift_following);
        check.finish()?;
        let given = Given {
            kind,
            title,
            description,
            starts_at,
            ends_at,
        };
        Ok((given, shift.unwrap_or(false)))
    }

    /// The item this input makes of `current` (None: a new item, every field required), and
    /// whether the following items should shift.
    pub fn apply(self, current: Option<&Item>, id: AgendaItemId) -> Result<(Item, bool), Invalid> {
        let (given, shift) = self.read(current.is_none())?;
        let item = match current {
            None => given.new_item(id),
            Some(current) => given.onto(current),
        };
        Ok((item, shift))
    }
}

/// Reads `2026-03-10`.
pub fn local_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// Reads a clock time as people type it: `14:30`, `14.30`, `1430` or `9:05`.
pub fn local_time(text: &str) -> Option<NaiveTime> {
    let text = text.trim().replace('.', ":");
    let text = match (text.contains(':'), text.len()) {
        (false, 3 | 4) => format!("{}:{}", &text[..text.len() - 2], &text[text.len() - 2..]),
        _ => text,
    };
    NaiveTime::parse_from_str(&text, "%H:%M").ok()
}

/// A date and a clock time in a zone, as an instant; None when the zone skips or repeats that
/// hour (a daylight-saving change) or the text is not a time.
pub fn local_instant(tz: Tz, date: NaiveDate, time: &str) -> Result<DateTime<Utc>, &'static str> {
    let time = local_time(time).ok_or("must be a time such as 14:30")?;
    match tz.from_local_datetime(&date.and_time(time)) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        _ => Err("does not exist or is ambiguous in the meeting's time zone on that day"),
    }
}

/// The fields of an item form (`kind`, `title`, `description`, `date`, `start`, `end`,
/// `shift_following`) as an input; times are read in the meeting's zone.
pub fn from_form(form: &[(String, String)], tz: Tz) -> Result<ItemInput, Invalid> {
    let get = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let text = |name: &str| get(name).map_or(Field::Missing, Field::Value);
    let mut check = Check::new();
    let date = get("date").and_then(|d| local_date(&d));
    if date.is_none() {
        check.fail("date", "must be a date such as 2026-03-10");
    }
    let mut at = |field: &str| -> Field<DateTime<FixedOffset>> {
        let (Some(date), Some(time)) = (date, get(field).filter(|t| !t.trim().is_empty())) else {
            check.fail(field, "is required");
            return Field::Missing;
        };
        match local_instant(tz, date, &time) {
            Ok(t) => Field::Value(t.fixed_offset()),
            Err(message) => {
                check.fail(field, message);
                Field::Missing
            }
        }
    };
    let (starts_at, ends_at) = (at("start"), at("end"));
    check.finish()?;
    Ok(ItemInput {
        kind: text("kind"),
        title: text("title"),
        description: text("description"),
        starts_at,
        ends_at,
        shift_following: Field::Value(get("shift_following").is_some()),
    })
}

/// Longest decision comment accepted.
pub const MAX_COMMENT: usize = 2000;

/// A rapporteur's comment: trimmed, empty as none, at most `MAX_COMMENT` characters, line
/// breaks allowed and other control characters refused.
pub fn comment(text: Option<String>) -> Result<Option<String>, Invalid> {
    let mut check = Check::new();
    let text = text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    if text
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_COMMENT)
    {
        check.fail(
            "comment",
            format!("must be at most {MAX_COMMENT} characters"),
        );
    }
    let text = clean(&mut check, "comment", text, true);
    check.finish()?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_are_read_as_people_type_them() {
        for text in ["14:30", "14.30", "1430", " 14:30 "] {
            assert_eq!(
                local_time(text),
                NaiveTime::from_hms_opt(14, 30, 0),
                "{text}"
            );
        }
        assert_eq!(local_time("930"), NaiveTime::from_hms_opt(9, 30, 0));
        assert_eq!(local_time("25:00"), None);
        assert_eq!(local_time("soon"), None);
    }

    #[test]
    fn a_form_time_is_read_in_the_meetings_zone() {
        let tz: Tz = "Europe/Zurich".parse().unwrap();
        let date = local_date("2026-03-10").unwrap();
        let at = local_instant(tz, date, "14:30").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-03-10T13:30:00+00:00");
        let skipped = local_date("2026-03-29").unwrap();
        assert!(
            local_instant(tz, skipped, "02:30").is_err(),
            "the hour the clocks skip"
        );
    }

    #[test]
    fn a_form_names_each_missing_or_wrong_time() {
        let tz: Tz = "Europe/Zurich".parse().unwrap();
        let form = vec![
            ("date".to_string(), "2026-03-10".to_string()),
            ("start".to_string(), "half past two".to_string()),
        ];
        let Err(Invalid(errors)) = from_form(&form, tz) else {
            panic!("expected errors")
        };
        assert!(errors["start"][0].contains("14:30"));
        assert_eq!(errors["end"], vec!["is required".to_string()]);
    }

    #[test]
    fn a_change_of_the_start_alone_moves_the_item_and_keeps_its_length() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        let new = ItemInput {
            kind: Field::Value("opening".into()),
            title: Field::Value("Opening".into()),
            starts_at: Field::Value(at("2026-03-10T14:30:00+01:00")),
            ends_at: Field::Value(at("2026-03-10T14:45:00+01:00")),
            ..ItemInput::default()
        };
        let (item, _) = new.apply(None, "i".into()).unwrap();
        let moved = ItemInput {
            starts_at: Field::Value(at("2026-03-10T15:00:00+01:00")),
            ..ItemInput::default()
        };
        let (moved, shift) = moved.apply(Some(&item), "i".into()).unwrap();
        assert_eq!(moved.ends_at.to_rfc3339(), "2026-03-10T14:15:00+00:00");
        assert_eq!((moved.title.as_str(), shift), ("Opening", false));
    }

    #[test]
    fn unknown_kinds_control_characters_and_missing_fields_are_each_named() {
        let input = ItemInput {
            kind: Field::Value("party".into()),
            title: Field::Value("Bad\u{0}title".into()),
            ..ItemInput::default()
        };
        let Err(Invalid(errors)) = input.apply(None, "i".into()) else {
            panic!("expected errors")
        };
        for field in ["kind", "title", "starts_at", "ends_at"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
    }
}
