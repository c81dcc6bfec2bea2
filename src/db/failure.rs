//! Database failures, classified once where diesel hands them over, by the kind diesel reports
//! (never by message text), so the rest of the service matches on what went wrong.
//!
//! diesel reports no kind for a PostgreSQL deadlock or a busy SQLite database. Deadlocks are
//! avoided by taking locks in one order (see the stores' `lock` functions); a busy SQLite database
//! can only refuse `BEGIN IMMEDIATE`, which `db::write` classifies as `Busy` by where it failed.

use diesel::result::{DatabaseErrorKind, Error};

/// What went wrong, with diesel's error kept as the cause.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("no such record")]
    NotFound,
    #[error("a record with these values exists already (constraint {constraint:?})")]
    Unique {
        constraint: Option<String>,
        #[source]
        cause: Error,
    },
    #[error("an exclusion constraint refused the row")]
    Exclusion(#[source] Error),
    #[error("a concurrent transaction won; the work may be retried")]
    Serialization(#[source] Error),
    #[error("the database is busy")]
    Busy(#[source] Error),
    #[error("the database connection was lost")]
    Closed(#[source] Error),
    #[error("database error")]
    Other(#[source] Error),
}

impl DbError {
    /// True when running the same transaction again may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, DbError::Serialization(_) | DbError::Busy(_))
    }
}

impl From<Error> for DbError {
    fn from(e: Error) -> DbError {
        match &e {
            Error::NotFound => DbError::NotFound,
            Error::DatabaseError(kind, info) => match kind {
                DatabaseErrorKind::UniqueViolation => DbError::Unique {
                    constraint: info.constraint_name().map(str::to_string),
                    cause: e,
                },
                DatabaseErrorKind::ExclusionViolation => DbError::Exclusion(e),
                DatabaseErrorKind::SerializationFailure => DbError::Serialization(e),
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand => {
                    DbError::Closed(e)
                }
                _ => DbError::Other(e),
            },
            _ => DbError::Other(e),
        }
    }
}
