//! Web security: the cookie session, CSRF tokens, rate limits, trusted proxies, request body
//! deadlines, secrets and hashes.

pub mod csrf;
pub mod deadline;
pub mod limits;
pub mod proxies;
pub mod secrets;
pub mod session;
pub mod store;
