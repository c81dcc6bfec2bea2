//! HTML of registrations by hand: the form to register someone, and one registration's page
//! with its edit form and actions. Errors come back beside their fields with what was typed.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::service;
use crate::access::Organiser;
use crate::db;
use crate::error::{AppError, FieldErrors};
use crate::registrations::domain::{Category, Gender};
use crate::registrations::input::{RegistrationInput, FORM_FIELDS};
use crate::registrations::service::session_and_meeting;
use crate::registrations::views::{form_pairs, registration_values, render_page, SessionLine};
use crate::state::AppState;
use crate::web::{see_other, PageError};

/// The form's choices and the values shown (every field present, so the template compares).
fn choices(conn: &mut db::Conn, values: Value) -> Result<Value, AppError> {
    let countries: Vec<Value> = crate::countries::store::all(conn)?
        .into_iter()
        .map(|c| json!({"code": c.alpha2, "name": c.name}))
        .collect();
    let mut v: serde_json::Map<String, Value> = FORM_FIELDS
        .iter()
        .map(|f| (f.to_string(), json!("")))
        .collect();
    if let Value::Object(given) = values {
        v.extend(given);
    }
    Ok(json!({
        "countries": countries, "v": v,
        "categories": Category::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "genders": Gender::ALL.iter().map(|g| g.as_str()).collect::<Vec<_>>(),
    }))
}

fn new_context(
    conn: &mut db::Conn,
    id: &str,
    values: Value,
    errors: &FieldErrors,
) -> Result<Value, AppError> {
    let (session, meeting) = session_and_meeting(conn, id)?;
    let mut context = choices(conn, values)?;
    context["s"] = json!(SessionLine::of(&session, &meeting));
    context["remote"] = json!(session.fields.remote_capacity > 0);
    context["errors"] = json!(errors);
    Ok(context)
}

/// The form to register a delegate on their behalf.
pub async fn new_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    _o: Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let values = json!({"attendance": "in_person"});
    let context = db::run(&state.pool, move |conn| {
        new_context(conn, &id, values, &FieldErrors::new())
    })
    .await?;
    Ok(render_page(&req, "registrations/byhand_new.html", context)?)
}

/// Registers the delegate: to their registration's page, or the form again with its errors.
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form: BTreeMap<String, String> = form_pairs(&body).into_iter().collect();
    let (ctx, input, sid) = (state.ctx(), RegistrationInput::from_form(&form), id.clone());
    let result = db::run(&state.pool, move |conn| {
        service::register_for(conn, &ctx, &user, &sid, input)
    })
    .await;
    let (errors, status) = match result {
        Ok(r) => {
            return Ok(see_other(&format!(
                "/registrations/{}/manage?done=created",
                r.id
            )))
        }
        Err(AppError::Invalid(errors)) => (errors, StatusCode::UNPROCESSABLE_ENTITY),
        Err(other) => return Err(other.into()),
    };
    let values = json!(form);
    let context = db::run(&state.pool, move |conn| {
        new_context(conn, &id, values, &errors)
    })
    .await?;
    let mut response = render_page(&req, "registrations/byhand_new.html", context)?;
    *response.status_mut() = status;
    Ok(response)
}

/// What a redirect after an action may say happened (anything else in `?done=` is ignored).
const DONE: [&str; 5] = ["created", "edited", "cancelled", "promoted", "resent"];

/// One registration's page: its facts, the edit form and the actions.
async fn manage_page(
    state: &AppState,
    req: &HttpRequest,
    id: String,
    typed: Option<Value>,
    (errors, notice): (FieldErrors, Option<String>),
) -> Result<HttpResponse, PageError> {
    let context = db::run(&state.pool, move |conn| {
        let (r, position) = service::find(conn, &id)?;
        let (session, meeting) = session_and_meeting(conn, &r.session_id)?;
        let mut values = registration_values(&r, position);
        values["stakeholder_category"] = json!(r.delegate.category);
        values["gender"] = json!(r.delegate.gender);
        values["accessibility_needs"] = json!(r.delegate.accessibility_needs);
        let mut context = choices(conn, typed.unwrap_or_else(|| values.clone()))?;
        let country = r.delegate.country.clone();
        values["country_name"] = context["countries"]
            .as_array()
            .and_then(|all| all.iter().find(|c| c["code"] == country.as_str()))
            .map(|c| c["name"].clone())
            .unwrap_or_else(|| json!(country));
        context["r"] = values;
        context["s"] = json!(SessionLine::of(&session, &meeting));
        context["errors"] = json!(errors);
        context["notice"] = json!(notice);
        Ok(context)
    })
    .await?;
    let mut context = context;
    let done = web::Query::<BTreeMap<String, String>>::from_query(req.query_string())
        .map(|q| q.get("done").cloned())
        .unwrap_or_default()
        .filter(|d| DONE.contains(&d.as_str()));
    context["done"] = json!(done);
    context["edit"] = json!(true);
    Ok(render_page(
        req,
        "registrations/byhand_manage.html",
        context,
    )?)
}

/// The organiser's page of one registration.
pub async fn manage(
    state: web::Data<AppState>,
    req: HttpRequest,
    _o: Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    manage_page(
        &state,
        &req,
        id.into_inner(),
        None,
        (FieldErrors::new(), None),
    )
    .await
}

/// Saves corrected details: back to the page, or the page with the errors beside the fields.
pub async fn edit(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form: BTreeMap<String, String> = form_pairs(&body).into_iter().collect();
    let (ctx, input, rid) = (state.ctx(), RegistrationInput::from_form(&form), id.clone());
    let result = db::run(&state.pool, move |conn| {
        service::edit(conn, &ctx, &user, &rid, input)
    })
    .await;
    let (errors, notice, status) = match result {
        Ok(_) => {
            return Ok(see_other(&format!(
                "/registrations/{id}/manage?done=edited"
            )))
        }
        Err(AppError::Invalid(errors)) => (errors, None, StatusCode::UNPROCESSABLE_ENTITY),
        Err(AppError::Conflict(detail, _)) => {
            (FieldErrors::new(), Some(detail), StatusCode::CONFLICT)
        }
        Err(other) => return Err(other.into()),
    };
    let mut response = manage_page(
        &state,
        &req,
        id.into_inner(),
        Some(json!(form)),
        (errors, notice),
    )
    .await?;
    *response.status_mut() = status;
    Ok(response)
}

/// Runs one action on a registration: back to its page saying what happened, or the page with
/// why it was refused (409).
async fn act(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: String,
    done: &str,
    action: impl FnOnce(&mut db::Conn, &crate::effects::Ctx) -> Result<(), AppError> + Send + 'static,
) -> Result<HttpResponse, PageError> {
    let ctx = state.ctx();
    match db::run(&state.pool, move |conn| action(conn, &ctx)).await {
        Ok(()) => Ok(see_other(&format!(
            "/registrations/{id}/manage?done={done}"
        ))),
        Err(AppError::Conflict(detail, _)) => {
            let mut response =
                manage_page(&state, &req, id, None, (FieldErrors::new(), Some(detail))).await?;
            *response.status_mut() = StatusCode::CONFLICT;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// Cancels the registration on the delegate's behalf.
pub async fn withdraw(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let rid = id.clone();
    act(
        state,
        req,
        id.into_inner(),
        "cancelled",
        move |conn, ctx| service::withdraw(conn, ctx, &user, &rid).map(|_| ()),
    )
    .await
}

/// Moves the registration from the waiting list to a seat.
pub async fn promote(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let rid = id.clone();
    act(state, req, id.into_inner(), "promoted", move |conn, ctx| {
        service::promote(conn, ctx, &user, &rid).map(|_| ())
    })
    .await
}

/// Revokes the delegate's link and emails a fresh one.
pub async fn resend(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let rid = id.clone();
    act(state, req, id.into_inner(), "resent", move |conn, ctx| {
        let actor = crate::audit::Actor::User(user.id.clone());
        crate::registrations::service::resend_link(conn, ctx, &actor, &rid).map(|_| ())
    })
    .await
}
