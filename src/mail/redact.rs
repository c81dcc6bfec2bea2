//! Secret links in delivered mail. Once a message has left, the outbox keeps it as a record of
//! what was sent (subject, recipient, the wording), but not the links that act for its recipient:
//! a registration, a set-up or reset password link, a focal point's decision, a private feed, a
//! speaker's invitation. Whoever reads the database later finds the marker instead.

/// What a removed link reads as in the stored message.
pub const MARKER: &str = "[link removed after delivery]";

/// Paths whose next segment is a secret token.
const SECRET_PATHS: [&str; 6] = [
    "/registrations/",
    "/account/setup/",
    "/password-reset/",
    "/decisions/",
    "/feeds/",
    "/invitations/",
];

/// Tokens are 64 hex characters; ids in staff links (UUIDs, 36) are no secret but go too.
const MIN_TOKEN_CHARS: usize = 32;

fn is_token_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

/// Characters a URL in text or in an HTML attribute runs over, back to its scheme.
fn is_url_char(c: u8) -> bool {
    !c.is_ascii_whitespace() && !matches!(c, b'"' | b'\'' | b'<' | b'>' | b'(' | b')')
}

/// The text with every secret link (the whole URL) replaced by `MARKER`.
pub fn without_secret_links(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        let Some((path_at, path)) = next_secret_path(text, at) else {
            break;
        };
        let token_start = path_at + path.len();
        let token_end = token_start
            + bytes[token_start..]
                .iter()
                .take_while(|c| is_token_char(**c))
                .count();
        if token_end - token_start < MIN_TOKEN_CHARS {
            at = token_start;
            continue;
        }
        let start = path_at
            - bytes[copied..path_at]
                .iter()
                .rev()
                .take_while(|c| is_url_char(**c))
                .count();
        let tail = bytes[token_end..]
            .iter()
            .take_while(|c| is_token_char(**c) || matches!(**c, b'/' | b'.'))
            .count();
        let end = token_end + tail;
        // A sentence's full stop after the link stays.
        let end = end - usize::from(end > token_end && bytes[end - 1] == b'.');
        out.push_str(&text[copied..start]);
        out.push_str(MARKER);
        copied = end;
        at = end;
    }
    out.push_str(&text[copied..]);
    out
}

fn next_secret_path(text: &str, from: usize) -> Option<(usize, &'static str)> {
    SECRET_PATHS
        .iter()
        .filter_map(|p| text[from..].find(p).map(|i| (from + i, *p)))
        .min_by_key(|(i, _)| *i)
}

/// A calendar object without secret links. Lines are unfolded first (RFC 5545 folds at 75
/// octets, which may split a link); an object without secret links is kept exactly as it was.
pub fn calendar_without_secret_links(ics: &str) -> String {
    let unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "");
    let redacted = without_secret_links(&unfolded);
    if redacted == unfolded {
        ics.to_string()
    } else {
        redacted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn each_kind_of_secret_link_is_replaced_whole_in_text_and_html() {
        for path in [
            "/registrations/T",
            "/registrations/T/cancel",
            "/api/v1/registrations/T",
            "/account/setup/T",
            "/password-reset/T",
            "/decisions/T",
            "/feeds/T.ics",
            "/api/v1/invitations/T",
        ] {
            let url = format!("https://seminars.example:8443{}", path.replace('T', TOKEN));
            let text = format!("Your link:\n{url}\nThanks.");
            assert_eq!(
                without_secret_links(&text),
                format!("Your link:\n{MARKER}\nThanks."),
                "{path}"
            );
            let html = format!("<a href=\"{url}\">{url}</a>.");
            assert_eq!(
                without_secret_links(&html),
                format!("<a href=\"{MARKER}\">{MARKER}</a>."),
                "{path}"
            );
        }
    }

    #[test]
    fn public_links_and_short_segments_are_kept() {
        let text = "See https://x.example/sessions/abc and https://x.example/registrations/ \
                    or /decisions/short.";
        assert_eq!(without_secret_links(text), text);
    }

    #[test]
    fn a_link_folded_across_calendar_lines_is_found() {
        let url = format!("https://x.example/feeds/{TOKEN}.ics");
        let (head, rest) = url.split_at(40);
        let ics = format!("BEGIN:VEVENT\r\nDESCRIPTION:Feed {head}\r\n {rest}\r\nEND:VEVENT\r\n");
        let cleaned = calendar_without_secret_links(&ics);
        assert!(!cleaned.contains(&TOKEN[..20]), "{cleaned}");
        assert!(cleaned.contains(MARKER));
        let plain = "BEGIN:VEVENT\r\nSUMMARY:A long\r\n  title\r\nEND:VEVENT\r\n";
        assert_eq!(calendar_without_secret_links(plain), plain);
    }
}
