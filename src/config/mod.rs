//! Typed settings: the embedded defaults, then config/$SEMINARS_ENV.toml, a `--config` file, then SEMINARS__* variables.

use std::path::{Path, PathBuf};

use config::{Config, Environment, File, FileFormat};
use secrecy::SecretString;
use serde::Deserialize;

mod check;

/// The defaults compiled into the binary, so it runs from any folder.
pub const DEFAULTS: &str = include_str!("../../config/default.toml");

/// Every setting of the service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub mail: MailSettings,
    pub auth: AuthSettings,
    pub documents: DocumentSettings,
    pub limits: LimitSettings,
    pub rooms: RoomSettings,
    #[serde(default)]
    pub reminders: ReminderSettings,
    pub speakers: SpeakerSettings,
}

/// HTTP server settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub listen: String,
    pub public_url: String,
    pub workers: usize,
    pub json_limit_bytes: usize,
    pub default_timezone: String,
    pub shutdown_timeout_secs: u64,
    /// Load balancers (addresses or networks) whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<String>,
    /// Seconds a JSON or form body may take to arrive in full; slower answers 408.
    pub body_timeout_secs: u64,
}

/// Database connection settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: u32,
    pub connect_timeout_secs: u64,
    /// Longest a request waits for a pooled connection while none can be opened (503 after).
    pub checkout_timeout_ms: u64,
    pub busy_timeout_ms: u64,
    pub sqlite_synchronous: String,
}

/// How mail leaves the service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub transport: MailTransport,
    pub outbox_dir: PathBuf,
    pub from: String,
    pub poll_interval_ms: u64,
    pub max_attempts: u32,
    pub lease_secs: u64,
    pub smtp: SmtpSettings,
    pub worker: bool,
    pub batch_size: u32,
    pub concurrency: u32,
    pub retry_base_secs: u64,
    pub retry_max_secs: u64,
}

/// Where mail goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    File,
    Smtp,
}

/// The SMTP relay.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: String,
    pub password: SecretString,
    pub timeout_secs: u64,
}

/// Transport security towards the relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    None,
    Starttls,
    Tls,
}

/// Accounts and passwords.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    pub token_ttl_hours: i64,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub argon2_parallelism: u32,
    /// Hex or base64 of at least 64 random bytes; empty generates one at start-up.
    pub session_key: SecretString,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub setup_link_hours: i64,
    pub reset_link_hours: i64,
}

/// Uploaded files.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSettings {
    pub dir: PathBuf,
}

/// Request rate limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitSettings {
    pub enabled: bool,
    /// Sign-in attempts at one account from one address before each further one waits.
    pub sign_in_per_account: u32,
    /// The first such wait, doubling with each further attempt...
    pub sign_in_delay_secs: u64,
    /// ...up to this.
    pub sign_in_max_delay_secs: u64,
    pub sign_in_per_address: u32,
    pub window_secs: u64,
    pub public_per_address_per_minute: u32,
    pub registration_per_address_per_minute: u32,
}

/// Room bookings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomSettings {
    /// Minutes a room is blocked before a session when a booking does not say.
    pub default_setup_minutes: i32,
    /// Minutes a room is blocked after a session when a booking does not say.
    pub default_teardown_minutes: i32,
}

/// The reminder confirmed delegates get before their session.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReminderSettings {
    /// Send reminders at all.
    pub enabled: bool,
    /// How many days before the session starts the reminder goes (1: the day before).
    pub days_before: u32,
    /// How often the server looks for reminders due, in minutes.
    pub every_minutes: u64,
}

impl Default for ReminderSettings {
    fn default() -> ReminderSettings {
        ReminderSettings {
            enabled: true,
            days_before: 1,
            every_minutes: 10,
        }
    }
}

/// Speakers: their photos and the reminders of unanswered invitations.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeakerSettings {
    /// Days after an invitation that an unanswered one is reminded, and again after the first.
    pub reminder_after_days: u32,
    /// Minutes between the server's reminder passes; 0 leaves them to `seminars remind`.
    pub remind_every_minutes: u64,
    /// Largest photo accepted, in bytes (larger answers 413).
    pub photo_max_bytes: usize,
}

/// Which backend a database URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Sqlite(String),
    Postgres(String),
}

impl Backend {
    /// Reads the backend from the URL's scheme: `sqlite://PATH` or `postgres://…`.
    pub fn from_url(url: &str) -> Result<Backend, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err("sqlite:// needs a file path, e.g. sqlite://data/seminars.db".into());
            }
            Ok(Backend::Sqlite(path.to_string()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres(url.to_string()))
        } else {
            Err(format!(
                "unknown database scheme in {url:?}: use sqlite://PATH or postgres://…"
            ))
        }
    }
}

impl DatabaseSettings {
    /// The backend `url` names.
    pub fn backend(&self) -> Result<Backend, String> {
        Backend::from_url(&self.url)
    }
}

impl AuthSettings {
    /// The bytes of the configured cookie key: None when the setting is empty; an error when it
    /// is neither hex nor base64, or holds fewer than 64 bytes.
    pub fn session_key_bytes(&self) -> Result<Option<Vec<u8>>, String> {
        use base64::Engine;
        use secrecy::ExposeSecret;
        let text = self.session_key.expose_secret().trim().to_string();
        if text.is_empty() {
            return Ok(None);
        }
        let bytes = if text.len() % 2 == 0 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(&text).map_err(|e| e.to_string())?
        } else {
            base64::engine::general_purpose::STANDARD
                .decode(&text)
                .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(&text))
                .map_err(|_| "is neither hex nor base64".to_string())?
        };
        if bytes.len() < 64 {
            return Err(format!("must hold at least 64 bytes, has {}", bytes.len()));
        }
        Ok(Some(bytes))
    }
}

impl RoomSettings {
    /// The longest set-up or tear-down a booking may ask for, in minutes.
    pub const MAX_BUFFER_MINUTES: i64 = 480;
}

/// A setting that cannot be used, named so the operator can fix it.
#[derive(Debug, thiserror::Error)]
#[error("bad setting {key}: {message}")]
pub struct SettingError {
    pub key: String,
    pub message: String,
}

impl Settings {
    /// Loads the layered settings and validates them.
    pub fn load(file: Option<&Path>) -> Result<Settings, SettingError> {
        let mut builder = Config::builder().add_source(File::from_str(DEFAULTS, FileFormat::Toml));
        if let Ok(env) = std::env::var("SEMINARS_ENV") {
            let path = format!("config/{env}.toml");
            builder = builder.add_source(File::new(&path, FileFormat::Toml).required(false));
        }
        if let Some(file) = file {
            builder = builder.add_source(File::from(file).format(FileFormat::Toml).required(true));
        }
        let builder = builder.add_source(
            Environment::with_prefix("SEMINARS")
                .prefix_separator("__")
                .separator("__")
                .try_parsing(true)
                .list_separator(",")
                .with_list_parse_key("server.trusted_proxies"),
        );
        let settings: Settings = builder
            .build()
            .and_then(|c| c.try_deserialize())
            .map_err(from_config_error)?;
        settings.validate()?;
        Ok(settings)
    }

    /// The embedded defaults alone, for tests and tools.
    pub fn defaults() -> Result<Settings, SettingError> {
        Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .build()
            .and_then(|c| c.try_deserialize())
            .map_err(from_config_error)
    }

    /// The public URL without a trailing slash, for building links.
    pub fn base_url(&self) -> &str {
        self.server.public_url.trim_end_matches('/')
    }

    /// The host part of the public URL, for Message-IDs and calendar UIDs.
    pub fn public_host(&self) -> String {
        url::Url::parse(&self.server.public_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| "localhost".into())
    }
}

fn from_config_error(e: config::ConfigError) -> SettingError {
    let text = e.to_string();
    let key = text
        .split("for key `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .map(str::to_string)
        .or_else(|| {
            text.split("unknown field `")
                .nth(1)
                .and_then(|rest| rest.split('`').next())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "configuration".into());
    SettingError { key, message: text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_defaults_are_valid() {
        let settings = Settings::defaults().unwrap();
        assert!(settings.validate().is_ok());
        assert_eq!(settings.server.listen, "127.0.0.1:8080");
        assert_eq!(settings.database.url, "sqlite://data/seminars.db");
        assert_eq!(settings.mail.transport, MailTransport::File);
    }

    #[test]
    fn an_unknown_time_zone_is_named_in_the_error() {
        let mut settings = Settings::defaults().unwrap();
        settings.server.default_timezone = "Mars/Olympus".into();
        let error = settings.validate().unwrap_err();
        assert_eq!(error.key, "server.default_timezone");
    }

    #[test]
    fn a_database_url_without_a_known_scheme_is_refused() {
        let mut settings = Settings::defaults().unwrap();
        settings.database.url = "host=localhost dbname=x".into();
        assert_eq!(settings.validate().unwrap_err().key, "database.url");
    }
}
