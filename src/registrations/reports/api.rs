//! JSON handlers for registrations.

use actix_web::web::Bytes;
use actix_web::{web, HttpResponse};

use super::domain::Stats;
use super::export;
use super::service as reports;
use crate::access::{Organiser, Staff};
use crate::db;
use crate::error::{AppError, Problem};
use crate::input::{ListOf, Paging};
use crate::registrations::views::{ListQuery, RegistrationView};
use crate::state::AppState;

/// A session's registrations: organisers see all, focal points those in their scope.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/registrations", tag = "registrations", params(("id" = String, Path), Paging, ListQuery),
    responses((status = 200, body = ListOf<RegistrationView>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    Staff(user): Staff,
    id: web::Path<String>,
    paging: web::Query<Paging>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let (filter, bounds, organiser) = (query.filter()?, paging.checked()?, user.is_organiser());
    let page = db::run(&state.pool, move |conn| {
        reports::list(conn, &user, &id, filter, bounds)
    })
    .await?;
    let items = page
        .items
        .iter()
        .map(|r| RegistrationView::of(r, page.positions.get(&r.id).copied(), organiser))
        .collect();
    Ok(HttpResponse::Ok().json(ListOf {
        items,
        total: page.total,
    }))
}

/// The same list as CSV, every matching registration, passport details included; streamed a
/// chunk at a time (see `export`).
#[utoipa::path(get, path = "/api/v1/sessions/{id}/registrations.csv", tag = "registrations", params(("id" = String, Path), ListQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn csv(
    state: web::Data<AppState>,
    Organiser(user): Organiser,
    id: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = query.filter()?;
    let name = format!("registrations-{id}.csv");
    // The first chunk is read before answering, so a missing session or a failing database
    // answers with its status instead of a cut-off 200.
    let (export, first) = db::run(&state.pool, move |conn| {
        let mut export = export::start(conn, &user, &id, filter)?;
        let first = export::next(conn, &mut export, export::CHUNK)?;
        Ok((export, first))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .streaming(chunks(state.pool.clone(), export, first)))
}

/// The export's chunks as a body: the first already read, each next one read on the blocking
/// pool when the client has taken the previous. A failure midway ends the body early (logged).
fn chunks(
    pool: db::Pool,
    export: export::Export,
    first: Option<String>,
) -> impl futures_util::Stream<Item = Result<Bytes, AppError>> {
    let first = futures_util::stream::iter(first.map(|text| Ok(Bytes::from(text))));
    let rest = futures_util::stream::unfold(Some(export), move |state| {
        let pool = pool.clone();
        async move {
            let mut export = state?;
            let read = db::run(&pool, move |conn| {
                let text = export::next(conn, &mut export, export::CHUNK)?;
                Ok((export, text))
            })
            .await;
            match read {
                Ok((_, None)) => None,
                Ok((export, Some(text))) => Some((Ok(Bytes::from(text)), Some(export))),
                Err(e) => {
                    tracing::warn!(error = %e, "the registrations export stopped midway");
                    Some((Err(e), None))
                }
            }
        }
    });
    futures_util::StreamExt::chain(first, rest)
}

/// Counts by stakeholder category × country group (in person, remote) and by status.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/registrations/stats", tag = "registrations", params(("id" = String, Path)),
    responses((status = 200, body = Stats), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn stats(
    state: web::Data<AppState>,
    _organiser: Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (_, _, numbers) = db::run(&state.pool, move |conn| reports::stats(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(numbers))
}
