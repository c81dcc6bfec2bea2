//! Typed notices: every email the service sends is a value of a type of its capability that
//! names its templates and carries what they show. The mail module renders it; nobody assembles
//! template contexts by hand.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::Settings;
use crate::error::AppError;
use crate::web::{render_string, Lang};

/// An email's content, as a typed value.
pub trait Notice: Serialize {
    /// `mail/NAME.txt` (its first line is the subject) and `mail/NAME.html` render it.
    const TEMPLATE: &'static str;
}

/// A rendered email, ready for the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
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

/// Renders `mail/NAME.txt` and `mail/NAME.html` with `values` plus `base_url`, in a language.
fn compose(
    settings: &Settings,
    lang: Lang,
    name: &str,
    values: Value,
) -> Result<Composed, AppError> {
    let mut context = match values {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    context.insert(
        "base_url".into(),
        Value::String(settings.base_url().to_string()),
    );
    let text = render_string(lang, &format!("mail/{name}.txt"), &context)?;
    let html = render_string(lang, &format!("mail/{name}.html"), &context)?;
    let (subject, body) = text.split_once('\n').unwrap_or((text.as_str(), ""));
    Ok(Composed {
        subject: subject.trim().to_string(),
        text: body.trim_start_matches('\n').to_string(),
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of `session_update`, declared here so mail's tests need no capability.
    #[derive(Serialize)]
    struct Update {
        name: &'static str,
        session: Value,
    }

    impl Notice for Update {
        const TEMPLATE: &'static str = "session_update";
    }

    fn update(name: &'static str, title: &str) -> Update {
        Update {
            name,
            session: serde_json::json!({"title": title, "when": "Tue", "timezone": "UTC",
                "location": "Geneva", "url": "http://x/s/1"}),
        }
    }

    #[test]
    fn the_first_line_of_the_text_template_is_the_subject_and_html_is_escaped() {
        let settings = Settings::defaults().unwrap();
        let mail = render(&settings, Lang("en"), &update("Amina <b>", "Cyber & CIRT")).unwrap();
        assert_eq!(mail.subject, "Updated: Cyber & CIRT");
        assert!(mail.text.starts_with("Dear Amina <b>,"));
        assert!(mail.html.contains("Amina &lt;b&gt;") && mail.html.contains("Cyber &amp; CIRT"));
    }

    #[test]
    fn a_title_with_line_breaks_stays_in_the_subject_on_one_line() {
        let settings = Settings::defaults().unwrap();
        let title = "Cyber\r\nBcc: x@y.z\nmore";
        let mail = render(&settings, Lang("en"), &update("Amina", title)).unwrap();
        assert_eq!(mail.subject, "Updated: Cyber  Bcc: x@y.z more");
        assert!(mail.text.starts_with("Dear Amina,"), "{}", mail.text);
    }
}
