//! The one error type answered as an HTML page, for browsers.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

use crate::error::AppError;

/// The same error, answered as an HTML page for browsers.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PageError(#[from] pub AppError);

impl From<tera::Error> for PageError {
    fn from(e: tera::Error) -> Self {
        PageError(e.into())
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.0.problem().0
    }

    fn error_response(&self) -> HttpResponse {
        let (status, problem) = self.0.problem();
        if status.is_server_error() {
            tracing::error!(error = %crate::error::cause_chain(&self.0), "page failed");
        }
        let body = super::templates::error_page(&problem);
        let mut response = HttpResponse::build(status);
        if let AppError::TooManyRequests { retry_after_secs } = &self.0 {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        response.content_type("text/html; charset=utf-8").body(body)
    }
}
