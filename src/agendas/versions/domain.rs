//! Approved versions: written once and kept whole, each item with the version it last changed in.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::agendas::domain::Item;
use crate::sessions::domain::SessionId;

/// An approved version's facts, without its items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionInfo {
    pub session_id: SessionId,
    pub number: i32,
    pub approved_at: DateTime<Utc>,
    pub approved_by: String,
    pub approver_name: String,
    pub comment: Option<String>,
}

/// An item as a version keeps it, with the version in which it last changed (its calendar SEQUENCE).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotItem {
    pub item: Item,
    pub since_version: i32,
}

/// An approved version, whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Version {
    pub info: VersionInfo,
    pub items: Vec<SnapshotItem>,
}

impl Version {
    /// The items alone, by start.
    pub fn plain_items(&self) -> Vec<Item> {
        self.items.iter().map(|s| s.item.clone()).collect()
    }
}

/// The version in which each new item last changed: kept from the version before when nothing
/// about the item changed, else `number`.
pub fn since_versions(previous: &[SnapshotItem], new: &[Item], number: i32) -> Vec<i32> {
    new.iter()
        .map(|n| {
            previous
                .iter()
                .find(|p| p.item == *n)
                .map_or(number, |p| p.since_version)
        })
        .collect()
}
