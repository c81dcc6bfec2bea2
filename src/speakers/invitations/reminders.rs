//! Reminders of unanswered invitations: the first `speakers.reminder_after_days` after the
//! invitation, the second as long after the first, never more. Each is counted by a conditional
//! UPDATE in the transaction that queues it, so two workers (or instances) never send one twice.

use chrono::Duration;

use super::domain::{Invitation, ReminderPlan};
use super::notices::{self, Reminder};
use super::service::page_link;
use super::slots::{self, Sending};
use super::store;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::links::Purpose;

/// The plan the settings give.
pub fn plan(ctx: &Ctx) -> ReminderPlan {
    let days = i64::from(ctx.settings.speakers.reminder_after_days);
    ReminderPlan {
        first: Duration::days(days),
        second: Duration::days(days),
    }
}

/// Sends every reminder due at `ctx.now`; answers how many this pass sent.
pub fn remind(conn: &mut Conn, ctx: &Ctx) -> Result<usize, AppError> {
    let plan = plan(ctx);
    let mut sent = 0;
    for invitation in store::open_for_reminders(conn)? {
        let Some(number) = plan.due(&invitation, ctx.now) else {
            continue;
        };
        if db::write(conn, |conn| send(conn, ctx, &invitation, number))? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Claims reminder `number` of one invitation and queues it; false when another worker had it.
fn send(
    conn: &mut Conn,
    ctx: &Ctx,
    invitation: &Invitation,
    number: i32,
) -> Result<bool, AppError> {
    if store::claim_reminder(conn, &invitation.id, number, ctx.now)? == 0 {
        return Ok(false);
    }
    let Some(speaker) = crate::speakers::store::find(conn, &invitation.speaker_id)? else {
        return Ok(false);
    };
    let (session, meeting) = slots::session_and_meeting(conn, &invitation.session_id)?;
    let slot = slots::find(conn, &invitation.session_id, &invitation.item_id)?;
    // The first link was shown once, in the first email; the reminder carries a new one and the
    // old one keeps working.
    let token = crate::links::store::issue(
        conn,
        Purpose::SpeakerInvitation,
        &invitation.id,
        None,
        ctx.now,
    )?;
    let sending = Sending {
        session: &session,
        meeting: &meeting,
        slot: &slot,
    };
    let notice = Reminder {
        name: speaker.fields.name.clone(),
        slot: sending.summary(conn, ctx, invitation.role)?,
        link: page_link(ctx, &token),
        number,
    };
    let to = (speaker.fields.email.as_str(), speaker.fields.name.as_str());
    notices::send(conn, &ctx.settings, to, &invitation.id, &notice)?;
    let changes = serde_json::json!({"reminder": number});
    let actor = crate::audit::Actor::System;
    crate::audit::store::record(
        conn,
        &actor,
        "invitation.reminded",
        "invitation",
        &invitation.id,
        changes,
    )?;
    Ok(true)
}

/// The server's schedule: a reminder pass every `speakers.remind_every_minutes` (none when 0 or
/// outside a Tokio runtime). Several instances may run it; each reminder is still sent once.
pub fn schedule(pool: &db::Pool, ctx: Ctx) {
    let minutes = ctx.settings.speakers.remind_every_minutes;
    if minutes == 0 || tokio::runtime::Handle::try_current().is_err() {
        return;
    }
    let pool = pool.clone();
    tokio::spawn(async move {
        let every = std::time::Duration::from_secs(minutes.saturating_mul(60));
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            ticks.tick().await;
            let (pool, ctx) = (pool.clone(), ctx.at(chrono::Utc::now()));
            let pass = tokio::task::spawn_blocking(move || {
                let mut conn = db::checkout(&pool)?;
                remind(&mut conn, &ctx)
            })
            .await;
            match pass {
                Ok(Ok(sent)) if sent > 0 => {
                    tracing::info!(reminders.sent = sent, "speaker reminders sent")
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "the speaker reminder pass failed"),
                Err(e) => tracing::warn!(error = %e, "the speaker reminder pass ended abnormally"),
            }
        }
    });
}
