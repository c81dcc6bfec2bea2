//! The delivery worker: claims due outbox rows, sends them, and records each outcome.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use uuid::Uuid;

use super::domain::{self as rules, Outcome};
use super::message::{self, Outgoing};
use super::store as delivery;
use super::transport::{SendError, Transport};
use crate::config::Settings;
use crate::db;
use crate::error::AppError;
use crate::mail::store::OutboxRow;

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassReport {
    /// Handed to the transport and marked sent.
    pub sent: usize,
    /// Queued again for a later attempt.
    pub retried: usize,
    /// Given up on.
    pub failed: usize,
}

/// A batch's counts, and the first failure to record an outcome, if any.
#[derive(Debug, Default)]
struct BatchReport {
    sent: usize,
    retried: usize,
    failed: usize,
    error: Option<AppError>,
}

impl BatchReport {
    fn add(&mut self, delivered: Delivered) {
        match delivered {
            Delivered::Sent => self.sent += 1,
            Delivered::Retried => self.retried += 1,
            Delivered::Failed => self.failed += 1,
        }
    }
}

/// The pass's clock: `now` as given (tests pass their own), advanced by the time spent since.
#[derive(Debug, Clone, Copy)]
struct Clock {
    now: DateTime<Utc>,
    started: Instant,
    /// No send starts after this instant, so none outlasts the batch's lease.
    deadline: Instant,
}

impl Clock {
    fn at(&self) -> DateTime<Utc> {
        self.now + chrono::Duration::from_std(self.started.elapsed()).unwrap_or_default()
    }

    fn halted(&self, stop: Option<&watch::Receiver<bool>>) -> bool {
        stop.is_some_and(|s| *s.borrow()) || Instant::now() >= self.deadline
    }
}

/// What became of one message.
#[derive(Debug, Clone, Copy)]
enum Delivered {
    Sent,
    Retried,
    Failed,
}

/// A running worker; `stop` lets the message in flight finish, then ends it.
pub struct WorkerHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl WorkerHandle {
    /// Signals the worker and waits until it has ended.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "mail worker ended abnormally");
        }
    }
}

/// Starts the background worker when `mail.worker` is on; it needs a running Tokio runtime.
pub fn start(pool: &db::Pool, settings: &Settings) -> Result<Option<WorkerHandle>, String> {
    if !settings.mail.worker {
        return Ok(None);
    }
    tokio::runtime::Handle::try_current()
        .map_err(|_| "the mail worker needs a Tokio runtime".to_string())?;
    let worker = Worker::new(pool.clone(), Arc::new(settings.clone()))?;
    Ok(Some(worker.spawn()))
}

/// Delivers the outbox of one database through one transport.
#[derive(Clone)]
pub struct Worker {
    pool: db::Pool,
    settings: Arc<Settings>,
    transport: Transport,
    /// Names this instance in `claimed_by`, so its claims can be told from another's.
    instance: String,
}

impl Worker {
    /// A worker with the transport the settings choose; call inside a Tokio runtime.
    pub fn new(pool: db::Pool, settings: Arc<Settings>) -> Result<Worker, String> {
        let transport = Transport::from_settings(&settings.mail)?;
        Ok(Worker {
            pool,
            settings,
            transport,
            instance: format!("{}-{}", std::process::id(), Uuid::new_v4().simple()),
        })
    }

    /// Sends everything due at `now`, batch by batch, `mail.concurrency` messages at a time;
    /// once `stop` says so it finishes the messages in flight and gives the rest of its claims back.
    pub async fn pass(
        &self,
        now: DateTime<Utc>,
        stop: Option<&watch::Receiver<bool>>,
    ) -> Result<PassReport, AppError> {
        let mut report = PassReport::default();
        let started = Instant::now();
        let max_attempts = i32::try_from(self.settings.mail.max_attempts).unwrap_or(i32::MAX);
        report.failed += db::run(&self.pool, move |conn| {
            delivery::give_up_abandoned(conn, now, max_attempts)
        })
        .await?;
        loop {
            let claimant = format!("{}/{}", self.instance, Uuid::new_v4().simple());
            let rows = self.claim(&claimant, now).await?;
            if rows.is_empty() {
                return Ok(report);
            }
            let lease = Duration::from_secs(self.settings.mail.lease_secs);
            // Never start a send that could outlast the lease: another instance may take it then.
            let deadline = Instant::now() + lease.saturating_sub(self.send_timeout());
            let clock = Clock {
                now,
                started,
                deadline,
            };
            let (batch, rest) = self.send_batch(rows, &claimant, clock, stop).await;
            report.sent += batch.sent;
            report.retried += batch.retried;
            report.failed += batch.failed;
            if !rest.is_empty() {
                db::run(&self.pool, move |conn| {
                    delivery::release(conn, &rest, &claimant)
                })
                .await?;
            }
            if let Some(e) = batch.error {
                return Err(e);
            }
            let progressed = batch.sent + batch.retried + batch.failed > 0;
            if stop.is_some_and(|s| *s.borrow()) || !progressed {
                return Ok(report);
            }
        }
    }

    /// Sends claimed rows with a bounded number in flight; answers what happened and the ids
    /// it did not start. A failure to record an outcome is kept and returned after the rest finish,
    /// so no send in flight is abandoned half way.
    async fn send_batch(
        &self,
        rows: Vec<OutboxRow>,
        claimant: &str,
        clock: Clock,
        stop: Option<&watch::Receiver<bool>>,
    ) -> (BatchReport, Vec<String>) {
        let mut report = BatchReport::default();
        let mut in_flight = JoinSet::new();
        let mut rows = rows.into_iter();
        let limit = self.settings.mail.concurrency.max(1) as usize;
        loop {
            while in_flight.len() < limit && !clock.halted(stop) {
                let Some(row) = rows.next() else { break };
                let (worker, claimant) = (self.clone(), claimant.to_string());
                in_flight.spawn(async move { worker.deliver(&row, &claimant, clock).await });
            }
            match in_flight.join_next().await {
                Some(Ok(Ok(delivered))) => report.add(delivered),
                Some(Ok(Err(e))) => report.error = Some(e),
                Some(Err(e)) => report.error = Some(AppError::Internal(format!("send task: {e}"))),
                None => break,
            }
        }
        (report, rows.map(|r| r.id).collect())
    }

    /// Polls every `mail.poll_interval_ms` until `stop` turns true (or its sender is dropped).
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let interval = Duration::from_millis(self.settings.mail.poll_interval_ms.max(10));
        tracing::info!(worker = %self.instance, "mail worker started");
        while !*stop.borrow() {
            match self.pass(Utc::now(), Some(&stop)).await {
                Ok(r) if r != PassReport::default() => {
                    tracing::info!(
                        sent = r.sent,
                        retried = r.retried,
                        failed = r.failed,
                        "mail delivered"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "mail pass failed; trying again later"),
            }
            tokio::select! {
                changed = stop.changed() => if changed.is_err() { break },
                _ = tokio::time::sleep(interval) => {}
            }
        }
        tracing::info!(worker = %self.instance, "mail worker stopped");
    }

    /// Starts `run` on the current Tokio runtime.
    pub fn spawn(self) -> WorkerHandle {
        let (stop, watching) = watch::channel(false);
        WorkerHandle {
            stop,
            task: tokio::spawn(self.run(watching)),
        }
    }

    fn send_timeout(&self) -> Duration {
        Duration::from_secs(self.settings.mail.smtp.timeout_secs)
    }

    async fn claim(&self, claimant: &str, now: DateTime<Utc>) -> Result<Vec<OutboxRow>, AppError> {
        let lease =
            chrono::Duration::seconds(i64::try_from(self.settings.mail.lease_secs).unwrap_or(120));
        let limit = i64::from(self.settings.mail.batch_size);
        let claimant = claimant.to_string();
        db::run(&self.pool, move |conn| {
            delivery::claim(conn, &claimant, now, now + lease, limit)
        })
        .await
    }

    /// Sends one claimed row and records the outcome.
    async fn deliver(
        &self,
        row: &OutboxRow,
        claimant: &str,
        clock: Clock,
    ) -> Result<Delivered, AppError> {
        let at = || clock.at();
        let result = match self.build(row) {
            Ok(message) => self.transport.send(&row.message_id, &message).await,
            Err(e) => Err(SendError {
                message: e.to_string(),
                permanent: true,
            }),
        };
        let claimant = claimant.to_string();
        match result {
            Ok(()) => {
                let (sent, sent_at) = (row.clone(), at());
                let kept = db::run(&self.pool, move |conn| {
                    delivery::mark_sent(conn, &sent, &claimant, sent_at)
                })
                .await?;
                if !kept {
                    tracing::warn!(outbox.id = %row.id, "sent after the lease ran out; another instance may send it too");
                }
                Ok(Delivered::Sent)
            }
            Err(e) => self.record_failure(row, claimant, e, at()).await,
        }
    }

    async fn record_failure(
        &self,
        row: &OutboxRow,
        claimant: String,
        error: SendError,
        at: DateTime<Utc>,
    ) -> Result<Delivered, AppError> {
        let mail = &self.settings.mail;
        // The claim counted this attempt already.
        let attempt = u32::try_from(row.attempts).unwrap_or(0);
        let outcome = rules::after_failure(
            attempt,
            mail.max_attempts,
            error.permanent,
            at,
            Duration::from_secs(mail.retry_base_secs),
            Duration::from_secs(mail.retry_max_secs),
        );
        tracing::warn!(outbox.id = %row.id, attempt, error = %error.message, outcome = ?outcome, "mail not sent");
        let row = row.clone();
        db::run(&self.pool, move |conn| {
            delivery::mark_failed(conn, &row, &claimant, &error.message, outcome)
        })
        .await?;
        Ok(match outcome {
            Outcome::Retry(_) => Delivered::Retried,
            Outcome::Failed => Delivered::Failed,
        })
    }

    fn build(&self, row: &OutboxRow) -> Result<lettre::Message, message::MessageError> {
        let from: lettre::message::Mailbox = self
            .settings
            .mail
            .from
            .parse()
            .map_err(|_| message::MessageError::Address(self.settings.mail.from.clone()))?;
        let from_name = from.name.clone().unwrap_or_default();
        let from_email = from.email.to_string();
        message::build(&Outgoing {
            message_id: &row.message_id,
            from_name: &from_name,
            from_email: &from_email,
            to_name: &row.to_name,
            to_email: &row.to_email,
            subject: &row.subject,
            text: &row.text_body,
            html: &row.html_body,
            calendar: row.calendar.as_deref().zip(row.calendar_method.as_deref()),
            reply_to: row
                .reply_to_email
                .as_deref()
                .map(|email| (row.reply_to_name.as_deref().unwrap_or(""), email)),
        })
    }
}
