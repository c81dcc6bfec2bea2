//! Mail: the transactional outbox, message building, templates, calendar invitations and delivery.

pub mod api;
pub mod compose;
pub mod delivery;
pub mod invitations;
pub mod message;
pub mod outbox;
pub mod pages;
pub mod service;
pub mod transport;
pub mod worker;
