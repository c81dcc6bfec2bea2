//! The OpenAPI document of the JSON API, built from the routes the capabilities mount and served
//! at /api/v1/openapi.json.

use actix_web::{web, HttpResponse};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, Content, InfoBuilder, OpenApiBuilder, Paths, Ref, RefOr, Response,
};
use utoipa::{PartialSchema, ToSchema};

use crate::api;
use crate::capability::Capability;
use crate::error::Problem;
use crate::web::routes::{Access, ApiDoc, Routes};

/// The document, serialised once at start-up.
pub struct ApiDocument(pub String);

/// The document itself, for anyone.
pub const CAPABILITY: Capability = Capability {
    name: "openapi",
    mount,
    reacts: None,
};

fn mount(r: &mut Routes) {
    api!(r, Access::Anyone, self::openapi_json);
}

/// Builds the document from what the capabilities mounted.
pub fn document(doc: ApiDoc) -> Result<ApiDocument, String> {
    let mut components = ComponentsBuilder::new()
        .schema(Problem::name(), Problem::schema())
        .security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    for (name, schema) in doc.schemas {
        components = components.schema(name, schema);
    }
    let mut paths = doc.paths;
    declare_problem_answers(&mut paths);
    let openapi = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("seminars")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Sessions and seminars held alongside ITU-D Study Group 1 and Rapporteur \
                     Group meetings.",
                ))
                .build(),
        )
        .paths(paths)
        .components(Some(components.build()))
        .build();
    openapi
        .to_json()
        .map(ApiDocument)
        .map_err(|e| format!("cannot write the OpenAPI document: {e}"))
}

/// Answers every operation may give besides its own, all as problem details: a malformed request
/// (400), no or another account (401, 403), an unknown id (404), a body too slow, too large or of
/// another type (408, 413, 415), invalid fields (422), too many attempts (429), the database away
/// (503). Errors an operation declares itself are also answered as problem details.
fn declare_problem_answers(paths: &mut Paths) {
    const COMMON: [(&str, &str); 5] = [
        (
            "400",
            "Malformed request: a query or body that cannot be read",
        ),
        ("401", "Not signed in"),
        ("403", "Signed in, but this account may not do this"),
        ("429", "Too many attempts; try again later"),
        ("503", "The database is unavailable; try again"),
    ];
    const WITH_ID: [(&str, &str); 1] = [("404", "No such record")];
    const WITH_INPUT: [(&str, &str); 1] = [("422", "Invalid fields, each named")];
    const WITH_BODY: [(&str, &str); 3] = [
        ("408", "The body did not arrive in time"),
        ("413", "The body is too large"),
        ("415", "The body is not JSON"),
    ];
    for (path, item) in paths.paths.iter_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            let mut extra: Vec<(&str, &str)> = COMMON.to_vec();
            if path.contains('{') {
                extra.extend(WITH_ID);
            }
            if operation.request_body.is_some() || operation.parameters.is_some() {
                extra.extend(WITH_INPUT);
            }
            if operation.request_body.is_some() {
                extra.extend(WITH_BODY);
            }
            let answers = &mut operation.responses.responses;
            for (status, description) in extra {
                answers
                    .entry(status.to_string())
                    .or_insert_with(|| RefOr::T(Response::new(description)));
            }
            let errors = answers
                .iter_mut()
                .filter(|(status, _)| !status.starts_with('2') && !status.starts_with('3'));
            for (_, answer) in errors {
                if let RefOr::T(answer) = answer {
                    answer.content = [(
                        "application/problem+json".to_string(),
                        Content::new(Some(RefOr::Ref(Ref::from_schema_name(Problem::name())))),
                    )]
                    .into_iter()
                    .collect();
                }
            }
        }
    }
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", responses((status = 200, description = "The OpenAPI 3.1 document")))]
pub async fn openapi_json(document: web::Data<ApiDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document.0.clone())
}
