//! Reminders from the command line (one pass) and on the server's schedule.

use crate::config::Settings;
use crate::{app, db};

/// `seminars reminders send`: one pass.
pub fn send(settings: &Settings) -> Result<(), String> {
    let pool = db::connect(&settings.database)?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    app::migrate(&mut conn)?;
    let pass = crate::registrations::reminders::service::send_due(&mut conn, &app::ctx(settings))
        .map_err(|e| e.to_string())?;
    println!(
        "{} reminder(s) queued, {} already sent",
        pass.sent, pass.skipped
    );
    Ok(())
}

/// The server's schedule: a reminders pass every `reminders.every_minutes` (when enabled).
pub fn schedule(settings: Settings) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if !settings.reminders.enabled {
            return;
        }
        let minutes = settings.reminders.every_minutes.max(1);
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(minutes * 60));
        let Ok(pool) = db::connect(&settings.database) else {
            return;
        };
        loop {
            tick.tick().await;
            let (pool, settings) = (pool.clone(), settings.clone());
            let pass = db::run(&pool, move |conn| {
                crate::registrations::reminders::service::send_due(conn, &app::ctx(&settings))
            })
            .await;
            match pass {
                Ok(p) if p.sent > 0 => tracing::info!(sent = p.sent, "reminders queued"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "reminders pass failed"),
            }
        }
    })
}
