//! Renders an email from its pair of templates: `mail/NAME.txt` (first line: the subject) and `mail/NAME.html`.

use serde_json::{Map, Value};

use crate::config::Settings;
use crate::error::AppError;
use crate::web::{render_string, Lang};

/// A rendered email, ready for the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Renders `mail/NAME.txt` and `mail/NAME.html` with `values` plus `base_url`, in a language.
pub fn compose(
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

    #[test]
    fn the_first_line_of_the_text_template_is_the_subject_and_html_is_escaped() {
        let settings = Settings::defaults();
        let values = serde_json::json!({
            "name": "Amina <b>",
            "reason": "",
            "session": {"title": "Cyber & CIRT", "when": "Tue", "timezone": "Europe/Zurich", "location": "Geneva", "url": "http://x/s/1"}
        });
        let mail = compose(&settings, Lang("en"), "session_update", values).unwrap();
        assert_eq!(mail.subject, "Updated: Cyber & CIRT");
        assert!(mail.text.starts_with("Dear Amina <b>,"));
        assert!(mail.html.contains("Amina &lt;b&gt;") && mail.html.contains("Cyber &amp; CIRT"));
    }

    #[test]
    fn a_title_with_line_breaks_stays_in_the_subject_on_one_line() {
        let settings = Settings::defaults();
        let values = serde_json::json!({
            "name": "Amina", "reason": "",
            "session": {"title": "Cyber\r\nBcc: x@y.z\nmore", "when": "Tue", "timezone": "UTC", "location": "Geneva", "url": "http://x/s/1"}
        });
        let mail = compose(&settings, Lang("en"), "session_update", values).unwrap();
        assert_eq!(mail.subject, "Updated: Cyber  Bcc: x@y.z more");
        assert!(mail.text.starts_with("Dear Amina,"), "{}", mail.text);
    }
}
