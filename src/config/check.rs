//! What serde cannot check of the settings: addresses, URLs, time zones, ranges.

use std::net::SocketAddr;

use super::{RoomSettings, SettingError, Settings};

impl Settings {
    /// Checks what serde cannot: addresses, URLs, time zones, ranges.
    pub fn validate(&self) -> Result<(), SettingError> {
        let bad = |key: &str, message: String| SettingError {
            key: key.into(),
            message,
        };
        self.server
            .listen
            .parse::<SocketAddr>()
            .map_err(|e| bad("server.listen", format!("{:?}: {e}", self.server.listen)))?;
        let url = url::Url::parse(&self.server.public_url).map_err(|e| {
            bad(
                "server.public_url",
                format!("{:?}: {e}", self.server.public_url),
            )
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(bad(
                "server.public_url",
                "must be an http(s) URL with a host".into(),
            ));
        }
        self.server
            .default_timezone
            .parse::<chrono_tz::Tz>()
            .map_err(|_| {
                bad(
                    "server.default_timezone",
                    format!("unknown IANA time zone {:?}", self.server.default_timezone),
                )
            })?;
        if self.server.body_timeout_secs == 0 {
            return Err(bad("server.body_timeout_secs", "must be at least 1".into()));
        }
        self.database
            .backend()
            .map_err(|m| bad("database.url", m))?;
        if self.database.checkout_timeout_ms == 0 {
            return Err(bad(
                "database.checkout_timeout_ms",
                "must be at least 1".into(),
            ));
        }
        if self.database.pool_size == 0 {
            return Err(bad("database.pool_size", "must be at least 1".into()));
        }
        if !matches!(
            self.database
                .sqlite_synchronous
                .to_ascii_uppercase()
                .as_str(),
            "OFF" | "NORMAL" | "FULL" | "EXTRA"
        ) {
            return Err(bad(
                "database.sqlite_synchronous",
                "use NORMAL or FULL".into(),
            ));
        }
        self.mail
            .from
            .parse::<lettre::message::Mailbox>()
            .map_err(|e| bad("mail.from", format!("{:?}: {e}", self.mail.from)))?;
        if self.mail.max_attempts == 0 {
            return Err(bad("mail.max_attempts", "must be at least 1".into()));
        }
        if self.mail.lease_secs <= self.mail.smtp.timeout_secs {
            return Err(bad(
                "mail.lease_secs",
                "must be longer than mail.smtp.timeout_secs, or a slow send outlives its claim"
                    .into(),
            ));
        }
        if self.mail.batch_size == 0 {
            return Err(bad("mail.batch_size", "must be at least 1".into()));
        }
        if self.mail.retry_base_secs == 0 || self.mail.retry_max_secs < self.mail.retry_base_secs {
            return Err(bad(
                "mail.retry_base_secs",
                "must be at least 1 and at most mail.retry_max_secs".into(),
            ));
        }
        if self.auth.token_ttl_hours <= 0 {
            return Err(bad("auth.token_ttl_hours", "must be positive".into()));
        }
        argon2::Params::new(
            self.auth.argon2_memory_kib,
            self.auth.argon2_iterations,
            self.auth.argon2_parallelism,
            None,
        )
        .map_err(|e| bad("auth.argon2_memory_kib", e.to_string()))?;
        let buffer = 0..=RoomSettings::MAX_BUFFER_MINUTES as i32;
        if !buffer.contains(&self.rooms.default_setup_minutes) {
            return Err(bad(
                "rooms.default_setup_minutes",
                format!("must be in {buffer:?}"),
            ));
        }
        if !buffer.contains(&self.rooms.default_teardown_minutes) {
            return Err(bad(
                "rooms.default_teardown_minutes",
                format!("must be in {buffer:?}"),
            ));
        }
        self.auth
            .session_key_bytes()
            .map_err(|m| bad("auth.session_key", m))?;
        if self.auth.session_idle_minutes <= 0 {
            return Err(bad("auth.session_idle_minutes", "must be positive".into()));
        }
        if self.auth.session_absolute_hours <= 0 {
            return Err(bad(
                "auth.session_absolute_hours",
                "must be positive".into(),
            ));
        }
        Ok(())
    }
}
