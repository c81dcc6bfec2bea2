//! The public generation's one row.

use diesel::prelude::*;

use crate::db::schema::public_generation;
use crate::db::Conn;

/// The current public generation (bumped by triggers on every change to public content).
pub fn generation(conn: &mut Conn) -> QueryResult<i64> {
    public_generation::table
        .find(1)
        .select(public_generation::generation)
        .first(conn)
}
