//! The admin page of the countries reference list: see it, and replace it with a new CSV.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::service;
use crate::access::Admin;
use crate::audit::Actor;
use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::PageError;
use crate::web::{render_form, Lang};

async fn page(state: &AppState, lang: Lang, extra: Value) -> Result<Value, AppError> {
    let list = db::run(&state.pool, |conn| Ok(super::store::all(conn)?)).await?;
    let countries: Vec<Value> = list
        .iter()
        .map(|c| json!({"alpha2": c.alpha2, "alpha3": c.alpha3, "name": c.name, "group": c.group.as_str()}))
        .collect();
    let count = |g: super::CountryGroup| list.iter().filter(|c| c.group == g).count();
    let mut context = json!({"countries": countries, "developed": count(super::CountryGroup::Developed),
        "developing": count(super::CountryGroup::Developing), "ldc": count(super::CountryGroup::Ldc)});
    let names: serde_json::Map<String, Value> = super::CountryGroup::ALL
        .iter()
        .map(|g| {
            (
                g.as_str().to_string(),
                json!(crate::i18n::text(
                    lang.0,
                    &format!("registration_value_{}", g.as_str())
                )),
            )
        })
        .collect();
    context["l"] = json!({ "v": names });
    if let (Some(base), Value::Object(more)) = (context.as_object_mut(), extra) {
        base.extend(more);
    }
    Ok(context)
}

/// The reference list and the import form.
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    Admin(_): Admin,
) -> Result<HttpResponse, PageError> {
    let context = page(&state, Lang::of(&req), json!({})).await?;
    Ok(render_form(&req, "countries/admin.html", context)?)
}

/// A pasted CSV first shows what it adds, changes and removes, with a confirm button carrying the
/// same CSV; only that confirmation (`confirm=yes`, with the preview's `based_on`) replaces the
/// list. An error shows beside the field with its line; a list changed since the preview is
/// previewed again.
pub async fn import(
    state: web::Data<AppState>,
    req: HttpRequest,
    Admin(user): Admin,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let field = |name: &str| {
        url::form_urlencoded::parse(&body)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let csv = field("csv").unwrap_or_default();
    let confirmed = field("confirm").is_some_and(|v| v == "yes");
    let based_on = field("based_on").unwrap_or_default();
    let actor = Actor::User(user.id);
    let sent = csv.clone();
    let result = db::run(&state.pool, move |conn| {
        if confirmed {
            match service::import(conn, &actor, &sent, Some(&based_on)) {
                Err(AppError::Conflict(..)) => service::preview(conn, &sent).map(|r| (r, true)),
                other => other.map(|r| (r, false)),
            }
        } else {
            service::preview(conn, &sent).map(|r| (r, false))
        }
    })
    .await;
    let (extra, status) = match result {
        Ok((report, _)) if report.applied => (json!({"report": report}), StatusCode::OK),
        Ok((report, stale)) => (
            json!({"preview": report, "csv": csv, "stale": stale}),
            if stale {
                StatusCode::CONFLICT
            } else {
                StatusCode::OK
            },
        ),
        Err(AppError::Invalid(errors)) => (
            json!({"errors": errors, "csv": csv}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(other) => return Err(other.into()),
    };
    let context = page(&state, Lang::of(&req), extra).await?;
    let mut response = render_form(&req, "countries/admin.html", context)?;
    *response.status_mut() = status;
    Ok(response)
}
