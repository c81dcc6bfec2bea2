//! The templates compiled into the binary, the language of each request, and rendering.

use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use tera::{Context, Tera};

use crate::error::{AppError, Problem};
use crate::i18n;

/// Every template under templates/, by its path there, compiled into the binary so it runs from
/// any folder (the list is written by build.rs from the folder itself).
pub const TEMPLATES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// The parsed templates, built once; a template that does not parse stops start-up (see `check`).
fn tera() -> Result<&'static Tera, AppError> {
    static TERA: OnceLock<Result<Tera, String>> = OnceLock::new();
    TERA.get_or_init(|| {
        let mut tera = Tera::default();
        tera.set_escape_fn(escape_html);
        tera.register_filter("one_line", one_line);
        tera.add_raw_templates(TEMPLATES.to_vec())
            .map(|_| tera)
            .map_err(|e| AppError::from(e).to_string())
    })
    .as_ref()
    .map_err(|e| AppError::Internal(e.clone()))
}

/// Escapes text for HTML bodies and quoted attributes (Tera's own also escapes `/`, which only hurts reading).
fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// Tera filter: control characters (CR, LF, …) become spaces, so a mail subject stays one line
/// whatever a title holds; mail/layout.txt applies it to every subject block.
fn one_line(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = tera::try_get_value!("one_line", "value", String, value);
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    Ok(tera::Value::String(line))
}

/// Parses every template, for start-up and tests.
pub fn check() -> Result<(), String> {
    tera().map(|_| ()).map_err(|e| e.to_string())
}

/// The language and direction a page is rendered in.
#[derive(Debug, Clone, Copy)]
pub struct Lang(pub &'static str);

impl Lang {
    /// The language a browser asked for (`?lang=` or Accept-Language).
    pub fn of(req: &HttpRequest) -> Lang {
        let query = url::form_urlencoded::parse(req.query_string().as_bytes())
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.into_owned());
        let accept = req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        Lang(i18n::negotiate(query.as_deref(), accept))
    }
}

/// Renders a page in the shared layout with the language's messages as `t`.
pub fn render(lang: Lang, name: &str, values: impl Serialize) -> Result<HttpResponse, AppError> {
    let body = render_string(lang, name, values)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// Renders any template (page or mail) to text, with `lang`, `dir` and `t` in its context.
pub fn render_string(lang: Lang, name: &str, values: impl Serialize) -> Result<String, AppError> {
    let mut context = Context::from_serialize(values)?;
    context.insert("lang", lang.0);
    context.insert("dir", if i18n::is_rtl(lang.0) { "rtl" } else { "ltr" });
    context.insert("t", &super::words::for_template(TEMPLATES, lang.0, name));
    Ok(tera()?.render(name, &context)?)
}

/// The HTML error page (English: an error carries no request).
pub fn error_page(problem: &Problem) -> String {
    let mut context = Context::new();
    context.insert("problem", problem);
    context.insert("lang", "en");
    context.insert("dir", "ltr");
    context.insert("t", i18n::messages("en"));
    tera()
        .and_then(|t| t.render("error.html", &context).map_err(AppError::from))
        .unwrap_or_else(|_| {
            format!(
                "<!doctype html><title>{0}</title><h1>{0}</h1>",
                problem.status
            )
        })
}
