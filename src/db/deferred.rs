//! Inserts held back to the end of a batch (see `db::group`) and written there one statement per
//! table: a batch of registrations costs a handful of inserts, not five per registration (on
//! PostgreSQL each statement is a round trip; on SQLite each is a step through the engine).
//!
//! Only a batch's leader opens a deferral, on its own thread, while it runs the batch straight
//! through; everywhere else `insert` writes at once. A row held back is not visible to reads
//! before the flush, so only rows nobody reads back in the same transaction go through here
//! (a new registration, its audit event, link, calendar hold and email). A conflict found at the
//! flush (a duplicate) fails the batch, which then runs again write by write, without deferral.

use std::any::{Any, TypeId};
use std::cell::RefCell;

use diesel::QueryResult;

use super::Conn;

/// Writes rows into a table: on PostgreSQL in one statement (one round trip); on SQLite, which
/// has no round trip to save, one cached statement per row, in the caller's transaction. (Diesel
/// writes several rows at once only through a connection of one backend, not through `Conn`, and
/// on SQLite it would wrap them in a savepoint of their own.)
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::db::Conn::Postgres(c) => diesel::insert_into($table).values($rows).execute(c),
            $crate::db::Conn::Sqlite(c) => $rows.iter().try_fold(0, |n, row| {
                diesel::insert_into($table)
                    .values(row)
                    .execute(c)
                    .map(|one| n + one)
            }),
        }
    };
}
pub(crate) use insert_rows;

/// Most rows one INSERT carries (bounded by the backends' limits on bound parameters).
const CHUNK: usize = 128;

/// The rows of one table held back, and how to write them.
struct Table {
    of: TypeId,
    rows: Box<dyn Any>,
    flush: fn(Box<dyn Any>, &mut Conn) -> QueryResult<()>,
}

struct Rows<R> {
    rows: Vec<R>,
    write: fn(&mut Conn, &[R]) -> QueryResult<usize>,
}

thread_local! {
    /// The tables held back on this thread, in the order of their first row; None outside a
    /// deferral.
    static HELD: RefCell<Option<Vec<Table>>> = const { RefCell::new(None) };
}

/// Whether inserts are held back on this thread (a batch running straight through): a unique
/// conflict a write would look for first is then found when the rows are written, and the batch
/// runs again write by write.
pub fn holding() -> bool {
    HELD.with(|held| held.borrow().is_some())
}

/// Inserts `row` with `write` now, or at the end of the deferral open on this thread.
pub fn insert<R: Any>(
    conn: &mut Conn,
    row: R,
    write: fn(&mut Conn, &[R]) -> QueryResult<usize>,
) -> QueryResult<()> {
    let now = HELD.with(|held| match held.borrow_mut().as_mut() {
        None => Some(row),
        Some(tables) => {
            hold(tables, row, write);
            None
        }
    });
    match now {
        Some(row) => write(conn, std::slice::from_ref(&row)).map(|_| ()),
        None => Ok(()),
    }
}

fn hold<R: Any>(tables: &mut Vec<Table>, row: R, write: fn(&mut Conn, &[R]) -> QueryResult<usize>) {
    let of = TypeId::of::<R>();
    let index = match tables.iter().position(|t| t.of == of) {
        Some(index) => index,
        None => {
            tables.push(Table {
                of,
                rows: Box::new(Rows::<R> {
                    rows: Vec::new(),
                    write,
                }),
                flush: flush_rows::<R>,
            });
            tables.len() - 1
        }
    };
    if let Some(rows) = tables[index].rows.downcast_mut::<Rows<R>>() {
        rows.rows.push(row);
    }
}

fn flush_rows<R: Any>(rows: Box<dyn Any>, conn: &mut Conn) -> QueryResult<()> {
    if let Ok(rows) = rows.downcast::<Rows<R>>() {
        for chunk in rows.rows.chunks(CHUNK) {
            (rows.write)(conn, chunk)?;
        }
    }
    Ok(())
}

/// Runs `work` with this thread's inserts held back, then writes them, table by table in the
/// order of their first row. Nothing is written when `work` fails.
pub fn scope<T, E: From<diesel::result::Error>>(
    conn: &mut Conn,
    work: impl FnOnce(&mut Conn) -> Result<T, E>,
) -> Result<T, E> {
    let deferral = Deferral::open();
    let value = work(conn)?;
    for table in deferral.take() {
        (table.flush)(table.rows, conn)?;
    }
    Ok(value)
}

/// The deferral open on this thread; closing it (also on a panic) drops what it still holds,
/// so a thread of the blocking pool never carries rows into its next task.
struct Deferral;

impl Deferral {
    fn open() -> Deferral {
        HELD.with(|held| *held.borrow_mut() = Some(Vec::new()));
        Deferral
    }

    /// What is held, the deferral closed: from here on inserts write at once.
    fn take(&self) -> Vec<Table> {
        HELD.with(|held| held.borrow_mut().take())
            .unwrap_or_default()
    }
}

impl Drop for Deferral {
    fn drop(&mut self) {
        HELD.with(|held| *held.borrow_mut() = None);
    }
}
