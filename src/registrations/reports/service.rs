//! What organisers, focal points and participants read: lists, CSV, statistics, the directory.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::domain::{self as stats, ListScope, Stats};
use super::store::{self, Filter};
use crate::access::User;
use crate::countries::CountryGroup;
use crate::db::Conn;
use crate::error::AppError;
use crate::links::Purpose;
use crate::meetings::domain::Meeting;
use crate::registrations::domain::{Gender, Registration, RegistrationId, Status};
use crate::registrations::service::session_and_meeting;
use crate::registrations::store as registrations;
use crate::sessions::domain::Session;

/// A page of registrations with the waiting-list positions of those on it.
pub struct Page {
    pub items: Vec<Registration>,
    pub total: i64,
    pub positions: HashMap<RegistrationId, i64>,
}

/// A session's registrations as the viewer may see them: organisers all, focal points their scope.
pub fn list(
    conn: &mut Conn,
    viewer: &User,
    session_id: &str,
    mut filter: Filter,
    (limit, offset): (i64, i64),
) -> Result<Page, AppError> {
    session_and_meeting(conn, session_id)?;
    scope(viewer, &mut filter)?;
    let (items, total) = store::list(conn, session_id, &filter, limit, offset)?;
    let positions = positions(conn, session_id, &items)?;
    Ok(Page {
        items,
        total,
        positions,
    })
}

/// Narrows the filter to what the viewer may list: organisers all, focal points their scope.
pub fn scope(viewer: &User, filter: &mut Filter) -> Result<(), AppError> {
    match stats::list_scope(viewer) {
        ListScope::All => Ok(()),
        ListScope::Nothing => Err(AppError::Forbidden),
        ListScope::FocalPoint { country, entity } => {
            filter.scope = Some((country, entity));
            Ok(())
        }
    }
}

/// The waiting-list positions of the waitlisted registrations among `items`: those of the list
/// before the first of them counted once, then the list walked from the first to the last.
fn positions(
    conn: &mut Conn,
    session_id: &str,
    items: &[Registration],
) -> Result<HashMap<RegistrationId, i64>, AppError> {
    let waitlisted: Vec<&Registration> = items
        .iter()
        .filter(|r| r.status == Status::Waitlisted)
        .collect();
    let arrivals = waitlisted.iter().map(|r| r.arrival);
    let (Some(first), Some(last)) = (arrivals.clone().min(), arrivals.max()) else {
        return Ok(HashMap::new());
    };
    let mut waiting = stats::Waiting::after(store::waiting_before(conn, session_id, first)?);
    let at = waiting.walk(&store::waiting_between(conn, session_id, (first, last))?);
    Ok(waitlisted
        .iter()
        .filter_map(|r| Some((r.id.clone(), *at.get(&r.arrival)?)))
        .collect())
}

/// Counts by category × group (in person and remote), by gender and by status.
pub fn stats(conn: &mut Conn, session_id: &str) -> Result<(Session, Meeting, Stats), AppError> {
    let (session, meeting) = session_and_meeting(conn, session_id)?;
    let numbers = stats_of(conn, &[session.id.to_string()])?;
    Ok((session, meeting, numbers))
}

/// The statistics of some sessions taken together.
pub fn stats_of(conn: &mut Conn, session_ids: &[String]) -> Result<Stats, AppError> {
    let counts: Vec<stats::Count> = store::counts(conn, session_ids)?
        .into_iter()
        .filter_map(|(c, g, a, s, n)| Some((c, CountryGroup::parse(&g)?, a, s, n)))
        .collect();
    let genders: Vec<stats::GenderCount> = store::gender_counts(conn, session_ids)?
        .into_iter()
        .map(|(g, a, s, n)| (g.as_deref().and_then(Gender::parse), a, s, n))
        .collect();
    Ok(stats::tally(&counts, &genders))
}

/// Statistics across every published session (scheduled or cancelled) of a meeting.
pub fn meeting_stats(
    conn: &mut Conn,
    meeting_id: &str,
) -> Result<(Meeting, usize, Stats), AppError> {
    let meeting = crate::meetings::store::find(conn, meeting_id)?.ok_or(AppError::NotFound)?;
    let ids = published_sessions(conn, vec![meeting.id.clone()])?;
    let numbers = stats_of(conn, &ids)?;
    Ok((meeting, ids.len(), numbers))
}

/// Statistics across every meeting whose days fall in `from..=to` (by its first day).
pub fn period_stats(
    conn: &mut Conn,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Vec<Meeting>, usize, Stats), AppError> {
    let (meetings, _) = crate::meetings::store::list(conn, Some(from), 10_000, 0)?;
    let meetings: Vec<Meeting> = meetings
        .into_iter()
        .filter(|m| m.first_day >= from && m.first_day <= to)
        .collect();
    let ids = published_sessions(conn, meetings.iter().map(|m| m.id.clone()).collect())?;
    let numbers = stats_of(conn, &ids)?;
    Ok((meetings, ids.len(), numbers))
}

fn published_sessions(
    conn: &mut Conn,
    meeting_ids: Vec<crate::meetings::domain::MeetingId>,
) -> Result<Vec<String>, AppError> {
    use crate::sessions::domain::SessionStatus;
    let filter = crate::sessions::store::Filter {
        meeting_ids: Some(meeting_ids),
        statuses: vec![SessionStatus::Scheduled, SessionStatus::Cancelled],
        ends_after: None,
    };
    let (sessions, _) = crate::sessions::store::list(conn, &filter, 100_000, 0)?;
    Ok(sessions.iter().map(|s| s.id.to_string()).collect())
}

/// The words key of a `Stats::by_gender` key.
pub fn gender_label(key: &str) -> String {
    if key == stats::NOT_ANSWERED {
        "stats_gender_none".into()
    } else {
        format!("registration_gender_{key}")
    }
}

/// The statistics as CSV for a spreadsheet: a UTF-8 byte-order mark (so Excel reads accents),
/// categories, groups and genders in words (`label`), every cell neutralised against formulas.
pub fn stats_csv(numbers: &Stats, label: impl Fn(&str) -> String) -> String {
    let mut out = String::from("\u{FEFF}");
    out.push_str("axis,value,second_value,in_person,remote,total,share\r\n");
    let mut line = |columns: [String; 7]| {
        let cells: Vec<String> = columns.iter().map(|c| field(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    let numbers_of = |t: &stats::Tally| {
        [
            t.in_person.to_string(),
            t.remote.to_string(),
            t.total.to_string(),
            format!("{:.4}", t.share),
        ]
    };
    for cell in &numbers.cells {
        let [a, b, c, d] = numbers_of(&cell.tally);
        line([
            label("registration_stats_cell"),
            label(&format!(
                "registration_value_{}",
                cell.stakeholder_category.as_str()
            )),
            label(&format!(
                "registration_value_{}",
                cell.country_group.as_str()
            )),
            a,
            b,
            c,
            d,
        ]);
    }
    for (key, tally) in &numbers.by_gender {
        let [a, b, c, d] = numbers_of(tally);
        line([
            label("stats_gender"),
            label(&gender_label(key)),
            String::new(),
            a,
            b,
            c,
            d,
        ]);
    }
    let [a, b, c, d] = numbers_of(&numbers.all);
    line([
        label("registration_total"),
        String::new(),
        String::new(),
        a,
        b,
        c,
        d,
    ]);
    out
}

/// One CSV field: quoted when needed, and a leading formula character neutralised so a
/// spreadsheet shows a delegate's text instead of running it.
pub fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Who opens the directory.
pub enum Viewer<'a> {
    Staff,
    Link(&'a str),
}

/// The directory of a session, when the viewer may open it: staff at any time; a participant
/// through their link once the session is over, if confirmed and listed themselves. The second
/// value says whether it is open (false: not yet, the page says when).
pub fn directory(
    conn: &mut Conn,
    session_id: &str,
    viewer: Viewer,
    now: DateTime<Utc>,
) -> Result<(Session, Meeting, bool, Vec<Registration>), AppError> {
    let (session, meeting) = session_and_meeting(conn, session_id)?;
    if let Viewer::Link(token) = viewer {
        let link = crate::links::store::resolve(conn, Purpose::Registration, token, now)?
            .ok_or(AppError::NotFound)?;
        let own = registrations::find(conn, &link.record_id)?.ok_or(AppError::NotFound)?;
        if !stats::listed_in(&own, &session.id) {
            return Err(AppError::NotFound);
        }
        if !stats::directory_open(&session.fields, now) {
            return Ok((session, meeting, false, Vec::new()));
        }
    }
    let people = store::directory(conn, &session.id)?;
    Ok((session, meeting, true, people))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("Korea, Republic of"), "\"Korea, Republic of\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1"), "'-1");
    }
}

/// What the public page of a session says about its seats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PublicSeats {
    /// Confirmed in person / remote.
    pub in_person: i32,
    pub remote: i32,
    /// Every mode the session offers is full: new registrations go to the waiting list.
    pub full: bool,
    /// Delegates on the waiting lists (both modes).
    pub waiting: usize,
}

/// The seats taken and the waiting list of a session, for its public page.
pub fn public_seats(
    conn: &mut Conn,
    session: &crate::sessions::domain::SessionFields,
    session_id: &str,
) -> Result<PublicSeats, AppError> {
    use crate::registrations::domain::Attendance;
    let in_person = registrations::taken(conn, session_id, Attendance::InPerson)?.total();
    let remote = registrations::taken(conn, session_id, Attendance::Remote)?.total();
    let waiting = registrations::waiting(conn, session_id, Attendance::InPerson)?.len()
        + registrations::waiting(conn, session_id, Attendance::Remote)?.len();
    Ok(PublicSeats {
        in_person,
        remote,
        full: stats::full(session.capacity, in_person, session.remote_capacity, remote),
        waiting,
    })
}
