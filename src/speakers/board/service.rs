//! Reading the dispatch board of a session or of a whole meeting.

use chrono::{DateTime, Utc};

use super::domain::{lines_of, Line, Person};
use crate::db::Conn;
use crate::error::AppError;
use crate::meetings::domain::Meeting;
use crate::sessions::domain::Session;
use crate::speakers::domain::SpeakerId;
use crate::speakers::invitations::domain::Invitation;
use crate::speakers::invitations::{slots, store};

/// The board's lines for these sessions: every slot that takes speakers (breaks do not), with
/// each invitation to it, in time order.
fn lines(
    conn: &mut Conn,
    sessions: &[Session],
    invitations: &[Invitation],
    now: DateTime<Utc>,
) -> Result<Vec<Line>, AppError> {
    let ids: Vec<SpeakerId> = invitations.iter().map(|i| i.speaker_id.clone()).collect();
    let speakers = crate::speakers::store::many(conn, &ids)?;
    let ids: Vec<_> = sessions.iter().map(|s| s.id.clone()).collect();
    let mut slots = slots::of_sessions(conn, &ids)?;
    let mut out = Vec::new();
    for session in sessions {
        for slot in slots.remove(&session.id).unwrap_or_default() {
            if slot.kind == crate::agendas::domain::ItemKind::Break {
                continue;
            }
            let mine: Vec<(&Invitation, Person)> = invitations
                .iter()
                .filter(|i| i.item_id == slot.item_id)
                .filter_map(|i| {
                    let s = speakers.iter().find(|s| s.id == i.speaker_id)?;
                    let person = Person {
                        id: s.id.to_string(),
                        name: s.fields.name.clone(),
                        email: s.fields.email.clone(),
                        organisation: s.fields.organisation.clone(),
                        country: s.fields.country.clone(),
                    };
                    Some((i, person))
                })
                .collect();
            out.extend(lines_of((&session.fields.title, &slot), &mine, now));
        }
    }
    out.sort_by_key(|l| l.starts_at);
    Ok(out)
}

/// The board of one session, with the session and its meeting.
pub fn of_session(
    conn: &mut Conn,
    session_id: &str,
    now: DateTime<Utc>,
) -> Result<(Session, Meeting, Vec<Line>), AppError> {
    let (session, meeting) = slots::session_and_meeting(conn, session_id)?;
    let invitations = store::of_session(conn, session_id)?;
    let lines = lines(conn, std::slice::from_ref(&session), &invitations, now)?;
    Ok((session, meeting, lines))
}

/// The board across every session of a meeting.
pub fn of_meeting(
    conn: &mut Conn,
    meeting_id: &str,
    now: DateTime<Utc>,
) -> Result<(Meeting, Vec<Line>), AppError> {
    let meeting = crate::meetings::store::find(conn, meeting_id)?.ok_or(AppError::NotFound)?;
    let filter = crate::sessions::store::Filter {
        meeting_ids: Some(vec![meeting.id.clone()]),
        ..Default::default()
    };
    let (sessions, _) = crate::sessions::store::list(conn, &filter, i64::MAX, 0)?;
    let invitations = store::of_meeting(conn, meeting_id)?;
    let lines = lines(conn, &sessions, &invitations, now)?;
    Ok((meeting, lines))
}
