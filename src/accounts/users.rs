//! The account life cycle: inviting users, setting a first password from the emailed link,
//! asking for and completing a password reset.

use std::collections::BTreeSet;

use chrono::{Duration, Utc};
use serde_json::json;
use uuid::Uuid;

use super::notices::{AccountSetup, PasswordReset};
use super::{passwords, store};
use crate::access::domain::{self, format_roles, FocalScope, Role, User};
use crate::audit::Actor;
use crate::config::Settings;
use crate::db::{self, Conn};
use crate::error::AppError;
use crate::input::Check;
use crate::links::Purpose;
use crate::mail::notice::{self, Notice};
use crate::mail::outbox::{self, Email, RecordKind};
use crate::security::secrets;
use crate::web::Lang;

/// What an admin fills in to invite someone.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub email: String,
    pub name: String,
    pub roles: BTreeSet<Role>,
    pub scope: Option<FocalScope>,
}

/// Validates an invitation, naming every field at fault.
pub fn check_invitation(inv: &mut Invitation) -> Result<(), AppError> {
    let mut check = Check::new();
    inv.email = domain::normalise_email(&inv.email);
    if !domain::is_plausible_email(&inv.email) {
        check.fail("email", "is not an email address");
    }
    if let Some(name) = check.valid_line("name", inv.name.clone(), 200) {
        inv.name = name;
    }
    if inv.roles.is_empty() {
        check.fail("roles", "choose at least one role");
    }
    if let Some(FocalScope::Country(code)) = &mut inv.scope {
        *code = code.trim().to_ascii_uppercase();
    }
    if let Err((field, message)) = domain::check_scope(&inv.roles, inv.scope.as_ref()) {
        check.fail(field, message);
    }
    Ok(check.finish()?)
}

/// Creates an account without a password and emails its holder a single-use link to set one.
pub fn invite(
    conn: &mut Conn,
    settings: &Settings,
    actor: &Actor,
    mut inv: Invitation,
) -> Result<User, AppError> {
    check_invitation(&mut inv)?;
    let ttl = Duration::hours(settings.auth.setup_link_hours);
    db::write(conn, |conn| {
        if let Some(FocalScope::Country(code)) = &inv.scope {
            crate::countries::service::require(conn, "focal_point_scope", code)?;
        }
        if store::find_by_email(conn, &inv.email)?.is_some() {
            return Err(AppError::conflict(
                "an account with this email exists already",
            ));
        }
        let now = Utc::now();
        let (country, entity) = match &inv.scope {
            Some(FocalScope::Country(c)) => (Some(c.clone()), None),
            Some(FocalScope::Entity(e)) => (None, Some(e.trim().to_string())),
            None => (None, None),
        };
        let row = store::UserRow {
            id: Uuid::new_v4().to_string(),
            email: inv.email.clone(),
            name: inv.name.clone(),
            password_hash: None,
            roles: format_roles(&inv.roles),
            focal_point_country: country,
            focal_point_entity: entity,
            active: true,
            created_at: db::micros(now),
            updated_at: db::micros(now),
            session_generation: 0,
        };
        store::insert(conn, &row)?;
        let token =
            crate::links::store::issue(conn, Purpose::AccountSetup, &row.id, Some(ttl), now)?;
        let url = format!("{}/account/setup/{token}", settings.base_url());
        let (name, hours) = (row.name.clone(), ttl.num_hours());
        send(conn, settings, &row, &AccountSetup { name, url, hours })?;
        let changes = json!({"email": row.email, "name": row.name, "roles": row.roles,
            "focal_point_country": row.focal_point_country, "focal_point_entity": row.focal_point_entity});
        crate::audit::store::record(conn, actor, "user.invited", "user", &row.id, changes)?;
        Ok(User::from(row))
    })
}

fn send(
    conn: &mut Conn,
    settings: &Settings,
    row: &store::UserRow,
    notice: &impl Notice,
) -> Result<(), AppError> {
    let mail = notice::render(settings, Lang("en"), notice)?;
    let email = Email {
        to_email: row.email.clone(),
        to_name: row.name.clone(),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        calendar: None,
        record_kind: RecordKind::USER,
        record_id: row.id.clone(),
        reply_to: None,
    };
    outbox::enqueue(conn, &settings.public_host(), email)?;
    Ok(())
}

/// Emails a reset link when an active account has this email; answers nothing either way, so
/// the caller cannot tell whether the account exists. Earlier reset links stop working.
pub fn request_reset(conn: &mut Conn, settings: &Settings, email: &str) -> Result<(), AppError> {
    let email = domain::normalise_email(email);
    let ttl = Duration::hours(settings.auth.reset_link_hours);
    db::write(conn, |conn| {
        let Some(row) = store::find_by_email(conn, &email)?.filter(|r| r.active) else {
            return Ok(());
        };
        let now = Utc::now();
        let token =
            crate::links::store::reissue(conn, Purpose::PasswordReset, &row.id, Some(ttl), now)?;
        let url = format!("{}/password-reset/{token}", settings.base_url());
        let (name, hours) = (row.name.clone(), ttl.num_hours());
        send(conn, settings, &row, &PasswordReset { name, url, hours })?;
        let changes = json!({"fields": ["password_reset_link"]});
        crate::audit::store::record(
            conn,
            &Actor::System,
            "user.password_reset_requested",
            "user",
            &row.id,
            changes,
        )
        .map_err(AppError::from)
    })
}

/// The account a live set-up or reset link opens; None (→ 404) for any bad token.
pub fn holder_of(conn: &mut Conn, purpose: Purpose, token: &str) -> Result<Option<User>, AppError> {
    let Some(link) = crate::links::store::resolve(conn, purpose, token, Utc::now())? else {
        return Ok(None);
    };
    Ok(store::find(conn, &link.record_id)?
        .filter(|r| r.active)
        .map(User::from))
}

/// Sets the password of the account a live link opens, and uses the link up. Every other set-up
/// and reset link of the account is revoked, and so are its API tokens; its browser sessions end
/// (the store raises the account's session generation with the password).
pub fn set_password(
    conn: &mut Conn,
    settings: &Settings,
    purpose: Purpose,
    token: &str,
    password: &str,
) -> Result<User, AppError> {
    if holder_of(conn, purpose, token)?.is_none() {
        return Err(AppError::NotFound);
    }
    let problems = passwords::problems(password);
    if !problems.is_empty() {
        let mut check = Check::new();
        problems.into_iter().for_each(|p| check.fail("password", p));
        check.finish()?;
    }
    let hash = secrets::hash_password(&settings.auth, password).map_err(AppError::Internal)?;
    db::write(conn, |conn| {
        let now = Utc::now();
        let link =
            crate::links::store::resolve(conn, purpose, token, now)?.ok_or(AppError::NotFound)?;
        if crate::links::store::consume(conn, &link.id, now)? != 1 {
            return Err(AppError::NotFound);
        }
        let row = store::find(conn, &link.record_id)?
            .filter(|r| r.active)
            .ok_or(AppError::NotFound)?;
        store::set_password(conn, &row.id, &hash, db::micros(now))?;
        crate::links::store::revoke(conn, Purpose::AccountSetup, &row.id, now)?;
        crate::links::store::revoke(conn, Purpose::PasswordReset, &row.id, now)?;
        let tokens = store::delete_tokens_of(conn, &row.id)?;
        let actor = Actor::Link(purpose.as_str(), link.id.clone());
        let changes = json!({"fields": ["password"], "api_tokens_revoked": tokens});
        crate::audit::store::record(conn, &actor, "user.password_set", "user", &row.id, changes)?;
        Ok(User::from(row))
    })
}

/// A page of accounts, by email.
pub fn list(conn: &mut Conn, limit: i64, offset: i64) -> Result<(Vec<Listed>, i64), AppError> {
    let (rows, total) = store::list(conn, limit, offset)?;
    let items = rows.into_iter().map(Listed::of).collect();
    Ok((items, total))
}

/// An account as an admin sees it in the list.
#[derive(Debug, Clone)]
pub struct Listed {
    pub user: User,
    pub has_password: bool,
    pub active: bool,
}

impl Listed {
    /// The listed view of a stored account.
    pub fn of(row: store::UserRow) -> Listed {
        Listed {
            has_password: row.password_hash.is_some(),
            active: row.active,
            user: User::from(row),
        }
    }
}
