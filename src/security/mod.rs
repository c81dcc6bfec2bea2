//! Web security: the cookie session, CSRF tokens, rate limits, secrets and hashes.

pub mod csrf;
pub mod limits;
pub mod secrets;
pub mod session;
