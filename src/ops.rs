//! Operations: liveness, readiness, Prometheus metrics and a request id on every log line.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{get, web, HttpResponse};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};
use tracing::Instrument;

use crate::app::AppState;
use crate::db;

/// Request counters and latency histograms, by route pattern.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
}

impl Metrics {
    /// Registers the service's metrics.
    pub fn new() -> Result<Metrics, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by route, method and status",
            ),
            &["route", "method", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by route",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["route"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
        })
    }

    fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .with_label_values(&[route, method, &status.to_string()])
            .inc();
        self.latency.with_label_values(&[route]).observe(seconds);
    }

    fn render(&self) -> String {
        let mut buffer = Vec::new();
        if TextEncoder::new()
            .encode(&self.registry.gather(), &mut buffer)
            .is_err()
        {
            return String::new();
        }
        String::from_utf8(buffer).unwrap_or_default()
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

fn request_id(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// Middleware body: a span with the request id around the whole request, then metrics and an access log line.
pub fn observe<S, B>(
    metrics: Arc<Metrics>,
    req: ServiceRequest,
    service: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse<B>, actix_web::Error>> + use<S, B>
where
    S: actix_web::dev::Service<
        ServiceRequest,
        Response = ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: MessageBody,
{
    let id = request_id(&req);
    let span = tracing::info_span!("request", request.id = %id);
    let (method, path) = (req.method().to_string(), req.path().to_string());
    let started = Instant::now();
    let future = span.in_scope(|| service.call(req));
    async move {
        let mut response = future.await?;
        let route = response.request().match_pattern().unwrap_or_else(|| "unmatched".into());
        let status = response.status().as_u16();
        let elapsed = started.elapsed().as_secs_f64();
        metrics.observe(&route, &method, status, elapsed);
        tracing::info!(http.method = %method, http.path = %path, http.status = status, elapsed_ms = elapsed * 1000.0, "request served");
        if let Ok(value) = HeaderValue::from_str(&id) {
            response.headers_mut().insert(REQUEST_ID, value);
        }
        Ok(response)
    }
    .instrument(span)
}

/// The process is up.
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok\n")
}

/// Longest wait of `/readyz` for a connection: a load balancer's probe needs its answer within
/// its own timeout, while requests may wait the pool's longer `database.connect_timeout_secs`.
const READY_CHECKOUT: Duration = Duration::from_secs(2);

/// The database answers and its schema is at this binary's newest migration.
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let ready = web::block(move || {
        let mut conn = pool
            .get_timeout(READY_CHECKOUT)
            .map_err(|e| crate::error::AppError::Unavailable(e.to_string()))?;
        Ok::<_, crate::error::AppError>(db::is_migrated(&mut conn))
    })
    .await
    .unwrap_or_else(|e| Err(crate::error::AppError::Internal(e.to_string())));
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
#[get("/metrics")]
pub async fn prometheus_metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}
