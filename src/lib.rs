//! `seminars`: the service that runs the sessions and seminars held alongside ITU-D Study Group 1
//! and Rapporteur Group meetings on cybersecurity capacity building (Question 22-1/1).

pub mod access;
pub mod accounts;
pub mod agendas;
pub mod app;
pub mod audit;
pub mod bookings;
pub mod cache;
pub mod calendar;
pub mod capability;
pub mod cli;
pub mod config;
pub mod countries;
pub mod db;
pub mod edge;
pub mod effects;
pub mod error;
pub mod feeds;
pub mod holds;
pub mod i18n;
pub mod input;
pub mod links;
pub mod mail;
pub mod meetings;
pub mod openapi;
pub mod ops;
pub mod rapporteurs;
pub mod registrations;
pub mod rooms;
pub mod security;
pub mod sessions;
pub mod speakers;
pub mod state;
pub mod web;
pub mod wire;
// workspace
pub mod workspace;
