//! Typed notices: every email the service sends is a value of a type of its capability that
//! names its templates and carries what they show. The mail module renders it; nobody assembles
//! template contexts by hand.

use serde::Serialize;

use super::compose::{compose, Composed};
use crate::config::Settings;
use crate::error::AppError;
use crate::web::Lang;

/// An email's content, as a typed value.
pub trait Notice: Serialize {
    /// `mail/NAME.txt` (its first line is the subject) and `mail/NAME.html` render it.
    const TEMPLATE: &'static str;
}

/// Renders a notice in a language; the templates also see `base_url`.
pub fn render<N: Notice>(
    settings: &Settings,
    lang: Lang,
    notice: &N,
) -> Result<Composed, AppError> {
    let values = serde_json::to_value(notice)
        .map_err(|e| AppError::Internal(format!("notice {}: {e}", N::TEMPLATE)))?;
    compose(settings, lang, N::TEMPLATE, values)
}
