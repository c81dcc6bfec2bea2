//! Builds iCalendar text for invitations, cancellations and feeds (RFC 5545, iTIP methods of RFC 5546).

mod clean;
mod parse;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use icalendar::{Attendee, Calendar, Component, EventLike, EventStatus, PartStat, Property};

pub use parse::{parse, ParsedCalendar, ParsedEvent};

/// The PRODID every calendar we write carries.
pub const PRODID: &str = "-//ITU-D seminars//EN";

/// One event as the calendar sees it: a session, or a speaker's slot.
#[derive(Debug, Clone)]
pub struct Event {
    /// Stable for the event's whole life, e.g. "session-<uuid>@seminars.example".
    pub uid: String,
    /// The caller increases it on every change of time, place or title.
    pub sequence: u32,
    /// Title shown in the calendar.
    pub summary: String,
    /// Free text shown with the event.
    pub description: String,
    /// Room or venue, as text.
    pub location: String,
    /// Link to the event's page; left out of the output when empty.
    pub url: String,
    /// Start instant; written in UTC, whole seconds.
    pub starts_at: DateTime<Utc>,
    /// End instant; written in UTC, whole seconds.
    pub ends_at: DateTime<Utc>,
    /// DTSTAMP; passed in, never `Utc::now()` inside, so output is reproducible.
    pub stamp: DateTime<Utc>,
}

/// A calendar user: the organizer or an attendee.
#[derive(Debug, Clone)]
pub struct Person {
    /// Display name, written as the CN parameter.
    pub name: String,
    /// Address, written as a mailto: URI.
    pub email: String,
}

crate::text_enum!(
    /// The attendee's participation role (RFC 5545 §3.2.16), stored with each calendar hold.
    Role {
        /// ROLE=CHAIR
        Chair = "chair",
        /// ROLE=REQ-PARTICIPANT
        ReqParticipant = "req_participant",
        /// ROLE=OPT-PARTICIPANT
        OptParticipant = "opt_participant",
    }
);

/// The iTIP method of a calendar object (RFC 5546 §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A feed: no reply expected.
    Publish,
    /// An invitation or an update of one.
    Request,
    /// A cancellation of an event or of one attendee's place in it.
    Cancel,
}

impl Method {
    /// The METHOD value, also used in the MIME `method=` parameter.
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

impl From<Role> for icalendar::Role {
    fn from(role: Role) -> Self {
        match role {
            Role::Chair => icalendar::Role::Chair,
            Role::ReqParticipant => icalendar::Role::ReqParticipant,
            Role::OptParticipant => icalendar::Role::OptParticipant,
        }
    }
}

/// METHOD:REQUEST invitation for one attendee.
pub fn request(event: &Event, organizer: &Person, attendee: &Person, role: Role) -> String {
    invitation(
        Method::Request,
        EventStatus::Confirmed,
        event,
        organizer,
        attendee,
        role,
    )
}

/// METHOD:CANCEL with STATUS:CANCELLED; the caller passes the event with its next SEQUENCE already set.
pub fn cancel(event: &Event, organizer: &Person, attendee: &Person, role: Role) -> String {
    invitation(
        Method::Cancel,
        EventStatus::Cancelled,
        event,
        organizer,
        attendee,
        role,
    )
}

/// METHOD:PUBLISH feed of many events (public session feed, private feed), with X-WR-CALNAME = name.
pub fn publish(name: &str, events: &[Event], organizer: &Person) -> String {
    let entries: Vec<(Event, bool)> = events.iter().map(|e| (e.clone(), false)).collect();
    publish_with_cancelled(name, &entries, organizer)
}

/// METHOD:PUBLISH feed where each event says whether it is cancelled (STATUS:CANCELLED),
/// so a subscribed calendar shows a called-off session as such instead of dropping it.
pub fn publish_with_cancelled(name: &str, events: &[(Event, bool)], organizer: &Person) -> String {
    let mut calendar = calendar(Method::Publish);
    // Calendar::name() would also write NAME, which icalendar does not escape.
    calendar.append_property(Property::new("X-WR-CALNAME", clean::text(name)));
    for (event, cancelled) in events {
        let status = if *cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        };
        calendar.push(vevent(event, organizer, status));
    }
    render(&calendar)
}

fn invitation(
    method: Method,
    status: EventStatus,
    event: &Event,
    organizer: &Person,
    attendee: &Person,
    role: Role,
) -> String {
    let mut vevent = vevent(event, organizer, status);
    vevent.attendee(attendee_of(attendee, role));
    let mut calendar = calendar(method);
    calendar.push(vevent);
    render(&calendar)
}

fn calendar(method: Method) -> Calendar {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", PRODID))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", method.as_str()));
    calendar
}

fn vevent(event: &Event, organizer: &Person, status: EventStatus) -> icalendar::Event {
    let mut vevent = icalendar::Event::new();
    // UID and DTSTAMP always explicit: icalendar invents both on every render otherwise.
    vevent
        .uid(&clean::text(&event.uid))
        .timestamp(event.stamp)
        .sequence(event.sequence)
        .starts(event.starts_at)
        .ends(event.ends_at)
        .summary(&clean::text(&event.summary))
        .description(&clean::text(&event.description))
        .location(&clean::text(&event.location))
        .status(status)
        .append_property(cal_address("ORGANIZER", organizer));
    let url = clean::uri(&event.url);
    if !url.is_empty() {
        vevent.url(&url);
    }
    vevent.done()
}

fn attendee_of(person: &Person, role: Role) -> Attendee {
    let mut attendee = Attendee::new(clean::mailto(&person.email))
        .role(role.into())
        .partstat(PartStat::NeedsAction)
        .rsvp(true);
    let name = clean::param(&person.name);
    if !name.is_empty() {
        attendee = attendee.cn(name);
    }
    attendee
}

/// ORGANIZER has no builder in icalendar, so it is a plain property with a CN parameter.
fn cal_address(key: &str, person: &Person) -> Property {
    let mut property = Property::new(key, clean::mailto(&person.email));
    let name = clean::param(&person.name);
    if !name.is_empty() {
        property.add_parameter("CN", &name);
    }
    property
}

/// icalendar's own folding can leave a 76-octet line, so its folds are undone and redone here.
fn render(calendar: &Calendar) -> String {
    clean::refold(&calendar.to_string())
}
