//! The admin page of accounts: the list, the form that invites a user, and "sign out everywhere".

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::api::{parse_role_names, UserView};
use super::users::{self, Invitation};
use crate::access::domain::{FocalScope, Role};
use crate::access::Admin;
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, FieldErrors};
use crate::input::{Check, Paging};
use crate::state::AppState;
use crate::web::render_form;
use crate::web::see_other;
use crate::web::PageError;

#[derive(Deserialize)]
/// The page of the accounts list.
pub struct ListQuery {
    invited: Option<String>,
    signed_out: Option<String>,
}

async fn page(
    state: &AppState,
    req: &HttpRequest,
    offset: i64,
    form: serde_json::Value,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let paging = Paging {
        limit: Some(100),
        offset: Some(offset),
    };
    let (limit, offset) = paging.bounds();
    let (items, total) = db::run(&state.pool, move |conn| users::list(conn, limit, offset)).await?;
    let users: Vec<serde_json::Value> = items
        .iter()
        .map(|l| {
            let keys: Vec<String> = l
                .user
                .roles
                .iter()
                .map(|r| format!("role_{}", r.as_str()))
                .collect();
            let mut view = json!(UserView::of(&l.user, l.has_password, l.active));
            view["role_keys"] = json!(keys);
            view
        })
        .collect();
    let roles: Vec<_> = Role::ALL
        .iter()
        .map(|r| json!({"value": r.as_str(), "key": format!("role_{}", r.as_str())}))
        .collect();
    let more = (offset + limit < total).then_some(offset + limit);
    let values = json!({"users": users, "total": total, "more": more, "roles": roles, "form": form, "errors": errors});
    Ok(render_form(req, "admin/users.html", values)?)
}

/// Every account, with the form to invite another.
pub async fn users_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    _admin: Admin,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let form = json!({"invited": query.invited, "signed_out": query.signed_out, "email": "", "name": "", "roles": [], "scope_kind": "", "scope_value": ""});
    page(
        &state,
        &req,
        Paging::lenient(req.query_string()).offset.unwrap_or(0),
        form,
        FieldErrors::new(),
    )
    .await
}

/// Reads the invitation form (roles come as repeated `roles` fields).
fn read_form(body: &[u8]) -> (Invitation, serde_json::Value, FieldErrors) {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    let one = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let names: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "roles")
        .map(|(_, v)| v.clone())
        .collect();
    let mut check = Check::new();
    let roles = parse_role_names(&mut check, &names);
    let (kind, value) = (one("scope_kind"), one("scope_value"));
    let scope = match kind.as_str() {
        "country" => Some(FocalScope::Country(value.clone())),
        "entity" => Some(FocalScope::Entity(value.clone())),
        _ => None,
    };
    let echo = json!({"invited": null, "email": one("email"), "name": one("name"), "roles": names, "scope_kind": kind, "scope_value": value});
    let errors = match check.finish() {
        Err(crate::input::Invalid(errors)) => errors,
        Ok(()) => FieldErrors::new(),
    };
    (
        Invitation {
            email: one("email"),
            name: one("name"),
            roles,
            scope,
        },
        echo,
        errors,
    )
}

/// Invites a user from the form; errors are shown beside the fields.
pub async fn invite(
    state: web::Data<AppState>,
    req: HttpRequest,
    Admin(admin): Admin,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (invitation, echo, mut errors) = read_form(&body);
    if errors.is_empty() {
        let (settings, actor, email) = (
            state.settings.clone(),
            Actor::User(admin.id),
            invitation.email.clone(),
        );
        let invited = db::run(&state.pool, move |conn| {
            users::invite(conn, &settings, &actor, invitation)
        })
        .await;
        match invited {
            Ok(_) => {
                return Ok(see_other(&format!(
                    "/admin/users?invited={}",
                    url::form_urlencoded::byte_serialize(email.as_bytes()).collect::<String>()
                )))
            }
            Err(AppError::Invalid(found)) => errors = found,
            Err(AppError::Conflict(detail, _)) => {
                errors.insert("email".into(), vec![detail]);
            }
            Err(other) => return Err(other.into()),
        }
    }
    let mut response = page(&state, &req, 0, echo, errors).await?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// Signs an account out everywhere from its button on the list, and says so above it.
pub async fn sign_out_everywhere(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let actor = Actor::User(admin.id);
    let listed = db::run(&state.pool, move |conn| {
        super::service::sign_out_everywhere(conn, &actor, &id)
    })
    .await?;
    let email: String =
        url::form_urlencoded::byte_serialize(listed.user.email.as_bytes()).collect();
    Ok(see_other(&format!("/admin/users?signed_out={email}")))
}
