//! Rooms and equipment, and their booking for sessions without double-booking or over-reservation.

pub mod api;
pub mod domain;
pub mod grid;
pub mod inventory;
pub mod pages;
pub mod reference;
pub mod reference_store;
pub mod service;
pub mod store;
