//! The dispatch board: every slot with its speaker and where the invitation stands, days since
//! the invitation, travel and visa status; its filters; and the travel desk's CSV. Pure.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::agendas::domain::ItemKind;
use crate::input::{Check, Invalid};
use crate::speakers::domain::csv_cell;
use crate::speakers::invitations::domain::{
    days_since, Funding, Invitation, InvitationStatus, Slot, SlotRole,
};

crate::text_enum!(
    /// A slot's line on the board: nobody invited yet, or where its invitation stands.
    BoardStatus {
        NotInvited = "not_invited",
        Invited = "invited",
        Confirmed = "confirmed",
        Declined = "declined",
        Withdrawn = "withdrawn",
        Cancelled = "cancelled",
    }
);

impl From<InvitationStatus> for BoardStatus {
    fn from(s: InvitationStatus) -> BoardStatus {
        match s {
            InvitationStatus::Invited => BoardStatus::Invited,
            InvitationStatus::Confirmed => BoardStatus::Confirmed,
            InvitationStatus::Declined => BoardStatus::Declined,
            InvitationStatus::Withdrawn => BoardStatus::Withdrawn,
            InvitationStatus::Cancelled => BoardStatus::Cancelled,
        }
    }
}

/// The speaker of a line, as the board shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub country: String,
}

/// One line of the board: a slot, and one invitation to it if any.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Line {
    pub session_id: String,
    pub session_title: String,
    pub item_id: String,
    pub item_title: String,
    pub kind: ItemKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: BoardStatus,
    pub invitation_id: Option<String>,
    pub role: Option<SlotRole>,
    pub speaker: Option<Person>,
    pub invited_at: Option<DateTime<Utc>>,
    pub responded_at: Option<DateTime<Utc>>,
    pub days_since_invitation: Option<i64>,
    pub reminders_sent: i32,
    pub reason: Option<String>,
    pub needs_travel: Option<bool>,
    pub funded_by: Option<Funding>,
    pub arrival: Option<NaiveDate>,
    pub departure: Option<NaiveDate>,
    pub visa_letter_needed: Option<bool>,
    pub travel_notes: String,
}

/// The lines of one slot: one per invitation, or one "not yet invited".
pub fn lines_of(
    (session_title, slot): (&str, &Slot),
    invitations: &[(&Invitation, Person)],
    now: DateTime<Utc>,
) -> Vec<Line> {
    let blank = Line {
        session_id: slot.session_id.to_string(),
        session_title: session_title.to_string(),
        item_id: slot.item_id.clone(),
        item_title: slot.title.clone(),
        kind: slot.kind,
        starts_at: slot.starts_at,
        ends_at: slot.ends_at,
        status: BoardStatus::NotInvited,
        invitation_id: None,
        role: None,
        speaker: None,
        invited_at: None,
        responded_at: None,
        days_since_invitation: None,
        reminders_sent: 0,
        reason: None,
        needs_travel: None,
        funded_by: None,
        arrival: None,
        departure: None,
        visa_letter_needed: None,
        travel_notes: String::new(),
    };
    if invitations.is_empty() {
        return vec![blank];
    }
    invitations
        .iter()
        .map(|(i, person)| Line {
            status: i.status.into(),
            invitation_id: Some(i.id.to_string()),
            role: Some(i.role),
            speaker: Some(person.clone()),
            invited_at: Some(i.invited_at),
            responded_at: i.responded_at,
            days_since_invitation: Some(days_since(i.invited_at, now)),
            reminders_sent: i.reminders_sent,
            reason: i.reason.clone(),
            needs_travel: i.travel.needs_travel,
            funded_by: i.travel.funded_by,
            arrival: i.travel.arrival,
            departure: i.travel.departure,
            visa_letter_needed: i.travel.visa_letter_needed,
            travel_notes: i.travel.notes.clone(),
            ..blank.clone()
        })
        .collect()
}

/// The board's filters (`?status=&min_days=&travel=&visa=`); `travel` and `visa` are `needed`,
/// `not_needed` or `unknown`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct Filter {
    pub status: Option<String>,
    /// At least this many days since the invitation.
    pub min_days: Option<String>,
    pub travel: Option<String>,
    pub visa: Option<String>,
}

/// The filters, read: a value that means nothing is a 422 naming it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    status: Option<BoardStatus>,
    min_days: Option<i64>,
    travel: Option<Option<bool>>,
    visa: Option<Option<bool>>,
}

fn yes_no_unknown(check: &mut Check, field: &str, value: &Option<String>) -> Option<Option<bool>> {
    match value.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("needed") => Some(Some(true)),
        Some("not_needed") => Some(Some(false)),
        Some("unknown") => Some(None),
        Some(_) => {
            check.fail(field, "must be needed, not_needed or unknown");
            None
        }
    }
}

impl Filter {
    /// Reads the filters.
    pub fn read(&self) -> Result<Filters, Invalid> {
        let mut check = Check::new();
        let status = match self.status.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => BoardStatus::parse(s).or_else(|| {
                check.fail(
                    "status",
                    "must be not_invited, invited, confirmed, declined, withdrawn or cancelled",
                );
                None
            }),
        };
        let min_days = match self.min_days.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => d.parse::<i64>().ok().filter(|d| *d >= 0).or_else(|| {
                check.fail("min_days", "must be a whole number of days, 0 or more");
                None
            }),
        };
        let travel = yes_no_unknown(&mut check, "travel", &self.travel);
        let visa = yes_no_unknown(&mut check, "visa", &self.visa);
        check.finish()?;
        Ok(Filters {
            status,
            min_days,
            travel,
            visa,
        })
    }
}

impl Filters {
    /// True when a line passes every filter.
    pub fn admits(&self, line: &Line) -> bool {
        self.status.is_none_or(|s| s == line.status)
            && self
                .min_days
                .is_none_or(|d| line.days_since_invitation.is_some_and(|n| n >= d))
            && self
                .travel
                .is_none_or(|t| line.invitation_id.is_some() && t == line.needs_travel)
            && self
                .visa
                .is_none_or(|v| line.invitation_id.is_some() && v == line.visa_letter_needed)
    }
}

fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

/// The travel desk's CSV: a UTF-8 byte-order mark (so spreadsheets read accents), a header, one
/// row per invitation, every cell quoted and formulas neutralised.
pub fn csv(lines: &[Line]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str("session,slot,starts_at,ends_at,status,role,speaker,email,organisation,country,needs_travel,funded_by,arrival,departure,visa_letter_needed,notes\r\n");
    for l in lines.iter().filter(|l| l.invitation_id.is_some()) {
        let p = l.speaker.clone().unwrap_or(Person {
            id: String::new(),
            name: String::new(),
            email: String::new(),
            organisation: String::new(),
            country: String::new(),
        });
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let cells = [
            l.session_title.clone(),
            l.item_title.clone(),
            l.starts_at.to_rfc3339(),
            l.ends_at.to_rfc3339(),
            l.status.as_str().into(),
            l.role.map(|r| r.as_str().to_string()).unwrap_or_default(),
            p.name,
            p.email,
            p.organisation,
            p.country,
            yes_no(l.needs_travel).into(),
            l.funded_by
                .map(|f| f.as_str().to_string())
                .unwrap_or_default(),
            day(l.arrival),
            day(l.departure),
            yes_no(l.visa_letter_needed).into(),
            l.travel_notes.clone(),
        ];
        let row: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}
