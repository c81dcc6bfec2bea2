//! Use cases of accounts: adding users, issuing API tokens, resolving callers.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use uuid::Uuid;

use super::store;
use crate::access::domain::{self, format_roles, parse_roles, FocalScope, Role, User};
use crate::audit::Actor;
use crate::config::AuthSettings;
use crate::db::{self, Conn};
use crate::error::AppError;
use crate::security::secrets;

/// What `seminars user add` and the admin API ask for.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub roles: BTreeSet<Role>,
    pub password: Option<String>,
    /// The administration or entity of a focal point; required for one, refused for others.
    pub scope: Option<FocalScope>,
}

/// A freshly issued bearer token; the plain token is shown once and never stored.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

impl From<store::UserRow> for User {
    fn from(row: store::UserRow) -> Self {
        User {
            id: row.id,
            email: row.email,
            name: row.name,
            roles: parse_roles(&row.roles),
            focal_point_country: row.focal_point_country,
            focal_point_entity: row.focal_point_entity,
        }
    }
}

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = super::passwords::MIN_CHARS;

/// Adds an account, or updates the name, roles and password of an existing one with that email.
/// A new role or password ends the account's browser sessions; a new password also its API tokens.
pub fn add_user(
    conn: &mut Conn,
    settings: &AuthSettings,
    actor: &Actor,
    new: NewUser,
) -> Result<User, AppError> {
    let email = domain::normalise_email(&new.email);
    if !domain::is_plausible_email(&email) {
        return Err(AppError::invalid("email", "is not an email address"));
    }
    if new.name.trim().is_empty() {
        return Err(AppError::invalid("name", "must not be empty"));
    }
    let (focal_point_country, focal_point_entity) = scope_columns(&new.roles, new.scope)?;
    if let Some(code) = &focal_point_country {
        crate::countries::service::require(conn, "focal_point_scope", code)?;
    }
    let password_hash = match &new.password {
        Some(p) if !super::passwords::problems(p).is_empty() => {
            return Err(AppError::invalid(
                "password",
                super::passwords::problems(p).join("; "),
            ))
        }
        Some(p) => Some(secrets::hash_password(settings, p).map_err(AppError::Internal)?),
        None => None,
    };
    let now = db::micros(Utc::now());
    db::write(conn, |conn| {
        let existing = store::find_by_email(conn, &email)?;
        let row = store::UserRow {
            id: existing
                .as_ref()
                .map(|r| r.id.clone())
                .unwrap_or_else(|| Uuid::new_v4().to_string()),
            email: email.clone(),
            name: new.name.trim().to_string(),
            password_hash: password_hash
                .clone()
                .or_else(|| existing.as_ref().and_then(|r| r.password_hash.clone())),
            roles: format_roles(&new.roles),
            focal_point_country: focal_point_country.clone(),
            focal_point_entity: focal_point_entity.clone(),
            active: true,
            created_at: existing.as_ref().map(|r| r.created_at).unwrap_or(now),
            updated_at: now,
            session_generation: existing.as_ref().map_or(0, |r| r.session_generation),
        };
        let (action, tokens) = match &existing {
            Some(old) => {
                let new_password = password_hash.is_some();
                let ends_sessions = new_password || old.roles != row.roles;
                store::update_account(conn, &row, ends_sessions)?;
                let tokens = if new_password {
                    store::delete_tokens_of(conn, &row.id)?
                } else {
                    0
                };
                ("user.updated", tokens)
            }
            None => {
                store::insert(conn, &row)?;
                ("user.created", 0)
            }
        };
        let mut changes = json!({"email": row.email, "name": row.name, "roles": row.roles,
            "focal_point_country": row.focal_point_country, "focal_point_entity": row.focal_point_entity});
        if tokens > 0 {
            changes["api_tokens_revoked"] = json!(tokens);
        }
        crate::audit::store::record(conn, actor, action, "user", &row.id, changes)?;
        Ok(User::from(row))
    })
}

/// The stored scope columns (country, entity) of an account with these roles, checked as the
/// admin page checks them: a focal point needs exactly one scope, a country code or an entity
/// (whether the country exists is `known_country`'s part, against the table).
pub fn scope_columns(
    roles: &BTreeSet<Role>,
    scope: Option<FocalScope>,
) -> Result<(Option<String>, Option<String>), AppError> {
    let scope = scope.map(|s| match s {
        FocalScope::Country(code) => FocalScope::Country(code.trim().to_ascii_uppercase()),
        FocalScope::Entity(name) => FocalScope::Entity(name.trim().to_string()),
    });
    domain::check_scope(roles, scope.as_ref())
        .map_err(|(field, message)| AppError::invalid(field, message))?;
    Ok(match scope {
        Some(FocalScope::Country(code)) => (Some(code), None),
        Some(FocalScope::Entity(name)) => (None, Some(name)),
        None => (None, None),
    })
}

/// Signs an account out: ends every browser session of it, on every instance (a per-account
/// generation, so a copied cookie stops working too).
pub fn sign_out(conn: &mut Conn, user_id: &str) -> Result<(), AppError> {
    db::write(conn, |conn| {
        store::end_sessions(conn, user_id)?;
        let changes = json!({"session": "ended"});
        let actor = Actor::User(user_id.to_string());
        crate::audit::store::record(conn, &actor, "user.signed_out", "user", user_id, changes)?;
        Ok(())
    })
}

/// An admin's "sign out everywhere": ends every browser session and revokes every API token of
/// an account; the account itself stays as it is.
pub fn sign_out_everywhere(
    conn: &mut Conn,
    actor: &Actor,
    user_id: &str,
) -> Result<super::users::Listed, AppError> {
    db::write(conn, |conn| {
        let row = store::find(conn, user_id)?.ok_or(AppError::NotFound)?;
        store::end_sessions(conn, &row.id)?;
        let tokens = store::delete_tokens_of(conn, &row.id)?;
        let changes = json!({"sessions": "ended", "api_tokens_revoked": tokens});
        crate::audit::store::record(
            conn,
            actor,
            "user.signed_out_everywhere",
            "user",
            &row.id,
            changes,
        )?;
        Ok(super::users::Listed::of(row))
    })
}

/// Checks email and password and issues a bearer token; the same answer for an unknown email
/// and a wrong password, after the same work.
pub fn issue_token(
    conn: &mut Conn,
    settings: &AuthSettings,
    decoy: &str,
    email: &str,
    password: &str,
) -> Result<IssuedToken, AppError> {
    let email = domain::normalise_email(email);
    let row = store::find_by_email(conn, &email)?;
    let stored = row
        .as_ref()
        .filter(|r| r.active)
        .and_then(|r| r.password_hash.clone());
    let matches = secrets::verify_password(settings, password, stored.as_deref().unwrap_or(decoy));
    let (Some(row), true) = (row, matches && stored.is_some()) else {
        return Err(AppError::Unauthorized);
    };
    token_for(conn, settings, &row.id)
}

/// Issues a bearer token for an account whose credentials were checked.
pub fn token_for(
    conn: &mut Conn,
    settings: &AuthSettings,
    user_id: &str,
) -> Result<IssuedToken, AppError> {
    let token = secrets::new_token();
    let now = Utc::now();
    let expires_at = now + Duration::hours(settings.token_ttl_hours);
    let token_row = store::TokenRow {
        id: Uuid::new_v4().to_string(),
        user_id: user_id.to_string(),
        token_hash: secrets::token_hash(&token),
        created_at: db::micros(now),
        expires_at: db::micros(expires_at),
    };
    db::write(conn, |conn| {
        store::purge_expired_tokens(conn, db::micros(now))?;
        store::insert_token(conn, &token_row)?;
        Ok(())
    })?;
    Ok(IssuedToken { token, expires_at })
}

/// The account a bearer token belongs to, if the token is known, unexpired and active.
pub fn user_of_token(conn: &mut Conn, token: &str) -> Result<Option<User>, AppError> {
    let hash = secrets::token_hash(token);
    Ok(store::user_of_token(conn, &hash, db::micros(Utc::now()))?.map(User::from))
}
