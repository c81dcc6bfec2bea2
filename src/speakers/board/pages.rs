//! The dispatch board pages: a session's (a tab of its staff page, with the invitation form) and
//! a meeting's; one invitation's details with its travel form. Times in the meeting's zone.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono_tz::Tz;
use serde_json::{json, Value};

use super::domain::{BoardStatus, Filter, Line};
use super::service;
use crate::access::Organiser;
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, FieldErrors};
use crate::speakers::invitations::input::{InviteInput, TravelInput};
use crate::speakers::invitations::service as invitations;
use crate::state::AppState;
use crate::web::{local_span, render_form, see_other, PageError};

fn form_fields(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn get(fields: &[(String, String)], name: &str) -> crate::input::Field<String> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or(crate::input::Field::Missing, |(_, v)| {
            crate::input::Field::Value(v.clone())
        })
}

fn rows(lines: &[Line], tz: Tz) -> Vec<Value> {
    lines
        .iter()
        .map(|l| {
            let mut v = json!(l);
            v["when"] = json!(local_span(tz, l.starts_at, l.ends_at));
            v
        })
        .collect()
}

fn statuses() -> Vec<&'static str> {
    BoardStatus::ALL.iter().map(|s| s.as_str()).collect()
}

/// What the session board shows besides its lines: a refused invitation and its errors.
#[derive(Default)]
struct Redisplay {
    form: Value,
    errors: FieldErrors,
    notice: Option<String>,
    status: Option<StatusCode>,
}

async fn show_session(
    state: &AppState,
    req: &HttpRequest,
    id: String,
    redisplay: Redisplay,
) -> Result<HttpResponse, PageError> {
    let filter: Filter = serde_urlencoded_filter(req.query_string());
    let filters = filter.read().unwrap_or_default();
    let now = state.ctx().now;
    let (session, meeting, lines, speakers) = db::run(&state.pool, move |conn| {
        let (s, m, lines) = service::of_session(conn, &id, now)?;
        let (speakers, _) = crate::speakers::store::search(conn, None, 500, 0)?;
        Ok((s, m, lines, speakers))
    })
    .await?;
    let tz = meeting.timezone;
    let mut slots: Vec<Value> = Vec::new();
    for l in &lines {
        if !slots.iter().any(|s| s["id"] == l.item_id) {
            slots.push(json!({"id": l.item_id, "title": l.item_title, "when": local_span(tz, l.starts_at, l.ends_at)}));
        }
    }
    let shown: Vec<Line> = lines.into_iter().filter(|l| filters.admits(l)).collect();
    let people: Vec<Value> = speakers
        .iter()
        .map(|s| json!({"id": s.id, "name": s.fields.name, "email": s.fields.email}))
        .collect();
    let query = |key: &str| {
        url::form_urlencoded::parse(req.query_string().as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    };
    let (chosen, done) = (query("item"), query("done").filter(|d| d == "invited"));
    let values = json!({"s": {"id": session.id, "title": session.fields.title, "meeting": meeting.title,
            "meeting_id": meeting.id, "when": local_span(tz, session.fields.starts_at, session.fields.ends_at), "timezone": tz.name()},
        "rows": rows(&shown, tz), "slots": slots, "speakers": people, "statuses": statuses(), "q": filter,
        "chosen": chosen, "form": redisplay.form, "errors": redisplay.errors, "notice": redisplay.notice,
        "done": done});
    let mut page = render_form(req, "speakers/board.html", values)?;
    *page.status_mut() = redisplay.status.unwrap_or(StatusCode::OK);
    Ok(page)
}

/// The board's filters from a query string; unknown values are ignored by the page.
fn serde_urlencoded_filter(query: &str) -> Filter {
    let mut filter = Filter::default();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        let v = Some(v.into_owned());
        match k.as_ref() {
            "status" => filter.status = v,
            "min_days" => filter.min_days = v,
            "travel" => filter.travel = v,
            "visa" => filter.visa = v,
            _ => {}
        }
    }
    filter
}

/// The session's dispatch board (a tab of its staff page).
pub async fn session_board(
    state: web::Data<AppState>,
    req: HttpRequest,
    _organiser: Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    show_session(&state, &req, id.into_inner(), Redisplay::default()).await
}

/// Invites a speaker from the board's form: back to the board, or the board with the refusal.
pub async fn invite(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (fields, id) = (form_fields(&body), id.into_inner());
    let item = fields
        .iter()
        .find(|(k, _)| k == "item_id")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let input = InviteInput {
        speaker_id: get(&fields, "speaker_id"),
        role: get(&fields, "role"),
    }
    .read();
    let (ctx, sid) = (state.ctx(), id.clone());
    let done = db::run(&state.pool, move |conn| {
        invitations::invite(conn, &ctx, &user, (&sid, &item), input?)
    })
    .await;
    let form = json!(fields
        .iter()
        .cloned()
        .collect::<std::collections::BTreeMap<_, _>>());
    let redisplay = match done {
        Ok(_) => return Ok(see_other(&format!("/sessions/{id}/speakers?done=invited"))),
        Err(AppError::Invalid(errors)) => Redisplay {
            form,
            errors,
            notice: None,
            status: Some(StatusCode::UNPROCESSABLE_ENTITY),
        },
        Err(AppError::Conflict(detail, _)) => Redisplay {
            form,
            notice: Some(detail),
            status: Some(StatusCode::CONFLICT),
            ..Redisplay::default()
        },
        Err(AppError::NotFound) => Redisplay {
            form,
            notice: Some("no such slot in this session".into()),
            status: Some(StatusCode::NOT_FOUND),
            ..Redisplay::default()
        },
        Err(other) => return Err(other.into()),
    };
    show_session(&state, &req, id, redisplay).await
}

/// The dispatch board across every session of a meeting.
pub async fn meeting_board(
    state: web::Data<AppState>,
    req: HttpRequest,
    _organiser: Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let filter = serde_urlencoded_filter(req.query_string());
    let filters = filter.read().unwrap_or_default();
    let now = state.ctx().now;
    let (meeting, lines) =
        db::run(&state.pool, move |conn| service::of_meeting(conn, &id, now)).await?;
    let shown: Vec<Line> = lines.into_iter().filter(|l| filters.admits(l)).collect();
    let values = json!({"m": {"id": meeting.id, "title": meeting.title, "timezone": meeting.timezone.name()},
        "rows": rows(&shown, meeting.timezone), "statuses": statuses(), "q": filter});
    Ok(render_form(&req, "speakers/meeting_board.html", values)?)
}

async fn show_invitation(
    state: &AppState,
    req: &HttpRequest,
    (id, invitation_id): (String, String),
    (form, errors, status): (Option<Value>, FieldErrors, StatusCode),
) -> Result<HttpResponse, PageError> {
    let f = db::run(&state.pool, move |conn| {
        invitations::of_session(conn, &id, &invitation_id)
    })
    .await?;
    let t = &f.invitation.travel;
    let yn = |v: Option<bool>| v.map_or("", |b| if b { "yes" } else { "no" });
    let travel = form.unwrap_or_else(|| json!({"needs_travel": yn(t.needs_travel), "funded_by": t.funded_by.map(|x| x.as_str()).unwrap_or(""),
        "arrival": t.arrival.map(|d| d.to_string()).unwrap_or_default(), "departure": t.departure.map(|d| d.to_string()).unwrap_or_default(),
        "visa_letter_needed": yn(t.visa_letter_needed), "notes": t.notes}));
    let tz = f.meeting.timezone;
    let values = json!({"s": {"id": f.session.id, "title": f.session.fields.title}, "i": f.invitation,
        "speaker": f.speaker, "slot": {"title": f.slot.title, "when": local_span(tz, f.slot.starts_at, f.slot.ends_at), "timezone": tz.name()},
        "travel": travel, "errors": errors});
    let mut page = render_form(req, "speakers/invitation_staff.html", values)?;
    *page.status_mut() = status;
    Ok(page)
}

/// One invitation's details and travel form, for organisers.
pub async fn invitation(
    state: web::Data<AppState>,
    req: HttpRequest,
    _organiser: Organiser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    show_invitation(
        &state,
        &req,
        path.into_inner(),
        (None, FieldErrors::new(), StatusCode::OK),
    )
    .await
}

/// An organiser saves travel details from the form.
pub async fn travel(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (fields, (id, invitation_id)) = (form_fields(&body), path.into_inner());
    let travel = TravelInput::from_form(&fields).read();
    let (ctx, actor, sid, iid) = (
        state.ctx(),
        Actor::User(user.id),
        id.clone(),
        invitation_id.clone(),
    );
    let saved = db::run(&state.pool, move |conn| {
        invitations::of_session(conn, &sid, &iid)?;
        invitations::set_travel(conn, &ctx, (&iid, &actor), travel?)
    })
    .await;
    match saved {
        Ok(_) => Ok(see_other(&format!("/sessions/{id}/speakers?done=travel"))),
        Err(AppError::Invalid(errors)) => {
            let form: serde_json::Map<String, Value> =
                fields.into_iter().map(|(k, v)| (k, json!(v))).collect();
            let redisplay = (
                Some(Value::Object(form)),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
            show_invitation(&state, &req, (id, invitation_id), redisplay).await
        }
        Err(other) => Err(other.into()),
    }
}
