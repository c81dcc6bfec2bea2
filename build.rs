//! Embeds what the binary carries: every template under templates/ and every message catalogue
//! under locales/LANG/, listed from the folders so that adding a file needs no code. Rebuilds
//! when a migration folder changes, so `embed_migrations!` sees new migrations.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=locales");
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));

    let templates = files_under(&root.join("templates"));
    let mut code = String::from("&[\n");
    for path in &templates {
        let name = relative(&root.join("templates"), path);
        let _ = writeln!(code, "    ({name:?}, include_str!({:?})),", path.display());
    }
    code.push(']');
    std::fs::write(out.join("templates.rs"), code).expect("write templates.rs");

    let catalogues = files_under(&root.join("locales"));
    let mut code = String::from("&[\n");
    for path in catalogues
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    {
        let name = relative(&root.join("locales"), path);
        let lang = name.split('/').next().unwrap_or_default().to_string();
        let _ = writeln!(code, "    ({lang:?}, include_str!({:?})),", path.display());
    }
    code.push(']');
    std::fs::write(out.join("locales.rs"), code).expect("write locales.rs");
}

/// Every file below a folder, sorted, so the generated lists are stable.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn relative(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
