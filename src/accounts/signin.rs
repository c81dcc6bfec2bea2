//! Checking email and password for the sign-in page and the token API, under the rate limits.

use chrono::Utc;

use super::store;
use super::store::UserRow;
use crate::access::domain;
use crate::config::Settings;
use crate::db::Conn;
use crate::error::AppError;
use crate::security::limits::{self, Limit};
use crate::security::secrets;

/// Checks email and password and answers the account. An unknown email and a wrong password
/// answer the same 401 after the same argon2 work (the decoy hash); past the configured number
/// of attempts for the account or the client address the answer is 429 before any work.
///
/// Every attempt is counted first, so concurrent guesses cannot slip past the limit; a success
/// clears the account's counter and gives the address its attempt back.
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
    if limited {
        let now = Utc::now();
        let account = Limit::sign_in_account(&settings.limits);
        limits::hit(conn, limits::SIGN_IN_ACCOUNT, &email, account, now)?;
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
                limits::clear(conn, limits::SIGN_IN_ACCOUNT, &email)?;
                limits::give_back(conn, limits::SIGN_IN_ADDRESS, address)?;
            }
            Ok(row)
        }
        _ => Err(AppError::Unauthorized),
    }
}
