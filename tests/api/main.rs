//! One integration-test binary, so the suite links once.

mod support;

mod accounts;
mod agendas;
mod calendar;
mod cli;
mod countries;
mod delivery;
mod dst;
mod edge;
mod errors;
mod mail;
mod meetings;
mod openapi;
mod ops;
mod outbox;
mod pages;
mod registrations;
mod sessions;
// rooms
mod rooms;
mod worker;

mod a11y;
mod access_audit;
mod architecture;
mod browser;
mod browser_pages;
mod csrf;
mod limits;
mod locks;
mod permissions;
mod permissions_table;
mod signin;
mod signout;
mod skips;
mod speakers;
mod users;
// workspace
mod workspace;
// perf
mod perf;
