//! The database: one connection type over SQLite and PostgreSQL, the pool, migrations and transactions.

pub mod deferred;
pub mod failure;
pub mod group;
pub mod queries;
pub mod schema;
pub mod schema_speakers;
pub mod schema_statistics;
pub mod text;

use std::path::Path;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{ManageConnection, Pool as R2d2Pool};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use rand::Rng;

use crate::config::{Backend, DatabaseSettings};
use crate::error::AppError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One connection to whichever backend the URL named; queries are written once for both.
#[derive(diesel::MultiConnection)]
pub enum Conn {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// The pool every request and worker borrows connections from, with its query count.
pub type Pool = queries::Counted<Manager>;

/// Opens connections for the pool, choosing the backend itself so that real errors are kept.
#[derive(Debug, Clone)]
pub struct Manager {
    backend: Backend,
    busy_timeout_ms: u64,
    synchronous: String,
}

impl ManageConnection for Manager {
    type Connection = Conn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<Conn, Self::Error> {
        match &self.backend {
            Backend::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path)
                    .map_err(diesel::r2d2::Error::ConnectionError)?;
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; \
                     PRAGMA foreign_keys = ON; PRAGMA synchronous = {};",
                    self.busy_timeout_ms, self.synchronous
                ))
                .map_err(diesel::r2d2::Error::QueryError)?;
                Ok(Conn::Sqlite(conn))
            }
            Backend::Postgres(url) => PgConnection::establish(url)
                .map(Conn::Postgres)
                .map_err(diesel::r2d2::Error::ConnectionError),
        }
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        match conn {
            Conn::Sqlite(c) => AnsiTransactionManager::is_broken_transaction_manager(c),
            Conn::Postgres(c) => AnsiTransactionManager::is_broken_transaction_manager(c),
        }
    }
}

/// Builds the pool; for SQLite the file's folder is created first.
pub fn connect(settings: &DatabaseSettings) -> Result<Pool, String> {
    let backend = settings.backend()?;
    if let Backend::Sqlite(path) = &backend {
        if let Some(dir) = Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
    }
    let manager = Manager {
        backend,
        busy_timeout_ms: settings.busy_timeout_ms,
        synchronous: settings.sqlite_synchronous.clone(),
    };
    // A new SQLite file is turned to WAL by one connection before the pool opens several at
    // once: two connections switching the journal mode together find the file locked.
    if matches!(manager.backend, Backend::Sqlite(_)) {
        manager
            .connect()
            .map_err(|e| format!("cannot open the database: {e}"))?;
    }
    // Requests wait for a connection only briefly (503 while the database is away); start-up
    // waits up to `connect_timeout_secs` for the first one.
    let builder = R2d2Pool::builder()
        .max_size(settings.pool_size)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_millis(settings.checkout_timeout_ms));
    let pool = Pool::build(builder, manager);
    pool.get_timeout(Duration::from_secs(settings.connect_timeout_secs))
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    Ok(pool)
}

/// Applies every pending migration of the connection's backend.
pub fn migrate(conn: &mut Conn) -> Result<usize, String> {
    let applied = match conn {
        Conn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        Conn::Postgres(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
    };
    applied.map_err(|e| format!("migration failed: {e}"))
}

/// The key of the PostgreSQL advisory lock `one_migrator` holds ("SEMINARS" in ASCII).
const MIGRATION_LOCK: i64 = 0x53_45_4d_49_4e_41_52_53;

/// Runs `work` (migrating, seeding) while holding a PostgreSQL advisory lock of the database,
/// so that instances starting together on one database take turns and the later ones find
/// nothing left to do; without it one of them failed on the other's half-made tables
/// ("duplicate key value violates unique constraint pg_type_typname_nsp_index") and did not
/// start. PostgreSQL releases the lock itself should the process die. SQLite serves one
/// instance and runs `work` as it is.
pub fn one_migrator<T>(
    conn: &mut Conn,
    work: impl FnOnce(&mut Conn) -> Result<T, String>,
) -> Result<T, String> {
    let advisory = |conn: &mut Conn, call: &str| match conn {
        Conn::Postgres(c) => diesel::sql_query(format!("SELECT {call}({MIGRATION_LOCK})"))
            .execute(c)
            .map(drop)
            .map_err(|e| format!("migration lock: {e}")),
        Conn::Sqlite(_) => Ok(()),
    };
    advisory(conn, "pg_advisory_lock")?;
    let result = work(conn);
    let unlocked = advisory(conn, "pg_advisory_unlock");
    let value = result?;
    unlocked.map(|()| value)
}

/// True when the schema is at the newest migration this binary knows.
pub fn is_migrated(conn: &mut Conn) -> bool {
    let pending = match conn {
        Conn::Sqlite(c) => c.has_pending_migration(SQLITE_MIGRATIONS),
        Conn::Postgres(c) => c.has_pending_migration(POSTGRES_MIGRATIONS),
    };
    matches!(pending, Ok(false))
}

/// Names of the migrations each backend embeds, so a test can check that both folders agree.
pub fn migration_names() -> (Vec<String>, Vec<String>) {
    use diesel::migration::MigrationSource;
    let names = |m: &EmbeddedMigrations| -> Vec<String> {
        MigrationSource::<diesel::sqlite::Sqlite>::migrations(m)
            .map(|list| list.iter().map(|m| m.name().to_string()).collect())
            .unwrap_or_default()
    };
    (names(&SQLITE_MIGRATIONS), names(&POSTGRES_MIGRATIONS))
}

/// Runs blocking database work on the blocking thread pool, with a pooled connection.
pub async fn run<T, F>(pool: &Pool, work: F) -> Result<T, AppError>
where
    F: FnOnce(&mut Conn) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = checkout(&pool)?;
        work(&mut conn)
    })
    .await
    .map_err(|e| AppError::Internal(format!("blocking task failed: {e}")))?
}

/// Longest a request keeps its place while every connection is busy with other requests.
pub const BUSY_WAIT: Duration = Duration::from_secs(30);

/// Borrows a connection. While the pool cannot open one (the database is away) the wait ends
/// after `database.checkout_timeout_ms` with 503; while every connection is busy serving other
/// requests (a rush of registrations) the request keeps waiting, up to `BUSY_WAIT`.
pub fn checkout(pool: &Pool) -> Result<diesel::r2d2::PooledConnection<Manager>, AppError> {
    let started = std::time::Instant::now();
    loop {
        match pool.get() {
            Ok(conn) => return Ok(conn),
            Err(e) => {
                // Every connection open means the database answers and the others are serving
                // requests; one may have come back just as this wait ended (idle > 0), so try
                // again. Fewer open than the pool's size means new ones cannot be opened: 503.
                let busy = pool.state().connections >= pool.max_size();
                if !busy || started.elapsed() >= BUSY_WAIT {
                    return Err(AppError::Unavailable(e.to_string()));
                }
            }
        }
    }
}

/// Runs `work` in one write transaction, retried on lock, serialization and deadlock errors.
///
/// SQLite takes the write lock at `BEGIN IMMEDIATE`, so two writers never both read and then
/// collide; PostgreSQL runs at READ COMMITTED and the store takes row or advisory locks.
pub fn write<T>(
    conn: &mut Conn,
    mut work: impl FnMut(&mut Conn) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let mut attempt = 0u32;
    loop {
        match write_once(conn, &mut work) {
            Err(e) if e.is_transient() && attempt < 10 => {
                attempt += 1;
                let base = 5u64 << attempt.min(6);
                let jitter = rand::rng().random_range(0..=base);
                tracing::debug!(attempt, error = %e, "retrying a transaction");
                std::thread::sleep(Duration::from_millis(base + jitter));
            }
            result => return result,
        }
    }
}

/// Like `write`, but joins the transaction already open on this connection instead of nesting one.
pub fn write_or_join<T>(
    conn: &mut Conn,
    work: impl FnMut(&mut Conn) -> Result<T, AppError>,
) -> Result<T, AppError> {
    if in_transaction(conn) {
        let mut work = work;
        work(conn)
    } else {
        write(conn, work)
    }
}

/// True while a transaction is open on this connection.
pub fn in_transaction(conn: &mut Conn) -> bool {
    use diesel::connection::TransactionManagerStatus;
    let status = match conn {
        Conn::Sqlite(c) => AnsiTransactionManager::transaction_manager_status_mut(c),
        Conn::Postgres(c) => AnsiTransactionManager::transaction_manager_status_mut(c),
    };
    matches!(status, TransactionManagerStatus::Valid(v) if v.transaction_depth().is_some())
}

fn write_once<T>(
    conn: &mut Conn,
    work: &mut impl FnMut(&mut Conn) -> Result<T, AppError>,
) -> Result<T, AppError> {
    match conn {
        // SQLite refuses BEGIN IMMEDIATE only when another writer held the lock past
        // busy_timeout (or on I/O failure): a busy database, worth a retry.
        Conn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")
            .map_err(|e| AppError::Database(failure::DbError::Busy(e)))?,
        Conn::Postgres(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN")?,
    }
    match work(conn) {
        Ok(value) => {
            <Conn as Connection>::TransactionManager::commit_transaction(conn)?;
            COMMITS.fetch_add(1, std::sync::atomic::Ordering::Release);
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) =
                <Conn as Connection>::TransactionManager::rollback_transaction(conn)
            {
                tracing::warn!(error = %rollback, "rollback failed");
            }
            Err(e)
        }
    }
}

/// Write transactions committed by this process (any pool). The public-page cache reads it to
/// know that a change made here may have bumped the public generation (see `crate::cache`).
pub static COMMITS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Truncates an instant to whole microseconds, the precision PostgreSQL keeps.
pub fn micros(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    use chrono::{SubsecRound, Timelike};
    let at = at.naive_utc();
    at.with_nanosecond(at.nanosecond() / 1000 * 1000)
        .unwrap_or_else(|| at.trunc_subsecs(6))
}
