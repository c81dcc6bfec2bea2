//! Rooms and equipment as reference data: their kinds, features and the checks on their fields.

use serde::{Deserialize, Serialize};

use crate::input::{Check, Field, Invalid};

/// Largest room capacity or equipment stock accepted.
pub const MAX_COUNT: i64 = 100_000;

crate::typed_id!(
    /// A room's id.
    RoomId
);

crate::typed_id!(
    /// An equipment item's id.
    EquipmentId
);

crate::text_enum!(
    /// A fixed feature of a room.
    Feature {
        InterpretationBooths = "interpretation_booths",
        VideoConferencing = "video_conferencing",
        StepFreeAccess = "step_free_access",
    }
);

crate::text_enum!(
    /// What an equipment item is.
    EquipmentKind {
        Projector = "projector",
        Microphone = "microphone",
        Laptop = "laptop",
        PortableBooth = "portable_booth",
        Other = "other",
    }
);

/// The wire names of every value, for messages: `projector, microphone, ...`.
fn names<T: crate::wire::TextValue>(all: &[T]) -> String {
    all.iter()
        .map(|v| v.as_text())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A room sessions can be held in.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Room {
    pub id: RoomId,
    pub name: String,
    pub location: String,
    pub capacity: i32,
    pub features: Vec<Feature>,
}

/// Equipment lent to sessions out of a stock.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Equipment {
    pub id: EquipmentId,
    pub name: String,
    pub kind: EquipmentKind,
    pub quantity: i32,
}

/// A room as a client sends it, for creating (all fields) or patching (any).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomInput {
    #[serde(default)]
    #[schema(value_type = String)]
    pub name: Field<String>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub location: Field<String>,
    #[serde(default)]
    #[schema(value_type = i32)]
    pub capacity: Field<i64>,
    #[serde(default)]
    #[schema(value_type = Vec<Feature>)]
    pub features: Field<Vec<String>>,
}

/// An equipment item as a client sends it, for creating (all fields) or patching (any).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EquipmentInput {
    #[serde(default)]
    #[schema(value_type = String)]
    pub name: Field<String>,
    #[serde(default)]
    #[schema(value_type = EquipmentKind)]
    pub kind: Field<String>,
    #[serde(default)]
    #[schema(value_type = i32)]
    pub quantity: Field<i64>,
}

fn count(check: &mut Check, field: &str, value: Option<i64>) -> Option<i32> {
    match value {
        Some(n) if (0..=MAX_COUNT).contains(&n) => Some(n as i32),
        Some(_) => {
            check.fail(field, format!("must be between 0 and {MAX_COUNT}"));
            None
        }
        None => None,
    }
}

/// A required field when creating, an optional one when patching.
fn pick<T>(check: &mut Check, creating: bool, field: &str, value: Field<T>) -> Option<T> {
    if creating {
        check.required(field, value)
    } else {
        check.optional(field, value)
    }
}

/// Known features, each once and in their display order; every unknown name is a failure.
fn features(check: &mut Check, names_given: Vec<String>) -> Vec<Feature> {
    let mut features: Vec<Feature> = Vec::new();
    for name in names_given {
        match Feature::parse(&name) {
            Some(f) if !features.contains(&f) => features.push(f),
            Some(_) => {}
            None => check.fail(
                "features",
                format!("unknown feature {name:?}; use {}", names(Feature::ALL)),
            ),
        }
    }
    features.sort();
    features
}

impl RoomInput {
    /// Checks a new room (`current` = None) or a patch of one, naming every bad field.
    pub fn apply(self, id: RoomId, current: Option<&Room>) -> Result<Room, Invalid> {
        let mut check = Check::new();
        let creating = current.is_none();
        let name = pick(&mut check, creating, "name", self.name)
            .and_then(|n| check.valid_line("name", n, 200));
        let location = pick(&mut check, creating, "location", self.location)
            .and_then(|l| check.valid_line("location", l, 500));
        let capacity = pick(&mut check, creating, "capacity", self.capacity);
        let capacity = count(&mut check, "capacity", capacity);
        let features = check
            .optional("features", self.features)
            .map(|given| features(&mut check, given));
        check.finish()?;
        let base = current.cloned().unwrap_or(Room {
            id,
            name: String::new(),
            location: String::new(),
            capacity: 0,
            features: Vec::new(),
        });
        Ok(Room {
            name: name.unwrap_or(base.name),
            location: location.unwrap_or(base.location),
            capacity: capacity.unwrap_or(base.capacity),
            features: features.unwrap_or(base.features),
            id: base.id,
        })
    }
}

impl EquipmentInput {
    /// Checks a new item (`current` = None) or a patch of one, naming every bad field.
    pub fn apply(self, id: EquipmentId, current: Option<&Equipment>) -> Result<Equipment, Invalid> {
        let mut check = Check::new();
        let creating = current.is_none();
        let name = pick(&mut check, creating, "name", self.name)
            .and_then(|n| check.valid_line("name", n, 200));
        let kind = pick(&mut check, creating, "kind", self.kind).and_then(|k| {
            let kind = EquipmentKind::parse(&k);
            if kind.is_none() {
                check.fail(
                    "kind",
                    format!("must be one of {}", names(EquipmentKind::ALL)),
                );
            }
            kind
        });
        let quantity = pick(&mut check, creating, "quantity", self.quantity);
        let quantity = count(&mut check, "quantity", quantity);
        check.finish()?;
        let base = current.cloned().unwrap_or(Equipment {
            id,
            name: String::new(),
            kind: EquipmentKind::Other,
            quantity: 0,
        });
        Ok(Equipment {
            name: name.unwrap_or(base.name),
            kind: kind.unwrap_or(base.kind),
            quantity: quantity.unwrap_or(base.quantity),
            id: base.id,
        })
    }
}

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;
