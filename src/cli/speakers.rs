//! `seminars remind`: one pass of the speakers' reminders, for cron or by hand.

use crate::config::Settings;
use crate::{app, db};

/// Sends every reminder of an unanswered invitation that is due now, once, and reports how many.
pub fn remind(settings: &Settings) -> Result<(), String> {
    let pool = db::connect(&settings.database)?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    app::migrate(&mut conn)?;
    let ctx = app::ctx(settings);
    let sent = crate::speakers::service::remind(&mut conn, &ctx).map_err(|e| e.one_line())?;
    println!("{sent} speaker reminder(s) queued");
    Ok(())
}
