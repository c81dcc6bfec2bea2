//! What organisers, focal points and participants read: lists, CSV, statistics, the directory.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::domain::{self as stats, ListScope, Stats};
use super::store::{self, Filter};
use crate::access::User;
use crate::countries::CountryGroup;
use crate::db::Conn;
use crate::error::AppError;
use crate::links::Purpose;
use crate::meetings::domain::Meeting;
use crate::registrations::domain::{Registration, RegistrationId};
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
    match stats::list_scope(viewer) {
        ListScope::All => {}
        ListScope::Nothing => return Err(AppError::Forbidden),
        ListScope::FocalPoint { country, entity } => filter.scope = Some((country, entity)),
    }
    let (items, total) = store::list(conn, session_id, &filter, limit, offset)?;
    let positions = store::positions(conn, session_id)?;
    Ok(Page {
        items,
        total,
        positions,
    })
}

/// Counts by category × group (in person and remote) and by status.
pub fn stats(conn: &mut Conn, session_id: &str) -> Result<(Session, Meeting, Stats), AppError> {
    let (session, meeting) = session_and_meeting(conn, session_id)?;
    let counts: Vec<stats::Count> = store::counts(conn, session_id)?
        .into_iter()
        .filter_map(|(c, g, a, s, n)| Some((c, CountryGroup::parse(&g)?, a, s, n)))
        .collect();
    Ok((session, meeting, stats::tally(&counts)))
}

/// One CSV field: quoted when needed, and a leading formula character neutralised so a
/// spreadsheet shows a delegate's text instead of running it.
fn field(text: &str) -> String {
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

/// The CSV export of registrations, visa details included (organisers only).
pub fn csv(items: &[Registration], positions: &HashMap<RegistrationId, i64>) -> String {
    let mut out = String::from("arrival,id,status,waitlist_position,name,email,organisation,job_title,country,country_group,stakeholder_category,attendance,consent_directory,consent_share_email,accessibility_needs,visa_letter_needed,passport_name,nationality,passport_number,passport_expiry,registered_at\r\n");
    for r in items {
        let d = &r.delegate;
        let visa = d.visa.as_ref();
        let columns = [
            r.arrival.to_string(),
            r.id.to_string(),
            r.status.as_str().into(),
            positions
                .get(&r.id)
                .map(|p| p.to_string())
                .unwrap_or_default(),
            d.name.clone(),
            d.email.clone(),
            d.organisation.clone(),
            d.job_title.clone(),
            d.country.clone(),
            r.country_group.as_str().into(),
            d.category.as_str().into(),
            d.attendance.as_str().into(),
            d.consent_directory.to_string(),
            d.consent_share_email.to_string(),
            d.accessibility_needs.clone(),
            visa.is_some().to_string(),
            visa.map(|v| v.passport_name.clone()).unwrap_or_default(),
            visa.map(|v| v.nationality.clone()).unwrap_or_default(),
            visa.map(|v| v.passport_number.clone()).unwrap_or_default(),
            visa.map(|v| v.passport_expiry.to_string())
                .unwrap_or_default(),
            r.created_at.and_utc().to_rfc3339(),
        ];
        let line: Vec<String> = columns.iter().map(|c| field(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
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
