//! `seminars`: the service that runs the sessions and seminars held alongside ITU-D Study Group 1
//! and Rapporteur Group meetings on cybersecurity capacity building (Question 22-1/1).

pub mod app;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod cli;
pub mod config;
pub mod countries;
pub mod db;
pub mod demo;
pub mod edge;
pub mod error;
pub mod feeds;
pub mod i18n;
pub mod input;
pub mod mail;
pub mod meetings;
pub mod openapi;
pub mod ops;
// rooms
pub mod registrations;
pub mod rooms;
pub mod sessions;
pub mod web;
