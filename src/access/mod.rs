//! Who is calling and what each role may do: roles, scopes, and the extractors that name the caller.

pub mod domain;
pub mod extract;
pub mod gate;

pub use domain::{Role, User};
pub use extract::{Admin, Caller, FocalPoint, Organiser, Staff};
