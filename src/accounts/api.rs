//! JSON handlers for tokens and the caller's own account.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::service;
use crate::access::Staff;
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{Check, Field};
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
