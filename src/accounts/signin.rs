//! Checking email and password for the sign-in page and the token API, under the rate limits.

use chrono::Utc;

use super::store;
use super::store::UserRow;
use crate::access::domain;
use crate::config::Settings;
use crate::db::Conn;
use crate::error::AppError;
use crate::security::limits::{self, Backoff, Limit};
use crate::security::secrets;

/// Checks email and password and answers the account. An unknown email and a wrong password
/// answer the same 401 after the same argon2 work (the decoy hash).
///
/// Nobody can lock an account: attempts are counted per account and client address together,
/// and past `limits.sign_in_per_account` of them each further attempt from that address waits a
/// growing time (429 with Retry-After until it has passed); the right password from another
/// address is never refused. Past `limits.sign_in_per_address` failures from one address, across
/// accounts, that address gets 429 until the window closes.
///
/// Every attempt is counted first, so concurrent guesses cannot slip past the limit; a success
/// clears the pair's counter and gives the address its attempt back.
pub fn verify(
    conn: &mut Conn,
    settings: &Settings,
    decoy: &str,
    email: &str,
    password: &str,
    address: &str,
) -> Result<UserRow, AppError> {
    let email = domain::normalise_email(email);
    let limited = settings.limits.enabled;
    let pair = limits::pair(&email, address);
    if limited {
        let now = Utc::now();
        let backoff = Backoff::sign_in(&settings.limits);
        limits::attempt(conn, limits::SIGN_IN_PAIR, &pair, backoff, now)?;
        let by_address = Limit::sign_in_address(&settings.limits);
        limits::hit(conn, limits::SIGN_IN_ADDRESS, address, by_address, now)?;
    }
    let row = store::find_by_email(conn, &email)?;
    let stored = row
        .as_ref()
        .filter(|r| r.active)
        .and_then(|r| r.password_hash.clone());
    let matches =
        secrets::verify_password(&settings.auth, password, stored.as_deref().unwrap_or(decoy));
    match row {
        Some(row) if matches && stored.is_some() => {
            if limited {
                crate::security::store::clear(conn, limits::SIGN_IN_PAIR, &pair)?;
                crate::security::store::give_back(conn, limits::SIGN_IN_ADDRESS, address)?;
            }
            Ok(row)
        }
        _ => Err(AppError::Unauthorized),
    }
}
