//! Registrations: stakeholder categories, attendance, statuses, who gets a seat, and who may decide.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::{Role, User};
use crate::countries::CountryGroup;
use crate::sessions::domain::SessionFields;

/// Declares a wire enum with its stored names, `as_str`, `parse` and `ALL`.
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and wire name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Reads a wire name.
            pub fn parse(name: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == name)
            }
        }
    };
}

wire_enum!(
    /// The delegate's stakeholder category, one axis of every statistic.
    Category {
        PolicyMaker = "policy_maker",
        Regulator = "regulator",
        Operator = "operator",
        Manufacturer = "manufacturer",
        Other = "other",
    }
);

wire_enum!(
    /// How the delegate attends; each mode has its own capacity and waiting list.
    Attendance {
        InPerson = "in_person",
        Remote = "remote",
    }
);

wire_enum!(
    /// Where a registration is in its life.
    Status {
        Pending = "pending",
        Confirmed = "confirmed",
        Waitlisted = "waitlisted",
        Cancelled = "cancelled",
        Rejected = "rejected",
    }
);

impl Status {
    /// Registrations that still count as registered (for statistics and the delegate's page).
    pub fn is_active(self) -> bool {
        matches!(
            self,
            Status::Pending | Status::Confirmed | Status::Waitlisted
        )
    }
}

/// Passport details for a visa support letter; organisers only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visa {
    pub passport_name: String,
    pub nationality: String,
    pub passport_number: String,
    pub passport_expiry: NaiveDate,
}

/// What the delegate told us about themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delegate {
    pub name: String,
    /// Normalised: trimmed and lower-case.
    pub email: String,
    pub organisation: String,
    pub job_title: String,
    /// ISO 3166-1 alpha-2, upper-case.
    pub country: String,
    pub category: Category,
    pub attendance: Attendance,
    pub consent_directory: bool,
    pub consent_share_email: bool,
    pub accessibility_needs: String,
    pub visa: Option<Visa>,
}

/// A registration as the service works with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub id: String,
    pub session_id: String,
    /// Order of arrival within the session, from 1.
    pub arrival: i32,
    pub delegate: Delegate,
    /// Looked up when the delegate registered, and kept even if the reference list changes.
    pub country_group: CountryGroup,
    pub status: Status,
    pub lang: String,
    pub decided_by: Option<String>,
    pub decision_comment: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Confirmed seats of one attendance mode, split by whether a reservation may hold them back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Taken {
    pub developed: i32,
    pub developing_or_ldc: i32,
}

impl Taken {
    /// Every confirmed seat.
    pub fn total(self) -> i32 {
        self.developed + self.developing_or_ldc
    }

    /// Counts one more confirmed delegate of this group.
    pub fn add(&mut self, group: CountryGroup) {
        match group {
            CountryGroup::Developed => self.developed += 1,
            _ => self.developing_or_ldc += 1,
        }
    }
}

/// The seats of one attendance mode at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seats {
    pub capacity: i32,
    /// Seats only developing countries and LDCs may take now (0 once the reservation ends).
    pub reserved: i32,
}

impl Seats {
    /// The seats of a session for an attendance mode at `now`.
    pub fn of(fields: &SessionFields, attendance: Attendance, now: DateTime<Utc>) -> Seats {
        match attendance {
            Attendance::Remote => Seats {
                capacity: fields.remote_capacity,
                reserved: 0,
            },
            Attendance::InPerson => {
                let holding = fields.reserved_until.is_none_or(|until| now < until);
                Seats {
                    capacity: fields.capacity,
                    reserved: if holding {
                        fields.reserved_seats.min(fields.capacity)
                    } else {
                        0
                    },
                }
            }
        }
    }

    /// Is there a seat for a delegate of this group, given the seats taken?
    pub fn has_seat_for(self, group: CountryGroup, taken: Taken) -> bool {
        if taken.total() >= self.capacity {
            return false;
        }
        match group {
            CountryGroup::Developed => taken.developed < self.capacity - self.reserved,
            CountryGroup::Developing | CountryGroup::Ldc => true,
        }
    }
}

/// Where a new registration goes.
pub fn placement(needs_approval: bool, seats: Seats, group: CountryGroup, taken: Taken) -> Status {
    if needs_approval {
        Status::Pending
    } else if seats.has_seat_for(group, taken) {
        Status::Confirmed
    } else {
        Status::Waitlisted
    }
}

/// What staff are told when a mode has more confirmed delegates than seats (its capacity was
/// lowered): nobody loses their seat, and nobody else is confirmed until enough cancel.
pub fn over_capacity(attendance: Attendance, capacity: i32, confirmed: i32) -> Option<String> {
    if confirmed <= capacity {
        return None;
    }
    let mode = match attendance {
        Attendance::InPerson => "in person",
        Attendance::Remote => "remotely",
    };
    let seats = if capacity == 1 { "seat" } else { "seats" };
    Some(format!(
        "{confirmed} delegates are confirmed {mode} for {capacity} {seats}: nobody is moved to the \
         waiting list, and nobody else is confirmed until {} of them cancel",
        confirmed - capacity + 1
    ))
}

/// Which of the waiting (in arrival order) get the free seats, as indexes into `waiting`.
pub fn promotions(seats: Seats, mut taken: Taken, waiting: &[CountryGroup]) -> Vec<usize> {
    let mut chosen = Vec::new();
    for (index, group) in waiting.iter().enumerate() {
        if taken.total() >= seats.capacity {
            break;
        }
        if seats.has_seat_for(*group, taken) {
            taken.add(*group);
            chosen.push(index);
        }
    }
    chosen
}

/// What a registration's scope is judged on.
#[derive(Debug, Clone, Copy)]
pub struct ScopeOf<'a> {
    pub country: &'a str,
    pub organisation: &'a str,
}

/// True when a focal point's scope covers the registration: their administration's country, or
/// their entity (a Sector Member), compared without regard to case or surrounding spaces.
pub fn focal_point_covers(user: &User, of: ScopeOf) -> bool {
    if !user.has(Role::FocalPoint) {
        return false;
    }
    let country = user
        .focal_point_country
        .as_deref()
        .is_some_and(|c| c.trim().eq_ignore_ascii_case(of.country.trim()));
    let entity = user
        .focal_point_entity
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .is_some_and(|e| !e.is_empty() && e == of.organisation.trim().to_lowercase());
    country || entity
}

/// May this account approve or reject the registration? Organisers always; focal points in scope.
pub fn may_decide(user: &User, of: ScopeOf) -> bool {
    user.is_organiser() || focal_point_covers(user, of)
}

/// What a decision moves a registration to (None: approved, to be placed on a seat or the
/// waiting list), or why it cannot be taken.
pub fn decision(status: Status, approve: bool) -> Result<Option<Status>, &'static str> {
    match (status, approve) {
        (Status::Pending, true) => Ok(None),
        (Status::Pending | Status::Confirmed | Status::Waitlisted, false) => {
            Ok(Some(Status::Rejected))
        }
        (_, true) => Err("only a pending registration can be approved"),
        (_, false) => Err("the registration is cancelled or rejected already"),
    }
}

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;
