//! Password rules: long enough, and not one of the most common passwords shipped in the repo.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Shortest password accepted.
pub const MIN_CHARS: usize = 12;

/// Longest password accepted (argon2 takes any length, but a megabyte of it is an attack).
pub const MAX_CHARS: usize = 1000;

const COMMON: &str = include_str!("../../data/reference/common-passwords.txt");

fn common() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        COMMON
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect()
    })
}

/// True when the password is on the shipped list of common passwords, whatever its case.
pub fn is_common(password: &str) -> bool {
    common().contains(&password.trim().to_lowercase())
}

/// What is wrong with a new password, as messages to show beside the field; empty when fine.
pub fn problems(password: &str) -> Vec<String> {
    let chars = password.chars().count();
    let mut problems = Vec::new();
    if chars < MIN_CHARS {
        problems.push(format!("must be at least {MIN_CHARS} characters"));
    } else if chars > MAX_CHARS {
        problems.push(format!("must be at most {MAX_CHARS} characters"));
    }
    if is_common(password) {
        problems.push("is one of the most common passwords; choose another".into());
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_holds_thousands_of_entries_including_long_ones() {
        assert!(common().len() > 3000);
        for long in ["qwertyuiop123", "password1234", "123456789012"] {
            assert!(is_common(long), "{long}");
        }
    }

    #[test]
    fn short_and_common_passwords_are_refused_and_a_long_unusual_one_passes() {
        assert_eq!(problems("short").len(), 1);
        assert_eq!(problems("PassWord1234").len(), 1, "case does not matter");
        assert!(problems("tomato basket under the bridge").is_empty());
    }
}
