//! The reminder confirmed delegates get before their session (`[reminders]` in the settings):
//! the time in the meeting's zone, the room and its location, or the join link for remote
//! attendance. Never twice: the claim is recorded in the transaction that queues the email.
//! Run by the server every few minutes and by `seminars reminders send`.

pub mod domain;
pub mod notices;
pub mod service;
pub mod store;
