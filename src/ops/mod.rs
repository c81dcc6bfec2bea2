//! Operations: liveness, readiness and Prometheus metrics.

pub mod memory;
pub mod metrics;

use std::time::Duration;

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

/// Longest `/readyz` waits for the database: a load balancer asks often and must hear at once.
const READY_WITHIN: Duration = Duration::from_millis(500);

/// The database answers and its schema is at this binary's newest migration; 503 within about
/// half a second otherwise.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let checkout = Duration::from_millis(state.settings.database.checkout_timeout_ms);
    let wait = checkout.min(READY_WITHIN);
    let check = web::block(move || {
        let mut conn = pool.get_timeout(wait).map_err(|e| e.to_string())?;
        Ok::<_, String>(db::is_migrated(&mut conn))
    });
    let ready = match tokio::time::timeout(wait * 2, check).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("no answer in time".to_string()),
    };
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
