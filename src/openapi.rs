//! The OpenAPI document of the JSON API, built from the routes the capabilities mount and served
//! at /api/v1/openapi.json.

use actix_web::{web, HttpResponse};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApiBuilder};
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
        .paths(doc.paths)
        .components(Some(components.build()))
        .build();
    openapi
        .to_json()
        .map(ApiDocument)
        .map_err(|e| format!("cannot write the OpenAPI document: {e}"))
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", responses((status = 200, description = "The OpenAPI 3.1 document")))]
pub async fn openapi_json(document: web::Data<ApiDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document.0.clone())
}
