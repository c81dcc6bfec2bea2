//! The CSV export of a session's registrations, read and written a chunk at a time.
//!
//! Each chunk is the next range of the session's arrival index (keyset, never an offset), so
//! reading the whole export costs in proportion to its rows and memory holds one chunk. The
//! waiting-list positions continue from one chunk to the next (`Waiting`), never counted anew
//! per row. Chunks are read in separate short checkouts, so a slow download holds no connection;
//! a registration changed while the export runs shows as it was when its chunk was read.

use super::domain::Waiting;
use super::service::{field, scope};
use super::store::{self, Filter};
use crate::access::User;
use crate::db::Conn;
use crate::error::AppError;
use crate::registrations::domain::{Attendance, Registration, Status};
use crate::registrations::service::session_and_meeting;

/// Rows read per round trip to the database.
pub const CHUNK: i64 = 500;

/// The columns, as the first line of the export.
const HEADER: &str = "arrival,id,status,waitlist_position,name,email,organisation,job_title,country,country_group,stakeholder_category,attendance,consent_directory,consent_share_email,accessibility_needs,visa_letter_needed,passport_name,nationality,passport_number,passport_expiry,registered_at\r\n";

/// Where an export has got to.
pub struct Export {
    session_id: String,
    filter: Filter,
    /// The arrival of the last row read.
    after: i32,
    /// The waitlisted registrations counted so far (all of them, not only those the filter
    /// shows), and the arrival up to which they are counted.
    waiting: Waiting,
    counted: i32,
    started: bool,
    done: bool,
}

/// Starts the export of what the viewer may list of a session (404 for an unknown session).
pub fn start(
    conn: &mut Conn,
    viewer: &User,
    session_id: &str,
    mut filter: Filter,
) -> Result<Export, AppError> {
    session_and_meeting(conn, session_id)?;
    scope(viewer, &mut filter)?;
    Ok(Export {
        session_id: session_id.to_string(),
        filter,
        after: 0,
        waiting: Waiting::default(),
        counted: 0,
        started: false,
        done: false,
    })
}

/// The next chunk of at most `limit` rows as CSV text (the header line first), or None once
/// every row has been written.
pub fn next(conn: &mut Conn, export: &mut Export, limit: i64) -> Result<Option<String>, AppError> {
    if export.done {
        return Ok(None);
    }
    let rows = store::list_after(
        conn,
        &export.session_id,
        &export.filter,
        export.after,
        limit,
    )?;
    export.done = i64::try_from(rows.len()).unwrap_or(i64::MAX) < limit;
    let mut out = String::new();
    if !export.started {
        out.push_str(HEADER);
        export.started = true;
    }
    let Some(last) = rows.last().map(|r| r.arrival) else {
        return Ok(Some(out));
    };
    let positions = match waitlisted_up_to(conn, export, &rows, last)? {
        Some(waitlisted) => {
            export.counted = last;
            export.waiting.walk(&waitlisted)
        }
        None => Default::default(),
    };
    for r in &rows {
        let position = positions.get(&r.arrival).filter(|_| is_waitlisted(r));
        line(&mut out, r, position.copied());
    }
    export.after = last;
    Ok(Some(out))
}

fn is_waitlisted(r: &Registration) -> bool {
    r.status == Status::Waitlisted
}

/// The waitlisted registrations (mode, arrival) not counted yet, up to `last`: the chunk's own
/// when the filter keeps every waitlisted one; else, when the chunk shows someone waiting, read
/// from the waiting lists since they were last counted; else None (nothing to number yet).
fn waitlisted_up_to(
    conn: &mut Conn,
    export: &Export,
    rows: &[Registration],
    last: i32,
) -> Result<Option<Vec<(Attendance, i32)>>, AppError> {
    if export.filter.keeps_the_waiting_list() {
        let own = rows.iter().filter(|r| is_waitlisted(r));
        return Ok(Some(
            own.map(|r| (r.delegate.attendance, r.arrival)).collect(),
        ));
    }
    if !rows.iter().any(is_waitlisted) {
        return Ok(None);
    }
    let span = (export.counted + 1, last);
    Ok(Some(store::waiting_between(
        conn,
        &export.session_id,
        span,
    )?))
}

/// One registration as a CSV line, visa details included (organisers only).
fn line(out: &mut String, r: &Registration, position: Option<i64>) {
    let d = &r.delegate;
    let visa = d.visa.as_ref();
    let columns = [
        r.arrival.to_string(),
        r.id.to_string(),
        r.status.as_str().into(),
        position.map(|p| p.to_string()).unwrap_or_default(),
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
    let cells: Vec<String> = columns.iter().map(|c| field(c)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}
