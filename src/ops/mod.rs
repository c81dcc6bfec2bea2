//! Operations: liveness, readiness and Prometheus metrics.

pub mod metrics;

use actix_web::http::Method;
use actix_web::{web, HttpResponse};

use crate::capability::Capability;
use crate::db;
use crate::state::AppState;
use crate::web::routes::{Access, Routes};

/// Health, readiness and metrics, open to anyone (a load balancer asks them).
pub const CAPABILITY: Capability = Capability {
    name: "ops",
    mount,
    reacts: None,
};

fn mount(r: &mut Routes) {
    r.page(Method::GET, "/healthz", Access::Anyone, healthz)
        .page(Method::GET, "/readyz", Access::Anyone, readyz)
        .page(Method::GET, "/metrics", Access::Anyone, prometheus_metrics);
}

/// The process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok\n")
}

/// The database answers and its schema is at this binary's newest migration.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let ready = db::run(&state.pool, |conn| Ok(db::is_migrated(conn))).await;
    match ready {
        Ok(true) => HttpResponse::Ok()
            .content_type("text/plain")
            .body("ready\n"),
        Ok(false) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("migrations pending\n"),
        Err(e) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body(format!("database unavailable: {e}\n")),
    }
}

/// Prometheus text exposition.
pub async fn prometheus_metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}
