use chrono::{DateTime, TimeZone, Utc};

use super::*;

const HOSTILE: &str = "a, b; c\\d\ne\r\nf \"quoted\" 国際電気通信連合 \
     الاتحاد الدولي للاتصالات Union internationale des télécommunications — Genève";
const INJECTION: &str = "Pwned\r\nATTENDEE:mailto:evil@x\r\nMETHOD:PUBLISH";

fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, hour, minute, 0).unwrap()
}

fn event() -> Event {
    Event {
        uid: "session-0b8e5b4e-7c1a-4d4e-9a55-2f6f3c1d9e01@seminars.example".into(),
        sequence: 2,
        summary: "Digital inclusion, financing; next steps".into(),
        description: "Agenda:\n1. Opening\n2. Panel".into(),
        location: "Room K, ITU Tower; Geneva".into(),
        url: "https://seminars.example/sessions/42".into(),
        starts_at: at(8, 30),
        ends_at: at(10, 0),
        stamp: Utc.with_ymd_and_hms(2026, 2, 1, 12, 0, 0).unwrap(),
    }
}

fn organizer() -> Person {
    Person {
        name: "Secretariat, ITU-D".into(),
        email: "sg1@itu.example".into(),
    }
}

fn delegate() -> Person {
    Person {
        name: "Amina Diallo".into(),
        email: "amina@example.org".into(),
    }
}

fn only_event(text: &str) -> ParsedEvent {
    let mut calendar = parse(text).unwrap();
    assert_eq!(calendar.events.len(), 1, "{text}");
    calendar.events.remove(0)
}

/// Logical lines: what a reader sees after unfolding.
fn logical_lines(text: &str) -> Vec<String> {
    let unfolded = text.replace("\r\n ", "");
    unfolded.split("\r\n").map(str::to_owned).collect()
}

fn assert_lines_are_well_formed(text: &str) {
    assert!(text.ends_with("\r\n"), "{text:?}");
    for line in text.strip_suffix("\r\n").unwrap().split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(!line.contains(['\r', '\n']), "bare line break in {line:?}");
        assert!(!line.is_empty(), "empty line in {text:?}");
    }
}

#[test]
fn a_request_round_trips_every_field_including_punctuation_and_any_script() {
    let mut event = event();
    event.summary = format!("Summary: {HOSTILE}");
    event.description = format!("Description:\n{HOSTILE}\\n not a newline\\");
    event.location = format!("Location: {HOSTILE}");
    let attendee = Person {
        name: "Tanaka, 太郎; Genève".into(),
        email: "taro@example.jp".into(),
    };
    let text = request(&event, &organizer(), &attendee, Role::ReqParticipant);
    let expected = ParsedEvent {
        uid: event.uid.clone(),
        sequence: 2,
        summary: event.summary.replace("\r\n", "\n"),
        description: event.description.replace("\r\n", "\n"),
        location: event.location.replace("\r\n", "\n"),
        url: event.url.clone(),
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        status: Some("CONFIRMED".into()),
        organizer: Some("sg1@itu.example".into()),
        attendees: vec!["taro@example.jp".into()],
        attendee_params: vec![vec![
            ("CN".into(), "Tanaka, 太郎; Genève".into()),
            ("PARTSTAT".into(), "NEEDS-ACTION".into()),
            ("ROLE".into(), "REQ-PARTICIPANT".into()),
            ("RSVP".into(), "TRUE".into()),
        ]],
    };
    assert_eq!(only_event(&text), expected);
    assert_eq!(parse(&text).unwrap().method.as_deref(), Some("REQUEST"));
}

#[test]
fn a_request_carries_the_calendar_and_scheduling_properties_itip_needs() {
    let text = request(&event(), &organizer(), &delegate(), Role::ReqParticipant);
    let lines = logical_lines(&text);
    for wanted in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ITU-D seminars//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        "UID:session-0b8e5b4e-7c1a-4d4e-9a55-2f6f3c1d9e01@seminars.example",
        "DTSTAMP:20260201T120000Z",
        "SEQUENCE:2",
        "SUMMARY:Digital inclusion\\, financing\\; next steps",
        "DESCRIPTION:Agenda:\\n1. Opening\\n2. Panel",
        "LOCATION:Room K\\, ITU Tower\\; Geneva",
        "URL:https://seminars.example/sessions/42",
        "STATUS:CONFIRMED",
        "ORGANIZER;CN=\"Secretariat, ITU-D\":mailto:sg1@itu.example",
        "ATTENDEE;CN=Amina Diallo;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:amina@example.org",
        "END:VEVENT",
        "END:VCALENDAR",
    ] {
        assert!(lines.iter().any(|l| l == wanted), "no {wanted:?} in\n{text}");
    }
}

#[test]
fn times_are_written_in_utc_form() {
    let text = request(&event(), &organizer(), &delegate(), Role::Chair);
    let lines = logical_lines(&text);
    assert!(
        lines.iter().any(|l| l == "DTSTART:20260310T083000Z"),
        "{text}"
    );
    assert!(
        lines.iter().any(|l| l == "DTEND:20260310T100000Z"),
        "{text}"
    );
    assert!(!text.contains("TZID"), "{text}");
}

#[test]
fn each_role_is_written_with_its_rfc_name() {
    for (role, name) in [
        (Role::Chair, "CHAIR"),
        (Role::ReqParticipant, "REQ-PARTICIPANT"),
        (Role::OptParticipant, "OPT-PARTICIPANT"),
    ] {
        let text = request(&event(), &organizer(), &delegate(), role);
        let params = &only_event(&text).attendee_params[0];
        assert!(params.contains(&("ROLE".into(), name.into())), "{text}");
    }
}

#[test]
fn text_that_tries_to_inject_an_attendee_adds_no_property() {
    let mut event = event();
    event.summary = INJECTION.into();
    event.description = INJECTION.into();
    event.location = INJECTION.replace("\r\n", "\r");
    event.url = format!("https://x.example/\r\n{INJECTION}");
    let attendee = Person {
        name: INJECTION.into(),
        email: "amina@example.org\r\nATTENDEE:mailto:evil@x".into(),
    };
    let organizer = Person {
        name: INJECTION.into(),
        email: "sg1@itu.example\nATTENDEE:mailto:evil@x".into(),
    };
    let text = request(&event, &organizer, &attendee, Role::ReqParticipant);
    let lines = logical_lines(&text);
    let starting = |prefix: &str| lines.iter().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(starting("ATTENDEE"), 1, "{text}");
    assert_eq!(starting("METHOD"), 1, "{text}");
    assert_eq!(starting("ORGANIZER"), 1, "{text}");
    assert_eq!(text.matches("\r\nATTENDEE").count(), 1, "{text}");
    let parsed = only_event(&text);
    assert_eq!(parsed.attendees.len(), 1);
    assert_eq!(parsed.summary, INJECTION.replace("\r\n", "\n"));
    assert_eq!(parsed.location, INJECTION.replace("\r\n", "\n"));
    assert!(!parsed.url.contains(char::is_whitespace), "{}", parsed.url);
}

#[test]
fn a_display_name_with_quotes_and_semicolons_does_not_break_parameters() {
    let attendee = Person {
        name: "Dr. \"Bob\"; ROLE=CHAIR; PARTSTAT=ACCEPTED:mailto:evil@x\",\"".into(),
        email: "bob@example.org".into(),
    };
    let text = request(&event(), &organizer(), &attendee, Role::OptParticipant);
    let parsed = only_event(&text);
    assert_eq!(parsed.attendees, ["bob@example.org"]);
    let params = &parsed.attendee_params[0];
    let cn: Vec<_> = params.iter().filter(|(k, _)| k == "CN").collect();
    assert_eq!(cn.len(), 1, "{text}");
    assert_eq!(
        cn[0].1,
        "Dr. Bob; ROLE=CHAIR; PARTSTAT=ACCEPTED:mailto:evil@x,"
    );
    let roles: Vec<_> = params.iter().filter(|(k, _)| k == "ROLE").collect();
    assert_eq!(roles, [&("ROLE".to_owned(), "OPT-PARTICIPANT".to_owned())]);
    assert_eq!(params.len(), 4, "{params:?}");
}

#[test]
fn an_address_loses_what_could_end_the_line_or_add_mailto_headers() {
    assert_eq!(
        clean::mailto(" eve@x.example\r\n?cc=all@x.example&body=%0A "),
        "mailto:eve@x.examplecc=all@x.examplebody=0A"
    );
    assert_eq!(
        clean::mailto("o'brien+sg1@x.example"),
        "mailto:o'brien+sg1@x.example"
    );
}

#[test]
fn every_line_is_crlf_terminated_and_at_most_75_octets_on_character_boundaries() {
    let mut event = event();
    event.summary = "国際電気通信連合".repeat(40);
    event.description = format!(
        "{}\n{}",
        "الاتحاد الدولي للاتصالات ".repeat(20),
        "é".repeat(301)
    );
    event.location = "télécommunications — Genève ".repeat(12);
    let text = request(&event, &organizer(), &delegate(), Role::ReqParticipant);
    assert_lines_are_well_formed(&text);
    let parsed = only_event(&text);
    assert_eq!(parsed.summary, event.summary);
    assert_eq!(parsed.description, event.description);
    assert_eq!(parsed.location, event.location);
}

#[test]
fn a_line_whose_last_part_is_exactly_75_octets_is_still_folded_short() {
    // icalendar 0.17 writes this one as a 76-octet continuation line.
    let mut event = event();
    for length in 140..=230 {
        event.summary = "x".repeat(length - "SUMMARY:".len());
        let text = publish("Feed", std::slice::from_ref(&event), &organizer());
        assert_lines_are_well_formed(&text);
        assert_eq!(only_event(&text).summary, event.summary);
    }
}

#[test]
fn folding_moves_a_character_that_would_straddle_octet_75_to_the_next_line() {
    let line = format!("SUMMARY:{}国", "a".repeat(66));
    let mut out = String::new();
    clean::fold(&line, &mut out);
    assert_eq!(out, format!("SUMMARY:{}\r\n 国\r\n", "a".repeat(66)));
    let exact = "b".repeat(75);
    out.clear();
    clean::fold(&exact, &mut out);
    assert_eq!(out, format!("{exact}\r\n"));
}

#[test]
fn a_cancel_has_method_cancel_status_cancelled_the_given_sequence_and_the_same_uid() {
    let invited = request(&event(), &organizer(), &delegate(), Role::ReqParticipant);
    let mut next = event();
    next.sequence = 3;
    let text = cancel(&next, &organizer(), &delegate(), Role::ReqParticipant);
    let calendar = parse(&text).unwrap();
    assert_eq!(calendar.method.as_deref(), Some("CANCEL"));
    let cancelled = &calendar.events[0];
    assert_eq!(cancelled.status.as_deref(), Some("CANCELLED"));
    assert_eq!(cancelled.sequence, 3);
    assert_eq!(cancelled.uid, only_event(&invited).uid);
    assert_eq!(cancelled.attendees, ["amina@example.org"]);
    assert!(logical_lines(&text).iter().any(|l| l == "METHOD:CANCEL"));
}

#[test]
fn a_publish_feed_of_three_events_has_three_vevents_and_method_publish() {
    let events: Vec<Event> = (0..3)
        .map(|i| Event {
            uid: format!("slot-{i}@seminars.example"),
            starts_at: at(9 + i, 0),
            ends_at: at(9 + i, 45),
            ..event()
        })
        .collect();
    let text = publish("SG1 seminar; public, programme", &events, &organizer());
    let calendar = parse(&text).unwrap();
    assert_eq!(calendar.method.as_deref(), Some("PUBLISH"));
    assert_eq!(calendar.events.len(), 3);
    assert_eq!(text.matches("BEGIN:VEVENT\r\n").count(), 3);
    for (parsed, event) in calendar.events.iter().zip(&events) {
        assert_eq!(parsed.uid, event.uid);
        assert_eq!(parsed.starts_at, event.starts_at);
        assert_eq!(parsed.status.as_deref(), Some("CONFIRMED"));
        assert!(parsed.attendees.is_empty());
    }
    let lines = logical_lines(&text);
    let name = "X-WR-CALNAME:SG1 seminar\\; public\\, programme";
    assert!(lines.iter().any(|l| l == name), "{text}");
}

#[test]
fn rendering_the_same_event_twice_gives_the_same_text() {
    let first = request(&event(), &organizer(), &delegate(), Role::ReqParticipant);
    let second = request(&event(), &organizer(), &delegate(), Role::ReqParticipant);
    assert_eq!(first, second);
}

#[test]
fn an_empty_url_is_left_out_rather_than_written_empty() {
    let text = request(
        &Event {
            url: String::new(),
            ..event()
        },
        &organizer(),
        &delegate(),
        Role::Chair,
    );
    assert!(
        !logical_lines(&text).iter().any(|l| l.starts_with("URL")),
        "{text}"
    );
    assert_eq!(only_event(&text).url, "");
}

#[test]
fn parsing_refuses_a_time_that_is_not_in_utc_form() {
    let text = request(&event(), &organizer(), &delegate(), Role::Chair).replace(
        "DTSTART:20260310T083000Z",
        "DTSTART;TZID=Europe/Zurich:20260310T093000",
    );
    assert!(parse(&text).unwrap_err().contains("DTSTART"));
}
