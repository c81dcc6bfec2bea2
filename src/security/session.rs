//! Browser sessions: the private cookie that carries who signed in, when, and the CSRF token.
//!
//! The cookie is encrypted and signed (actix-session's private cookie store), so nothing in it can
//! be read or forged without the key; every instance that shares `auth.session_key` accepts the
//! same cookies. A cookie cannot be revoked by itself, so it also carries the account's session
//! generation at sign-in: raising the generation in the database (sign-out, password or role
//! change, "sign out everywhere") ends every session of the account, copied cookies included.

use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_session::{Session, SessionMiddleware};
use actix_web::cookie::{time, Key, SameSite};
use chrono::{DateTime, Utc};

use crate::config::Settings;

/// Name of the session cookie.
pub const COOKIE: &str = "seminars_session";

const USER: &str = "uid";
const SIGNED_IN_AT: &str = "signed_in_at";
const SEEN_AT: &str = "seen_at";
const GENERATION: &str = "gen";

/// The configured cookie key; None when the setting is empty.
pub fn configured_key(settings: &Settings) -> Result<Option<Key>, String> {
    let bytes = settings.auth.session_key_bytes()?;
    bytes
        .map(|b| Key::try_from(b.as_slice()).map_err(|e| e.to_string()))
        .transpose()
}

/// The key to build the middleware with: the configured one, or a random one (with a warning).
/// Called once at start-up, outside the worker factory, so every worker signs with the same key.
pub fn key(settings: &Settings) -> Result<Key, String> {
    match configured_key(settings)? {
        Some(key) => Ok(key),
        None => {
            tracing::warn!(
                "auth.session_key is empty: a random key was generated, so browser sessions end \
                 at restart and are not shared between several instances"
            );
            Ok(Key::generate())
        }
    }
}

/// True when pages are served over https, so cookies must be Secure and HSTS is sent.
pub fn is_https(settings: &Settings) -> bool {
    settings.server.public_url.starts_with("https://")
}

/// The session middleware: private cookie, HttpOnly, SameSite=Lax, Secure over https.
pub fn middleware(settings: &Settings, key: Key) -> SessionMiddleware<CookieSessionStore> {
    let absolute = time::Duration::hours(settings.auth.session_absolute_hours);
    SessionMiddleware::builder(CookieSessionStore::default(), key)
        .cookie_name(COOKIE.into())
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_secure(is_https(settings))
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(PersistentSession::default().session_ttl(absolute))
        .build()
}

/// Starts a signed-in session for a user (a fresh session, so no earlier state carries over),
/// bound to the account's current session generation. The caller gives it a new CSRF token
/// (`csrf::rotate`), since the old one went with the old session.
pub fn start(session: &Session, user_id: &str, generation: i32, now: DateTime<Utc>) {
    session.clear();
    session.renew();
    let _ = session.insert(USER, user_id);
    let _ = session.insert(SIGNED_IN_AT, now.timestamp());
    let _ = session.insert(SEEN_AT, now.timestamp());
    let _ = session.insert(GENERATION, i64::from(generation));
}

/// What a session cookie claims, before it is checked against the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub user_id: String,
    pub signed_in_at: i64,
    pub seen_at: i64,
    /// The account's session generation when the session started.
    pub generation: i64,
}

/// The claim of a session, if it names a user.
pub fn claim(session: &Session) -> Option<Claim> {
    Some(Claim {
        user_id: session.get::<String>(USER).ok()??,
        signed_in_at: session.get::<i64>(SIGNED_IN_AT).ok()??,
        seen_at: session.get::<i64>(SEEN_AT).ok()??,
        generation: session.get::<i64>(GENERATION).ok()??,
    })
}

/// True while the account has not ended its sessions since this one started.
pub fn is_current(claim: &Claim, account_generation: i32) -> bool {
    claim.generation == i64::from(account_generation)
}

/// True while a session is within both its idle and its absolute lifetime.
pub fn is_live(settings: &Settings, claim: &Claim, now: DateTime<Utc>) -> bool {
    let now = now.timestamp();
    now - claim.seen_at <= settings.auth.session_idle_minutes * 60
        && now - claim.signed_in_at <= settings.auth.session_absolute_hours * 3600
        && claim.seen_at <= now + 60
}

/// Notes activity; the cookie is rewritten at most once a minute.
pub fn touch(session: &Session, claim: &Claim, now: DateTime<Utc>) {
    if now.timestamp() - claim.seen_at >= 60 {
        let _ = session.insert(SEEN_AT, now.timestamp());
    }
}

/// Forgets an expired or stale sign-in. The session itself lives on (empty), so a form rendered
/// later in the same request still gets a CSRF token that is kept.
pub fn end(session: &Session) {
    session.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn claim_at(signed_in: i64, seen: i64) -> Claim {
        Claim {
            user_id: "u".into(),
            signed_in_at: signed_in,
            seen_at: seen,
            generation: 3,
        }
    }

    #[test]
    fn a_session_ends_after_the_idle_time_and_after_the_absolute_time() {
        let settings = Settings::defaults().unwrap();
        let now = Utc::now();
        let t = now.timestamp();
        assert!(is_live(&settings, &claim_at(t - 3600, t - 60), now));
        assert!(!is_live(&settings, &claim_at(t - 7200, t - 3601), now));
        assert!(!is_live(&settings, &claim_at(t - 13 * 3600, t - 10), now));
    }

    #[test]
    fn a_short_or_malformed_key_is_refused_and_a_long_one_accepted() {
        let mut settings = Settings::defaults().unwrap();
        settings.auth.session_key = hex::encode([7u8; 32]).into();
        assert!(settings.validate().is_err());
        settings.auth.session_key = "not a key!".to_string().into();
        assert!(settings.validate().is_err());
        settings.auth.session_key = hex::encode([7u8; 64]).into();
        assert!(configured_key(&settings).unwrap().is_some());
        let b64 = base64::engine::general_purpose::STANDARD.encode([9u8; 64]);
        settings.auth.session_key = b64.into();
        assert!(configured_key(&settings).unwrap().is_some());
    }

    #[test]
    fn a_session_started_before_the_account_ended_its_sessions_is_not_current() {
        let claim = claim_at(0, 0);
        assert!(is_current(&claim, 3));
        assert!(!is_current(&claim, 4));
    }
}
