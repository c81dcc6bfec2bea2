//! Passwords (argon2id) and random tokens, of which only hashes are stored.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::config::AuthSettings;

/// The argon2id hasher with the configured cost.
pub fn hasher(settings: &AuthSettings) -> Argon2<'static> {
    let params = Params::new(
        settings.argon2_memory_kib,
        settings.argon2_iterations,
        settings.argon2_parallelism,
        None,
    )
    .unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string with a fresh salt.
pub fn hash_password(settings: &AuthSettings, password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    hasher(settings)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// True when the password matches the stored PHC string (its own parameters are used).
pub fn verify_password(settings: &AuthSettings, password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            hasher(settings)
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A PHC hash of a random password, verified against when the email is unknown, so that
/// an unknown email and a wrong password take the same time.
pub fn decoy_hash(settings: &AuthSettings) -> String {
    hash_password(settings, &new_token()).unwrap_or_default()
}

/// A new secret token: 256 random bits, URL-safe hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The stored form of a token: its SHA-256, hex. Tokens are random, so no salt is needed.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> AuthSettings {
        let mut settings = crate::config::Settings::defaults().unwrap().auth;
        settings.argon2_memory_kib = 1024;
        settings.argon2_iterations = 1;
        settings
    }

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash_password(&cheap(), "correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&cheap(), "correct horse battery", &hash));
        assert!(!verify_password(&cheap(), "wrong horse battery", &hash));
        assert!(!verify_password(&cheap(), "x", "not a hash"));
    }

    #[test]
    fn tokens_are_long_random_and_stored_only_as_hashes() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    /// Measures one sign-in's password check with the shipped cost:
    /// `cargo test --release --lib verification_cost -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn verification_cost_with_the_default_parameters() {
        let settings = crate::config::Settings::defaults().unwrap().auth;
        let hash = hash_password(&settings, "tomato basket under the bridge").unwrap();
        let mut times: Vec<f64> = (0..20)
            .map(|_| {
                let start = std::time::Instant::now();
                assert!(verify_password(
                    &settings,
                    "tomato basket under the bridge",
                    &hash
                ));
                start.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "verify_password: median {:.1} ms (min {:.1}, max {:.1})",
            times[10], times[0], times[19]
        );
    }
}
