//! Calendar holds: who holds an invitation to a session's event or to one slot (agenda item)
//! of it, with which SEQUENCE, and where the session takes place. Pure.

use chrono::NaiveDateTime;

use crate::calendar::Role;
use crate::sessions::domain::SessionId;

crate::typed_id!(
    /// A calendar hold's id.
    HoldId
);

crate::text_enum!(
    /// The kind of record whose person holds an invitation.
    HolderKind {
        /// A delegate's registration.
        Registration = "registration",
        /// A speaker's invitation to a slot (an agenda item).
        SpeakerInvitation = "speaker_invitation",
    }
);

/// An invitation to an event (the session's own, or one slot's) as one person holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Hold {
    pub id: HoldId,
    /// The event's UID, which never changes.
    pub event_uid: String,
    pub session_id: SessionId,
    /// The slot (agenda item) whose event this is; None for the session's own event.
    pub item_id: Option<String>,
    pub holder: HolderKind,
    pub record_id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub lang: String,
    /// Attends remotely: the calendar's place is the connection link.
    pub remote: bool,
    /// The SEQUENCE of the last REQUEST or CANCEL this holder was sent.
    pub sequence_sent: i32,
    /// False once a CANCEL was sent.
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The SEQUENCE of the next message to a holder: past everything they received, so their
/// client applies it, and never behind the session's own.
pub fn next_sequence(sent: i32, session: i32) -> i32 {
    (sent + 1).max(session)
}

/// The SEQUENCE of an invitation: the session's for a first one; for one renewed after a
/// CANCEL (or re-sent), the next.
pub fn invitation_sequence(earlier: Option<i32>, session: i32) -> i32 {
    earlier.map_or(session, |sent| next_sequence(sent, session))
}

/// A room booked for a session, as its place is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomLine {
    pub name: String,
    pub location: String,
}

/// Where a session takes place: the rooms booked for it, its meeting's venue, and the
/// connection link for remote attendees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub rooms: Vec<RoomLine>,
    pub venue: String,
    pub remote_url: Option<String>,
}

impl Place {
    /// The place in person: each booked room as "name, location", else the meeting's venue.
    pub fn in_person(&self) -> String {
        if self.rooms.is_empty() {
            return self.venue.clone();
        }
        let mut lines: Vec<String> = Vec::new();
        for room in &self.rooms {
            let line = [room.name.trim(), room.location.trim()]
                .iter()
                .filter(|part| !part.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        lines.join("; ")
    }

    /// The place as one attendee reads it. A remote attendee who holds a seat (`with_link`)
    /// reads the connection link; one without a seat, or without a link set, reads `online`.
    pub fn for_attendee(&self, remote: bool, with_link: bool, online: &str) -> String {
        match (&self.remote_url, remote) {
            (Some(link), true) if with_link => link.clone(),
            (_, true) => online.to_string(),
            (_, false) => self.in_person(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(rooms: &[(&str, &str)]) -> Place {
        Place {
            rooms: rooms
                .iter()
                .map(|(name, location)| RoomLine {
                    name: name.to_string(),
                    location: location.to_string(),
                })
                .collect(),
            venue: "ITU headquarters, Geneva".into(),
            remote_url: Some("https://meet.example.org/q22".into()),
        }
    }

    #[test]
    fn a_booked_room_is_the_place_and_the_venue_only_without_one() {
        assert_eq!(place(&[]).in_person(), "ITU headquarters, Geneva");
        assert_eq!(
            place(&[("Room A", "ITU tower")]).in_person(),
            "Room A, ITU tower"
        );
        assert_eq!(
            place(&[
                ("Room A", "ITU tower"),
                ("Room B", ""),
                ("Room A", "ITU tower")
            ])
            .in_person(),
            "Room A, ITU tower; Room B"
        );
    }

    #[test]
    fn only_a_remote_attendee_with_a_seat_reads_the_connection_link() {
        let booked = place(&[("Room A", "ITU tower")]);
        assert_eq!(
            booked.for_attendee(true, true, "Online"),
            "https://meet.example.org/q22"
        );
        assert_eq!(booked.for_attendee(true, false, "Online"), "Online");
        assert_eq!(
            booked.for_attendee(false, true, "Online"),
            "Room A, ITU tower"
        );
        let no_link = Place {
            remote_url: None,
            ..booked
        };
        assert_eq!(no_link.for_attendee(true, true, "Online"), "Online");
    }

    #[test]
    fn every_message_to_a_holder_goes_past_what_they_received() {
        assert_eq!(invitation_sequence(None, 2), 2);
        assert_eq!(invitation_sequence(Some(2), 2), 3);
        assert_eq!(next_sequence(3, 1), 4);
        assert_eq!(next_sequence(1, 5), 5);
    }
}
