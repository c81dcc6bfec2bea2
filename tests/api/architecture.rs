//! Guard rails that keep the house in shape (ARCHITECTURE.md): what each kind of file may
//! import, and no file importing another that imports it back. They read src/ as text: the
//! routes themselves are checked from the app (openapi.rs, permissions.rs), not from here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every .rs file under src/, by its path from src/ (`sessions/domain.rs`), with its text.
fn sources() -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, found: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                found.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeMap::new();
    walk(&root, &root, &mut found);
    found
}

/// The code of a file without its `#[cfg(test)]` module and without comments.
fn code_of(source: &str) -> String {
    let without_tests = match source.find("#[cfg(test)]\nmod tests") {
        Some(at) => &source[..at],
        None => source,
    };
    without_tests
        .lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The capability folder a file belongs to: `registrations/decisions/api.rs` →
/// `registrations/decisions`; a top-level file is its own module.
fn folder_of(file: &str) -> String {
    match file.rsplit_once('/') {
        Some((folder, _)) => folder.to_string(),
        None => file.trim_end_matches(".rs").to_string(),
    }
}

/// The `crate::…` paths a file's `use` statements name, braces expanded.
fn used_paths(file: &str, source: &str) -> Vec<Vec<String>> {
    imported(file, source)
        .into_iter()
        .map(|(path, _)| path)
        .collect()
}

/// Like `used_paths`, with the name each import is known by in the file.
fn imported(file: &str, source: &str) -> Vec<(Vec<String>, String)> {
    let code = code_of(source);
    let mut paths = Vec::new();
    let mut statement: Option<String> = None;
    for line in code.lines() {
        let trimmed = line.trim_start();
        let start = ["use ", "pub use ", "pub(crate) use "]
            .iter()
            .find_map(|p| trimmed.strip_prefix(p));
        let text = match (&mut statement, start) {
            (Some(open), _) => {
                open.push(' ');
                open.push_str(trimmed);
                open.clone()
            }
            (None, Some(rest)) => rest.to_string(),
            (None, None) => continue,
        };
        match text.split_once(';') {
            None => statement = Some(text),
            Some((whole, _)) => {
                statement = None;
                let whole = whole.split_whitespace().collect::<Vec<_>>().join(" ");
                for path in expand(&whole) {
                    let (path, alias) = match path.split_once(" as ") {
                        Some((path, alias)) => (path.to_string(), alias.trim().to_string()),
                        None => {
                            let last = path.rsplit("::").next().unwrap_or_default();
                            (path.clone(), last.trim().to_string())
                        }
                    };
                    let segments = path.split("::").map(|s| s.trim().to_string()).collect();
                    if let Some(absolute) = absolute(file, segments) {
                        paths.push((absolute, alias));
                    }
                }
            }
        }
    }
    paths
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(statement: &str) -> Vec<String> {
    let Some(open) = statement.find('{') else {
        return vec![statement.to_string()];
    };
    let prefix = statement[..open].trim();
    let inner = &statement[open + 1..statement.rfind('}').unwrap_or(statement.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .flat_map(expand)
        .map(|p| {
            if p == "self" {
                prefix.trim_end_matches("::").to_string()
            } else {
                format!("{prefix}{p}")
            }
        })
        .collect()
}

/// A use path made absolute from the crate root (`crate::` and `super::` resolved).
fn absolute(file: &str, segments: Vec<String>) -> Option<Vec<String>> {
    let mut module: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if module.last().is_some_and(|m| m == "mod") {
        module.pop();
    }
    let mut segments = segments.into_iter().peekable();
    match segments.peek().map(String::as_str) {
        Some("crate") => {
            segments.next();
            module.clear();
        }
        Some("super") => {
            while segments.peek().is_some_and(|s| s == "super") {
                segments.next();
                module.pop();
            }
        }
        Some("self") => {
            segments.next();
        }
        // A path relative to this module: `use domain::Actor;` in a mod.rs.
        Some(first) if !module.is_empty() && sources_has(&module, first) => {}
        _ => return None,
    }
    module.extend(segments);
    Some(module)
}

/// True when `module/child` is a file of src/ (so `child::…` is a relative path).
fn sources_has(module: &[String], child: &str) -> bool {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(module.join("/"));
    root.join(format!("{child}.rs")).exists() || root.join(child).join("mod.rs").exists()
}

/// The file a module path lands in: the longest prefix that is a file of src/.
fn file_of(path: &[String], files: &BTreeSet<String>) -> Option<String> {
    (1..=path.len()).rev().find_map(|n| {
        let module = path[..n].join("/");
        [format!("{module}.rs"), format!("{module}/mod.rs")]
            .into_iter()
            .find(|f| files.contains(f))
    })
}

/// Every import between two files of src/. A module imported whole (`use crate::sessions;`)
/// counts as an import of the files the code then names through it (`sessions::store::find`);
/// a name a `mod.rs` re-exports (`pub use domain::Actor`) counts as an import of the file that
/// defines it; a `mod.rs` imports the children its code names (`api::create` in `mount`).
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let sources = sources();
    let files: BTreeSet<String> = sources.keys().cloned().collect();
    let reexports = reexports(&sources, &files);
    let resolve = |path: &[String]| -> Option<String> {
        let file = file_of(path, &files)?;
        let module = file.trim_end_matches("mod.rs").trim_end_matches('/');
        if file.ends_with("mod.rs") && path.len() > module.split('/').count() {
            let name = &path[module.split('/').count()];
            if let Some(defined) = reexports.get(&(file.clone(), name.clone())) {
                return Some(defined.clone());
            }
        }
        Some(file)
    };
    sources
        .iter()
        .map(|(file, source)| {
            let code = code_of(source);
            let mut targets = BTreeSet::new();
            for (path, alias) in imported(file, source) {
                let Some(target) = resolve(&path) else {
                    continue;
                };
                let whole_module = target.ends_with("mod.rs")
                    && target.trim_end_matches("/mod.rs") == path.join("/");
                if !whole_module {
                    targets.insert(target);
                    continue;
                }
                for name in names_through(&code, &alias) {
                    let mut longer = path.clone();
                    longer.push(name);
                    targets.extend(resolve(&longer));
                }
            }
            for path in inline_paths(file, &code) {
                targets.extend(resolve(&path));
            }
            if file.ends_with("mod.rs") || !file.contains('/') {
                let module: Vec<String> = file
                    .trim_end_matches("/mod.rs")
                    .trim_end_matches(".rs")
                    .split('/')
                    .map(str::to_string)
                    .collect();
                for line in code.lines() {
                    let line = line.trim();
                    let Some(child) = line
                        .strip_prefix("pub mod ")
                        .or_else(|| line.strip_prefix("mod "))
                    else {
                        continue;
                    };
                    let child = child.trim_end_matches(';').trim();
                    if names_through(&code, child).is_empty() {
                        continue;
                    }
                    let mut path = module.clone();
                    path.push(child.to_string());
                    targets.extend(file_of(&path, &files));
                }
            }
            targets.remove(file);
            (file.clone(), targets)
        })
        .collect()
}

/// Paths written in the code itself (`crate::db::micros(..)`, `super::bulk::Action::read`),
/// outside `use` statements.
fn inline_paths(file: &str, code: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for root in ["crate::", "super::"] {
        for (at, _) in code.match_indices(root) {
            let before = code[..at].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let line_start = code[..at].rfind('\n').map_or(0, |i| i + 1);
            let line = code[line_start..at].trim_start();
            if line.starts_with("use ")
                || line.starts_with("pub use ")
                || line.starts_with("pub(crate) use ")
            {
                continue;
            }
            let text: String = code[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let segments = text
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            found.extend(absolute(file, segments));
        }
    }
    found
}

/// For every `mod.rs`, the names it re-exports (`pub use domain::{Actor, Role}`) and the file
/// that defines each.
fn reexports(
    sources: &BTreeMap<String, String>,
    files: &BTreeSet<String>,
) -> BTreeMap<(String, String), String> {
    let mut found = BTreeMap::new();
    for (file, source) in sources.iter().filter(|(f, _)| f.ends_with("mod.rs")) {
        let code = code_of(source);
        let public: String = code
            .lines()
            .filter(|l| l.trim_start().starts_with("pub use "))
            .map(|l| l.trim_start().replacen("pub use ", "use ", 1))
            .collect::<Vec<_>>()
            .join("\n");
        for (path, alias) in imported(file, &public) {
            if let Some(defined) = file_of(&path, files) {
                found.insert((file.clone(), alias), defined);
            }
        }
    }
    found
}

/// The names `alias::NAME` takes in the code (empty when the alias is not used with a path).
fn names_through(code: &str, alias: &str) -> BTreeSet<String> {
    children_named(code, alias)
}

/// The names `alias::NAME` takes in the code.
fn children_named(code: &str, alias: &str) -> BTreeSet<String> {
    let needle = format!("{alias}::");
    code.match_indices(&needle)
        .filter(|(at, _)| {
            !code[..*at]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
        })
        .map(|(at, _)| {
            code[at + needle.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    let graph = imports();
    let mut circles = Vec::new();
    for start in graph.keys() {
        // Depth-first search for a path back to `start`.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((at, trail)) = stack.pop() {
            for next in graph.get(&at).into_iter().flatten() {
                if next == start {
                    let mut circle = trail.clone();
                    circle.push(start.clone());
                    circles.push(circle.join(" -> "));
                } else if seen.insert(next.clone()) {
                    let mut longer = trail.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    circles.sort();
    circles.dedup();
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn only_the_command_line_imports_the_app_module() {
    let offenders: Vec<String> = imports()
        .into_iter()
        .filter(|(file, targets)| {
            targets.contains("app.rs") && !file.starts_with("cli/") && file != "main.rs"
        })
        .map(|(file, _)| file)
        .collect();
    assert!(
        offenders.is_empty(),
        "these import crate::app: {offenders:?}; use crate::state"
    );
}

#[test]
fn domain_files_read_no_clock_and_touch_no_database_web_or_app_error() {
    let forbidden = [
        "Utc::now",
        "Local::now",
        "SystemTime::now",
        "Instant::now",
        "diesel",
        "actix",
        "crate::db",
        "crate::error",
        "crate::web",
        "crate::state",
    ];
    let mut found = Vec::new();
    for (file, source) in sources() {
        if !file.ends_with("domain.rs") {
            continue;
        }
        let code = code_of(&source);
        for word in forbidden {
            if code.contains(word) {
                found.push(format!("{file} uses {word}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "domain.rs files must stay pure (pass now, ids and settings in):\n{}",
        found.join("\n")
    );
}

#[test]
fn only_stores_and_the_db_module_hold_queries() {
    let mut found = Vec::new();
    for (file, source) in sources() {
        let allowed = file.ends_with("store.rs") || file.starts_with("db/");
        let code = code_of(&source);
        let queries = [
            "diesel::prelude",
            "db::schema",
            "diesel::insert_into",
            "diesel::update",
            "diesel::delete",
            "sql_query",
        ];
        if !allowed && queries.iter().any(|q| code.contains(q)) {
            found.push(file);
        }
    }
    assert!(found.is_empty(), "queries outside store.rs: {found:?}");
}

#[test]
fn no_capability_imports_another_capabilitys_handlers() {
    let mut found = Vec::new();
    for (file, targets) in imports() {
        for target in targets {
            let handler = target.ends_with("/api.rs") || target.ends_with("/pages.rs");
            if handler && folder_of(&target) != folder_of(&file) && !file.ends_with("mod.rs") {
                found.push(format!("{file} imports {target}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "handlers are reached only through routes:\n{}",
        found.join("\n")
    );
}

#[test]
fn files_and_folders_stay_small() {
    let sources = sources();
    let long: Vec<String> = sources
        .iter()
        .filter(|(_, s)| s.lines().count() > 400)
        .map(|(f, s)| format!("{f}: {} lines", s.lines().count()))
        .collect();
    assert!(long.is_empty(), "files over 400 lines: {long:?}");
    let mut per_folder: BTreeMap<String, usize> = BTreeMap::new();
    for file in sources.keys().filter(|f| f.contains('/')) {
        *per_folder.entry(folder_of(file)).or_default() += 1;
    }
    let crowded: Vec<_> = per_folder.iter().filter(|(_, n)| **n > 11).collect();
    assert!(crowded.is_empty(), "folders over 11 files: {crowded:?}");
}

#[test]
fn the_import_reader_finds_what_a_file_imports() {
    let paths = used_paths(
        "registrations/decisions/api.rs",
        "use super::service::{self, Decider};\nuse crate::db::{self, Conn};\nuse crate::access::Organiser as O;",
    );
    let joined: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert!(
        joined.contains(&"registrations::decisions::service".to_string()),
        "{joined:?}"
    );
    assert!(
        joined.contains(&"db".to_string()) && joined.contains(&"db::Conn".to_string()),
        "{joined:?}"
    );
    assert!(
        joined.contains(&"access::Organiser".to_string()),
        "{joined:?}"
    );
}

#[test]
fn another_capability_is_imported_by_the_file_used_not_by_its_face() {
    // A capability's mod.rs mounts its handlers: importing the whole module from elsewhere
    // (`use crate::sessions;`) ties the importer to every handler of it.
    let sources = sources();
    let files: BTreeSet<String> = sources.keys().cloned().collect();
    let mut found = Vec::new();
    for (file, source) in &sources {
        for (path, _) in imported(file, source) {
            let face = format!("{}/mod.rs", path.join("/"));
            let mounts = sources.get(&face).is_some_and(|s| s.contains("fn mount"));
            if files.contains(&face)
                && mounts
                && !file.starts_with(&path.join("/"))
                && file != "app.rs"
            {
                found.push(format!("{file} imports {}", path.join("::")));
            }
        }
    }
    assert!(
        found.is_empty(),
        "import the file you use (crate::x::store::f):\n{}",
        found.join("\n")
    );
}
