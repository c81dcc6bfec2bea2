//! Builds the feeds: which events each one lists, and a strong validator of the body.

use chrono::{DateTime, NaiveDateTime, Utc};
use sha2::{Digest, Sha256};

use crate::calendar::{self, Event};
use crate::config::Settings;
use crate::db::Conn;
use crate::error::AppError;
use crate::holds::domain::Hold;
use crate::holds::service::{online, organizer, place, session_event};
use crate::holds::store as holds;
use crate::links::Purpose;
use crate::sessions::domain::{Session, SessionStatus};
use crate::speakers::invitations::domain::{InvitationStatus, Slot};
use crate::speakers::invitations::slots::event as slot_event;

/// A rendered feed and its strong ETag.
#[derive(Debug, Clone)]
pub struct Feed {
    pub body: String,
    pub etag: String,
}

impl Feed {
    fn of(body: String) -> Feed {
        let digest = Sha256::digest(body.as_bytes());
        Feed {
            etag: format!("\"{}\"", hex::encode(&digest[..16])),
            body,
        }
    }
}

/// The public feed of one session (drafts are not public: 404).
pub fn session_feed(conn: &mut Conn, settings: &Settings, id: &str) -> Result<Feed, AppError> {
    let (session, meeting) = crate::sessions::service::get(conn, id, false)?;
    let location = place(conn, &session, &meeting)?.in_person();
    // The last change, not the time of the request, so the body (and its ETag) stays put.
    let event = session_event(settings, &session, location, session.updated_at.and_utc());
    let cancelled = session.status == SessionStatus::Cancelled;
    let mut events = vec![(event, cancelled)];
    events.extend(
        approved_items(conn, settings, &session)?
            .into_iter()
            .map(|item| (item, cancelled)),
    );
    let name = session.fields.title.clone();
    Ok(Feed::of(calendar::publish_with_cancelled(
        &name,
        &events,
        &organizer(settings),
    )))
}

/// The items of the session's latest approved agenda version, as events of their own: the UID
/// of each is its slot's (the one speakers' invitations carry), its SEQUENCE the version in which
/// it last changed. Never the working copy.
fn approved_items(
    conn: &mut Conn,
    settings: &Settings,
    session: &Session,
) -> Result<Vec<Event>, AppError> {
    let Some((info, items)) = crate::agendas::service::approved_items(conn, &session.id)? else {
        return Ok(Vec::new());
    };
    let meeting =
        crate::meetings::store::find(conn, &session.meeting_id)?.ok_or(AppError::NotFound)?;
    let location = place(conn, session, &meeting)?.in_person();
    let stamp = info.approved_at;
    Ok(items
        .iter()
        .map(|s| {
            let slot = of_snapshot(session, &s.item, s.since_version);
            slot_event(
                settings,
                session,
                (&slot, location.clone()),
                (s.since_version, stamp),
            )
        })
        .collect())
}

fn of_snapshot(session: &Session, item: &crate::agendas::domain::Item, sequence: i32) -> Slot {
    Slot {
        session_id: session.id.clone(),
        item_id: item.id.to_string(),
        kind: item.kind,
        title: item.title.clone(),
        starts_at: item.starts_at,
        ends_at: item.ends_at,
        sequence,
    }
}

/// The holds behind a private link: a delegate's registration, or every slot the speaker of an
/// invitation has confirmed (in any session).
fn holds_of_link(conn: &mut Conn, token: &str, now: DateTime<Utc>) -> Result<Vec<Hold>, AppError> {
    if let Some(link) = crate::links::store::resolve(conn, Purpose::Registration, token, now)? {
        return Ok(holds::active_of_record(conn, &link.record_id)?);
    }
    let link = crate::links::store::resolve(conn, Purpose::SpeakerInvitation, token, now)?
        .ok_or(AppError::NotFound)?;
    // A live link whose invitation holds nothing yet has an empty feed.
    let Some(invitation) = crate::speakers::invitations::store::find(conn, &link.record_id)? else {
        return Ok(Vec::new());
    };
    let confirmed = crate::speakers::invitations::store::of_speaker(
        conn,
        &invitation.speaker_id,
        InvitationStatus::Confirmed,
    )?;
    let ids: Vec<String> = confirmed.iter().map(|i| i.id.to_string()).collect();
    Ok(holds::active_of_records(conn, &ids)?)
}

/// The private feed behind a delegate's or speaker's secret link: every event they hold.
pub fn holder_feed(
    conn: &mut Conn,
    settings: &Settings,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Feed, AppError> {
    let holds = holds_of_link(conn, token, now)?;
    let mut events = Vec::with_capacity(holds.len());
    for hold in &holds {
        // A speaker's slot is theirs once confirmed, even before the session is published.
        let Some(session) = crate::sessions::store::find(conn, &hold.session_id)?
            .filter(|s| s.is_public() || hold.item_id.is_some())
        else {
            continue;
        };
        let meeting =
            crate::meetings::store::find(conn, &session.meeting_id)?.ok_or(AppError::NotFound)?;
        let location =
            place(conn, &session, &meeting)?.for_attendee(hold.remote, true, &online(&hold.lang));
        let stamp = latest(hold.updated_at, session.updated_at).and_utc();
        let cancelled = session.status == SessionStatus::Cancelled;
        if let Some(item_id) = &hold.item_id {
            let Ok(slot) = crate::speakers::invitations::slots::find(conn, &session.id, item_id)
            else {
                continue;
            };
            let event = slot_event(
                settings,
                &session,
                (&slot, location),
                (hold.sequence_sent, stamp),
            );
            events.push((event, cancelled));
            continue;
        }
        let mut event = session_event(settings, &session, location, stamp);
        event.sequence = u32::try_from(hold.sequence_sent).unwrap_or(0);
        events.push((event, cancelled));
        events.extend(
            approved_items(conn, settings, &session)?
                .into_iter()
                .map(|item| (item, cancelled)),
        );
    }
    let name = crate::i18n::text(&hold_lang(&holds), "site_name");
    Ok(Feed::of(calendar::publish_with_cancelled(
        &name,
        &events,
        &organizer(settings),
    )))
}

fn latest(a: NaiveDateTime, b: NaiveDateTime) -> NaiveDateTime {
    a.max(b)
}

fn hold_lang(holds: &[Hold]) -> String {
    holds
        .first()
        .map(|h| h.lang.clone())
        .unwrap_or_else(|| "en".into())
}

/// True when an `If-None-Match` value names this ETag (weak comparison, as RFC 9110 §13.1.2 says).
pub fn matches(if_none_match: &str, etag: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    if_none_match
        .split(',')
        .any(|tag| tag.trim() == "*" || bare(tag) == bare(etag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_tags_in_a_list_and_ignores_weakness() {
        let etag = "\"abc\"";
        assert!(matches("\"abc\"", etag));
        assert!(matches("\"x\", W/\"abc\"", etag));
        assert!(matches("*", etag));
        assert!(!matches("\"abd\"", etag));
        assert!(!matches("abc", etag));
    }

    #[test]
    fn the_etag_is_quoted_and_follows_the_body() {
        let a = Feed::of("BEGIN:VCALENDAR".into());
        assert!(a.etag.starts_with('"') && a.etag.ends_with('"') && a.etag.len() == 34);
        assert_eq!(a.etag, Feed::of("BEGIN:VCALENDAR".into()).etag);
        assert_ne!(a.etag, Feed::of("BEGIN:VCALENDAR ".into()).etag);
    }
}
