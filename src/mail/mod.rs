//! Mail: the transactional outbox, message building, templates and calendar invitations.

pub mod compose;
pub mod invitations;
pub mod message;
pub mod outbox;
