//! Reads iCalendar text back into plain values, through icalendar's parser.

use chrono::{DateTime, NaiveDateTime, Utc};
use icalendar::parser::{read_calendar, unfold, Component, Property};

/// What a parsed VEVENT says, for tests and for reading calendars back.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedEvent {
    /// UID, which every VEVENT must have.
    pub uid: String,
    /// SEQUENCE, 0 when absent.
    pub sequence: u32,
    /// SUMMARY, unescaped; empty when absent.
    pub summary: String,
    /// DESCRIPTION, unescaped; empty when absent.
    pub description: String,
    /// LOCATION, unescaped; empty when absent.
    pub location: String,
    /// URL; empty when absent.
    pub url: String,
    /// DTSTART, which must be in UTC form.
    pub starts_at: DateTime<Utc>,
    /// DTEND, which must be in UTC form.
    pub ends_at: DateTime<Utc>,
    /// STATUS, as written.
    pub status: Option<String>,
    /// ORGANIZER's address without `mailto:`.
    pub organizer: Option<String>,
    /// Each ATTENDEE's address without `mailto:`, in order.
    pub attendees: Vec<String>,
    /// Each ATTENDEE's parameters as (name, value), in the order written.
    pub attendee_params: Vec<Vec<(String, String)>>,
}

/// What a parsed VCALENDAR says: its METHOD and its VEVENTs.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCalendar {
    /// METHOD, as written.
    pub method: Option<String>,
    /// Every VEVENT, in order.
    pub events: Vec<ParsedEvent>,
}

/// Parses iCalendar text back with icalendar's parser (unfolds and unescapes).
pub fn parse(text: &str) -> Result<ParsedCalendar, String> {
    let unfolded = unfold(text);
    let calendar = read_calendar(&unfolded)?;
    let method = first(&calendar.properties, "METHOD").map(|p| p.val.as_str().to_owned());
    let events = calendar
        .components
        .iter()
        .filter(|component| component.name.as_str().eq_ignore_ascii_case("VEVENT"))
        .map(event)
        .collect::<Result<_, _>>()?;
    Ok(ParsedCalendar { method, events })
}

fn event(component: &Component<'_>) -> Result<ParsedEvent, String> {
    let props = &component.properties;
    let text = |name| value(props, name).unwrap_or_default();
    let sequence = match value(props, "SEQUENCE") {
        Some(raw) => raw
            .parse()
            .map_err(|_| format!("SEQUENCE {raw:?} is not a number"))?,
        None => 0,
    };
    let attendees: Vec<&Property<'_>> = all(props, "ATTENDEE").collect();
    Ok(ParsedEvent {
        uid: value(props, "UID").ok_or("VEVENT without UID")?,
        sequence,
        summary: text("SUMMARY"),
        description: text("DESCRIPTION"),
        location: text("LOCATION"),
        url: text("URL"),
        starts_at: utc(props, "DTSTART")?,
        ends_at: utc(props, "DTEND")?,
        status: value(props, "STATUS"),
        organizer: value(props, "ORGANIZER").map(|v| address(&v)),
        attendees: attendees.iter().map(|p| address(p.val.as_str())).collect(),
        attendee_params: attendees.iter().map(|p| params(p)).collect(),
    })
}

fn all<'a, 'p>(props: &'a [Property<'p>], name: &'a str) -> impl Iterator<Item = &'a Property<'p>> {
    props
        .iter()
        .filter(move |p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn first<'a, 'p>(props: &'a [Property<'p>], name: &str) -> Option<&'a Property<'p>> {
    props
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn value(props: &[Property<'_>], name: &str) -> Option<String> {
    first(props, name).map(|p| p.val.as_str().to_owned())
}

/// Only the UTC form is read: this module writes nothing else.
fn utc(props: &[Property<'_>], name: &str) -> Result<DateTime<Utc>, String> {
    let raw = value(props, name).ok_or_else(|| format!("VEVENT without {name}"))?;
    NaiveDateTime::parse_from_str(&raw, "%Y%m%dT%H%M%SZ")
        .map(|naive| naive.and_utc())
        .map_err(|_| format!("{name} {raw:?} is not a UTC date-time"))
}

fn address(cal_address: &str) -> String {
    match cal_address.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => cal_address[7..].to_owned(),
        _ => cal_address.to_owned(),
    }
}

fn params(property: &Property<'_>) -> Vec<(String, String)> {
    property
        .params
        .iter()
        .map(|p| {
            let val = p.val.as_ref().map(|v| v.as_str()).unwrap_or_default();
            (p.key.as_str().to_owned(), val.to_owned())
        })
        .collect()
}
