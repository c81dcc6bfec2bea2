//! One pass of reminders: every confirmed delegate of a session starting within the configured
//! days gets one email. Each delegate's claim and email are one transaction under the session's
//! lock, so two instances running passes at once remind nobody twice.

use super::domain::window;
use super::notices::Reminder;
use super::store;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::registrations::domain::{Attendance, Status};
use crate::registrations::notices::{link, plain, Context};
use crate::registrations::service::session_and_meeting;
use crate::registrations::store as registrations;

/// What a pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    /// Reminders queued by this pass.
    pub sent: usize,
    /// Delegates another pass reminded first, or who stopped being confirmed meanwhile.
    pub skipped: usize,
}

/// Queues the reminders due at `ctx.now` (nothing when reminders are off).
pub fn send_due(conn: &mut Conn, ctx: &Ctx) -> Result<Pass, AppError> {
    let settings = &ctx.settings.reminders;
    let mut pass = Pass::default();
    if !settings.enabled {
        return Ok(pass);
    }
    let (from, until) = window(ctx.now, settings.days_before);
    let sessions = store::due_sessions(conn, db::micros(from), db::micros(until))?;
    for session_id in sessions {
        for registration in store::unreminded(conn, &session_id)? {
            match remind(conn, ctx, &session_id, &registration.id) {
                Ok(true) => pass.sent += 1,
                Ok(false) => pass.skipped += 1,
                // Another instance claimed it between our read and our insert.
                Err(e) if e.is_unique_violation() => pass.skipped += 1,
                Err(e) => return Err(e),
            }
        }
    }
    Ok(pass)
}

/// Claims and queues one delegate's reminder; false when there is nothing to do any more.
fn remind(conn: &mut Conn, ctx: &Ctx, session_id: &str, id: &str) -> Result<bool, AppError> {
    db::write(conn, |conn| {
        registrations::lock_session(conn, session_id)?;
        // Read again under the lock: another pass, or a cancellation, may have come first.
        let Some(r) = registrations::find(conn, id)? else {
            return Ok(false);
        };
        if r.status != Status::Confirmed || store::reminded(conn, id)? {
            return Ok(false);
        }
        store::claim(conn, id, session_id, db::micros(ctx.now))?;
        let (session, meeting) = session_and_meeting(conn, session_id)?;
        let cx = Context::new(conn, ctx, &session, &meeting)?;
        let notice = Reminder {
            name: r.delegate.name.clone(),
            session: cx.summary(&r),
            link: link(conn, &cx, &r)?,
            remote: r.delegate.attendance == Attendance::Remote,
        };
        plain(conn, &cx, &r, &notice, None)?;
        Ok(true)
    })
}
