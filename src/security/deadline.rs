//! A deadline for reading request bodies. actix-web bounds the request head only, so a client
//! that sends a few bytes of a body and stalls would hold its connection open indefinitely. Every
//! body except a multipart upload must arrive in full within `server.body_timeout_secs` of the
//! request; a late one answers 408 and the connection is closed.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use futures_util::Stream;
use tokio::time::{sleep, Sleep};

use crate::state::AppState;

/// The middleware: wraps the body in a deadline, and answers 408 when it passed.
pub async fn bound(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let limit = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.settings.server.body_timeout_secs)
        .filter(|secs| *secs > 0);
    let Some(limit) = limit.filter(|_| !is_multipart(&req)) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let late = Rc::new(Cell::new(false));
    let (request, payload) = req.into_parts();
    let bounded = Deadline {
        inner: payload,
        timer: Box::pin(sleep(Duration::from_secs(limit))),
        late: late.clone(),
    };
    let req = ServiceRequest::from_parts(request, Payload::from(Box::pin(bounded) as BoxedBody));
    let response = next.call(req).await?;
    if !late.get() {
        return Ok(response.map_into_left_body());
    }
    let is_api = response.request().path().starts_with("/api/");
    let answer = too_slow(is_api, limit);
    Ok(response.into_response(answer).map_into_right_body())
}

/// Large uploads have their own limits and may take longer than a JSON body.
fn is_multipart(req: &ServiceRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/")
        })
}

/// 408: problem details for the API, a short page for browsers.
fn too_slow(is_api: bool, limit: u64) -> HttpResponse {
    let detail = format!("The request body did not arrive within {limit} seconds.");
    let mut answer = HttpResponse::RequestTimeout();
    answer.force_close();
    if is_api {
        let problem = serde_json::json!({"type": "about:blank#408", "title": "Request timeout",
            "status": 408, "detail": detail});
        answer
            .content_type("application/problem+json")
            .body(problem.to_string())
    } else {
        answer
            .content_type("text/plain; charset=utf-8")
            .body(detail)
    }
}

/// The stream type actix keeps a replaced body as.
type BoxedBody = Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>>;

/// A body stream that ends with an error once its deadline has passed.
struct Deadline {
    inner: Payload,
    timer: Pin<Box<Sleep>>,
    late: Rc<Cell<bool>>,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.late.get() {
            return Poll::Ready(None);
        }
        if let Poll::Ready(item) = Pin::new(&mut this.inner).poll_next(cx) {
            return Poll::Ready(item);
        }
        if this.timer.as_mut().poll(cx).is_ready() {
            this.late.set(true);
            let late = std::io::Error::new(std::io::ErrorKind::TimedOut, "request body too slow");
            return Poll::Ready(Some(Err(PayloadError::Io(late))));
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::{test, App};

    #[actix_web::test]
    async fn a_body_that_arrives_in_time_is_read_as_usual() {
        let app = test::init_service(
            App::new()
                .wrap(actix_web::middleware::from_fn(bound))
                .route("/echo", web::post().to(|body: Bytes| async move { body })),
        )
        .await;
        let req = test::TestRequest::post()
            .uri("/echo")
            .set_payload("hello")
            .to_request();
        let body = test::call_and_read_body(&app, req).await;
        assert_eq!(body, "hello");
    }
}
