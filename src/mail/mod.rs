//! Mail: building messages; the outbox and its delivery worker follow.

pub mod message;
