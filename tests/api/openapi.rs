use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(the_openapi_document_lists_every_api_route_the_code_declares);

/// Every `#[get("/api/…")]`-style route attribute in src/, as (method, path with {params}).
fn declared_routes() -> BTreeSet<(String, String)> {
    fn walk(dir: &Path, found: &mut BTreeSet<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).unwrap();
                for line in source.lines().map(str::trim) {
                    for method in ["get", "post", "put", "patch", "delete"] {
                        let prefix = format!("#[{method}(\"");
                        if let Some(rest) = line.strip_prefix(&prefix) {
                            let route = rest.split('"').next().unwrap().to_string();
                            if route.starts_with("/api/") {
                                found.insert((method.to_string(), route));
                            }
                        }
                    }
                    assert!(!(line.contains(".route(\"/api") || line.contains("web::resource(\"/api")),
                        "{}: register API routes with route attributes so the OpenAPI test sees them", path.display());
                }
            }
        }
    }
    let mut found = BTreeSet::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    found
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
