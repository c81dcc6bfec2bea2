//! JSON handlers for accounts: tokens, the caller's own account, and admins inviting users,
//! listing them and signing them out everywhere.

use std::collections::BTreeSet;

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::service;
use super::users::{self, Invitation};
use crate::access::domain::{FocalScope, Role, User};
use crate::access::{Admin, Staff};
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{Check, Field, ListOf, Paging};
use crate::state::AppState;

/// Email and password, exchanged for a bearer token.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    #[serde(default)]
    #[schema(value_type = String)]
    pub email: Field<String>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub password: Field<String>,
}

/// A bearer token for the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenAnswer {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// The signed-in account.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeAnswer {
    pub id: String,
    pub email: String,
    pub name: String,
    pub roles: Vec<crate::access::domain::Role>,
}

/// Exchanges email and password for a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "accounts",
    request_body = TokenRequest,
    responses((status = 200, body = TokenAnswer), (status = 401, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem, description = "Too many failed attempts for the account or from the address; see Retry-After")))]
pub async fn token(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<TokenRequest>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let mut check = Check::new();
    let email = check.required("email", body.email);
    let password = check.required("password", body.password);
    check.finish()?;
    let (email, password) = (email.unwrap_or_default(), password.unwrap_or_default());
    let (settings, decoy) = (state.settings.clone(), state.decoy_hash.clone());
    let address = crate::security::limits::address(&req);
    let issued = db::run(&state.pool, move |conn| {
        let row = super::signin::verify(conn, &settings, &decoy, &email, &password, &address)?;
        service::token_for(conn, &settings.auth, &row.id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TokenAnswer {
        token: issued.token,
        expires_at: issued.expires_at,
    }))
}

/// The account the bearer token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = MeAnswer), (status = 401, body = Problem)))]
pub async fn me(Staff(user): Staff) -> HttpResponse {
    HttpResponse::Ok().json(MeAnswer {
        id: user.id,
        email: user.email,
        name: user.name,
        roles: user.roles.into_iter().collect(),
    })
}

/// A new account: who, with which roles, and for a focal point the administration or entity.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    #[serde(default)]
    #[schema(value_type = String)]
    pub email: Field<String>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub name: Field<String>,
    /// organiser, rapporteur, focal_point, admin.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub roles: Field<Vec<String>>,
    /// `{"country": "KE"}` or `{"entity": "..."}`; required for a focal point.
    #[serde(default)]
    #[schema(value_type = Option<FocalScope>)]
    pub focal_point_scope: Field<FocalScope>,
}

/// An account as admins see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub focal_point_scope: Option<FocalScope>,
    /// False until the invitee has set a password from the emailed link.
    pub has_password: bool,
    pub active: bool,
}

impl UserView {
    /// The view of an account.
    pub fn of(user: &User, has_password: bool, active: bool) -> UserView {
        UserView {
            id: user.id.clone(),
            email: user.email.clone(),
            name: user.name.clone(),
            roles: user.roles.iter().copied().collect(),
            focal_point_scope: user.focal_scope(),
            has_password,
            active,
        }
    }
}

/// Reads roles by name, naming the unknown ones.
pub fn parse_role_names(check: &mut Check, names: &[String]) -> BTreeSet<Role> {
    let mut roles = BTreeSet::new();
    for name in names {
        match Role::parse(name.trim()) {
            Some(role) => {
                roles.insert(role);
            }
            None => check.fail(
                "roles",
                format!("{name:?} is not a role (organiser, rapporteur, focal_point, admin)"),
            ),
        }
    }
    roles
}

impl UserInput {
    /// The invitation, or a 422 naming every field at fault.
    pub fn into_invitation(self) -> Result<Invitation, AppError> {
        let mut check = Check::new();
        let email = check.required("email", self.email);
        let name = check.required("name", self.name);
        let names = check.required("roles", self.roles).unwrap_or_default();
        let roles = parse_role_names(&mut check, &names);
        let scope = check.optional("focal_point_scope", self.focal_point_scope);
        check.finish()?;
        let mut invitation = Invitation {
            email: email.unwrap_or_default(),
            name: name.unwrap_or_default(),
            roles,
            scope,
        };
        users::check_invitation(&mut invitation)?;
        Ok(invitation)
    }
}

/// Invites a user: the account is created without a password and its holder is emailed a
/// single-use link to set one.
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = UserInput,
    responses((status = 201, body = UserView), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem, description = "An account with this email exists"), (status = 422, body = Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    body: web::Json<UserInput>,
) -> Result<HttpResponse, AppError> {
    let invitation = body.into_inner().into_invitation()?;
    let settings = state.settings.clone();
    let actor = Actor::User(admin.id);
    let user = db::run(&state.pool, move |conn| {
        users::invite(conn, &settings, &actor, invitation)
    })
    .await?;
    Ok(HttpResponse::Created().json(UserView::of(&user, false, true)))
}

/// Lists accounts by email.
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", params(Paging),
    responses((status = 200, body = ListOf<UserView>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    _admin: Admin,
    paging: web::Query<Paging>,
) -> Result<HttpResponse, AppError> {
    let (limit, offset) = paging.checked()?;
    let (items, total) = db::run(&state.pool, move |conn| users::list(conn, limit, offset)).await?;
    let items = items
        .iter()
        .map(|l| UserView::of(&l.user, l.has_password, l.active))
        .collect();
    Ok(HttpResponse::Ok().json(ListOf { items, total }))
}

/// Ends every browser session of an account, on every instance, and revokes its API tokens
/// (a lost laptop, a leaked token). The account keeps its password and roles.
#[utoipa::path(post, path = "/api/v1/users/{id}/sign-out-everywhere", tag = "accounts",
    params(("id" = String, Path)),
    responses((status = 200, body = UserView), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn sign_out_everywhere(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::User(admin.id);
    let listed = db::run(&state.pool, move |conn| {
        super::service::sign_out_everywhere(conn, &actor, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(UserView::of(
        &listed.user,
        listed.has_password,
        listed.active,
    )))
}
