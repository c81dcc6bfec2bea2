//! CSRF protection: a synchronizer token kept in the session, checked on every unsafe request
//! that a browser could be tricked into sending.
//!
//! Pages always need the token on POST/PUT/PATCH/DELETE (even before signing in, so that nobody
//! can sign a victim into another account); API requests need it only when they carry the
//! session cookie. Requests with `Authorization: Bearer` are exempt: a browser never adds that
//! header by itself. The token comes back as the form field `csrf_token` or the `X-CSRF-Token`
//! header (multipart forms put it in the query string, which is read without buffering the file).

use actix_session::{Session, SessionExt};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use rand::RngCore;
use subtle::ConstantTimeEq;

use crate::error::AppError;
use crate::web::errors::PageError;

const KEY: &str = "csrf";

/// Name of the hidden form field and of the query parameter.
pub const FIELD: &str = "csrf_token";

/// Name of the request header.
pub const HEADER: &str = "x-csrf-token";

/// Largest form body the check reads (bigger forms send the header or the query parameter).
const FORM_LIMIT: usize = 64 * 1024;

/// The session's token, created on first use; put it in every form as `csrf_token`.
pub fn token(session: &Session) -> String {
    match session.get::<String>(KEY) {
        Ok(Some(token)) => token,
        _ => rotate(session),
    }
}

/// The token of a request's session, for templates: `"csrf_token": csrf::of(&req)`.
pub fn of(req: &HttpRequest) -> String {
    token(&req.get_session())
}

/// Replaces the session's token with a new one (at sign-in) and answers it.
pub fn rotate(session: &Session) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let _ = session.insert(KEY, &token);
    token
}

/// True when `sent` equals the session's token, compared in constant time.
pub fn matches(expected: Option<&str>, sent: Option<&str>) -> bool {
    match (expected, sent) {
        (Some(expected), Some(sent)) if !expected.is_empty() => {
            bool::from(expected.as_bytes().ct_eq(sent.as_bytes()))
        }
        _ => false,
    }
}

/// Which requests must prove they come from our own pages.
pub fn needs_check(method: &Method, path: &str, has_bearer: bool, has_cookie: bool) -> bool {
    let unsafe_method = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    unsafe_method && !has_bearer && (has_cookie || !path.starts_with("/api/"))
}

/// The middleware: answers 403 when an unsafe request lacks the session's token.
pub async fn check(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let has_bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    let has_cookie = req.cookie(super::session::COOKIE).is_some();
    if !needs_check(req.method(), req.path(), has_bearer, has_cookie) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    }
    let (http, payload) = req.into_parts();
    let (sent, payload) = sent_token(&http, payload).await;
    let expected = http.get_session().get::<String>(KEY).ok().flatten();
    let req = ServiceRequest::from_parts(http, payload);
    if matches(expected.as_deref(), sent.as_deref()) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    }
    // No path: a path may carry a secret token, and the route is not matched yet here.
    tracing::info!(http.method = %req.method(), "request refused: missing or wrong CSRF token");
    let error: actix_web::Error = if req.path().starts_with("/api/") {
        AppError::Forbidden.into()
    } else {
        PageError(AppError::Forbidden).into()
    };
    Ok(req.error_response(error).map_into_right_body())
}

/// The token the request sent, and the payload to hand on (a read form body is put back).
async fn sent_token(http: &HttpRequest, mut payload: Payload) -> (Option<String>, Payload) {
    if let Some(value) = http.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        return (Some(value.to_string()), payload);
    }
    let content_type = http
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("multipart/form-data") {
        return (form_value(http.query_string().as_bytes()), payload);
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return (None, payload);
    }
    let limited = http.headers().get(header::CONTENT_LENGTH).and_then(|v| {
        v.to_str()
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|n| *n > FORM_LIMIT)
    });
    if limited.is_some() {
        return (None, payload);
    }
    match Bytes::from_request(http, &mut payload).await {
        Ok(body) => {
            let sent = form_value(&body);
            (sent, Payload::from(body))
        }
        Err(_) => (None, Payload::None),
    }
}

fn form_value(form: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(form)
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_identical_token_matches() {
        assert!(matches(Some("abc"), Some("abc")));
        assert!(!matches(Some("abc"), Some("abd")));
        assert!(!matches(Some("abc"), None));
        assert!(!matches(None, Some("abc")));
        assert!(!matches(Some(""), Some("")));
    }

    #[test]
    fn pages_always_need_the_token_and_the_api_only_with_the_cookie() {
        assert!(needs_check(&Method::POST, "/sign-in", false, false));
        assert!(!needs_check(&Method::GET, "/sign-in", false, true));
        assert!(!needs_check(
            &Method::POST,
            "/api/v1/sessions",
            false,
            false
        ));
        assert!(needs_check(&Method::DELETE, "/api/v1/x", false, true));
        assert!(!needs_check(&Method::POST, "/api/v1/x", true, true));
    }
}
