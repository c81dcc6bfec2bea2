//! The words of the catalogue a template shows, so rendering hands Tera a handful of entries
//! instead of the whole catalogue: Tera copies every value put into its context, and copying the
//! ~600 entries twice per email (text and HTML) was a third of the cost of a registration.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use crate::i18n;

/// The keys a template refers to as `t.KEY`, with those of the templates it extends, includes
/// or imports; None where it looks a key up by a computed name (`t[...]`), which needs them all.
fn keys_of(templates: Templates, name: &str) -> Option<&'static [String]> {
    static KEYS: OnceLock<HashMap<&'static str, Option<Vec<String>>>> = OnceLock::new();
    let all = KEYS.get_or_init(|| {
        templates
            .iter()
            .map(|(name, _)| (*name, gather(templates, name, &mut Vec::new())))
            .collect()
    });
    all.get(name).and_then(|keys| keys.as_deref())
}

/// Every template's name and source (`web::TEMPLATES`).
pub type Templates = &'static [(&'static str, &'static str)];

fn gather(templates: Templates, name: &str, seen: &mut Vec<String>) -> Option<Vec<String>> {
    if seen.iter().any(|s| s == name) {
        return Some(Vec::new());
    }
    seen.push(name.to_string());
    let source = templates.iter().find(|(n, _)| *n == name)?.1;
    if source.contains("t[") {
        return None;
    }
    let mut keys = referenced_keys(source);
    for other in referenced_templates(source) {
        keys.extend(gather(templates, &other, seen)?);
    }
    keys.sort();
    keys.dedup();
    Some(keys)
}

/// `KEY` of every `t.KEY` (a `t` that is not the end of a longer name).
fn referenced_keys(source: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let bytes = source.as_bytes();
    for (at, _) in source.match_indices("t.") {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.') {
            continue;
        }
        let key: String = source[at + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !key.is_empty() {
            keys.push(key);
        }
    }
    keys
}

/// The names in `{% extends "…" %}`, `{% include "…" %}` and `{% import "…" %}`.
fn referenced_templates(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for tag in ["extends", "include", "import"] {
        for (at, _) in source.match_indices(tag) {
            let rest = source[at + tag.len()..].trim_start();
            if let Some(quoted) = rest.strip_prefix('"') {
                if let Some(end) = quoted.find('"') {
                    names.push(quoted[..end].to_string());
                }
            }
        }
    }
    names
}

/// The entries of `lang`'s catalogue that template `name` shows (all of them when unknown).
pub fn for_template(
    templates: Templates,
    lang: &str,
    name: &str,
) -> BTreeMap<&'static str, &'static str> {
    let messages = i18n::messages(lang);
    match keys_of(templates, name) {
        Some(keys) => keys
            .iter()
            .filter_map(|k| messages.get_key_value(k.as_str()))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
        None => messages
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::TEMPLATES;

    #[test]
    fn a_mail_gets_its_own_words_and_those_of_its_layout_only() {
        let keys = keys_of(TEMPLATES, "mail/registration_confirmed.html").unwrap();
        assert!(keys.iter().any(|k| k == "mail_greeting"), "{keys:?}");
        assert!(keys.len() < 60, "{} keys", keys.len());
        let all = i18n::messages("en").len();
        assert!(all > 100);
    }

    #[test]
    fn a_template_with_computed_keys_gets_the_whole_catalogue() {
        assert!(keys_of(TEMPLATES, "speakers/invitation.html").is_none());
        let words = for_template(TEMPLATES, "en", "speakers/invitation.html");
        assert_eq!(words.len(), i18n::messages("en").len());
    }

    #[test]
    fn keys_are_read_after_t_dot_only() {
        let keys = referenced_keys("{{ t.site_name }} {{ a.t.no }} {{ at.no }} {{ t.mail_where }}");
        assert_eq!(keys, ["site_name", "mail_where"]);
    }
}
