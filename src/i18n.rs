//! Translations of every user-facing string; English is complete, other ITU languages fall back to it key by key.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The six official languages of the ITU: code, own name, written right to left.
pub const LANGUAGES: [(&str, &str, bool); 6] = [
    ("en", "English", false),
    ("fr", "Français", false),
    ("es", "Español", false),
    ("ar", "العربية", true),
    ("ru", "Русский", false),
    ("zh", "中文", false),
];

/// Message catalogues shipped with the binary, one per file under locales/LANG/ (any number of
/// files per language; build.rs lists them from the folders).
const CATALOGUES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// Messages of one language, English filling every gap.
pub type Messages = BTreeMap<String, String>;

fn parse(source: &str) -> Messages {
    toml::from_str::<BTreeMap<String, String>>(source).unwrap_or_default()
}

/// The messages for a language code (unknown codes get English).
pub fn messages(lang: &str) -> &'static Messages {
    static ALL: OnceLock<Vec<(&'static str, Messages)>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        let mut english = Messages::new();
        for (_, source) in CATALOGUES.iter().filter(|(c, _)| *c == "en") {
            english.extend(parse(source));
        }
        LANGUAGES
            .iter()
            .map(|(code, _, _)| {
                let mut merged = english.clone();
                for (_, source) in CATALOGUES.iter().filter(|(c, _)| c == code) {
                    merged.extend(parse(source));
                }
                (*code, merged)
            })
            .collect()
    });
    all.iter()
        .find(|(code, _)| *code == lang)
        .or_else(|| all.first())
        .map(|(_, m)| m)
        .unwrap_or_else(|| {
            static EMPTY: OnceLock<Messages> = OnceLock::new();
            EMPTY.get_or_init(Messages::new)
        })
}

/// One message, or its key when no catalogue has it (so a gap is visible, never a crash).
pub fn text(lang: &str, key: &str) -> String {
    messages(lang)
        .get(key)
        .cloned()
        .unwrap_or_else(|| key.to_string())
}

/// Picks the language: `?lang=` first, then the best of Accept-Language, then English.
pub fn negotiate(query: Option<&str>, accept_language: Option<&str>) -> &'static str {
    let known = |code: &str| {
        let primary = code
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        LANGUAGES
            .iter()
            .find(|(c, _, _)| *c == primary)
            .map(|(c, _, _)| *c)
    };
    if let Some(code) = query.and_then(known) {
        return code;
    }
    let mut offers: Vec<(f32, &'static str)> = accept_language
        .unwrap_or("")
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let code = known(pieces.next()?)?;
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse().ok()))
                .unwrap_or(1.0);
            Some((q, code))
        })
        .collect();
    offers.sort_by(|a, b| b.0.total_cmp(&a.0));
    offers.first().map(|(_, c)| *c).unwrap_or("en")
}

/// True for languages written right to left.
pub fn is_rtl(lang: &str) -> bool {
    LANGUAGES.iter().any(|(c, _, rtl)| *c == lang && *rtl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_catalogue_parses_and_has_the_site_name() {
        assert_eq!(text("en", "site_name"), "ITU-D Seminars");
    }

    #[test]
    fn a_language_without_a_catalogue_falls_back_to_english() {
        assert_eq!(text("fr", "site_name"), text("en", "site_name"));
        assert!(is_rtl("ar"));
    }

    #[test]
    fn a_missing_key_shows_itself_rather_than_failing() {
        assert_eq!(text("en", "no_such_key"), "no_such_key");
    }

    #[test]
    fn the_best_accepted_language_wins_and_the_query_overrides_it() {
        assert_eq!(negotiate(None, Some("de-CH, fr;q=0.8, ar;q=0.9")), "ar");
        assert_eq!(negotiate(Some("zh"), Some("fr")), "zh");
        assert_eq!(negotiate(None, None), "en");
    }

    #[test]
    fn every_template_key_exists_in_english() {
        let english = messages("en");
        for (name, source) in crate::web::TEMPLATES {
            for (at, _) in source.match_indices("t.") {
                let before = source[..at].chars().last().unwrap_or(' ');
                if !(before == ' ' || before == '{' || before == '(') {
                    continue;
                }
                let key: String = source[at + 2..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                assert!(
                    key.is_empty() || english.contains_key(&key),
                    "{name} uses t.{key}, missing from locales/en/"
                );
            }
        }
    }
}
