//! Agendas of sessions: items and the rules on their times, the states of the approval workflow,
//! and the differences between versions. Pure: the clock, new ids and the session's frame are
//! passed in.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::input::{Check, FieldErrors, Invalid};
use crate::sessions::domain::SessionId;

crate::typed_id!(
    /// An agenda item's id: stable across edits, moves and versions (speakers attach to it).
    AgendaItemId
);

crate::text_enum!(
    /// What an agenda item is.
    ItemKind {
        Opening = "opening",
        ExpertPresentation = "expert_presentation",
        StakeholderPresentation = "stakeholder_presentation",
        Discussion = "discussion",
        Break = "break",
        Closing = "closing",
    }
);

crate::text_enum!(
    /// Where the working copy is: draft → submitted → approved | changes_requested.
    AgendaStatus {
        Draft = "draft",
        Submitted = "submitted",
        Approved = "approved",
        ChangesRequested = "changes_requested",
    }
);

crate::text_enum!(
    /// One kind of difference between two versions of an agenda.
    ChangeKind {
        Added = "added",
        Removed = "removed",
        Moved = "moved",
        Retitled = "retitled",
        KindChanged = "kind_changed",
        DescriptionChanged = "description_changed",
        SpeakersChanged = "speakers_changed",
    }
);

/// Someone speaking in a slot as a snapshot keeps them (filled in by the speakers capability).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SlotSpeaker {
    pub name: String,
    pub role: String,
    pub speaker_id: String,
    pub organisation: String,
    pub country: String,
    pub country_name: String,
}

/// One item of an agenda, in the working copy or in a version.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Item {
    pub id: AgendaItemId,
    pub kind: ItemKind,
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Empty until the speakers capability attaches invitations to the item.
    pub speakers: Vec<SlotSpeaker>,
}

impl Item {
    fn overlaps(&self, other: &Item) -> bool {
        self.starts_at < other.ends_at && other.starts_at < self.ends_at
    }

    /// The same item, earlier or later by `by`.
    pub fn shifted(mut self, by: Duration) -> Item {
        self.starts_at += by;
        self.ends_at += by;
        self
    }
}

/// The working copy of a session's agenda, without its items.
#[derive(Debug, Clone, PartialEq)]
pub struct Agenda {
    pub session_id: SessionId,
    pub status: AgendaStatus,
    /// The approved version this working copy started from (the latest approved one).
    pub based_on_version: Option<i32>,
    /// The last decision's comment (required when changes were requested).
    pub comment: Option<String>,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl Agenda {
    /// The empty draft every session starts with.
    pub fn new(session_id: SessionId, now: DateTime<Utc>) -> Agenda {
        Agenda {
            session_id,
            status: AgendaStatus::Draft,
            based_on_version: None,
            comment: None,
            submitted_by: None,
            submitted_at: None,
            decided_by: None,
            decided_at: None,
            updated_at: now,
        }
    }
}

/// The session an agenda fills: its span, and the meeting's zone in which times are told.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub tz: Tz,
}

impl Frame {
    /// `14:30` in the meeting's zone.
    pub fn clock(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.tz).format("%H:%M").to_string()
    }

    /// `14:30–15:15` in the meeting's zone.
    pub fn span(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
        format!("{}–{}", self.clock(from), self.clock(to))
    }

    /// True when the item lies within the session.
    pub fn contains(&self, item: &Item) -> bool {
        self.starts_at <= item.starts_at && item.ends_at <= self.ends_at
    }
}

/// Why an agenda change is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AgendaError {
    /// Fields that break a rule: times outside the session, an overlap, a missing comment.
    #[error("invalid fields: {0:?}")]
    Invalid(FieldErrors),
    /// Submitted agendas wait for a rapporteur's decision.
    #[error(
        "the agenda is submitted and waits for a rapporteur's decision; withdraw it to edit it"
    )]
    Locked,
    /// The step is not possible from the agenda's current status.
    #[error("cannot {action} an agenda that is {}", status_words(*.status))]
    WrongState {
        action: &'static str,
        status: AgendaStatus,
    },
    /// Nothing to review.
    #[error("an agenda without items cannot be submitted")]
    Empty,
    /// Nobody could decide.
    #[error("no rapporteur is assigned to this session; assign one before submitting")]
    NoReviewer,
    /// Starting from an earlier version would mix two agendas.
    #[error("the agenda has items already; remove them before starting from another version")]
    NotEmpty,
}

impl From<Invalid> for AgendaError {
    fn from(e: Invalid) -> Self {
        AgendaError::Invalid(e.0)
    }
}

fn status_words(status: AgendaStatus) -> &'static str {
    match status {
        AgendaStatus::Draft => "a draft",
        AgendaStatus::Submitted => "submitted",
        AgendaStatus::Approved => "approved",
        AgendaStatus::ChangesRequested => "waiting for changes",
    }
}

fn wrong(action: &'static str, status: AgendaStatus) -> AgendaError {
    AgendaError::WrongState { action, status }
}

impl AgendaStatus {
    /// The status after an edit: a submitted agenda is locked until decided, and editing an
    /// approved one starts a new working copy (a draft based on that version).
    pub fn after_edit(self) -> Result<AgendaStatus, AgendaError> {
        match self {
            AgendaStatus::Submitted => Err(AgendaError::Locked),
            AgendaStatus::Approved => Ok(AgendaStatus::Draft),
            other => Ok(other),
        }
    }

    /// Sends a draft (or a reworked one) to the session's rapporteurs.
    pub fn submit(self, items: usize, reviewers: usize) -> Result<AgendaStatus, AgendaError> {
        match self {
            AgendaStatus::Draft | AgendaStatus::ChangesRequested if items == 0 => {
                Err(AgendaError::Empty)
            }
            AgendaStatus::Draft | AgendaStatus::ChangesRequested if reviewers == 0 => {
                Err(AgendaError::NoReviewer)
            }
            AgendaStatus::Draft | AgendaStatus::ChangesRequested => Ok(AgendaStatus::Submitted),
            other => Err(wrong("submit", other)),
        }
    }

    /// An organiser takes a submission back to edit it.
    pub fn withdraw(self) -> Result<AgendaStatus, AgendaError> {
        match self {
            AgendaStatus::Submitted => Ok(AgendaStatus::Draft),
            other => Err(wrong("withdraw", other)),
        }
    }

    /// A rapporteur approves the submission.
    pub fn approve(self) -> Result<AgendaStatus, AgendaError> {
        match self {
            AgendaStatus::Submitted => Ok(AgendaStatus::Approved),
            other => Err(wrong("approve", other)),
        }
    }

    /// A rapporteur sends the submission back, saying why.
    pub fn request_changes(self, comment: &str) -> Result<AgendaStatus, AgendaError> {
        if comment.trim().is_empty() {
            return Err(Invalid::field("comment", "is required when requesting changes").into());
        }
        match self {
            AgendaStatus::Submitted => Ok(AgendaStatus::ChangesRequested),
            other => Err(wrong("request changes to", other)),
        }
    }
}

/// An item must end after it starts, within the session.
fn inside(frame: &Frame, item: &Item) -> Result<(), AgendaError> {
    let mut check = Check::new();
    if item.ends_at <= item.starts_at {
        check.fail("ends_at", "must be after the start");
    } else if !frame.contains(item) {
        let message = format!(
            "must lie within the session, {} ({})",
            frame.span(frame.starts_at, frame.ends_at),
            frame.tz
        );
        let field = if item.starts_at < frame.starts_at {
            "starts_at"
        } else {
            "ends_at"
        };
        check.fail(field, message);
    }
    Ok(check.finish()?)
}

/// Places an item (a new one, or an edit of the one with its id) among the others: every item
/// inside the session and no two overlapping, breaks included. With `shift_following`, an item
/// that grows moves every item after it by as much. Answers the whole agenda, by start.
pub fn place(
    frame: &Frame,
    items: &[Item],
    item: Item,
    shift_following: bool,
) -> Result<Vec<Item>, AgendaError> {
    inside(frame, &item)?;
    let before = items.iter().find(|i| i.id == item.id);
    let grown = before.map_or(Duration::zero(), |b| item.ends_at - b.ends_at);
    let shift = shift_following && grown > Duration::zero();
    let mut placed: Vec<Item> = items
        .iter()
        .filter(|i| i.id != item.id)
        .map(|other| match before {
            Some(b) if shift && other.starts_at >= b.ends_at => other.clone().shifted(grown),
            _ => other.clone(),
        })
        .collect();
    if let Some(late) = placed.iter().find(|o| !frame.contains(o)) {
        let message = format!(
            "moving the following items would take “{}” past the session's end at {}",
            late.title,
            frame.clock(frame.ends_at)
        );
        return Err(Invalid::field("shift_following", message).into());
    }
    if let Some(other) = placed.iter().find(|o| o.overlaps(&item)) {
        let message = format!(
            "overlaps “{}” ({})",
            other.title,
            frame.span(other.starts_at, other.ends_at)
        );
        return Err(Invalid::field("starts_at", message).into());
    }
    placed.push(item);
    placed.sort_by(|a, b| (a.starts_at, &a.id).cmp(&(b.starts_at, &b.id)));
    Ok(placed)
}

/// One difference between two versions of an agenda, with the item before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemChange {
    pub change: ChangeKind,
    pub item_id: AgendaItemId,
    pub old: Option<Item>,
    pub new: Option<Item>,
}

impl ItemChange {
    /// True when holders of the slot's calendar invitation must hear of it: its time or title
    /// changed, or it appeared or went.
    pub fn touches_calendar(&self) -> bool {
        matches!(
            self.change,
            ChangeKind::Added | ChangeKind::Removed | ChangeKind::Moved | ChangeKind::Retitled
        )
    }

    fn at(&self) -> Option<DateTime<Utc>> {
        self.new.as_ref().or(self.old.as_ref()).map(|i| i.starts_at)
    }
}

fn changes_of(old: &Item, new: &Item) -> Vec<ChangeKind> {
    let pairs = [
        (
            (old.starts_at, old.ends_at) != (new.starts_at, new.ends_at),
            ChangeKind::Moved,
        ),
        (old.title != new.title, ChangeKind::Retitled),
        (old.kind != new.kind, ChangeKind::KindChanged),
        (
            old.description != new.description,
            ChangeKind::DescriptionChanged,
        ),
        (old.speakers != new.speakers, ChangeKind::SpeakersChanged),
    ];
    pairs
        .into_iter()
        .filter(|(c, _)| *c)
        .map(|(_, k)| k)
        .collect()
}

/// What changed from one version's items to another's, matched by item id, in time order.
pub fn diff(old: &[Item], new: &[Item]) -> Vec<ItemChange> {
    let change = |change, id: &AgendaItemId, old: Option<&Item>, new: Option<&Item>| ItemChange {
        change,
        item_id: id.clone(),
        old: old.cloned(),
        new: new.cloned(),
    };
    let mut changes = Vec::new();
    for n in new {
        match old.iter().find(|o| o.id == n.id) {
            None => changes.push(change(ChangeKind::Added, &n.id, None, Some(n))),
            Some(o) => changes.extend(
                changes_of(o, n)
                    .into_iter()
                    .map(|kind| change(kind, &n.id, Some(o), Some(n))),
            ),
        }
    }
    for o in old.iter().filter(|o| !new.iter().any(|n| n.id == o.id)) {
        changes.push(change(ChangeKind::Removed, &o.id, Some(o), None));
    }
    changes.sort_by_key(ItemChange::at);
    changes
}

/// What the agendas capability announces to the capabilities that follow it.
#[derive(Debug, Clone, PartialEq)]
pub enum AgendaEvent {
    /// A rapporteur approved a new version; `changes` are its differences from the version
    /// before (every item added, for the first). Speakers' invitations follow the slots whose
    /// time or title changed (`ItemChange::touches_calendar`).
    VersionApproved {
        session_id: SessionId,
        version: i32,
        changes: Vec<ItemChange>,
    },
    /// An organiser copied a session, with its agenda's working copy, to another meeting; the
    /// room needs are left to the bookings capability.
    SessionCopied { from: SessionId, to: SessionId },
}

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;
