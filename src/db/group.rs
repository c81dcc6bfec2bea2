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
//! A batch first runs all its writes straight through, their inserts held back and written at the
//! end one statement per table (`db::deferred`). Should one fail, the transaction is rolled
//! back and the batch runs again with each write in its own savepoint: the failing one is undone
//! alone and answers its own error; the others still commit. Nobody is answered before the
//! commit has returned, so every answer of success is durable. A transient failure (busy,
//! serialization) runs the whole batch again, as `db::write` does for one write; a failed commit
//! answers every caller with an error.
//!
//! The writes of a batch may share what they read under the key's lock (`Shared`): the first
//! loads it, the others reuse and update it. It lives for one attempt of one batch, and is
//! forgotten whenever a write fails, since that write's savepoint undid what it had noted.

use std::any::{Any, TypeId};
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use diesel::Connection;
use tokio::sync::oneshot;

use super::{checkout, deferred, write, Conn, Pool};
use crate::error::AppError;

/// Most writes one transaction takes; the rest wait for the next batch.
pub const MAX_BATCH: usize = 256;

type Output = Box<dyn Any + Send>;
type Work = Box<dyn FnMut(&mut Conn, &mut Shared) -> Result<Output, AppError> + Send>;

/// What the writes of one batch share, one value per type: loaded by the first write that needs
/// it, reused and kept up to date by the next ones.
#[derive(Default)]
pub struct Shared {
    values: HashMap<TypeId, Box<dyn Any + Send>>,
}

impl Shared {
    /// The batch's value of type `T`, loaded by `load` if no earlier write of the batch did.
    pub fn get_or_load<T: Any + Send>(
        &mut self,
        load: impl FnOnce() -> Result<T, AppError>,
    ) -> Result<&mut T, AppError> {
        let value = match self.values.entry(TypeId::of::<T>()) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => entry.insert(Box::new(load()?)),
        };
        value
            .downcast_mut::<T>()
            .ok_or_else(|| AppError::Internal("a batch's shared value has another type".into()))
    }

    fn forget(&mut self) {
        self.values.clear();
    }
}

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
        F: FnMut(&mut Conn, &mut Shared) -> Result<T, AppError> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let work: Work =
            Box::new(move |conn, shared| work(conn, shared).map(|value| Box::new(value) as Output));
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

/// Runs jobs in one transaction and answers them after the commit: straight through, or, when
/// one of them fails, again with each in its own savepoint.
fn run_batch(pool: &Pool, mut jobs: Vec<Job>) {
    let outcome = checkout(pool).and_then(|mut conn| {
        let together = write(&mut conn, |conn| {
            let mut shared = Shared::default();
            deferred::scope(conn, |conn| {
                jobs.iter_mut()
                    .map(|job| (job.work)(conn, &mut shared).map(Ok))
                    .collect::<Result<Vec<_>, AppError>>()
            })
        });
        match together {
            Ok(results) => Ok(results),
            Err(_) if jobs.len() > 1 => write(&mut conn, |conn| one_by_one(conn, &mut jobs)),
            Err(e) => Ok(vec![Err(e)]),
        }
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

/// Runs each job in its own savepoint; a failing one is undone alone and answers its error.
fn one_by_one(
    conn: &mut Conn,
    jobs: &mut [Job],
) -> Result<Vec<Result<Output, AppError>>, AppError> {
    let mut shared = Shared::default();
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs.iter_mut() {
        let result = conn.transaction::<_, AppError, _>(|conn| (job.work)(conn, &mut shared));
        match &result {
            // A transient failure inside one savepoint runs the whole batch again.
            Err(e) if e.is_transient() => return result.map(|_| Vec::new()),
            Err(_) => shared.forget(),
            Ok(_) => {}
        }
        results.push(result);
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use diesel::prelude::*;

    use super::*;

    diesel::table! {
        notes (n) {
            n -> Integer,
        }
    }

    #[derive(Insertable)]
    #[diesel(table_name = notes)]
    struct Note {
        n: i32,
    }

    fn pool() -> (tempfile::TempDir, Pool) {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = crate::config::Settings::defaults().unwrap().database;
        settings.url = format!("sqlite://{}", dir.path().join("group.db").display());
        let pool = crate::db::connect(&settings).unwrap();
        let mut conn = pool.get().unwrap();
        diesel::connection::SimpleConnection::batch_execute(
            &mut *conn,
            "CREATE TABLE notes (n INTEGER PRIMARY KEY)",
        )
        .unwrap();
        (dir, pool)
    }

    fn stored(pool: &Pool) -> Vec<i32> {
        let mut conn = pool.get().unwrap();
        notes::table
            .select(notes::n)
            .order(notes::n)
            .load(&mut *conn)
            .unwrap()
    }

    /// Jobs that each note their number through the deferral, after reading the batch's shared
    /// value (counting how often it is loaded); `fails` is refused after noting.
    fn jobs(
        count: i32,
        fails: Option<i32>,
        loads: &Arc<AtomicUsize>,
    ) -> (Vec<Job>, Vec<oneshot::Receiver<Result<Output, AppError>>>) {
        (0..count)
            .map(|n| {
                let loads = loads.clone();
                let work: Work = Box::new(move |conn, shared| {
                    shared.get_or_load(|| {
                        loads.fetch_add(1, Ordering::SeqCst);
                        Ok::<_, AppError>(n)
                    })?;
                    deferred::insert(conn, Note { n }, |conn, rows| {
                        deferred::insert_rows!(conn, notes::table, rows)
                    })?;
                    match Some(n) == fails {
                        true => Err(AppError::BadRequest(format!("{n} refused"))),
                        false => Ok(Box::new(n) as Output),
                    }
                });
                let (answer, answered) = oneshot::channel();
                (Job { work, answer }, answered)
            })
            .unzip()
    }

    fn answers(answered: Vec<oneshot::Receiver<Result<Output, AppError>>>) -> Vec<Option<i32>> {
        answered
            .into_iter()
            .map(|mut a| {
                let output = a.try_recv().expect("answered after the commit");
                output.ok().map(|v| *v.downcast::<i32>().unwrap())
            })
            .collect()
    }

    #[test]
    fn a_batch_runs_straight_through_reading_what_it_shares_once() {
        let (_dir, pool) = pool();
        let loads = Arc::new(AtomicUsize::new(0));
        let (jobs, answered) = jobs(5, None, &loads);
        run_batch(&pool, jobs);
        assert_eq!(
            answers(answered),
            vec![Some(0), Some(1), Some(2), Some(3), Some(4)]
        );
        assert_eq!(stored(&pool), vec![0, 1, 2, 3, 4]);
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_failing_write_is_undone_alone_and_the_shared_value_read_again_after_it() {
        let (_dir, pool) = pool();
        let loads = Arc::new(AtomicUsize::new(0));
        let (jobs, answered) = jobs(5, Some(2), &loads);
        run_batch(&pool, jobs);
        assert_eq!(
            answers(answered),
            vec![Some(0), Some(1), None, Some(3), Some(4)]
        );
        assert_eq!(stored(&pool), vec![0, 1, 3, 4]);
        // Straight through (1), then write by write (1), and again after the failure (1).
        assert_eq!(loads.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn a_conflict_found_when_the_held_rows_are_written_falls_back_to_write_by_write() {
        let (_dir, pool) = pool();
        let loads = Arc::new(AtomicUsize::new(0));
        let (mut first, _) = jobs(3, None, &loads);
        let (twin, _) = jobs(2, None, &loads);
        // 0, 1, 2, then 0 again: the second 0 conflicts only once the rows are written.
        first.extend(twin.into_iter().take(1));
        let answered: Vec<_> = first
            .iter_mut()
            .map(|job| {
                let (answer, answered) = oneshot::channel();
                job.answer = answer;
                answered
            })
            .collect();
        run_batch(&pool, first);
        let answers = answers(answered);
        assert_eq!(&answers[..3], &[Some(0), Some(1), Some(2)]);
        assert_eq!(answers[3], None, "the twin is refused alone");
        assert_eq!(stored(&pool), vec![0, 1, 2]);
    }

    #[test]
    fn held_rows_are_written_at_the_end_and_nothing_when_the_work_fails() {
        let (_dir, pool) = pool();
        let mut conn = pool.get().unwrap();
        let seen_inside = deferred::scope(&mut conn, |conn| {
            deferred::insert(conn, Note { n: 7 }, |conn, rows| {
                deferred::insert_rows!(conn, notes::table, rows)
            })?;
            notes::table.count().get_result::<i64>(conn)
        })
        .unwrap();
        assert_eq!(seen_inside, 0, "held back until the end");
        assert_eq!(stored(&pool), vec![7]);
        let failed: Result<(), diesel::result::Error> = deferred::scope(&mut conn, |conn| {
            deferred::insert(conn, Note { n: 8 }, |conn, rows| {
                deferred::insert_rows!(conn, notes::table, rows)
            })?;
            Err(diesel::result::Error::RollbackTransaction)
        });
        assert!(failed.is_err());
        // Outside a deferral an insert writes at once, even after one was abandoned.
        deferred::insert(&mut conn, Note { n: 9 }, |conn, rows| {
            deferred::insert_rows!(conn, notes::table, rows)
        })
        .unwrap();
        assert_eq!(stored(&pool), vec![7, 9]);
    }
}
