//! The staff agenda page of a session (organisers edit, its rapporteurs read) and the item forms.
//! Times are entered and shown in the meeting's zone; a form that fails comes back with each
//! error beside its field and what was typed kept.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use serde_json::json;

use super::agenda_page::{agenda_line, form_fields, kinds, session_line, show_agenda, Redisplay};
use super::service::{self};
use super::{input, views};
use crate::access::{Organiser, Staff, User};
use crate::audit::Actor;
use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::{render_form, see_other, Lang, PageError};

/// The agenda page of a session: organisers edit it, its rapporteurs read it.
pub async fn agenda(
    state: web::Data<AppState>,
    req: HttpRequest,
    Staff(user): Staff,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    show_agenda(&state, &req, user, id.into_inner(), Redisplay::default()).await
}

fn back_to(id: &str) -> HttpResponse {
    see_other(&format!("/sessions/{id}/agenda"))
}

/// Adds an item from the form: back to the agenda, or the form again with its errors.
pub async fn add_item(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (fields, id) = (form_fields(&body), id.into_inner());
    let (actor, ctx, sid, form) = (
        Actor::User(user.id.clone()),
        state.ctx(),
        id.clone(),
        fields.clone(),
    );
    let added = db::run(&state.pool, move |conn| {
        let (_, meeting) = service::session_and_meeting(conn, &sid)?;
        let input = input::from_form(&form, meeting.timezone)?;
        service::add_item(conn, &ctx, &actor, &sid, input)
    })
    .await;
    match added {
        Ok(_) => Ok(back_to(&id)),
        Err(e) => show_agenda(&state, &req, user, id, Redisplay::after(e, &fields)?).await,
    }
}

async fn show_item(
    state: &AppState,
    req: &HttpRequest,
    user: User,
    id: String,
    item_id: String,
    redisplay: Redisplay,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(req);
    let copy = db::run(&state.pool, move |conn| {
        service::working_copy(conn, &user, &id)
    })
    .await?;
    let item = copy
        .items
        .iter()
        .find(|i| i.id.as_str() == item_id)
        .ok_or(AppError::NotFound)?;
    let line = views::line(item, &copy.frame(), lang.0, &[]);
    let values = json!({"s": session_line(&copy), "a": agenda_line(&copy), "item": line,
        "form": redisplay.form.unwrap_or_else(|| json!(line)), "kinds": kinds(lang),
        "errors": redisplay.errors, "notice": redisplay.notice});
    let mut page = render_form(req, "agendas/item.html", values)?;
    *page.status_mut() = redisplay.status.unwrap_or(StatusCode::OK);
    Ok(page)
}

/// The form to change, move or remove one item.
pub async fn item(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, item_id) = path.into_inner();
    show_item(&state, &req, user, id, item_id, Redisplay::default()).await
}

/// Saves an item from its form: back to the agenda, or the form again with its errors.
pub async fn change_item(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (fields, (id, item_id)) = (form_fields(&body), path.into_inner());
    let (actor, ctx, form) = (Actor::User(user.id.clone()), state.ctx(), fields.clone());
    let (sid, iid) = (id.clone(), item_id.clone());
    let changed = db::run(&state.pool, move |conn| {
        let (_, meeting) = service::session_and_meeting(conn, &sid)?;
        let input = input::from_form(&form, meeting.timezone)?;
        service::change_item(conn, &ctx, &actor, &sid, &iid, input)
    })
    .await;
    match changed {
        Ok(_) => Ok(back_to(&id)),
        Err(e) => {
            show_item(
                &state,
                &req,
                user,
                id,
                item_id,
                Redisplay::after(e, &fields)?,
            )
            .await
        }
    }
}

/// Removes an item: back to the agenda (with the refusal when the agenda is submitted).
pub async fn remove_item(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(user): Organiser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, item_id) = path.into_inner();
    let (actor, ctx, sid) = (Actor::User(user.id.clone()), state.ctx(), id.clone());
    let removed = db::run(&state.pool, move |conn| {
        service::remove_item(conn, &ctx, &actor, &sid, &item_id)
    })
    .await;
    match removed {
        Ok(()) => Ok(back_to(&id)),
        Err(e) => show_agenda(&state, &req, user, id, Redisplay::after(e, &[])?).await,
    }
}
