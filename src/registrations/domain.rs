//! Registrations: stakeholder categories, attendance, statuses, and the rules on who may register
//! when, who needs approval, what a delegate consents to and who gets a seat. Pure: the instant,
//! new ids and the accounts involved are passed in.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::access::{Role, User};
use crate::countries::CountryGroup;
use crate::input::Invalid;
use crate::sessions::domain::{SessionFields, SessionId, SessionStatus};

crate::typed_id!(
    /// A registration's id.
    RegistrationId
);

crate::text_enum!(
    /// The delegate's stakeholder category, one axis of every statistic.
    Category {
        PolicyMaker = "policy_maker",
        Regulator = "regulator",
        Operator = "operator",
        Manufacturer = "manufacturer",
        Other = "other",
    }
);

crate::text_enum!(
    /// The delegate's gender, when they say (optional): ITU reports the gender balance.
    Gender {
        Female = "female",
        Male = "male",
        Other = "other",
        Undisclosed = "undisclosed",
    }
);

crate::text_enum!(
    /// How the delegate attends; each mode has its own capacity and waiting list.
    Attendance {
        InPerson = "in_person",
        Remote = "remote",
    }
);

crate::text_enum!(
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

/// The wire names of an enum's values, listed for a message such as "must be one of …".
pub fn choices<T: std::fmt::Display>(all: &[T]) -> String {
    all.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a registration rule refuses; the app answers each with its status (see `registrations`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RegistrationError {
    /// The session is a draft: not public, so unknown to delegates.
    #[error("no such session")]
    Unknown,
    /// The session is cancelled.
    #[error("the session is cancelled")]
    Cancelled,
    /// The session takes no registrations at this instant.
    #[error("registration is not open for this session")]
    Closed {
        opens_at: Option<DateTime<Utc>>,
        closes_at: DateTime<Utc>,
    },
    /// Only a scheduled session gives seats.
    #[error("the session is not scheduled")]
    NotScheduled,
    /// A rejected registration cannot be cancelled.
    #[error("the registration was rejected")]
    Rejected,
    /// A decision that cannot apply to these registrations in their state.
    #[error("{}", if *approving { "only pending registrations can be approved" } else { "cancelled or rejected registrations cannot be rejected" })]
    WrongState {
        approving: bool,
        ids: Vec<RegistrationId>,
    },
    /// Fields that are not valid.
    #[error(transparent)]
    Invalid(#[from] Invalid),
}

/// Passport details for a visa support letter; organisers only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visa {
    pub passport_name: String,
    pub nationality: String,
    pub passport_number: String,
    pub passport_expiry: NaiveDate,
}

/// A visa letter needs a passport valid after today.
pub fn passport_valid(expiry: NaiveDate, today: NaiveDate) -> bool {
    expiry > today
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
    /// None when the delegate did not answer.
    pub gender: Option<Gender>,
}

/// What a delegate agrees to: being listed in the participants' directory, and showing their
/// email there, which only a listed delegate can (the directory is where it would show).
pub fn consent(directory: bool, share_email: bool) -> (bool, bool) {
    (directory, directory && share_email)
}

/// A registration as the service works with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub id: RegistrationId,
    pub session_id: SessionId,
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

/// Whether a session takes registrations at `now`: a draft is unknown, a cancelled session or
/// one outside its registration window refuses.
pub fn admission(
    status: SessionStatus,
    fields: &SessionFields,
    now: DateTime<Utc>,
) -> Result<(), RegistrationError> {
    match status {
        SessionStatus::Draft => Err(RegistrationError::Unknown),
        SessionStatus::Cancelled => Err(RegistrationError::Cancelled),
        SessionStatus::Scheduled if !fields.registration_window_open(now) => {
            Err(RegistrationError::Closed {
                opens_at: fields.registration_opens_at,
                closes_at: fields.registration_closes_at.unwrap_or(fields.starts_at),
            })
        }
        SessionStatus::Scheduled => Ok(()),
    }
}

/// Who approves a new registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approval {
    /// The session takes registrations without approval.
    NotRequired,
    /// A focal point registering themselves approves their own registration (this account).
    Own(String),
    /// The registration waits for a focal point in scope, or an organiser.
    Awaited,
}

impl Approval {
    /// The rule: where the session requires approval, a delegate whose email is that of an
    /// active focal-point account (`account`, looked up by the caller) needs nobody else's.
    pub fn of(required: bool, account: Option<&User>) -> Approval {
        match account.filter(|u| u.has(Role::FocalPoint)) {
            _ if !required => Approval::NotRequired,
            Some(own) => Approval::Own(own.id.clone()),
            None => Approval::Awaited,
        }
    }

    /// Who is recorded as having decided, when someone did.
    pub fn decided_by(&self) -> Option<String> {
        match self {
            Approval::Own(id) => Some(id.clone()),
            Approval::NotRequired | Approval::Awaited => None,
        }
    }
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

    /// Counts `n` more confirmed delegates of this group.
    pub fn add_many(&mut self, group: CountryGroup, n: i32) {
        match group {
            CountryGroup::Developed => self.developed += n,
            _ => self.developing_or_ldc += n,
        }
    }

    /// Counts one more confirmed delegate of this group.
    pub fn add(&mut self, group: CountryGroup) {
        self.add_many(group, 1);
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

/// Where a new registration goes: pending while approval is awaited, else to a seat.
pub fn placement(approval: &Approval, seats: Seats, group: CountryGroup, taken: Taken) -> Status {
    if *approval == Approval::Awaited {
        Status::Pending
    } else {
        seat(seats, group, taken)
    }
}

/// Where a registration that needs no (more) approval goes: a seat while one is free for its
/// group, else the waiting list.
pub fn seat(seats: Seats, group: CountryGroup, taken: Taken) -> Status {
    if seats.has_seat_for(group, taken) {
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

/// What a delegate who cancels leaves behind: nothing for a cancelled registration (cancelling
/// twice answers the same), a refusal for a rejected one, else the status it had.
pub fn cancellation(status: Status) -> Result<Option<Status>, RegistrationError> {
    match status {
        Status::Cancelled => Ok(None),
        Status::Rejected => Err(RegistrationError::Rejected),
        was => Ok(Some(was)),
    }
}

/// The remote connection link is for those who hold a seat: a confirmed remote delegate.
pub fn sees_remote_link(status: Status, attendance: Attendance) -> bool {
    status == Status::Confirmed && attendance == Attendance::Remote
}

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;
