use mailparse::{addrparse_header, parse_mail, DispositionType, MailHeaderMap, ParsedMail};

use super::{build, one_line, MessageError, Outgoing};

const ICS_ASCII: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//seminars//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:3f2c@seminars.example\r\nDTSTAMP:20250101T090000Z\r\nDTSTART:20250310T090000Z\r\nDTEND:20250310T103000Z\r\nSUMMARY:Cybersecurity capacity building\\, Q22-1/1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn outgoing<'a>() -> Outgoing<'a> {
    Outgoing {
        message_id: "<0b6f4c1e@seminars.example>",
        from_name: "Seminar secretariat",
        from_email: "secretariat@seminars.example",
        to_name: "Delegate",
        to_email: "delegate@example.org",
        subject: "Your registration",
        text: "Hello,\r\nyou are registered.\r\n",
        html: "<p>Hello,</p>\r\n<p>you are registered.</p>\r\n",
        calendar: None,
        reply_to: None,
    }
}

fn formatted(mail: &Outgoing) -> Vec<u8> {
    build(mail).expect("message builds").formatted()
}

fn header_names(parsed: &ParsedMail) -> Vec<String> {
    parsed
        .headers
        .iter()
        .map(|h| h.get_key().to_ascii_lowercase())
        .collect()
}

fn display_name(parsed: &ParsedMail, header: &str) -> Option<String> {
    let header = parsed
        .headers
        .get_first_header(header)
        .expect("header present");
    let list = addrparse_header(header).expect("address parses");
    list.extract_single_info()
        .expect("one address")
        .display_name
}

fn address(parsed: &ParsedMail, header: &str) -> String {
    let header = parsed
        .headers
        .get_first_header(header)
        .expect("header present");
    let list = addrparse_header(header).expect("address parses");
    list.extract_single_info().expect("one address").addr
}

fn ics_with_long_lines() -> String {
    let mut ics =
        String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n");
    ics.push_str(
        "DESCRIPTION:Opening by the Rapporteur\\; expert presentations on national CI\r\n",
    );
    ics.push_str(" RT frameworks\\, incident response and capacity building for LDCs.  \r\n");
    ics.push_str("LOCATION:Genève — Salle A=B\r\nSUMMARY:Séance d'information\r\n");
    ics.push_str("END:VEVENT\r\nEND:VCALENDAR\r\n");
    ics
}

fn ics_in_japanese() -> String {
    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:サイバーセキュリティに関する能力構築セミナー\r\nDESCRIPTION:山田太郎による講演。質疑応答。\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".to_owned()
}

#[test]
fn a_message_without_calendar_is_multipart_alternative_of_text_and_html() {
    let raw = formatted(&outgoing());
    let parsed = parse_mail(&raw).unwrap();
    assert_eq!(parsed.ctype.mimetype, "multipart/alternative");
    let kinds: Vec<_> = parsed
        .subparts
        .iter()
        .map(|p| p.ctype.mimetype.as_str())
        .collect();
    assert_eq!(kinds, ["text/plain", "text/html"]);
    assert_eq!(parsed.subparts[0].get_body().unwrap(), outgoing().text);
    assert_eq!(parsed.subparts[1].get_body().unwrap(), outgoing().html);
}

#[test]
fn a_message_with_calendar_is_mixed_with_the_invitation_inline_and_attached() {
    let mail = Outgoing {
        calendar: Some((ICS_ASCII, "REQUEST")),
        ..outgoing()
    };
    let raw = formatted(&mail);
    let parsed = parse_mail(&raw).unwrap();
    assert_eq!(parsed.ctype.mimetype, "multipart/mixed");
    assert_eq!(parsed.subparts.len(), 2);
    let alternative = &parsed.subparts[0];
    assert_eq!(alternative.ctype.mimetype, "multipart/alternative");
    let kinds: Vec<_> = alternative
        .subparts
        .iter()
        .map(|p| p.ctype.mimetype.as_str())
        .collect();
    assert_eq!(kinds, ["text/plain", "text/html", "text/calendar"]);
    let attachment = &parsed.subparts[1];
    assert_eq!(attachment.ctype.mimetype, "application/ics");
    let disposition = attachment.get_content_disposition();
    assert_eq!(disposition.disposition, DispositionType::Attachment);
    assert_eq!(
        disposition.params.get("filename").map(String::as_str),
        Some("invite.ics")
    );
}

#[test]
fn the_calendar_part_carries_method_and_charset_in_its_content_type() {
    for method in ["REQUEST", "CANCEL", "PUBLISH"] {
        let mail = Outgoing {
            calendar: Some((ICS_ASCII, method)),
            ..outgoing()
        };
        let raw = formatted(&mail);
        let parsed = parse_mail(&raw).unwrap();
        let calendar = &parsed.subparts[0].subparts[2];
        assert_eq!(calendar.ctype.mimetype, "text/calendar");
        assert_eq!(calendar.ctype.charset.to_ascii_uppercase(), "UTF-8");
        assert_eq!(
            calendar.ctype.params.get("method").map(String::as_str),
            Some(method)
        );
    }
}

#[test]
fn the_decoded_calendar_equals_the_input_exactly_inline_and_attached() {
    for ics in [
        ICS_ASCII.to_owned(),
        ics_with_long_lines(),
        ics_in_japanese(),
    ] {
        let mail = Outgoing {
            calendar: Some((&ics, "REQUEST")),
            ..outgoing()
        };
        let raw = formatted(&mail);
        let parsed = parse_mail(&raw).unwrap();
        let inline = &parsed.subparts[0].subparts[2];
        let attachment = &parsed.subparts[1];
        assert_eq!(
            String::from_utf8(inline.get_body_raw().unwrap()).unwrap(),
            ics
        );
        assert_eq!(
            String::from_utf8(attachment.get_body_raw().unwrap()).unwrap(),
            ics
        );
    }
}

#[test]
fn every_line_of_the_formatted_message_is_ascii_and_ends_in_crlf() {
    let ics = ics_in_japanese();
    let mail = Outgoing {
        subject: "Genève — Séance 山田太郎",
        to_name: "محمد",
        text: "Genève — Séance\r\n",
        calendar: Some((&ics, "REQUEST")),
        ..outgoing()
    };
    let raw = formatted(&mail);
    assert!(raw.is_ascii());
    assert!(raw.ends_with(b"\r\n"));
    for line in raw.split_inclusive(|&b| b == b'\n') {
        assert!(
            line.ends_with(b"\r\n"),
            "bare LF in {:?}",
            String::from_utf8_lossy(line)
        );
        assert!(line.len() <= 1000, "line longer than 998 octets");
    }
}

#[test]
fn subject_and_display_names_in_japanese_arabic_and_french_decode_to_the_input() {
    let mail = Outgoing {
        subject: "Genève — Séance d'ouverture / 開会 / افتتاح",
        from_name: "山田太郎",
        to_name: "محمد بن عبد الله",
        ..outgoing()
    };
    let raw = formatted(&mail);
    let parsed = parse_mail(&raw).unwrap();
    assert_eq!(
        parsed.headers.get_first_value("Subject").unwrap(),
        mail.subject
    );
    assert_eq!(
        display_name(&parsed, "From").as_deref(),
        Some(mail.from_name)
    );
    assert_eq!(display_name(&parsed, "To").as_deref(), Some(mail.to_name));
    assert_eq!(address(&parsed, "From"), mail.from_email);
    assert_eq!(address(&parsed, "To"), mail.to_email);
}

#[test]
fn names_with_quotes_commas_and_angle_brackets_decode_to_the_input() {
    let mail = Outgoing {
        subject: "\"Quoted\", <angled>, (commented); a\\b: c",
        from_name: "Secretariat, \"MIC\" <Japan>",
        to_name: "O'Brien, Dr. <a@b.c> (guest)",
        ..outgoing()
    };
    let raw = formatted(&mail);
    let parsed = parse_mail(&raw).unwrap();
    assert_eq!(
        parsed.headers.get_first_value("Subject").unwrap(),
        mail.subject
    );
    assert_eq!(
        display_name(&parsed, "From").as_deref(),
        Some(mail.from_name)
    );
    assert_eq!(display_name(&parsed, "To").as_deref(), Some(mail.to_name));
    assert_eq!(address(&parsed, "To"), mail.to_email);
}

#[test]
fn a_subject_with_crlf_and_a_bcc_line_adds_no_header() {
    let mail = Outgoing {
        subject: "Hello\r\nBcc: evil@example.com",
        to_name: "Delegate\r\nBcc: evil@example.com",
        from_name: "Secretariat\nX-Injected: yes\r\n\r\nbody",
        ..outgoing()
    };
    let raw = formatted(&mail);
    let parsed = parse_mail(&raw).unwrap();
    let mut names = header_names(&parsed);
    names.sort();
    assert_eq!(
        names,
        [
            "content-type",
            "date",
            "from",
            "message-id",
            "mime-version",
            "subject",
            "to"
        ]
    );
    assert_eq!(
        parsed.headers.get_first_value("Subject").unwrap(),
        "Hello  Bcc: evil@example.com"
    );
    assert_eq!(
        display_name(&parsed, "To").as_deref(),
        Some("Delegate  Bcc: evil@example.com")
    );
    let message = build(&mail).unwrap();
    let recipients: Vec<String> = message
        .envelope()
        .to()
        .iter()
        .map(|a| a.to_string())
        .collect();
    assert_eq!(recipients, ["delegate@example.org"]);
}

#[test]
fn control_characters_in_subject_and_names_become_spaces() {
    let mail = Outgoing {
        subject: "Tab\there\u{0}nul\u{7f}del\u{85}nel\u{2028}ls",
        to_name: "\r\n  Name\u{1b}[31m  ",
        ..outgoing()
    };
    let raw = formatted(&mail);
    let parsed = parse_mail(&raw).unwrap();
    assert_eq!(
        parsed.headers.get_first_value("Subject").unwrap(),
        "Tab here nul del nel ls"
    );
    assert_eq!(display_name(&parsed, "To").as_deref(), Some("Name [31m"));
    assert_eq!(one_line("a\r\nb"), "a  b");
}

#[test]
fn an_empty_display_name_gives_a_bare_address() {
    let mail = Outgoing {
        to_name: " \r\n ",
        ..outgoing()
    };
    let raw = formatted(&mail);
    let parsed = parse_mail(&raw).unwrap();
    assert_eq!(display_name(&parsed, "To"), None);
    assert_eq!(address(&parsed, "To"), "delegate@example.org");
}

#[test]
fn the_message_id_header_is_the_one_given() {
    let raw = formatted(&outgoing());
    let parsed = parse_mail(&raw).unwrap();
    assert_eq!(
        parsed.headers.get_first_value("Message-ID").unwrap(),
        "<0b6f4c1e@seminars.example>"
    );
    assert_eq!(parsed.headers.get_all_values("Message-ID").len(), 1);
}

#[test]
fn a_malformed_message_id_is_a_build_error() {
    for id in [
        "0b6f@seminars.example",
        "<0b6f@seminars.example>\r\nBcc: x@y.z",
        "<nohost>",
        "<a b@c>",
    ] {
        let mail = Outgoing {
            message_id: id,
            ..outgoing()
        };
        assert!(
            matches!(build(&mail), Err(MessageError::Build(_))),
            "{id:?}"
        );
    }
}

#[test]
fn an_address_that_does_not_parse_is_an_address_error() {
    for bad in [
        "not an address",
        "a@b@c",
        "delegate@example.org\r\nBcc: x@y.z",
        "",
    ] {
        let mail = Outgoing {
            to_email: bad,
            ..outgoing()
        };
        match build(&mail) {
            Err(MessageError::Address(a)) => assert_eq!(a, bad),
            other => panic!("{bad:?} gave {other:?}"),
        }
        let mail = Outgoing {
            from_email: bad,
            ..outgoing()
        };
        assert!(
            matches!(build(&mail), Err(MessageError::Address(_))),
            "{bad:?}"
        );
    }
}

#[test]
fn a_calendar_method_outside_itip_is_a_build_error() {
    for method in ["request", "REQUEST; foo=bar", "REQUEST\r\nBcc: x@y.z", ""] {
        let mail = Outgoing {
            calendar: Some((ICS_ASCII, method)),
            ..outgoing()
        };
        assert!(
            matches!(build(&mail), Err(MessageError::Build(_))),
            "{method:?}"
        );
    }
}

#[test]
fn text_and_html_bodies_in_any_script_decode_to_the_input() {
    let mail = Outgoing {
        text: "山田太郎様\r\nمحمد\r\nGenève — Séance\r\n.\r\n..leading dots\r\n",
        html: "<p>山田太郎様</p>\r\n<p dir=\"rtl\">محمد</p>\r\n",
        ..outgoing()
    };
    let raw = formatted(&mail);
    let parsed = parse_mail(&raw).unwrap();
    assert_eq!(parsed.subparts[0].get_body().unwrap(), mail.text);
    assert_eq!(parsed.subparts[1].get_body().unwrap(), mail.html);
}

#[test]
fn reply_to_is_one_parsed_address_whatever_the_name_or_address_holds() {
    let raw = formatted(&Outgoing {
        reply_to: Some(("Organiser\r\nBcc: victim@example.org", "organiser@mic.jp")),
        ..outgoing()
    });
    let parsed = parse_mail(&raw).unwrap();
    assert_eq!(address(&parsed, "Reply-To"), "organiser@mic.jp");
    let shown = display_name(&parsed, "Reply-To");
    assert_eq!(shown.as_deref(), Some("Organiser  Bcc: victim@example.org"));
    assert!(!header_names(&parsed).contains(&"bcc".to_string()));
    let injected = ("Organiser", "organiser@mic.jp\r\nBcc: victim@example.org");
    let refused = build(&Outgoing {
        reply_to: Some(injected),
        ..outgoing()
    });
    assert!(matches!(refused, Err(MessageError::Address(_))));
    let plain = header_names(&parse_mail(&formatted(&outgoing())).unwrap());
    assert!(!plain.contains(&"reply-to".to_string()));
}
