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
    /// Writes `<outbox id>.eml` into this folder.
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

    /// Hands one message over; `id` names the file of the file transport.
    pub async fn send(&self, id: &str, message: &Message) -> Result<(), SendError> {
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
                let name = file_name(id);
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

/// Only the characters of a UUID reach the file system, whatever the id holds.
fn file_name(id: &str) -> String {
    let safe: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("{safe}.eml")
}

/// Writes beside the target and renames, so a reader never sees half a message.
fn write_file(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let partial = dir.join(format!(".{name}.partial"));
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, dir.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_keeps_only_the_characters_of_a_uuid() {
        assert_eq!(file_name("0b6f-4c1e"), "0b6f-4c1e.eml");
        assert_eq!(file_name("../../etc/passwd"), "etcpasswd.eml");
    }

    #[tokio::test]
    async fn every_tls_mode_builds_a_transport() {
        let mut settings = crate::config::Settings::defaults();
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
