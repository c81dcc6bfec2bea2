//! The pool with a count of the queries its connections ran, so that a test (or an operator)
//! can tell a page whose cost is a constant number of queries from an N+1.
//!
//! The count belongs to one pool, not to the process: tests run many apps side by side, each
//! with its own pool. Every connection the pool opens gets diesel's instrumentation (installed by
//! an r2d2 connection customizer) that adds one per statement sent, whatever its kind.

use std::ops::Deref;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::r2d2::{Builder, CustomizeConnection, ManageConnection, Pool};
use diesel::Connection;

/// An r2d2 pool with the query count of its connections (`db::Pool` is one).
#[derive(Debug)]
pub struct Counted<M: ManageConnection> {
    inner: Pool<M>,
    log: Arc<QueryLog>,
}

impl<M: ManageConnection> Clone for Counted<M> {
    fn clone(&self) -> Self {
        Counted {
            inner: self.inner.clone(),
            log: self.log.clone(),
        }
    }
}

impl<M: ManageConnection> Deref for Counted<M> {
    type Target = Pool<M>;

    fn deref(&self) -> &Self::Target {
        &self.inner
    }
}

impl<M> Counted<M>
where
    M: ManageConnection,
    M::Connection: Connection,
{
    /// Builds the pool from an r2d2 builder, counting the queries of every connection it opens.
    pub fn build(builder: Builder<M>, manager: M) -> Counted<M> {
        let log = Arc::new(QueryLog::default());
        let inner = builder
            .connection_customizer(Box::new(Customizer(log.clone())))
            .build_unchecked(manager);
        Counted { inner, log }
    }

    /// Statements sent by this pool's connections since it was built.
    pub fn queries(&self) -> u64 {
        self.log.count.load(Ordering::Acquire)
    }

    /// Starts keeping the text of every statement sent (for a test's failure message).
    pub fn record(&self) {
        if let Ok(mut kept) = self.log.kept.lock() {
            kept.clear();
        }
        self.log.recording.store(true, Ordering::Release);
    }

    /// Stops keeping statements and answers those kept since `record`.
    pub fn recorded(&self) -> Vec<String> {
        self.log.recording.store(false, Ordering::Release);
        self.log
            .kept
            .lock()
            .map(|mut kept| std::mem::take(&mut *kept))
            .unwrap_or_default()
    }
}

/// What the connections of one pool report.
#[derive(Debug, Default)]
struct QueryLog {
    count: AtomicU64,
    recording: AtomicBool,
    kept: Mutex<Vec<String>>,
}

/// Installs the counting instrumentation on each connection the pool opens.
#[derive(Debug)]
struct Customizer(Arc<QueryLog>);

impl<C: Connection + 'static, E: 'static> CustomizeConnection<C, E> for Customizer {
    fn on_acquire(&self, conn: &mut C) -> Result<(), E> {
        conn.set_instrumentation(Counting(self.0.clone()));
        Ok(())
    }
}

/// Adds one per statement a connection starts.
struct Counting(Arc<QueryLog>);

impl Instrumentation for Counting {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            self.0.count.fetch_add(1, Ordering::AcqRel);
            if self.0.recording.load(Ordering::Acquire) {
                if let Ok(mut kept) = self.0.kept.lock() {
                    kept.push(query.to_string());
                }
            }
        }
    }
}
