//! Performance and scale-out: public reads served from memory with stable validators,
//! invalidated exactly when public content changes, also across instances.

mod cache;
mod durable;
mod export;
mod instances;
mod queries;
mod statistics;
mod world;
