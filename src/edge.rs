//! Refuses control characters where no request has a use for them, before any handler runs.
//!
//! PostgreSQL refuses a NUL byte in text (SQLite stores it), so a NUL anywhere a handler reads
//! would answer 500, even to anonymous requests. Rather than trust every field of every
//! handler, this middleware looks at what all of them read: the percent-decoded path (any
//! control character answers 404: no route has one), the query string and JSON or form bodies
//! (a control character other than TAB, LF or CR answers 422 naming the parameter or field).
//! Single-line fields refuse LF and CR in their own validation (`input::Check::line`).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use actix_web::{FromRequest, HttpRequest};
use serde_json::Value;

use crate::error::AppError;
use crate::input::{has_forbidden, Check, MESSAGE};
use crate::state::AppState;
use crate::web::errors::PageError;

/// The middleware; see the module's comment.
pub async fn refuse_control_characters(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let refused = if path_has_control(req.path()) {
        Some(AppError::NotFound)
    } else {
        query_errors(req.query_string())
    };
    if let Some(error) = refused {
        return Ok(refuse(req, error));
    }
    let Some(kind) = body_kind(req.request()) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    };
    let (http, mut payload) = req.into_parts();
    let body = match Bytes::from_request(&http, &mut payload).await {
        Ok(body) => body,
        Err(e) => {
            let error = if e.as_response_error().status_code().as_u16() == 413 {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest(format!("could not read the body: {e}"))
            };
            return Ok(refuse(
                ServiceRequest::from_parts(http, Payload::None),
                error,
            ));
        }
    };
    let errors = body_errors(kind, &body);
    let req = ServiceRequest::from_parts(http, Payload::from(body));
    match errors {
        Some(error) => Ok(refuse(req, error)),
        None => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body),
    }
}

/// The kinds of body whose fields handlers read as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Json,
    Form,
}

/// The body's kind when it is worth reading here; a body too large for its extractor is left to
/// the extractor, which answers 413 without this middleware buffering it.
fn body_kind(req: &HttpRequest) -> Option<BodyKind> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())?
        .to_ascii_lowercase();
    let essence = content_type.split(';').next().unwrap_or("").trim();
    let (kind, limit) = if essence == "application/json" || essence.ends_with("+json") {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map_or(64 * 1024, |s| s.settings.server.json_limit_bytes);
        (BodyKind::Json, limit)
    } else if essence == "application/x-www-form-urlencoded" {
        (BodyKind::Form, 256 * 1024)
    } else {
        return None;
    };
    let length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok());
    match length {
        Some(length) if length > limit => None,
        _ => Some(kind),
    }
}

/// The answer to a refused request: problem details under /api/, an HTML page elsewhere.
fn refuse<B>(req: ServiceRequest, error: AppError) -> ServiceResponse<EitherBody<B>> {
    tracing::info!(
        status = error.problem().0.as_u16(),
        "request refused: control characters"
    );
    let error: actix_web::Error = if req.path().starts_with("/api/") {
        error.into()
    } else {
        PageError(error).into()
    };
    req.error_response(error).map_into_right_body()
}

/// True when the percent-decoded path holds any control character (TAB, LF and CR included).
pub fn path_has_control(path: &str) -> bool {
    String::from_utf8_lossy(&percent_decode(path.as_bytes()))
        .chars()
        .any(char::is_control)
}

fn percent_decode(input: &[u8]) -> Vec<u8> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let decoded = match input.get(i..i + 3) {
            Some([b'%', high, low]) => hex(*high).zip(hex(*low)).map(|(h, l)| h * 16 + l),
            _ => None,
        };
        match decoded.and_then(|d| u8::try_from(d).ok()) {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(input[i]);
                i += 1;
            }
        }
    }
    out
}

/// A 422 naming every query parameter that holds a forbidden control character.
pub fn query_errors(query: &str) -> Option<AppError> {
    pairs_errors(query.as_bytes())
}

fn pairs_errors(encoded: &[u8]) -> Option<AppError> {
    let mut check = Check::new();
    for (key, value) in url::form_urlencoded::parse(encoded) {
        if has_forbidden(&key) {
            check.fail(&key.escape_debug().to_string(), MESSAGE);
        } else if has_forbidden(&value) {
            check.fail(&key, MESSAGE);
        }
    }
    check.finish().err().map(AppError::from)
}

/// A 422 naming every field of the body that holds a forbidden control character; a body that
/// does not parse is left to its extractor, which names what is wrong with it.
fn body_errors(kind: BodyKind, body: &[u8]) -> Option<AppError> {
    match kind {
        BodyKind::Form => pairs_errors(body),
        BodyKind::Json => {
            let value: Value = serde_json::from_slice(body).ok()?;
            let mut check = Check::new();
            json_errors(&value, "", &mut check);
            check.finish().err().map(AppError::from)
        }
    }
}

/// Walks a JSON document and names each string (or key) holding a forbidden control character
/// by its path: `title`, `equipment[0].equipment_id`.
fn json_errors(value: &Value, path: &str, check: &mut Check) {
    match value {
        Value::String(text) if has_forbidden(text) => {
            check.fail(if path.is_empty() { "body" } else { path }, MESSAGE);
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                json_errors(item, &format!("{path}[{i}]"), check);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                let name = if has_forbidden(key) {
                    key.escape_debug().to_string()
                } else {
                    key.clone()
                };
                let field = if path.is_empty() {
                    name
                } else {
                    format!("{path}.{name}")
                };
                if has_forbidden(key) {
                    check.fail(&field, MESSAGE);
                } else {
                    json_errors(item, &field, check);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(error: Option<AppError>) -> Vec<String> {
        match error {
            Some(AppError::Invalid(errors)) => errors.into_keys().collect(),
            None => Vec::new(),
            Some(other) => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn a_path_with_any_control_character_once_decoded_is_refused() {
        assert!(path_has_control("/api/v1/sessions/a%00b"));
        assert!(path_has_control("/sessions/a%09b"));
        assert!(path_has_control("/sessions/a%0Ab"));
        assert!(path_has_control("/sessions/%C2%85"));
        assert!(!path_has_control("/sessions/caf%C3%A9%20x"));
        assert!(!path_has_control("/sessions/100%"));
        assert!(!path_has_control("/sessions/%zz"));
    }

    #[test]
    fn a_query_parameter_with_nul_is_named_and_tab_or_newline_are_let_through() {
        assert_eq!(named(query_errors("q=a%00b&ok=1")), vec!["q"]);
        assert_eq!(
            named(query_errors("next=/%09/x&n=%0A")),
            Vec::<String>::new()
        );
        assert_eq!(named(query_errors("a=%7F&b=%1B")), vec!["a", "b"]);
    }

    #[test]
    fn every_json_string_with_a_control_character_is_named_by_its_path() {
        let body = br#"{"email": "a\u0000@x.org", "items": [{"title": "ok"}, {"title": "b\u0007"}],
            "description": "two\nlines\tand a tab", "n": 3}"#;
        assert_eq!(
            named(body_errors(BodyKind::Json, body)),
            vec!["email", "items[1].title"]
        );
        assert!(body_errors(BodyKind::Json, b"{not json").is_none());
        assert_eq!(
            named(body_errors(BodyKind::Json, br#""\u0000""#)),
            vec!["body"]
        );
    }

    #[test]
    fn every_form_field_with_a_control_character_is_named() {
        let body = b"name=A%00&email=a%40x.org&message=line%0D%0Aline";
        assert_eq!(named(body_errors(BodyKind::Form, body)), vec!["name"]);
    }
}
