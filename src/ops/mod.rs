//! Operations: liveness, readiness and Prometheus metrics.

pub mod metrics;

use std::time::Duration;

use actix_web::http::Method;
use actix_web::{web, HttpResponse};

use crate::capability::Capability;
use crate::db;
use crate::error::AppError;
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

/// Longest wait of `/readyz` for a connection: a load balancer's probe needs its answer within
/// its own timeout, while requests may wait the pool's longer `database.connect_timeout_secs`.
const READY_CHECKOUT: Duration = Duration::from_secs(2);

/// The database answers and its schema is at this binary's newest migration.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let ready = web::block(move || {
        let mut conn = pool
            .get_timeout(READY_CHECKOUT)
            .map_err(|e| AppError::Unavailable(e.to_string()))?;
        Ok::<_, AppError>(db::is_migrated(&mut conn))
    })
    .await
    .unwrap_or_else(|e| Err(AppError::Internal(e.to_string())));
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
