use std::collections::BTreeSet;

use serde_json::Value;

use crate::on_both_backends;
use crate::support::TestApp;
use seminars::web::routes::Face;

on_both_backends!(the_openapi_document_lists_every_api_route_the_code_declares);

/// Every JSON route the app mounts, as (method, path with {params}): from the app itself.
fn declared_routes() -> BTreeSet<(String, String)> {
    seminars::app::routes()
        .0
        .into_iter()
        .filter(|r| r.face == Face::Api)
        .map(|r| (r.method.as_str().to_lowercase(), r.path))
        .collect()
}

async fn the_openapi_document_lists_every_api_route_the_code_declares(app: TestApp) {
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let declared = declared_routes();
    assert!(
        declared.len() >= 12,
        "the scan found too few routes: {declared:?}"
    );
    for (method, path) in &declared {
        let operation = &doc["paths"][path][method];
        assert!(
            operation.is_object(),
            "{} {path} is served but missing from /api/v1/openapi.json",
            method.to_uppercase()
        );
        assert!(
            operation["responses"].is_object(),
            "{method} {path} has no responses"
        );
    }
    let answered: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(
        answered["components"]["schemas"]["SessionInput"].is_object(),
        "request schemas are described"
    );
    assert!(answered["components"]["schemas"]["Problem"].is_object());
}

on_both_backends!(errors_are_documented_as_problem_details_and_enums_by_their_wire_names);

/// Schemathesis (run by .ci/run) found answers the document did not declare; these are its rules.
async fn errors_are_documented_as_problem_details_and_enums_by_their_wire_names(app: TestApp) {
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let answers = operation["responses"].as_object().unwrap();
            for status in ["400", "401", "403", "503"] {
                assert!(
                    answers.contains_key(status),
                    "{method} {path} lacks {status}"
                );
            }
            if operation["requestBody"].is_object() {
                for status in ["413", "415", "422"] {
                    assert!(
                        answers.contains_key(status),
                        "{method} {path} lacks {status}"
                    );
                }
            }
            for (status, answer) in answers.iter().filter(|(s, _)| s.starts_with('4')) {
                assert!(
                    answer["content"]["application/problem+json"].is_object(),
                    "{method} {path} {status} is not declared as problem details"
                );
            }
        }
    }
    let kinds = &doc["components"]["schemas"]["SessionStatus"]["enum"];
    assert_eq!(
        kinds,
        &serde_json::json!(["draft", "scheduled", "cancelled"])
    );
    // Two enums of one name must not share a schema: a registration's status is not a message's.
    let registration = &doc["components"]["schemas"]["Status"]["enum"];
    assert!(
        registration
            .as_array()
            .unwrap()
            .contains(&"confirmed".into()),
        "{registration}"
    );
    let message = &doc["components"]["schemas"]["MessageStatus"]["enum"];
    assert_eq!(
        message,
        &serde_json::json!(["queued", "sending", "sent", "failed"])
    );
}

/// The document names each schema once: two types of one name (utoipa keeps one of them) made
/// the speaker's link answer be checked against the speaker's record (schemathesis, stateful).
#[test]
fn no_two_api_types_share_a_schema_name() {
    let mut seen: std::collections::BTreeMap<String, String> = Default::default();
    let mut twins = Vec::new();
    for entry in walk(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))) {
        let source = std::fs::read_to_string(&entry).unwrap();
        let mut lines = source.lines().peekable();
        while let Some(line) = lines.next() {
            if !line.contains("ToSchema") || !line.trim_start().starts_with("#[derive") {
                continue;
            }
            // The item follows its attributes; a `#[schema(as = …)]` renames it.
            let mut renamed = false;
            for next in lines.by_ref() {
                let next = next.trim_start();
                renamed |= next.starts_with("#[schema(as");
                let Some(rest) = next
                    .strip_prefix("pub struct ")
                    .or_else(|| next.strip_prefix("pub enum "))
                else {
                    continue;
                };
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let place = entry.display().to_string();
                if !renamed {
                    if let Some(first) = seen.insert(name.clone(), place.clone()) {
                        twins.push(format!("{name}: {first} and {place}"));
                    }
                }
                break;
            }
        }
    }
    assert!(twins.is_empty(), "schema names used twice: {twins:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}
