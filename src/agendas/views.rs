//! How agendas are shown: items with their times in the meeting's zone, and each difference
//! between versions in words with its old and new values side by side.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::domain::{ChangeKind, Frame, Item, ItemChange, ItemKind, SlotSpeaker};
use crate::agendas::versions::domain::{Version, VersionInfo};
use crate::i18n;

/// An item as a page shows it: times in the meeting's zone, and the form's local fields.
#[derive(Debug, Clone, Serialize)]
pub struct ItemLine {
    pub id: String,
    pub kind: ItemKind,
    pub kind_label: String,
    pub title: String,
    pub description: String,
    /// `14:30–14:45`, with the day when it is not the session's first day.
    pub when: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub speakers: Vec<String>,
    /// The speakers with their organisation and country (the public programme names them so).
    pub people: Vec<SlotSpeaker>,
    /// The kinds of change since the last approved version (for highlighting).
    pub changes: Vec<ChangeKind>,
}

/// The words for an item kind.
pub fn kind_label(kind: ItemKind, lang: &str) -> String {
    i18n::text(lang, &format!("agenda_kind_{}", kind.as_str()))
}

/// `14:30–14:45` in the meeting's zone, with the date when the item is on another day than the
/// session's start.
pub fn when(frame: &Frame, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let day = |t: DateTime<Utc>| t.with_timezone(&frame.tz).date_naive();
    if day(from) == day(frame.starts_at) {
        frame.span(from, to)
    } else {
        format!(
            "{} {}",
            day(from).format("%a %Y-%m-%d"),
            frame.span(from, to)
        )
    }
}

/// The line of an item, with the changes it went through.
pub fn line(item: &Item, frame: &Frame, lang: &str, changes: &[ItemChange]) -> ItemLine {
    let local = |t: DateTime<Utc>| t.with_timezone(&frame.tz);
    ItemLine {
        id: item.id.to_string(),
        kind: item.kind,
        kind_label: kind_label(item.kind, lang),
        title: item.title.clone(),
        description: item.description.clone(),
        when: when(frame, item.starts_at, item.ends_at),
        date: local(item.starts_at).format("%Y-%m-%d").to_string(),
        start: local(item.starts_at).format("%H:%M").to_string(),
        end: local(item.ends_at).format("%H:%M").to_string(),
        speakers: item.speakers.iter().map(|s| s.name.clone()).collect(),
        people: item.speakers.clone(),
        changes: changes
            .iter()
            .filter(|c| c.item_id == item.id)
            .map(|c| c.change)
            .collect(),
    }
}

/// The lines of a list of items.
pub fn lines(items: &[Item], frame: &Frame, lang: &str, changes: &[ItemChange]) -> Vec<ItemLine> {
    items
        .iter()
        .map(|i| line(i, frame, lang, changes))
        .collect()
}

/// One difference in words, with what was before and what is after.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChangeLine {
    pub change: ChangeKind,
    pub item_id: String,
    pub title: String,
    /// The change in a sentence, e.g. `Changed the time of “Coffee” from 15:30–15:45 to 15:40–15:55`.
    pub summary: String,
    /// The old value (empty for an added item).
    pub before: String,
    /// The new value (empty for a removed item).
    pub after: String,
}

fn speakers_of(item: &Item) -> String {
    let names: Vec<&str> = item.speakers.iter().map(|s| s.name.as_str()).collect();
    names.join(", ")
}

/// The value a change shows of one side of an item.
fn value(change: ChangeKind, i: &Item, frame: &Frame, lang: &str) -> String {
    match change {
        ChangeKind::Added | ChangeKind::Removed => {
            format!("{} {}", when(frame, i.starts_at, i.ends_at), i.title)
        }
        ChangeKind::Moved => when(frame, i.starts_at, i.ends_at),
        ChangeKind::Retitled => i.title.clone(),
        ChangeKind::KindChanged => kind_label(i.kind, lang),
        ChangeKind::DescriptionChanged => i.description.clone(),
        ChangeKind::SpeakersChanged => speakers_of(i),
    }
}

fn sides(c: &ItemChange, frame: &Frame, lang: &str) -> (String, String) {
    let side = |item: Option<&Item>| {
        item.map(|i| value(c.change, i, frame, lang))
            .unwrap_or_default()
    };
    (side(c.old.as_ref()), side(c.new.as_ref()))
}

/// A difference told in a language.
pub fn describe(c: &ItemChange, frame: &Frame, lang: &str) -> ChangeLine {
    let title = c
        .new
        .as_ref()
        .or(c.old.as_ref())
        .map(|i| i.title.clone())
        .unwrap_or_default();
    let (before, after) = sides(c, frame, lang);
    let summary = i18n::text(lang, &format!("agenda_change_{}", c.change.as_str()))
        .replace("{title}", &title)
        .replace("{before}", &before)
        .replace("{after}", &after);
    ChangeLine {
        change: c.change,
        item_id: c.item_id.to_string(),
        title,
        summary,
        before,
        after,
    }
}

/// The differences, told.
pub fn describe_all(changes: &[ItemChange], frame: &Frame, lang: &str) -> Vec<ChangeLine> {
    changes.iter().map(|c| describe(c, frame, lang)).collect()
}

/// A version's facts as a page shows them.
#[derive(Debug, Clone, Serialize)]
pub struct VersionLine {
    pub number: i32,
    pub approved_at: String,
    pub approver_name: String,
    pub comment: Option<String>,
}

/// The facts of a version, the approval date in the meeting's zone.
pub fn version_line(info: &VersionInfo, frame: &Frame) -> VersionLine {
    VersionLine {
        number: info.number,
        approved_at: info
            .approved_at
            .with_timezone(&frame.tz)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        approver_name: info.approver_name.clone(),
        comment: info.comment.clone(),
    }
}

/// The public programme: an approved version with its number, date and items in local time.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeView {
    pub version: VersionLine,
    pub approved_on: String,
    pub timezone: String,
    pub day: String,
    pub items: Vec<ItemLine>,
}

/// The programme of an approved version.
pub fn programme(version: &Version, frame: &Frame, lang: &str) -> ProgrammeView {
    let local = |t: DateTime<Utc>| t.with_timezone(&frame.tz);
    ProgrammeView {
        version: version_line(&version.info, frame),
        approved_on: local(version.info.approved_at)
            .format("%Y-%m-%d")
            .to_string(),
        timezone: frame.tz.name().to_string(),
        day: local(frame.starts_at).format("%A %e %B %Y").to_string(),
        items: lines(&version.plain_items(), frame, lang, &[]),
    }
}
