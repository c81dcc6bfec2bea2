//! Makes user text safe to place in a content line, and folds lines as RFC 5545 §3.1 says.

/// Longest physical line, in octets, not counting the CRLF.
const LINE_LIMIT: usize = 75;

/// A TEXT value: CRLF and CR become LF (icalendar escapes LF but leaves a raw CR,
/// which some clients take as a line break), other control characters but TAB go.
pub(super) fn text(value: &str) -> String {
    value
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// A parameter value such as CN: icalendar quotes it when it holds `:;,` but has no
/// escape for a double quote or a line break, so those cannot be allowed through.
pub(super) fn param(value: &str) -> String {
    let spaced: String = value
        .chars()
        .filter(|c| *c != '"')
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.trim().to_owned()
}

/// A mailto: URI from an address, keeping only characters that cannot end the line,
/// start a parameter or add mailto headers (`?`, `&`, `%`).
pub(super) fn mailto(email: &str) -> String {
    let address: String = email
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "@.-_+'!#$*/=^`{|}~".contains(*c))
        .collect();
    format!("mailto:{address}")
}

/// A URI value: icalendar writes it verbatim, so whitespace and controls must go.
pub(super) fn uri(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace() && *c != '"')
        .collect()
}

/// Undoes icalendar's folding and folds again at 75 octets, CRLF-terminated.
///
/// Unfolding is safe because every value was cleaned above, so the only CRLFs in
/// icalendar's output are line ends and its own folds.
pub(super) fn refold(rendered: &str) -> String {
    let unfolded = rendered.replace("\r\n ", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 24);
    for line in unfolded.split("\r\n").filter(|line| !line.is_empty()) {
        fold(line, &mut out);
    }
    out
}

/// Appends one logical line, folded on character boundaries, each part ending in CRLF.
pub(super) fn fold(line: &str, out: &mut String) {
    let mut rest = line;
    // The first physical line holds 75 octets; the others 74 after the leading space.
    let mut room = LINE_LIMIT;
    while rest.len() > room {
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (head, tail) = rest.split_at(cut);
        out.push_str(head);
        out.push_str("\r\n ");
        rest = tail;
        room = LINE_LIMIT - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}
