//! A session as the API shows it, with its meeting's zone and its booked room; the sessions,
//! meetings and agendas answers share it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::domain::{Session, SessionId, SessionKind, SessionStatus};
use super::service::SessionDetails;
use crate::meetings::domain::{Meeting, MeetingId};
use crate::rooms::domain::{Room, RoomId};

/// Where a session is held: the room booked for it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionRoom {
    pub id: RoomId,
    pub name: String,
    pub location: String,
}

/// A session as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub id: SessionId,
    pub meeting_id: MeetingId,
    pub kind: SessionKind,
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The meeting's IANA time zone, in which the session is shown.
    pub timezone: String,
    pub capacity: i32,
    pub remote_capacity: i32,
    pub registration_opens_at: Option<DateTime<Utc>>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    /// Connection details for remote attendance; staff only (delegates get them by email).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_url: Option<String>,
    pub status: SessionStatus,
    pub cancel_reason: Option<String>,
    pub sequence: i32,
    pub approval_required: bool,
    pub reserved_seats: i32,
    pub reserved_until: Option<DateTime<Utc>>,
    /// The room booked for the session; null until one is.
    pub room: Option<SessionRoom>,
    /// What the organiser should know after a change, e.g. more delegates confirmed than the
    /// lowered capacity (nobody is demoted; nobody else is confirmed until seats free). Only
    /// in the answer to a change, and only when there is something to say.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
}

impl SessionView {
    /// The view of a session for a caller.
    pub fn of(s: &Session, meeting: &Meeting, room: Option<&Room>, staff: bool) -> SessionView {
        let f = &s.fields;
        SessionView {
            id: s.id.clone(),
            meeting_id: s.meeting_id.clone(),
            kind: f.kind,
            title: f.title.clone(),
            description: f.description.clone(),
            starts_at: f.starts_at,
            ends_at: f.ends_at,
            timezone: meeting.timezone.name().to_string(),
            capacity: f.capacity,
            remote_capacity: f.remote_capacity,
            registration_opens_at: f.registration_opens_at,
            registration_closes_at: f.registration_closes_at,
            remote_url: if staff { f.remote_url.clone() } else { None },
            status: s.status,
            cancel_reason: s.cancel_reason.clone(),
            sequence: s.sequence,
            approval_required: f.approval_required,
            reserved_seats: f.reserved_seats,
            reserved_until: f.reserved_until,
            room: room.map(|r| SessionRoom {
                id: r.id.clone(),
                name: r.name.clone(),
                location: r.location.clone(),
            }),
            notices: Vec::new(),
        }
    }

    /// The staff view of a session with its meeting and room.
    pub fn of_details(d: &SessionDetails) -> SessionView {
        SessionView::of(&d.session, &d.meeting, d.room.as_ref(), true)
    }
}
