//! The speaker's page behind their secret link (no account; made for a phone): the slot in the
//! meeting's zone, confirm, decline with a reason, withdraw, travel details, their calendar feed.
//! A refused form comes back with its errors beside the fields and what was typed kept.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::input::{reason, TravelInput};
use super::service::{self, Full};
use crate::db;
use crate::error::{AppError, FieldErrors};
use crate::holds::service::place;
use crate::state::AppState;
use crate::web::{local_span, render_form, see_other, PageError};

fn form_fields(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// What the page shows after a post that was refused.
#[derive(Default)]
struct Redisplay {
    form: Option<Value>,
    errors: FieldErrors,
    notice: Option<String>,
    status: Option<StatusCode>,
}

impl Redisplay {
    fn after(error: AppError, fields: &[(String, String)]) -> Result<Redisplay, PageError> {
        let form: serde_json::Map<String, Value> =
            fields.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
        match error {
            AppError::Invalid(errors) => Ok(Redisplay {
                form: Some(Value::Object(form)),
                errors,
                notice: None,
                status: Some(StatusCode::UNPROCESSABLE_ENTITY),
            }),
            AppError::Conflict(detail, _) => Ok(Redisplay {
                notice: Some(detail),
                status: Some(StatusCode::CONFLICT),
                ..Redisplay::default()
            }),
            other => Err(other.into()),
        }
    }
}

fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

fn travel_values(f: &Full) -> Value {
    let t = &f.invitation.travel;
    json!({"needs_travel": yes_no(t.needs_travel), "funded_by": t.funded_by.map(|x| x.as_str()).unwrap_or(""),
        "arrival": t.arrival.map(|d| d.to_string()).unwrap_or_default(),
        "departure": t.departure.map(|d| d.to_string()).unwrap_or_default(),
        "visa_letter_needed": yes_no(t.visa_letter_needed), "notes": t.notes})
}

async fn show(
    state: &AppState,
    req: &HttpRequest,
    token: String,
    redisplay: Redisplay,
) -> Result<HttpResponse, PageError> {
    let (ctx, t) = (state.ctx(), token.clone());
    let (f, location) = db::run(&state.pool, move |conn| {
        let f = service::by_token(conn, &ctx, &t)?;
        let location = place(conn, &f.session, &f.meeting)?.in_person();
        Ok((f, location))
    })
    .await?;
    let tz = f.meeting.timezone;
    let done = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "done")
        .map(|(_, v)| v.into_owned())
        .filter(|d| {
            ["confirmed", "declined", "withdrawn", "travel", "listing"].contains(&d.as_str())
        });
    let values = json!({
        "token": token, "name": f.speaker.fields.name, "status": f.invitation.status, "role": f.invitation.role,
        "slot": {"title": f.slot.title, "when": local_span(tz, f.slot.starts_at, f.slot.ends_at), "timezone": tz.name(), "location": location},
        "session": {"id": f.session.id, "title": f.session.fields.title, "meeting": f.meeting.title},
        "reason": f.invitation.reason, "travel": redisplay.form.clone().unwrap_or_else(|| travel_values(&f)),
        "errors": redisplay.errors, "notice": redisplay.notice, "done": done,
        "public_profile": f.speaker.fields.public_profile,
    });
    let mut page = render_form(req, "speakers/invitation.html", values)?;
    *page.status_mut() = redisplay.status.unwrap_or(StatusCode::OK);
    Ok(page)
}

fn back(token: &str, done: &str) -> HttpResponse {
    see_other(&format!("/invitations/{token}?done={done}"))
}

/// The speaker's page.
pub async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    show(&state, &req, token.into_inner(), Redisplay::default()).await
}

/// Runs one answer of the speaker: back to their page, or the page again with what went wrong.
async fn answer(
    state: &AppState,
    req: &HttpRequest,
    (token, done): (String, &str),
    fields: Vec<(String, String)>,
    work: impl FnOnce(&mut db::Conn, &crate::effects::Ctx, &str) -> Result<(), AppError>
        + Send
        + 'static,
) -> Result<HttpResponse, PageError> {
    crate::security::limits::check(state, "secret_link", &crate::security::limits::address(req))
        .await?;
    let (ctx, t) = (state.ctx(), token.clone());
    match db::run(&state.pool, move |conn| work(conn, &ctx, &t)).await {
        Ok(()) => Ok(back(&token, done)),
        Err(e) => show(state, req, token, Redisplay::after(e, &fields)?).await,
    }
}

/// The speaker confirms from their page.
pub async fn confirm(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    answer(
        &state,
        &req,
        (token.into_inner(), "confirmed"),
        Vec::new(),
        |conn, ctx, t| service::confirm(conn, ctx, t).map(|_| ()),
    )
    .await
}

fn field(fields: &[(String, String)], name: &str) -> crate::input::Field<String> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or(crate::input::Field::Missing, |(_, v)| {
            crate::input::Field::Value(v.clone())
        })
}

/// The speaker declines from their page, saying why.
pub async fn decline(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let fields = form_fields(&body);
    let why = reason(field(&fields, "reason"), true);
    answer(
        &state,
        &req,
        (token.into_inner(), "declined"),
        fields,
        move |conn, ctx, t| service::decline(conn, ctx, t, why?.unwrap_or_default()).map(|_| ()),
    )
    .await
}

/// The speaker withdraws from their page.
pub async fn withdraw(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let fields = form_fields(&body);
    let why = reason(field(&fields, "reason"), false);
    answer(
        &state,
        &req,
        (token.into_inner(), "withdrawn"),
        fields,
        move |conn, ctx, t| service::withdraw(conn, ctx, t, why?).map(|_| ()),
    )
    .await
}

/// The speaker saves travel details from their page.
pub async fn travel(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let fields = form_fields(&body);
    let travel = TravelInput::from_form(&fields).read();
    answer(
        &state,
        &req,
        (token.into_inner(), "travel"),
        fields,
        move |conn, ctx, t| service::travel_by_token(conn, ctx, t, travel?).map(|_| ()),
    )
    .await
}

/// The speaker chooses whether the public pages show their bio and photo.
pub async fn listing(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let fields = form_fields(&body);
    let public_profile = fields.iter().any(|(k, _)| k == "public_profile");
    answer(
        &state,
        &req,
        (token.into_inner(), "listing"),
        fields,
        move |conn, ctx, t| {
            let speaker = service::by_token(conn, ctx, t)?.speaker;
            let actor = crate::audit::Actor::Link("speaker", speaker.id.to_string());
            crate::speakers::service::set_listing(conn, ctx, &actor, &speaker.id, public_profile)
                .map(|_| ())
        },
    )
    .await
}
