//! Server-rendered pages: the templates, the language of each request, the shared layout's context, static files.

use actix_web::dev::ResourceDef;
use actix_web::http::header;
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::capability::Capability;
use crate::error::AppError;

pub mod errors;
pub mod routes;
pub mod tabs;
pub mod templates;
pub mod tree;
pub mod words;

pub use errors::PageError;
use routes::{Access, Route, Routes};
pub use templates::{check, render, render_string, Lang, TEMPLATES};

/// The shared style sheet, for anyone.
pub const CAPABILITY: Capability = Capability {
    name: "static",
    mount,
    reacts: None,
};

fn mount(r: &mut Routes) {
    r.page(
        actix_web::http::Method::GET,
        "/static/app.css",
        Access::Anyone,
        stylesheet,
    );
}

/// `2026-03-10 14:30–17:30` in the meeting's zone (the date repeats when the end is another day).
pub fn local_span(tz: Tz, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> String {
    let (start, end) = (starts_at.with_timezone(&tz), ends_at.with_timezone(&tz));
    if start.date_naive() == end.date_naive() {
        format!(
            "{} {}–{}",
            start.format("%a %Y-%m-%d"),
            start.format("%H:%M"),
            end.format("%H:%M")
        )
    } else {
        format!(
            "{} – {}",
            start.format("%a %Y-%m-%d %H:%M"),
            end.format("%a %Y-%m-%d %H:%M")
        )
    }
}

/// One instant in a zone, with the zone's abbreviation: `2026-03-10 14:30 CET`.
pub fn local_instant(tz: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&tz)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// The shared style sheet.
pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../static/app.css"))
}

/// A 303 to a path (after a POST, or to the sign-in page).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// The paths the app serves, so that a known path asked with another method answers 405.
pub struct KnownRoutes(Vec<(ResourceDef, Method)>);

impl KnownRoutes {
    /// Compiles the patterns of the mounted routes.
    pub fn new(routes: &[Route]) -> KnownRoutes {
        KnownRoutes(
            routes
                .iter()
                .map(|r| (ResourceDef::new(r.path.as_str()), r.method.clone()))
                .collect(),
        )
    }

    /// The methods served at this path (empty when the path is unknown).
    pub fn methods_at(&self, path: &str) -> Vec<Method> {
        let mut methods: Vec<Method> = self
            .0
            .iter()
            .filter(|(def, _)| def.is_match(path))
            .map(|(_, m)| m.clone())
            .collect();
        methods.dedup();
        methods
    }
}

/// What no route answered: 405 with `Allow` for a known path, else 404 (problem details under
/// /api/, an HTML page elsewhere).
pub async fn not_found(req: HttpRequest, known: web::Data<KnownRoutes>) -> HttpResponse {
    use actix_web::ResponseError;
    let allowed = known.methods_at(req.path());
    let error = if allowed.is_empty() {
        AppError::NotFound
    } else {
        AppError::MethodNotAllowed
    };
    let mut response = if req.path().starts_with("/api/") {
        error.error_response()
    } else {
        PageError(error).error_response()
    };
    if !allowed.is_empty() {
        let allow: Vec<&str> = allowed.iter().map(Method::as_str).collect();
        if let Ok(value) = header::HeaderValue::from_str(&allow.join(", ")) {
            response.headers_mut().insert(header::ALLOW, value);
        }
    }
    response
}

/// Renders a page that holds forms: like `render`, with the session's `csrf_token` added, which
/// every form sends back as `<input type="hidden" name="csrf_token" value="{{ csrf_token }}">`.
pub fn render_form(
    req: &HttpRequest,
    name: &str,
    values: serde_json::Value,
) -> Result<HttpResponse, AppError> {
    let mut values = match values {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    values.insert("csrf_token".into(), crate::security::csrf::of(req).into());
    render(Lang::of(req), name, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses() {
        check().unwrap();
    }

    #[test]
    fn a_session_is_shown_in_its_meetings_zone() {
        let tz: Tz = "Europe/Zurich".parse().unwrap();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(
            local_span(tz, at("2026-03-10T13:30:00Z"), at("2026-03-10T16:30:00Z")),
            "Tue 2026-03-10 14:30–17:30"
        );
    }
}
