//! Answering from the cache: ETag, `If-None-Match` → 304 without rendering, and
//! `Cache-Control` that lets a shared cache help with anonymous reads only.

use std::future::Future;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

use super::{Entry, PublicCache, Rendered};
use crate::db::Pool;
use crate::error::AppError;

/// For anonymous readers: a shared cache (CDN, nginx) may keep it for a second.
pub const PUBLIC: &str = "public, max-age=1";
/// For readers who send a cookie: the same bytes, but no shared cache keeps them.
pub const PRIVATE: &str = "private, no-cache";

/// Serves the copy kept under `key`, rendering it first when there is none for the current
/// public generation. Errors (404 for a draft, …) are never kept.
pub async fn serve<F, Fut, E>(
    cache: &PublicCache,
    pool: &Pool,
    req: &HttpRequest,
    key: String,
    render: F,
) -> Result<HttpResponse, E>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Rendered, E>>,
    E: From<AppError>,
{
    let generation = cache.generation(pool).await?;
    let now = chrono::Utc::now();
    let entry = match cache.get(&key, generation, now) {
        Some(entry) => entry,
        None => cache.put(key, render().await?, generation),
    };
    Ok(answer(req, &entry))
}

/// The response for a kept copy: 304 when the client's `If-None-Match` names its ETag.
pub fn answer(req: &HttpRequest, entry: &Entry) -> HttpResponse {
    let cache_control = if req.headers().contains_key(header::COOKIE) {
        PRIVATE
    } else {
        PUBLIC
    };
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| matches(v, &entry.etag));
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, entry.etag.clone()))
        .insert_header((header::CACHE_CONTROL, cache_control));
    if entry.by_language {
        response.insert_header((header::VARY, "Accept-Language"));
    }
    if unchanged {
        return response.finish();
    }
    response
        .content_type(entry.content_type)
        .body(entry.body.clone())
}

/// True when an `If-None-Match` value (a list, `*`, weak tags) names this ETag.
pub fn matches(if_none_match: &str, etag: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    if_none_match
        .split(',')
        .any(|tag| tag.trim() == "*" || bare(tag) == bare(etag))
}

/// A rendered HTML page in the negotiated language.
pub fn html(body: String, until: Option<chrono::DateTime<chrono::Utc>>) -> Rendered {
    Rendered {
        body: body.into(),
        content_type: "text/html; charset=utf-8",
        until,
        by_language: true,
    }
}

/// A JSON body, the same in every language.
pub fn json(value: &impl serde::Serialize) -> Result<Rendered, AppError> {
    let body = serde_json::to_vec(value)
        .map_err(|e| AppError::Internal(format!("cannot write JSON: {e}")))?;
    Ok(Rendered {
        body: body.into(),
        content_type: "application/json",
        until: None,
        by_language: false,
    })
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn if_none_match_compares_quoted_tags_in_a_list() {
        assert!(matches("\"a\", \"b\"", "\"b\""));
        assert!(matches("W/\"b\"", "\"b\""));
        assert!(matches("*", "\"b\""));
        assert!(!matches("\"a\"", "\"b\""));
        assert!(!matches("b", "\"b\""));
    }
}
