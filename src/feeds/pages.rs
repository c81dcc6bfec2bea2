//! The feed routes: `text/calendar` answers with an ETag, and 304 when the client has it already.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::service::{self, Feed};
use crate::db;
use crate::state::AppState;
use crate::web::PageError;

fn answer(req: &HttpRequest, feed: Feed, cache: &'static str) -> HttpResponse {
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| service::matches(v, &feed.etag));
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, feed.etag))
        .insert_header((header::CACHE_CONTROL, cache));
    if unchanged {
        return response.finish();
    }
    response
        .content_type("text/calendar; charset=utf-8")
        .body(feed.body)
}

/// A session's public calendar (METHOD:PUBLISH).
// cache (perf): rendered once per session, kept until public content changes.
pub async fn session(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (cache, pool) = (state.cache.clone(), state.pool.clone());
    let key = format!("session-feed:{id}");
    crate::cache::http::serve(&cache, &pool, &req, key, || async move {
        let settings = state.settings.clone();
        let feed = db::run(&state.pool, move |conn| {
            service::session_feed(conn, &settings, &id)
        })
        .await?;
        Ok::<_, PageError>(crate::cache::Rendered {
            body: feed.body.into(),
            content_type: "text/calendar; charset=utf-8",
            until: None,
            by_language: false,
        })
    })
    .await
}
// end cache (perf)

/// A delegate's or speaker's own events, behind their secret link.
pub async fn holder(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let ctx = state.ctx();
    let feed = db::run(&state.pool, move |conn| {
        service::holder_feed(conn, &ctx.settings, &token, ctx.now)
    })
    .await?;
    // The URL is a secret: shared caches must not keep it.
    Ok(answer(&req, feed, "private, no-cache"))
}
