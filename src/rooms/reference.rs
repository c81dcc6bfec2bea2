//! Rooms and equipment as reference data: their kinds, features and the checks on their fields.

use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::input::{Check, Field};

/// Largest room capacity or equipment stock accepted.
pub const MAX_COUNT: i64 = 100_000;

macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in the order forms list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and wire name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            /// Reads a wire name.
            pub fn parse(name: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == name)
            }

            /// The wire names, for messages.
            pub fn names() -> String {
                $name::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

wire_enum!(
    /// A fixed feature of a room.
    Feature {
        InterpretationBooths = "interpretation_booths",
        VideoConferencing = "video_conferencing",
        StepFreeAccess = "step_free_access",
    }
);

wire_enum!(
    /// What an equipment item is.
    EquipmentKind {
        Projector = "projector",
        Microphone = "microphone",
        Laptop = "laptop",
        PortableBooth = "portable_booth",
        Other = "other",
    }
);

/// A room sessions can be held in.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Room {
    pub id: String,
    pub name: String,
    pub location: String,
    pub capacity: i32,
    pub features: Vec<Feature>,
}

/// Equipment lent to sessions out of a stock.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Equipment {
    pub id: String,
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

impl RoomInput {
    /// Checks a new room (`current` = None) or a patch of one, naming every bad field.
    pub fn apply(self, id: String, current: Option<&Room>) -> Result<Room, AppError> {
        let mut check = Check::new();
        let creating = current.is_none();
        let name = pick(&mut check, creating, "name", self.name)
            .and_then(|n| check.valid_line("name", n, 200));
        let location = pick(&mut check, creating, "location", self.location)
            .and_then(|l| check.valid_line("location", l, 500));
        let capacity = pick(&mut check, creating, "capacity", self.capacity);
        let capacity = count(&mut check, "capacity", capacity);
        let features = check.optional("features", self.features).map(|names| {
            let mut features: Vec<Feature> = Vec::new();
            for name in names {
                match Feature::parse(&name) {
                    Some(f) if !features.contains(&f) => features.push(f),
                    Some(_) => {}
                    None => check.fail(
                        "features",
                        format!("unknown feature {name:?}; use {}", Feature::names()),
                    ),
                }
            }
            features.sort();
            features
        });
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
    pub fn apply(self, id: String, current: Option<&Equipment>) -> Result<Equipment, AppError> {
        let mut check = Check::new();
        let creating = current.is_none();
        let name = pick(&mut check, creating, "name", self.name)
            .and_then(|n| check.valid_line("name", n, 200));
        let kind = pick(&mut check, creating, "kind", self.kind).and_then(|k| {
            let kind = EquipmentKind::parse(&k);
            if kind.is_none() {
                check.fail("kind", format!("must be one of {}", EquipmentKind::names()));
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
