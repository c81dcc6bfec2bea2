//! Mail helpers: an app wired to a test SMTP server, calendar holds made the way registrations
//! will make them, and received messages taken apart with mailparse.
// Each test uses only part of these helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::time::Duration;

use mailparse::{addrparse_header, parse_mail, DispositionType, MailHeaderMap, ParsedMail};

use super::smtp::{Received, SmtpServer};
use super::{spawn_with, Backend, TestApp};
use seminars::calendar::Role;
use seminars::config::{MailTransport, Settings};
use seminars::db;
use seminars::holds::domain::HolderKind;
use seminars::holds::notices::{SessionInvitation, SessionWithdrawn};
use seminars::holds::service::{self as invitations, Recipient};
use seminars::mail::outbox::{enqueue, Email, OutboxRow, RecordKind};

/// How long a test waits for mail that should arrive.
pub const ARRIVAL: Duration = Duration::from_secs(10);

/// Starts an SMTP server and an app whose worker sends to it, with `adjust` applied last.
pub async fn spawn_with_smtp(
    backend: Backend,
    adjust: impl FnOnce(&mut Settings),
) -> Option<(TestApp, SmtpServer)> {
    let smtp = SmtpServer::start();
    let port = smtp.port();
    let app = spawn_with(backend, |settings| {
        settings.mail.transport = MailTransport::Smtp;
        settings.mail.smtp.port = port;
        settings.mail.smtp.timeout_secs = 5;
        adjust(settings);
    })
    .await?;
    Some((app, smtp))
}

/// Declares each `async fn(TestApp, SmtpServer)` as `NAME::sqlite` and `NAME::postgres`.
#[macro_export]
macro_rules! with_smtp_on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use $crate::support::{mail::spawn_with_smtp, Backend};

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let (app, smtp) = spawn_with_smtp(Backend::Sqlite, |_| {}).await.expect("sqlite");
                    super::$name(app, smtp).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    match spawn_with_smtp(Backend::Postgres, |_| {}).await {
                        Some((app, smtp)) => super::$name(app, smtp).await,
                        None => eprintln!("PostgreSQL SKIPPED for {}: TEST_DATABASE_URL is not set", stringify!($name)),
                    }
                }
            }
        )*
    };
}

/// A delegate-like recipient with a fresh record id.
pub fn recipient(name: &str, email: &str) -> Recipient {
    Recipient {
        holder: HolderKind::Registration,
        record_id: uuid::Uuid::new_v4().to_string(),
        email: email.into(),
        name: name.into(),
        role: Role::ReqParticipant,
        lang: "en",
        remote: false,
    }
}

/// Gives `recipient` the session's invitation, in one transaction, as registrations will.
pub async fn hold(app: &TestApp, session_id: &str, recipient: &Recipient) {
    let (ctx, id, recipient) = (
        seminars::app::ctx(&app.settings),
        session_id.to_string(),
        recipient.clone(),
    );
    db::run(&app.pool, move |conn| {
        db::write(conn, |conn| {
            let session = seminars::sessions::store::find(conn, &id)?.expect("session");
            let meeting =
                seminars::meetings::store::find(conn, &session.meeting_id)?.expect("meeting");
            let notice = |session| SessionInvitation {
                name: recipient.name.clone(),
                session,
                link: Some("http://127.0.0.1/registrations/secret".into()),
            };
            let place = invitations::place(conn, &session, &meeting)?;
            invitations::invite(conn, &ctx, (&session, &meeting, &place), &recipient, notice)
        })
    })
    .await
    .expect("the invitation is queued");
}

/// Withdraws one holder's invitation, in one transaction.
pub async fn withdraw(app: &TestApp, session_id: &str, recipient: &Recipient) {
    let (ctx, id, recipient) = (
        seminars::app::ctx(&app.settings),
        session_id.to_string(),
        recipient.clone(),
    );
    db::run(&app.pool, move |conn| {
        db::write(conn, |conn| {
            let session = seminars::sessions::store::find(conn, &id)?.expect("session");
            let meeting =
                seminars::meetings::store::find(conn, &session.meeting_id)?.expect("meeting");
            let record = (recipient.holder, recipient.record_id.as_str());
            let notice = |session| SessionWithdrawn {
                name: recipient.name.clone(),
                session,
            };
            invitations::withdraw(conn, &ctx, (&session, &meeting), record, notice)
        })
    })
    .await
    .expect("the cancellation is queued");
}

/// A received message, taken apart.
#[derive(Debug, Clone)]
pub struct Mail {
    pub envelope_to: Vec<String>,
    pub message_id: String,
    pub subject: String,
    pub to_name: Option<String>,
    pub to_addr: String,
    pub from_name: Option<String>,
    pub from_addr: String,
    /// Lower-cased names of the top-level headers, sorted.
    pub header_names: Vec<String>,
    /// `type [ child, ... ]`, e.g. `multipart/mixed[multipart/alternative[text/plain,...],application/ics]`.
    pub structure: String,
    pub text: String,
    pub html: String,
    /// The inline text/calendar part and its Content-Type parameters.
    pub calendar: Option<(String, BTreeMap<String, String>)>,
    /// The attachment's file name and decoded content.
    pub attachment: Option<(String, String)>,
}

fn structure(part: &ParsedMail) -> String {
    if part.subparts.is_empty() {
        part.ctype.mimetype.clone()
    } else {
        let children: Vec<String> = part.subparts.iter().map(structure).collect();
        format!("{}[{}]", part.ctype.mimetype, children.join(","))
    }
}

fn leaves<'a>(part: &'a ParsedMail<'a>, out: &mut Vec<&'a ParsedMail<'a>>) {
    if part.subparts.is_empty() {
        out.push(part);
    }
    for sub in &part.subparts {
        leaves(sub, out);
    }
}

fn mailbox(parsed: &ParsedMail, header: &str) -> (Option<String>, String) {
    let header = parsed
        .headers
        .get_first_header(header)
        .expect("address header");
    let info = addrparse_header(header).expect("address parses");
    let single = info.extract_single_info().expect("one address");
    (single.display_name, single.addr)
}

/// Parses a received message; panics with the raw text if it is not well formed.
pub fn parse(received: &Received) -> Mail {
    let parsed = parse_mail(&received.data).unwrap_or_else(|e| panic!("{e}: {}", received.text()));
    let mut parts = Vec::new();
    leaves(&parsed, &mut parts);
    let body_of = |mimetype: &str| {
        parts
            .iter()
            .find(|p| {
                p.ctype.mimetype == mimetype
                    && p.get_content_disposition().disposition != DispositionType::Attachment
            })
            .map(|p| p.get_body().expect("decodable body"))
    };
    let calendar = parts
        .iter()
        .find(|p| p.ctype.mimetype == "text/calendar")
        .map(|p| {
            let raw = String::from_utf8(p.get_body_raw().expect("calendar body"))
                .expect("UTF-8 calendar");
            let mut params: BTreeMap<String, String> = p.ctype.params.clone().into_iter().collect();
            params.insert("charset".into(), p.ctype.charset.clone());
            (raw, params)
        });
    let attachment = parts
        .iter()
        .find(|p| p.get_content_disposition().disposition == DispositionType::Attachment)
        .map(|p| {
            let name = p
                .get_content_disposition()
                .params
                .get("filename")
                .cloned()
                .unwrap_or_default();
            let body =
                String::from_utf8(p.get_body_raw().expect("attachment body")).expect("UTF-8");
            (name, body)
        });
    let mut header_names: Vec<String> = parsed
        .headers
        .iter()
        .map(|h| h.get_key().to_ascii_lowercase())
        .collect();
    header_names.sort();
    let (to_name, to_addr) = mailbox(&parsed, "To");
    let (from_name, from_addr) = mailbox(&parsed, "From");
    Mail {
        envelope_to: received.to.clone(),
        message_id: parsed
            .headers
            .get_first_value("Message-ID")
            .expect("Message-ID"),
        subject: parsed.headers.get_first_value("Subject").expect("Subject"),
        to_name,
        to_addr,
        from_name,
        from_addr,
        header_names,
        structure: structure(&parsed),
        text: body_of("text/plain").unwrap_or_default(),
        html: body_of("text/html").unwrap_or_default(),
        calendar,
        attachment,
    }
}

/// Every received message, parsed, oldest first.
pub fn parsed(smtp: &SmtpServer) -> Vec<Mail> {
    smtp.received().iter().map(parse).collect()
}

/// How many times each Message-ID arrived.
pub fn arrivals(smtp: &SmtpServer) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for mail in parsed(smtp) {
        *counts.entry(mail.message_id).or_insert(0) += 1;
    }
    counts
}

/// The Message-IDs of every outbox row.
pub async fn outbox_message_ids(app: &TestApp) -> Vec<String> {
    db::run(&app.pool, |conn| {
        let (rows, _) = seminars::mail::outbox::list(conn, None, 1000, 0)?;
        Ok(rows.into_iter().map(|r| r.message_id).collect())
    })
    .await
    .expect("outbox rows")
}

/// The calendar of a mail, parsed back with the crate's reader of icalendar's parser.
pub fn calendar_of(mail: &Mail) -> seminars::calendar::ParsedCalendar {
    let (ics, _) = mail.calendar.as_ref().expect("a text/calendar part");
    seminars::calendar::parse(ics).unwrap_or_else(|e| panic!("{e}: {ics}"))
}

/// Queues `n` plain messages in one transaction and answers their outbox ids.
pub async fn queue(app: &TestApp, n: usize, to: &'static str) -> Vec<String> {
    let host = app.settings.public_host();
    db::run(&app.pool, move |conn| {
        db::write(conn, |conn| {
            let mut ids = Vec::new();
            for i in 0..n {
                let email = Email {
                    to_email: to.into(),
                    to_name: format!("Recipient {i}"),
                    subject: format!("Message {i}"),
                    text: format!("Body {i}\n"),
                    html: format!("<p>Body {i}</p>\n"),
                    calendar: None,
                    record_kind: RecordKind::USER,
                    record_id: i.to_string(),
                    reply_to: None,
                };
                ids.push(enqueue(conn, &host, email)?.id);
            }
            Ok(ids)
        })
    })
    .await
    .expect("messages queued")
}

/// One outbox row by id.
pub async fn row(app: &TestApp, id: &str) -> OutboxRow {
    let id = id.to_string();
    db::run(&app.pool, move |conn| {
        Ok(seminars::mail::outbox::find(conn, &id)?)
    })
    .await
    .unwrap()
    .expect("the row exists")
}
