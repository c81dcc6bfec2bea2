//! Where built messages go: an SMTP relay through lettre, or one `.eml` file per message.

use std::path::PathBuf;
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::config::{MailSettings, MailTransport, SmtpTls};

/// A configured transport; cheap to share, the SMTP one keeps a pool of connections.
#[derive(Clone)]
pub enum Transport {
    /// Sends through the relay of `mail.smtp`.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Writes one `.eml` per Message-ID into this folder, once.
    File(PathBuf),
}

/// Why a message was not handed over.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// What went wrong, for the outbox row and the log.
    pub message: String,
    /// True when retrying cannot help (the relay refused the message for good).
    pub permanent: bool,
}

impl Transport {
    /// The transport the settings choose.
    pub fn from_settings(mail: &MailSettings) -> Result<Transport, String> {
        match mail.transport {
            MailTransport::File => Ok(Transport::File(mail.outbox_dir.clone())),
            MailTransport::Smtp => smtp(mail).map(Transport::Smtp),
        }
    }

    /// Hands one message over. `message_id` is the outbox row's stable Message-ID: the file
    /// transport names its file by it, so a message delivered again after a crash is the same file
    /// (kept as first written), never a second one; SMTP relays and mail clients see it as the
    /// same message.
    pub async fn send(&self, message_id: &str, message: &Message) -> Result<(), SendError> {
        match self {
            Transport::Smtp(smtp) => {
                smtp.send(message.clone())
                    .await
                    .map(|_| ())
                    .map_err(|e| SendError {
                        permanent: e.is_permanent(),
                        message: format!("SMTP: {e}"),
                    })
            }
            Transport::File(dir) => {
                let (dir, bytes) = (dir.clone(), message.formatted());
                let name = file_name(message_id);
                tokio::task::spawn_blocking(move || write_file(&dir, &name, &bytes))
                    .await
                    .map_err(|e| SendError {
                        message: format!("file transport task: {e}"),
                        permanent: false,
                    })?
                    .map_err(|e| SendError {
                        message: format!("file transport: {e}"),
                        permanent: false,
                    })
            }
        }
    }
}

fn smtp(mail: &MailSettings) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let s = &mail.smtp;
    let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host.clone())
        .port(s.port)
        .timeout(Some(Duration::from_secs(s.timeout_secs)));
    let tls = || {
        TlsParameters::new(s.host.clone()).map_err(|e| format!("bad setting mail.smtp.tls: {e}"))
    };
    let builder = match s.tls {
        SmtpTls::None => builder.tls(Tls::None),
        SmtpTls::Starttls => builder.tls(Tls::Required(tls()?)),
        SmtpTls::Tls => builder.tls(Tls::Wrapper(tls()?)),
    };
    let builder = if s.username.is_empty() {
        builder
    } else {
        builder.credentials(Credentials::new(
            s.username.clone(),
            s.password.expose_secret().to_string(),
        ))
    };
    Ok(builder.build())
}

/// The file of a Message-ID (`<local@host>` → `local@host.eml`): only letters, digits, `-`, `.`
/// and `@` reach the file system, and never a leading dot, whatever the id holds.
pub fn file_name(message_id: &str) -> String {
    let safe: String = message_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '@'))
        .take(200)
        .collect();
    format!("{}.eml", safe.trim_start_matches('.'))
}

/// Writes the message once: a file that exists already is this very message, handed over before
/// a crash, and is kept. The bytes go to a partial file of their own first and are linked into
/// place only when complete, so a reader never sees half a message and two instances writing
/// at once cannot mix their bytes.
fn write_file(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let target = dir.join(name);
    if target.exists() {
        return Ok(());
    }
    let partial = dir.join(format!(".{name}.{}.partial", uuid::Uuid::new_v4().simple()));
    let written = std::fs::File::create(&partial).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let placed = written.and_then(|()| match std::fs::hard_link(&partial, &target) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        // A file system without hard links: rename, still atomic, into place.
        Err(_) => std::fs::rename(&partial, &target),
        Ok(()) => Ok(()),
    });
    let _ = std::fs::remove_file(&partial);
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_named_by_the_message_id_and_keeps_only_safe_characters() {
        assert_eq!(
            file_name("<0b6f4c1e@seminars.example>"),
            "0b6f4c1e@seminars.example.eml"
        );
        assert_eq!(file_name("<../../etc/passwd>"), "etcpasswd.eml");
    }

    #[test]
    fn writing_the_same_message_twice_keeps_the_first_file_and_leaves_no_partial_file() {
        let dir = tempfile::tempdir().unwrap();
        write_file(dir.path(), "m@x.eml", b"first").unwrap();
        write_file(dir.path(), "m@x.eml", b"second").unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["m@x.eml"]);
        assert_eq!(std::fs::read(dir.path().join("m@x.eml")).unwrap(), b"first");
    }

    #[tokio::test]
    async fn every_tls_mode_builds_a_transport() {
        let mut settings = crate::config::Settings::defaults().unwrap();
        settings.mail.transport = MailTransport::Smtp;
        for tls in [SmtpTls::None, SmtpTls::Starttls, SmtpTls::Tls] {
            settings.mail.smtp.tls = tls;
            settings.mail.smtp.username = "relay-user".into();
            assert!(matches!(
                Transport::from_settings(&settings.mail),
                Ok(Transport::Smtp(_))
            ));
        }
    }
}
