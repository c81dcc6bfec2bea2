//! Reading approved versions: the list, one version whole, the differences between two, and the
//! public programme (the latest). Approved versions of a public session are for anyone; those of
//! a draft session only for the staff who see its work.

use crate::access::domain::{may_see_session_work, User};
use crate::agendas::domain::{self, Frame, ItemChange};
use crate::agendas::service::{frame_of, session_and_meeting};
use crate::agendas::versions::domain::{Version, VersionInfo};
use crate::agendas::versions::store as vstore;
use crate::db::Conn;
use crate::error::AppError;

/// The session's frame, if the caller may read its approved versions; 404 otherwise.
fn visible(conn: &mut Conn, caller: Option<&User>, session_id: &str) -> Result<Frame, AppError> {
    let (session, meeting) = session_and_meeting(conn, session_id)?;
    if !session.is_public() {
        let rapporteurs = crate::rapporteurs::store::of_session(conn, session_id)?;
        if !caller.is_some_and(|u| may_see_session_work(u, &rapporteurs)) {
            return Err(AppError::NotFound);
        }
    }
    Ok(frame_of(&session, &meeting))
}

/// A version number from a path: a whole number, else no such version.
pub fn number(text: &str) -> Result<i32, AppError> {
    text.parse::<i32>().map_err(|_| AppError::NotFound)
}

fn whole(conn: &mut Conn, session_id: &str, number: i32) -> Result<Version, AppError> {
    vstore::version(conn, session_id, number)?.ok_or(AppError::NotFound)
}

/// Every approved version of a session, newest first.
pub fn list(
    conn: &mut Conn,
    caller: Option<&User>,
    session_id: &str,
) -> Result<(Frame, Vec<VersionInfo>), AppError> {
    let frame = visible(conn, caller, session_id)?;
    Ok((frame, vstore::versions_of(conn, session_id)?))
}

/// One approved version, whole.
pub fn one(
    conn: &mut Conn,
    caller: Option<&User>,
    session_id: &str,
    number: i32,
) -> Result<(Frame, Version), AppError> {
    let frame = visible(conn, caller, session_id)?;
    Ok((frame, whole(conn, session_id, number)?))
}

/// What changed from version `from` to version `to` (either way round).
pub fn between(
    conn: &mut Conn,
    caller: Option<&User>,
    session_id: &str,
    from: i32,
    to: i32,
) -> Result<(Frame, Vec<ItemChange>), AppError> {
    let frame = visible(conn, caller, session_id)?;
    let (old, new) = (whole(conn, session_id, from)?, whole(conn, session_id, to)?);
    Ok((frame, domain::diff(&old.plain_items(), &new.plain_items())))
}

/// The public programme: the latest approved version of a public session; 404 while none is
/// approved. Never the working copy.
pub fn programme(conn: &mut Conn, session_id: &str) -> Result<(Frame, Version), AppError> {
    let frame = visible(conn, None, session_id)?;
    let number = vstore::latest_number(conn, session_id)?.ok_or(AppError::NotFound)?;
    Ok((frame, whole(conn, session_id, number)?))
}
