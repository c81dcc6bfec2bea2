//! Group commit: concurrent writes under one key (say, one session's registrations) run one after
//! the other in a single transaction, so the key's lock and the commit are paid once per batch
//! instead of once per write.
//!
//! The first caller for a key becomes its leader: on the blocking pool, with one connection, it
//! takes every write queued for the key so far (at most `MAX_BATCH`), runs them in arrival order,
//! commits, answers each caller, and starts again until the queue is empty. Callers arriving in
//! the meantime only queue, so while one batch commits the next one gathers. Under no load a
//! batch holds one write and costs what a lone transaction costs.
//!
//! Each write runs in its own savepoint: one that fails is undone alone and answers its own
//! error; the others still commit. Nobody is answered before the commit has returned, so every
//! answer of success is durable. A transient failure (busy, serialization) runs the whole batch
//! again, as `db::write` does for one write; a failed commit answers every caller with an error.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use diesel::Connection;
use tokio::sync::oneshot;

use super::{checkout, write, Conn, Pool};
use crate::error::AppError;

/// Most writes one transaction takes; the rest wait for the next batch.
pub const MAX_BATCH: usize = 256;

type Output = Box<dyn Any + Send>;
type Work = Box<dyn FnMut(&mut Conn) -> Result<Output, AppError> + Send>;

struct Job {
    work: Work,
    answer: oneshot::Sender<Result<Output, AppError>>,
}

/// The queues of writes waiting for their key's leader. A key is present while it has a leader.
#[derive(Default)]
pub struct Groups {
    queues: Mutex<HashMap<String, Vec<Job>>>,
}

impl Groups {
    /// Runs `work` in the next transaction of `key`'s batches and answers once that committed.
    /// `work` may run more than once (when the batch is retried), so it must only touch the
    /// database.
    pub async fn submit<T, F>(
        self: &Arc<Self>,
        pool: &Pool,
        key: String,
        mut work: F,
    ) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnMut(&mut Conn) -> Result<T, AppError> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let work: Work = Box::new(move |conn| work(conn).map(|value| Box::new(value) as Output));
        let leads = self.enqueue(&key, Job { work, answer });
        if leads {
            let (groups, pool) = (self.clone(), pool.clone());
            // Detached: the batch runs to its end even if this caller goes away.
            tokio::task::spawn_blocking(move || groups.lead(&pool, &key));
        }
        let output = answered
            .await
            .map_err(|_| AppError::Internal("a batched write was dropped unanswered".into()))??;
        output
            .downcast::<T>()
            .map(|value| *value)
            .map_err(|_| AppError::Internal("a batched write answered another type".into()))
    }

    /// Queues a job; true when its key had no leader and the caller must start one.
    fn enqueue(&self, key: &str, job: Job) -> bool {
        let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
        match queues.get_mut(key) {
            Some(queue) => {
                queue.push(job);
                false
            }
            None => {
                queues.insert(key.to_string(), vec![job]);
                true
            }
        }
    }

    /// The next batch of `key`, or None (and the key loses its leader) when nothing waits.
    fn next_batch(&self, key: &str) -> Option<Vec<Job>> {
        let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
        let queue = queues.get_mut(key)?;
        if queue.is_empty() {
            queues.remove(key);
            return None;
        }
        let take = queue.len().min(MAX_BATCH);
        Some(queue.drain(..take).collect())
    }

    fn lead(&self, pool: &Pool, key: &str) {
        let _leadership = Leadership { groups: self, key };
        while let Some(jobs) = self.next_batch(key) {
            run_batch(pool, jobs);
        }
    }
}

/// Gives up a key's leadership if its leader panics, so later writes find a new one; the jobs
/// still queued are dropped and their callers answered with an error.
struct Leadership<'a> {
    groups: &'a Groups,
    key: &'a str,
}

impl Drop for Leadership<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let mut queues = self
                .groups
                .queues
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            queues.remove(self.key);
        }
    }
}

/// Runs jobs in one transaction, each in its own savepoint, and answers them after the commit.
fn run_batch(pool: &Pool, mut jobs: Vec<Job>) {
    let outcome = checkout(pool).and_then(|mut conn| {
        write(&mut conn, |conn| {
            let mut results = Vec::with_capacity(jobs.len());
            for job in jobs.iter_mut() {
                let result = conn.transaction::<_, AppError, _>(|conn| (job.work)(conn));
                // A transient failure inside one savepoint runs the whole batch again.
                if matches!(&result, Err(e) if e.is_transient()) {
                    return result.map(|_| Vec::new());
                }
                results.push(result);
            }
            Ok(results)
        })
    });
    match outcome {
        Ok(results) => {
            for (job, result) in jobs.into_iter().zip(results) {
                // A caller that went away no longer needs its answer.
                let _ = job.answer.send(result);
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, writes = jobs.len(), "a batch of writes failed");
            let detail = e.to_string();
            let mut first = Some(e);
            for job in jobs {
                let error = first
                    .take()
                    .unwrap_or_else(|| AppError::Unavailable(detail.clone()));
                let _ = job.answer.send(Err(error));
            }
        }
    }
}
