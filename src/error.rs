//! The one error type of the service, answered as problem details (RFC 9457) or an HTML page.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::{json, Value};

use crate::db::failure::DbError;

pub use crate::input::FieldErrors;
use crate::input::Invalid;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("invalid fields")]
    Invalid(FieldErrors),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("conflict: {0}")]
    Conflict(String, Option<Value>),
    #[error("not allowed")]
    Forbidden,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("not signed in")]
    Unauthorized,
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    /// A 422 with one message on one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
        let mut errors = FieldErrors::new();
        errors.insert(field.to_string(), vec![message.into()]);
        AppError::Invalid(errors)
    }

    /// One line for the command line, naming the fields that failed.
    pub fn one_line(&self) -> String {
        match self {
            AppError::Invalid(errors) => errors
                .iter()
                .map(|(field, messages)| format!("{field} {}", messages.join(", ")))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        }
    }

    /// A 409 with a human sentence.
    pub fn conflict(detail: impl Into<String>) -> AppError {
        AppError::Conflict(detail.into(), None)
    }

    /// True for failures that running the same transaction again may cure.
    pub fn is_transient(&self) -> bool {
        matches!(self, AppError::Database(e) if e.is_transient())
    }

    /// True when a unique constraint refused the change.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, AppError::Database(DbError::Unique { .. }))
    }

    /// The problem details document and status for this error.
    pub fn problem(&self) -> (StatusCode, Problem) {
        let (status, title, detail) = match self {
            AppError::NotFound => (StatusCode::NOT_FOUND, "Not found", "No such record.".into()),
            AppError::Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid fields",
                "Some fields are not valid; see errors.".into(),
            ),
            AppError::BadRequest(d) => (StatusCode::BAD_REQUEST, "Malformed request", d.clone()),
            AppError::Conflict(d, _) => (StatusCode::CONFLICT, "Conflict", d.clone()),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Forbidden",
                "You are not allowed to do this.".into(),
            ),
            AppError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "Method not allowed",
                "This path does not answer this method; see the Allow header.".into(),
            ),
            AppError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                "Sign in or send a valid bearer token.".into(),
            ),
            AppError::TooManyRequests { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests",
                format!("Try again in {retry_after_secs} seconds."),
            ),
            AppError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Payload too large",
                "The request body is larger than the limit.".into(),
            ),
            AppError::UnsupportedMediaType(d) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type",
                d.clone(),
            ),
            AppError::Unavailable(_)
            | AppError::Database(DbError::Busy(_))
            | AppError::Database(DbError::Serialization(_))
            | AppError::Database(DbError::Closed(_)) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Service unavailable",
                "The database is busy or unreachable; try again.".into(),
            ),
            AppError::Database(DbError::NotFound) => {
                (StatusCode::NOT_FOUND, "Not found", "No such record.".into())
            }
            AppError::Database(DbError::Unique { .. }) => (
                StatusCode::CONFLICT,
                "Conflict",
                "A record with these values exists already.".into(),
            ),
            AppError::Database(_) | AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal error",
                "Something went wrong on our side; it has been logged.".into(),
            ),
        };
        let mut problem = Problem {
            kind: format!("about:blank#{}", status.as_u16()),
            title: title.to_string(),
            status: status.as_u16(),
            detail,
            errors: None,
            extra: None,
        };
        match self {
            AppError::Invalid(errors) => problem.errors = Some(errors.clone()),
            AppError::Conflict(_, extra) => problem.extra = extra.clone(),
            _ => {}
        }
        (status, problem)
    }
}

/// An RFC 9457 problem details document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<FieldErrors>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub extra: Option<Value>,
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Database(e.into())
    }
}

/// The error and every cause under it, on one line: `a: b: c`.
pub fn cause_chain(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line
}

impl From<Invalid> for AppError {
    fn from(e: Invalid) -> Self {
        AppError::Invalid(e.0)
    }
}

impl From<tera::Error> for AppError {
    fn from(e: tera::Error) -> Self {
        AppError::Internal(format!("template: {}", cause_chain(&e)))
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.problem().0
    }

    fn error_response(&self) -> HttpResponse {
        let (status, problem) = self.problem();
        if status.is_server_error() {
            tracing::error!(error = %cause_chain(self), "request failed");
        }
        let mut response = HttpResponse::build(status);
        response.content_type("application/problem+json");
        if let AppError::TooManyRequests { retry_after_secs } = self {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        response.body(json!(problem).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cause_chain_names_every_cause_on_one_line() {
        let inner = std::io::Error::other("disk full");
        let outer = tera::Error::chain("cannot render", inner);
        let line = cause_chain(&outer);
        assert!(
            line.contains("cannot render") && line.contains("disk full"),
            "{line}"
        );
    }
}
