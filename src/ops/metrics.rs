//! Request metrics by route pattern, and a request id on every log line.

use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};
use tracing::Instrument;

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

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
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
    let method = req.method().to_string();
    let started = Instant::now();
    let future = span.in_scope(|| service.call(req));
    async move {
        let mut response = future.await?;
        let route = response.request().match_pattern().unwrap_or_else(|| "unmatched".into());
        let status = response.status().as_u16();
        let elapsed = started.elapsed().as_secs_f64();
        metrics.observe(&route, &method, status, elapsed);
        // The route pattern, not the path: a path may carry a secret token.
        tracing::info!(http.method = %method, http.route = %route, http.status = status, elapsed_ms = elapsed * 1000.0, "request served");
        if let Ok(value) = HeaderValue::from_str(&id) {
            response.headers_mut().insert(REQUEST_ID, value);
        }
        Ok(response)
    }
    .instrument(span)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use actix_web::{test, web, App, HttpResponse};

    use super::*;

    /// A log sink the test can read back.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
        type Writer = Captured;

        fn make_writer(&'a self) -> Captured {
            self.clone()
        }
    }

    #[actix_web::test]
    async fn the_request_log_and_metrics_name_the_route_pattern_never_a_secret_token() {
        let captured = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(captured.clone())
            .with_ansi(false)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let metrics = Arc::new(Metrics::new().unwrap());
        let observed = metrics.clone();
        let app = test::init_service(
            App::new()
                .wrap_fn(move |req, srv| observe(observed.clone(), req, srv))
                .route(
                    "/api/v1/registrations/{token}",
                    web::get().to(HttpResponse::Ok),
                ),
        )
        .await;
        let token = "5e".repeat(32);
        for path in [
            format!("/api/v1/registrations/{token}"),
            format!("/no/such/route/{token}"),
        ] {
            let req = test::TestRequest::get().uri(&path).to_request();
            test::call_service(&app, req).await;
        }
        let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert!(
            logs.contains("http.route=/api/v1/registrations/{token}"),
            "{logs}"
        );
        assert!(logs.contains("http.route=unmatched"), "{logs}");
        assert!(!logs.contains(&token), "{logs}");
        assert!(!metrics.render().contains(&token));
    }
}
