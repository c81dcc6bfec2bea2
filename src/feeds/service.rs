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

/// The items of the session's latest approved agenda version, as events of their own.
///
/// Agendas do not exist yet; when they do, this lists their approved items (UID per item,
/// inside the session's time), and both feeds pick them up without further change.
fn approved_items(
    _conn: &mut Conn,
    _settings: &Settings,
    _session: &Session,
) -> Result<Vec<Event>, AppError> {
    Ok(Vec::new())
}

/// The private feed behind a delegate's or speaker's secret link: every event they hold.
pub fn holder_feed(
    conn: &mut Conn,
    settings: &Settings,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Feed, AppError> {
    let link = match crate::links::store::resolve(conn, Purpose::Registration, token, now)? {
        Some(link) => link,
        None => crate::links::store::resolve(conn, Purpose::SpeakerInvitation, token, now)?
            .ok_or(AppError::NotFound)?,
    };
    let holds = holds::active_of_record(conn, &link.record_id)?;
    let mut events = Vec::with_capacity(holds.len());
    for hold in &holds {
        let Some(session) =
            crate::sessions::store::find(conn, &hold.session_id)?.filter(|s| s.is_public())
        else {
            continue;
        };
        let meeting =
            crate::meetings::store::find(conn, &session.meeting_id)?.ok_or(AppError::NotFound)?;
        let location =
            place(conn, &session, &meeting)?.for_attendee(hold.remote, true, &online(&hold.lang));
        let stamp = latest(hold.updated_at, session.updated_at).and_utc();
        let mut event = session_event(settings, &session, location, stamp);
        event.sequence = u32::try_from(hold.sequence_sent).unwrap_or(0);
        events.push((event, session.status == SessionStatus::Cancelled));
        events.extend(
            approved_items(conn, settings, &session)?
                .into_iter()
                .map(|item| (item, false)),
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
