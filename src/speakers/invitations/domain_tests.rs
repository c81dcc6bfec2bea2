use chrono::TimeZone;

use super::*;

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, h, m, 0).unwrap()
}

fn slot(item: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> Slot {
    Slot {
        session_id: "s".into(),
        item_id: item.into(),
        kind: ItemKind::ExpertPresentation,
        title: item.into(),
        starts_at: from,
        ends_at: to,
        sequence: 0,
    }
}

fn invitation(status: InvitationStatus, sent: i32, last: Option<DateTime<Utc>>) -> Invitation {
    Invitation {
        id: "i".into(),
        session_id: "s".into(),
        item_id: "item".into(),
        speaker_id: "p".into(),
        role: SlotRole::Speaker,
        status,
        reason: None,
        invited_by: "u".into(),
        invited_at: at(9, 0),
        responded_at: None,
        reminders_sent: sent,
        last_reminded_at: last,
        travel: Travel::default(),
        updated_at: at(9, 0),
    }
}

#[test]
fn a_slot_that_shares_an_instant_with_a_confirmed_one_is_refused_and_touching_ones_pass() {
    let mine = [
        slot("a", at(13, 0), at(14, 0)),
        slot("b", at(15, 0), at(16, 0)),
    ];
    let late = slot("c", at(13, 30), at(14, 30));
    assert_eq!(overlap(&late, &mine).map(|s| s.item_id.as_str()), Some("a"));
    let after = slot("d", at(14, 0), at(15, 0));
    assert_eq!(overlap(&after, &mine), None, "back to back is fine");
    let same = slot("a", at(13, 0), at(14, 0));
    assert_eq!(
        overlap(&same, &mine),
        None,
        "a slot never clashes with itself"
    );
}

#[test]
fn invitations_move_only_along_their_states() {
    use InvitationStatus::*;
    assert_eq!(Invited.confirm(), Ok(Confirmed));
    assert_eq!(Declined.confirm(), Ok(Confirmed));
    assert!(Cancelled.confirm().is_err());
    assert_eq!(Invited.decline(), Ok(Declined));
    assert!(
        Confirmed.decline().is_err(),
        "a confirmed speaker withdraws"
    );
    assert_eq!(Confirmed.withdraw(), Ok(Withdrawn));
    assert!(Invited.withdraw().is_err());
    assert!(takes_speakers(ItemKind::Break).is_err());
    assert!(takes_speakers(ItemKind::Discussion).is_ok());
}

#[test]
fn two_reminders_at_most_each_after_its_delay_and_only_while_unanswered() {
    let plan = ReminderPlan {
        first: Duration::days(3),
        second: Duration::days(4),
    };
    let now = at(9, 0);
    assert_eq!(
        plan.due(&invitation(InvitationStatus::Invited, 0, None), now),
        None
    );
    let later = now + Duration::days(3);
    assert_eq!(
        plan.due(&invitation(InvitationStatus::Invited, 0, None), later),
        Some(1)
    );
    assert_eq!(
        plan.due(&invitation(InvitationStatus::Confirmed, 0, None), later),
        None
    );
    let reminded = invitation(InvitationStatus::Invited, 1, Some(later));
    assert_eq!(plan.due(&reminded, later + Duration::days(3)), None);
    assert_eq!(plan.due(&reminded, later + Duration::days(4)), Some(2));
    let twice = invitation(InvitationStatus::Invited, 2, Some(later));
    assert_eq!(plan.due(&twice, later + Duration::days(40)), None);
    assert_eq!(days_since(now, later), 3);
}
