use super::*;
use crate::agendas::reuse::domain::carry_over;
use crate::agendas::versions::domain::{since_versions, SnapshotItem};

fn at(hm: &str) -> DateTime<Utc> {
    // Times of 10 March 2026 in Geneva (UTC+1), written as the organiser reads them.
    DateTime::parse_from_rfc3339(&format!("2026-03-10T{hm}:00+01:00"))
        .unwrap()
        .with_timezone(&Utc)
}

fn frame() -> Frame {
    Frame {
        starts_at: at("14:30"),
        ends_at: at("17:30"),
        tz: "Europe/Zurich".parse().unwrap(),
    }
}

fn item(id: &str, kind: ItemKind, title: &str, from: &str, to: &str) -> Item {
    Item {
        id: id.into(),
        kind,
        title: title.into(),
        description: String::new(),
        starts_at: at(from),
        ends_at: at(to),
        speakers: Vec::new(),
    }
}

fn agenda() -> Vec<Item> {
    vec![
        item("a", ItemKind::Opening, "Opening", "14:30", "14:45"),
        item(
            "b",
            ItemKind::ExpertPresentation,
            "CIRT in Japan",
            "14:45",
            "15:30",
        ),
        item("c", ItemKind::Break, "Coffee", "15:30", "15:45"),
        item("d", ItemKind::Discussion, "Discussion", "15:45", "17:00"),
    ]
}

fn errors(result: Result<Vec<Item>, AgendaError>) -> FieldErrors {
    match result {
        Err(AgendaError::Invalid(errors)) => errors,
        other => panic!("expected invalid fields, got {other:?}"),
    }
}

#[test]
fn an_item_inside_the_session_in_a_free_gap_is_placed_in_time_order() {
    let new = item("e", ItemKind::Closing, "Closing", "17:00", "17:30");
    let placed = place(&frame(), &agenda(), new, false).unwrap();
    let ids: Vec<&str> = placed.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
}

#[test]
fn an_item_outside_the_session_is_refused_on_the_field_at_fault() {
    let early = item("e", ItemKind::Opening, "Early", "14:00", "14:30");
    assert!(errors(place(&frame(), &[], early, false))["starts_at"][0].contains("14:30–17:30"));
    let late = item("e", ItemKind::Closing, "Late", "17:15", "17:45");
    assert!(errors(place(&frame(), &[], late, false)).contains_key("ends_at"));
    let backwards = item("e", ItemKind::Closing, "Backwards", "16:00", "15:00");
    assert!(errors(place(&frame(), &[], backwards, false)).contains_key("ends_at"));
}

#[test]
fn an_item_overlapping_another_even_a_break_is_refused_with_its_title() {
    let new = item("e", ItemKind::Discussion, "Questions", "15:40", "15:50");
    let errors = errors(place(&frame(), &agenda(), new, false));
    assert_eq!(errors["starts_at"], vec!["overlaps “Coffee” (15:30–15:45)"]);
}

#[test]
fn an_edit_keeps_the_items_id_and_does_not_clash_with_itself() {
    let mut moved = agenda()[3].clone();
    moved.starts_at = at("16:00");
    moved.ends_at = at("17:15");
    let placed = place(&frame(), &agenda(), moved, false).unwrap();
    assert_eq!(placed.len(), 4);
    assert_eq!(placed[3].id.as_str(), "d");
    assert_eq!(placed[3].starts_at, at("16:00"));
}

#[test]
fn an_item_that_grows_shifts_the_following_items_by_as_much_when_asked() {
    let mut longer = agenda()[1].clone();
    longer.ends_at = at("15:40");
    let refused = errors(place(&frame(), &agenda(), longer.clone(), false));
    assert!(refused["starts_at"][0].contains("Coffee"));
    let placed = place(&frame(), &agenda(), longer, true).unwrap();
    let times: Vec<(DateTime<Utc>, DateTime<Utc>)> =
        placed.iter().map(|i| (i.starts_at, i.ends_at)).collect();
    assert_eq!(
        times,
        [
            (at("14:30"), at("14:45")),
            (at("14:45"), at("15:40")),
            (at("15:40"), at("15:55")),
            (at("15:55"), at("17:10")),
        ]
    );
}

#[test]
fn shifting_is_refused_when_it_would_push_an_item_out_of_the_session() {
    let mut longer = agenda()[1].clone();
    longer.ends_at = at("16:10");
    let errors = errors(place(&frame(), &agenda(), longer, true));
    assert!(errors["shift_following"][0].contains("“Discussion” past the session's end at 17:30"));
}

#[test]
fn the_workflow_moves_only_along_its_arrows() {
    use AgendaStatus::*;
    assert_eq!(Draft.submit(3, 1), Ok(Submitted));
    assert_eq!(ChangesRequested.submit(3, 1), Ok(Submitted));
    assert_eq!(Draft.submit(0, 1), Err(AgendaError::Empty));
    assert_eq!(Draft.submit(3, 0), Err(AgendaError::NoReviewer));
    for status in [Submitted, Approved] {
        assert!(matches!(
            status.submit(3, 1),
            Err(AgendaError::WrongState { .. })
        ));
    }
    assert_eq!(Submitted.approve(), Ok(Approved));
    assert_eq!(Submitted.withdraw(), Ok(Draft));
    assert_eq!(
        Submitted.request_changes("Add a break"),
        Ok(ChangesRequested)
    );
    for status in [Draft, Approved, ChangesRequested] {
        assert!(status.approve().is_err(), "approve from {status}");
        assert!(status.withdraw().is_err(), "withdraw from {status}");
        assert!(
            status.request_changes("x").is_err(),
            "changes from {status}"
        );
    }
}

#[test]
fn requesting_changes_needs_a_comment_and_a_submitted_agenda_cannot_be_edited() {
    let Err(AgendaError::Invalid(errors)) = AgendaStatus::Submitted.request_changes("  ") else {
        panic!("a blank comment is refused")
    };
    assert!(errors.contains_key("comment"));
    assert_eq!(
        AgendaStatus::Submitted.after_edit(),
        Err(AgendaError::Locked)
    );
    assert_eq!(AgendaStatus::Approved.after_edit(), Ok(AgendaStatus::Draft));
    assert_eq!(
        AgendaStatus::ChangesRequested.after_edit(),
        Ok(AgendaStatus::ChangesRequested)
    );
    let message = AgendaStatus::Draft.approve().unwrap_err().to_string();
    assert_eq!(message, "cannot approve an agenda that is a draft");
}

/// A hand-made pair of versions with one change of every kind.
fn versions() -> (Vec<Item>, Vec<Item>) {
    let old = agenda();
    let mut new = old.clone();
    new[0].title = "Welcome and opening".into();
    new[1].starts_at = at("14:50");
    new[1].kind = ItemKind::StakeholderPresentation;
    new[2].speakers = vec![SlotSpeaker {
        name: "Aiko Tanaka".into(),
        role: "moderator".into(),
        speaker_id: "p1".into(),
        organisation: "MIC".into(),
        country: "JP".into(),
        country_name: "Japan".into(),
    }];
    new[2].description = "Tea and coffee in the foyer".into();
    new.remove(3);
    new.push(item("e", ItemKind::Closing, "Closing", "17:00", "17:30"));
    (old, new)
}

#[test]
fn the_diff_names_every_kind_of_change_with_old_and_new_side_by_side() {
    let (old, new) = versions();
    let changes = diff(&old, &new);
    let seen: Vec<(&str, ChangeKind)> = changes
        .iter()
        .map(|c| (c.item_id.as_str(), c.change))
        .collect();
    assert_eq!(
        seen,
        [
            ("a", ChangeKind::Retitled),
            ("b", ChangeKind::Moved),
            ("b", ChangeKind::KindChanged),
            ("c", ChangeKind::DescriptionChanged),
            ("c", ChangeKind::SpeakersChanged),
            ("d", ChangeKind::Removed),
            ("e", ChangeKind::Added),
        ]
    );
    let retitled = &changes[0];
    assert_eq!(retitled.old.as_ref().unwrap().title, "Opening");
    assert_eq!(retitled.new.as_ref().unwrap().title, "Welcome and opening");
    let removed = &changes[5];
    assert!(removed.new.is_none() && removed.old.as_ref().unwrap().title == "Discussion");
    let added = &changes[6];
    assert!(added.old.is_none() && added.new.is_some());
    let calendar: Vec<bool> = changes.iter().map(ItemChange::touches_calendar).collect();
    assert_eq!(calendar, [true, true, false, false, false, true, true]);
}

#[test]
fn identical_versions_have_no_differences_and_a_first_version_adds_everything() {
    assert!(diff(&agenda(), &agenda()).is_empty());
    let first = diff(&[], &agenda());
    assert_eq!(first.len(), 4);
    assert!(first.iter().all(|c| c.change == ChangeKind::Added));
}

#[test]
fn an_item_keeps_the_version_it_last_changed_in() {
    let (old, new) = versions();
    let previous: Vec<SnapshotItem> = old
        .into_iter()
        .map(|item| SnapshotItem {
            item,
            since_version: 1,
        })
        .collect();
    let mut unchanged = new.clone();
    unchanged[0] = previous[0].item.clone();
    assert_eq!(since_versions(&previous, &unchanged, 2), [1, 2, 2, 2]);
}

#[test]
fn an_earlier_agenda_is_carried_to_a_later_session_keeping_lengths_and_order() {
    let later = Frame {
        starts_at: at("14:30") + Duration::days(90) - Duration::hours(5),
        ends_at: at("17:30") + Duration::days(90) - Duration::hours(5),
        tz: "Europe/Zurich".parse().unwrap(),
    };
    let mut n = 0;
    let carried = carry_over(&versions().1, at("14:30"), &later, || {
        n += 1;
        AgendaItemId::from(format!("new-{n}"))
    })
    .unwrap();
    assert_eq!(carried[0].starts_at, later.starts_at);
    assert_eq!(carried[0].id.as_str(), "new-1");
    assert!(carried.iter().all(|i| i.speakers.is_empty()));
    let lengths = |items: &[Item]| -> Vec<Duration> {
        items.iter().map(|i| i.ends_at - i.starts_at).collect()
    };
    assert_eq!(lengths(&carried), lengths(&versions().1));
    let shorter = Frame {
        ends_at: later.starts_at + Duration::hours(2),
        ..later
    };
    let Err(AgendaError::Invalid(errors)) =
        carry_over(&versions().1, at("14:30"), &shorter, AgendaItemId::random)
    else {
        panic!("items past the end are refused")
    };
    assert_eq!(errors["items"].len(), 1);
    assert!(errors["items"][0].contains("“Closing”"));
}
