//! The directory page for organisers (search, add, photo), and the public speaker page with the
//! items an approved programme names them for.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::domain::OrganisationKind;
use super::input::SpeakerInput;
use super::{photos, service};
use crate::access::{Caller, Organiser};
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, FieldErrors};
use crate::input::Paging;
use crate::state::AppState;
use crate::web::{local_span, render, render_form, see_other, Lang, PageError};

fn kinds() -> Vec<&'static str> {
    OrganisationKind::ALL.iter().map(|k| k.as_str()).collect()
}

async fn show_directory(
    state: &AppState,
    req: &HttpRequest,
    (form, errors, notice): (Value, FieldErrors, Option<String>),
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let q = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.into_owned());
    let bounds = Paging::lenient(req.query_string()).bounds();
    let q2 = q.clone();
    let (speakers, total, countries) = db::run(&state.pool, move |conn| {
        let (speakers, total) = service::search(conn, q2.as_deref(), bounds)?;
        Ok((speakers, total, crate::countries::store::all(conn)?))
    })
    .await?;
    let country = |code: &str| {
        countries
            .iter()
            .find(|c| c.alpha2 == code)
            .map_or(code.to_string(), |c| c.name.clone())
    };
    let rows: Vec<Value> = speakers
        .iter()
        .map(|s| json!({"id": s.id, "name": s.fields.name, "email": s.fields.email, "organisation": s.fields.organisation,
            "kind": s.fields.organisation_kind, "country": country(&s.fields.country), "photo": s.photo.is_some(),
            "public_profile": s.fields.public_profile}))
        .collect();
    let options: Vec<Value> = countries
        .iter()
        .map(|c| json!({"code": c.alpha2, "name": c.name}))
        .collect();
    let values = json!({"rows": rows, "total": total, "q": q, "kinds": kinds(), "countries": options,
        "form": form, "errors": errors, "notice": notice});
    let mut page = render_form(req, "speakers/directory.html", values)?;
    *page.status_mut() = status;
    Ok(page)
}

/// The directory: search, the speakers, the form to add one.
pub async fn directory(
    state: web::Data<AppState>,
    req: HttpRequest,
    _organiser: Organiser,
) -> Result<HttpResponse, PageError> {
    let blank = json!({"public_profile": "on", "organisation_kind": "member_state"});
    show_directory(
        &state,
        &req,
        (blank, FieldErrors::new(), None),
        StatusCode::OK,
    )
    .await
}

/// Adds a speaker from the form: back to the directory, or the form again with its errors.
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let input = SpeakerInput::from_form(&fields);
    let (ctx, actor) = (state.ctx(), Actor::User(user.id));
    let created = db::run(&state.pool, move |conn| {
        let fields = service::read(conn, input)?;
        service::create(conn, &ctx, &actor, fields)
    })
    .await;
    let form = json!(fields
        .iter()
        .cloned()
        .collect::<std::collections::BTreeMap<_, _>>());
    match created {
        Ok(s) => Ok(see_other(&format!(
            "/speakers?q={}",
            url::form_urlencoded::byte_serialize(s.fields.email.as_bytes()).collect::<String>()
        ))),
        Err(AppError::Invalid(errors)) => {
            show_directory(
                &state,
                &req,
                (form, errors, None),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Conflict(detail, _)) => {
            show_directory(
                &state,
                &req,
                (form, FieldErrors::new(), Some(detail)),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// Sets a speaker's photo from the directory's upload form (multipart; the CSRF token rides in
/// the query string).
pub async fn upload_photo(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = photos::read_body(payload, photos::body_limit(&state.settings)).await?;
    let file = photos::parts(&content_type, &body)?
        .into_iter()
        .find(|p| p.name == "photo")
        .ok_or_else(|| AppError::invalid("photo", "is required"))?;
    let (ctx, actor) = (state.ctx(), Actor::User(user.id));
    db::run(&state.pool, move |conn| {
        service::set_photo(conn, &ctx, &actor, &id, &file.bytes)
    })
    .await?;
    Ok(see_other("/speakers"))
}

/// A speaker's photo: public when they are listed with it; staff see every photo.
pub async fn photo(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (ctx, staff) = (state.ctx(), caller.is_staff());
    let (bytes, media_type) = db::run(&state.pool, move |conn| {
        service::photo(conn, &ctx, &id, staff)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type(media_type)
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::CONTENT_DISPOSITION, "inline"))
        .body(bytes))
}

/// The public speaker page: name, organisation and country, bio and photo unless they opted
/// out, and their items across sessions once an approved programme names them.
pub async fn public(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let (page, country) = db::run(&state.pool, move |conn| {
        let page = service::public_page(conn, &id)?;
        let country = crate::countries::store::find(conn, &page.speaker.fields.country)?;
        Ok((page, country))
    })
    .await?;
    let s = &page.speaker;
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|(session, meeting, item)| json!({"title": item.title, "session_id": session.id, "session": session.fields.title,
            "meeting": meeting.title, "when": local_span(meeting.timezone, item.starts_at, item.ends_at), "timezone": meeting.timezone.name()}))
        .collect();
    let listed = s.fields.public_profile;
    let values = json!({"name": s.fields.name, "organisation": s.fields.organisation,
        "country": country.map_or(s.fields.country.clone(), |c| c.name),
        "kind": s.fields.organisation_kind, "bio": if listed { s.fields.bio.clone() } else { String::new() },
        "photo": (listed && s.photo.is_some()).then(|| format!("/speakers/{}/photo", s.id)), "items": items});
    Ok(render(lang, "speakers/public.html", values)?)
}
