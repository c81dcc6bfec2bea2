//! Turns one outbox row into a MIME message, with headers that no user text can inject into.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};

/// iTIP methods (RFC 5546) that may appear in the `method` parameter of a text/calendar part.
const CALENDAR_METHODS: [&str; 8] = [
    "PUBLISH",
    "REQUEST",
    "REPLY",
    "ADD",
    "CANCEL",
    "REFRESH",
    "COUNTER",
    "DECLINECOUNTER",
];

/// File name of the calendar attachment; some clients only offer to import an `.ics` file.
const CALENDAR_FILE_NAME: &str = "invite.ics";

/// Everything needed to build one email.
pub struct Outgoing<'a> {
    /// Message-ID with angle brackets, e.g. `<0b6f…@seminars.example>`.
    pub message_id: &'a str,
    pub from_name: &'a str,
    pub from_email: &'a str,
    pub to_name: &'a str,
    pub to_email: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    /// The iCalendar text (CRLF line endings) and its iTIP method (`REQUEST`, `CANCEL`, `PUBLISH`).
    pub calendar: Option<(&'a str, &'a str)>,
    /// Reply-To as (display name, address); None: replies go to the sender.
    pub reply_to: Option<(&'a str, &'a str)>,
}

/// Why an outbox row could not become a message.
#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    #[error("invalid address {0}")]
    Address(String),
    #[error("{0}")]
    Build(String),
}

/// Builds the message: multipart/alternative (text/plain, text/html), and with a calendar
/// multipart/mixed [ multipart/alternative [ text/plain, text/html, text/calendar ], invite.ics ].
pub fn build(mail: &Outgoing) -> Result<Message, MessageError> {
    let from = mailbox(mail.from_name, mail.from_email)?;
    let to = mailbox(mail.to_name, mail.to_email)?;
    let mut builder = Message::builder()
        .message_id(Some(message_id(mail.message_id)?))
        .from(from)
        .to(to)
        .subject(one_line(mail.subject));
    if let Some((name, email)) = mail.reply_to {
        // Built like the other addresses: a parsed address and a one-line name, never raw text.
        builder = builder.reply_to(mailbox(name, email)?);
    }
    let alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(mail.text.to_owned()))
        .singlepart(SinglePart::html(mail.html.to_owned()));
    let body = match mail.calendar {
        None => alternative,
        Some((ics, method)) => with_calendar(alternative, ics, method)?,
    };
    builder
        .multipart(body)
        .map_err(|e| MessageError::Build(e.to_string()))
}

/// Adds the iMIP (RFC 6047) inline part and the same calendar as an attachment.
fn with_calendar(
    alternative: MultiPart,
    ics: &str,
    method: &str,
) -> Result<MultiPart, MessageError> {
    if !CALENDAR_METHODS.contains(&method) {
        return Err(MessageError::Build(format!(
            "invalid calendar method {method:?}"
        )));
    }
    let inline = SinglePart::builder()
        .content_type(content_type(&format!(
            "text/calendar; charset=UTF-8; method={method}"
        ))?)
        .body(ics.to_owned());
    let attachment = Attachment::new(CALENDAR_FILE_NAME.to_owned()).body(
        ics.to_owned(),
        content_type(&format!("application/ics; name=\"{CALENDAR_FILE_NAME}\""))?,
    );
    Ok(MultiPart::mixed()
        .multipart(alternative.singlepart(inline))
        .singlepart(attachment))
}

fn content_type(value: &str) -> Result<ContentType, MessageError> {
    ContentType::parse(value).map_err(|e| MessageError::Build(format!("{value}: {e}")))
}

fn mailbox(name: &str, email: &str) -> Result<Mailbox, MessageError> {
    let address: Address = email
        .parse()
        .map_err(|_| MessageError::Address(email.to_owned()))?;
    let name = one_line(name);
    Ok(Mailbox::new((!name.is_empty()).then_some(name), address))
}

/// Accepts only `<left@right>` in printable ASCII, so the header needs no encoding.
fn message_id(id: &str) -> Result<String, MessageError> {
    let inner = id
        .strip_prefix('<')
        .and_then(|rest| rest.strip_suffix('>'))
        .filter(|inner| {
            inner
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>')
                && inner
                    .split_once('@')
                    .is_some_and(|(l, r)| !l.is_empty() && !r.is_empty())
        });
    match inner {
        Some(_) => Ok(id.to_owned()),
        None => Err(MessageError::Build(format!("invalid Message-ID {id:?}"))),
    }
}

/// Control characters (CR, LF, tab, NUL, …) and Unicode line separators become spaces, so a
/// header value stays one logical line whatever the user typed; the ends are trimmed.
fn one_line(value: &str) -> String {
    let spaced: String = value
        .chars()
        .map(|c| match c {
            c if c.is_control() => ' ',
            '\u{2028}' | '\u{2029}' => ' ',
            c => c,
        })
        .collect();
    spaced.trim().to_owned()
}

#[cfg(test)]
#[path = "message_tests.rs"]
mod tests;
