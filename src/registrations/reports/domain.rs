//! Statistics of a session's registrations (stakeholder category × country group, and by
//! status), and who reads which registrations: the lists, the participants' directory. Pure.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::access::{Role, User};
use crate::countries::CountryGroup;
use crate::registrations::domain::{Attendance, Category, Gender, Registration, Status};
use crate::sessions::domain::{SessionFields, SessionId};

/// Whose registrations a staff member may list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListScope {
    /// Organisers see every registration.
    All,
    /// A focal point sees those of their country or their entity (lower-case).
    FocalPoint {
        country: Option<String>,
        entity: Option<String>,
    },
    /// Anyone else sees none.
    Nothing,
}

/// The registrations a staff member may list.
pub fn list_scope(viewer: &User) -> ListScope {
    if viewer.is_organiser() {
        ListScope::All
    } else if viewer.has(Role::FocalPoint) {
        ListScope::FocalPoint {
            country: viewer.focal_point_country.clone(),
            entity: viewer
                .focal_point_entity
                .as_ref()
                .map(|e| e.trim().to_lowercase()),
        }
    } else {
        ListScope::Nothing
    }
}

/// A participant opens a session's directory when they are in it: confirmed, and agreeing to
/// be listed.
pub fn listed_in(own: &Registration, session_id: &SessionId) -> bool {
    own.session_id == *session_id
        && own.status == Status::Confirmed
        && own.delegate.consent_directory
}

/// The directory opens to participants once the session is over.
pub fn directory_open(session: &SessionFields, now: DateTime<Utc>) -> bool {
    now >= session.ends_at
}

/// One count: (category, group, attendance, status) and how many registrations have it.
pub type Count = (Category, CountryGroup, Attendance, Status, i64);

/// Counts of one cell or line of the table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Tally {
    pub in_person: i64,
    pub remote: i64,
    pub total: i64,
    /// This total as a share (0–1) of every active registration.
    pub share: f64,
}

/// One cell of the category × group table.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Cell {
    pub stakeholder_category: Category,
    pub country_group: CountryGroup,
    #[serde(flatten)]
    pub tally: Tally,
}

/// A session's statistics; the table counts active registrations (pending, confirmed, waitlisted).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Stats {
    /// Active registrations.
    pub total: i64,
    /// Every status, zeros included.
    #[schema(value_type = Object)]
    pub by_status: BTreeMap<&'static str, i64>,
    /// Every category × group, zeros included, categories then groups in display order.
    pub cells: Vec<Cell>,
    #[schema(value_type = Object)]
    pub by_category: BTreeMap<&'static str, Tally>,
    #[schema(value_type = Object)]
    pub by_group: BTreeMap<&'static str, Tally>,
    /// Active registrations in person and remote.
    pub all: Tally,
    /// Active registrations by gender (`female`, `male`, `other`, `undisclosed`), and
    /// `not_answered` for those who left it empty.
    #[schema(value_type = Object)]
    pub by_gender: BTreeMap<&'static str, Tally>,
}

/// The key of a gender in `Stats::by_gender`.
pub fn gender_key(gender: Option<Gender>) -> &'static str {
    gender.map_or(NOT_ANSWERED, Gender::as_str)
}

/// The key of registrations without a gender.
pub const NOT_ANSWERED: &str = "not_answered";

/// (gender, attendance, status, how many).
pub type GenderCount = (Option<Gender>, Attendance, Status, i64);

fn add(tally: &mut Tally, attendance: Attendance, n: i64) {
    match attendance {
        Attendance::InPerson => tally.in_person += n,
        Attendance::Remote => tally.remote += n,
    }
    tally.total += n;
}

fn share(tally: &mut Tally, total: i64) {
    tally.share = if total > 0 {
        tally.total as f64 / total as f64
    } else {
        0.0
    };
}

impl Stats {
    /// Every status, category, group and cell at zero.
    fn zero() -> Stats {
        let cells = Category::ALL
            .iter()
            .flat_map(|c| {
                CountryGroup::ALL.iter().map(|g| Cell {
                    stakeholder_category: *c,
                    country_group: *g,
                    tally: Tally::default(),
                })
            })
            .collect();
        Stats {
            total: 0,
            by_status: Status::ALL.iter().map(|s| (s.as_str(), 0)).collect(),
            cells,
            by_category: Category::ALL
                .iter()
                .map(|c| (c.as_str(), Tally::default()))
                .collect(),
            by_group: CountryGroup::ALL
                .iter()
                .map(|g| (g.as_str(), Tally::default()))
                .collect(),
            all: Tally::default(),
            by_gender: Gender::ALL
                .iter()
                .map(|g| g.as_str())
                .chain([NOT_ANSWERED])
                .map(|k| (k, Tally::default()))
                .collect(),
        }
    }

    /// Counts `n` registrations of one category, group, attendance and status; the table counts
    /// only the active ones.
    fn count(&mut self, (category, group, attendance, status, n): Count) {
        *self.by_status.entry(status.as_str()).or_default() += n;
        if !status.is_active() {
            return;
        }
        if let Some(cell) = self
            .cells
            .iter_mut()
            .find(|c| c.stakeholder_category == category && c.country_group == group)
        {
            add(&mut cell.tally, attendance, n);
        }
        add(
            self.by_category.entry(category.as_str()).or_default(),
            attendance,
            n,
        );
        add(
            self.by_group.entry(group.as_str()).or_default(),
            attendance,
            n,
        );
        add(&mut self.all, attendance, n);
    }

    /// Each cell's and margin's share of the active registrations.
    fn with_shares(mut self) -> Stats {
        let total = self.all.total;
        self.total = total;
        self.cells
            .iter_mut()
            .for_each(|c| share(&mut c.tally, total));
        self.by_category.values_mut().for_each(|t| share(t, total));
        self.by_group.values_mut().for_each(|t| share(t, total));
        self.by_gender.values_mut().for_each(|t| share(t, total));
        share(&mut self.all, total);
        self
    }
}

/// A session is full when no mode it offers has a free seat (a mode without capacity is not
/// offered).
pub fn full(capacity: i32, in_person: i32, remote_capacity: i32, remote: i32) -> bool {
    in_person >= capacity && (remote_capacity <= 0 || remote >= remote_capacity)
}

/// Adds the counts up into the table, its margins, the status line and the gender line.
pub fn tally(counts: &[Count], genders: &[GenderCount]) -> Stats {
    let mut stats = Stats::zero();
    for count in counts.iter().copied() {
        stats.count(count);
    }
    for (gender, attendance, status, n) in genders.iter().copied() {
        if status.is_active() {
            add(
                stats.by_gender.entry(gender_key(gender)).or_default(),
                attendance,
                n,
            );
        }
    }
    stats.with_shares()
}

/// Numbers a session's waiting lists (from 1, per attendance mode) as its waitlisted
/// registrations are met in arrival order, continuing after those already counted: a page or
/// a chunk of an export is numbered without counting the list anew for each of its rows.
#[derive(Debug, Default, Clone)]
pub struct Waiting {
    counted: BTreeMap<Attendance, i64>,
}

impl Waiting {
    /// Starts after `counted` waitlisted registrations of each mode.
    pub fn after(counted: impl IntoIterator<Item = (Attendance, i64)>) -> Waiting {
        Waiting {
            counted: counted.into_iter().collect(),
        }
    }

    /// The positions, by arrival, of the waitlisted registrations met next (mode, arrival),
    /// given in arrival order.
    pub fn walk(&mut self, waitlisted: &[(Attendance, i32)]) -> BTreeMap<i32, i64> {
        waitlisted
            .iter()
            .map(|(attendance, arrival)| {
                let position = self.counted.entry(*attendance).or_insert(0);
                *position += 1;
                (*arrival, *position)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_counts_active_registrations_with_their_shares() {
        let counts = [
            (
                Category::Regulator,
                CountryGroup::Ldc,
                Attendance::InPerson,
                Status::Confirmed,
                3,
            ),
            (
                Category::Regulator,
                CountryGroup::Ldc,
                Attendance::Remote,
                Status::Waitlisted,
                1,
            ),
            (
                Category::PolicyMaker,
                CountryGroup::Developed,
                Attendance::InPerson,
                Status::Pending,
                4,
            ),
            (
                Category::Operator,
                CountryGroup::Developing,
                Attendance::InPerson,
                Status::Cancelled,
                9,
            ),
        ];
        let genders = [
            (
                Some(Gender::Female),
                Attendance::InPerson,
                Status::Confirmed,
                5,
            ),
            (None, Attendance::Remote, Status::Waitlisted, 3),
            (
                Some(Gender::Male),
                Attendance::InPerson,
                Status::Cancelled,
                9,
            ),
        ];
        let stats = tally(&counts, &genders);
        assert_eq!(stats.by_gender["female"].in_person, 5);
        assert_eq!(stats.by_gender["not_answered"].remote, 3);
        assert_eq!(
            stats.by_gender["male"].total, 0,
            "cancelled ones are not counted"
        );
        assert_eq!(stats.total, 8);
        assert_eq!(stats.by_status["cancelled"], 9);
        assert_eq!(stats.by_status["rejected"], 0);
        assert_eq!(stats.cells.len(), 15);
        let cell = stats
            .cells
            .iter()
            .find(|c| {
                c.stakeholder_category == Category::Regulator
                    && c.country_group == CountryGroup::Ldc
            })
            .unwrap();
        assert_eq!(
            (cell.tally.in_person, cell.tally.remote, cell.tally.total),
            (3, 1, 4)
        );
        assert!((cell.tally.share - 0.5).abs() < 1e-9);
        assert_eq!(
            stats.by_category["operator"].total, 0,
            "cancelled ones are not counted"
        );
        assert_eq!(stats.by_group["developed"].in_person, 4);
    }

    #[test]
    fn a_session_is_full_when_every_offered_mode_is() {
        assert!(full(10, 10, 0, 0));
        assert!(!full(10, 10, 5, 4));
        assert!(full(10, 12, 5, 5));
        assert!(!full(10, 9, 0, 0));
    }

    #[test]
    fn an_empty_session_has_zero_shares_not_nan() {
        let stats = tally(&[], &[]);
        assert_eq!(stats.all.share, 0.0);
        assert!(stats.cells.iter().all(|c| c.tally.share == 0.0));
    }

    #[test]
    fn waiting_positions_continue_per_mode_from_those_already_counted() {
        use Attendance::{InPerson, Remote};
        let mut waiting = Waiting::after([(InPerson, 4)]);
        let first = waiting.walk(&[(InPerson, 10), (Remote, 11), (InPerson, 14)]);
        assert_eq!(first, BTreeMap::from([(10, 5), (11, 1), (14, 6)]));
        let next = waiting.walk(&[(Remote, 20), (InPerson, 21)]);
        assert_eq!(next, BTreeMap::from([(20, 2), (21, 7)]));
    }
}
