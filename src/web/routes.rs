//! The route registry. Every capability mounts its routes here, each with who may call it, so
//! the app knows its own routes: it guards each one, documents the JSON ones in OpenAPI, answers
//! 405 for a known path with another method, and hands the list to the permission tests.

use actix_web::body::BoxBody;
use actix_web::dev::ServiceRequest;
use actix_web::http::Method;
use actix_web::middleware::{from_fn, Next};
use actix_web::{guard, web, FromRequest, Handler, HttpResponse, Responder, ResponseError};
use utoipa::openapi::path::{HttpMethod, Paths};
use utoipa::openapi::{RefOr, Schema};

use super::errors::PageError;
pub use super::tabs::SessionTab;
use super::tree::Mount;
pub use crate::access::gate::Access;
use crate::access::Caller;
use crate::error::AppError;

/// Whether a route answers JSON (problem details, 401) or HTML (an error page, 303 to sign in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Api,
    Page,
}

/// One mounted route.
#[derive(Debug, Clone)]
pub struct Route {
    pub method: Method,
    pub path: String,
    pub access: Access,
    pub face: Face,
}

/// What the JSON routes contribute to the OpenAPI document.
#[derive(Default)]
pub struct ApiDoc {
    pub paths: Paths,
    pub schemas: Vec<(String, RefOr<Schema>)>,
}

/// The registry a capability's `mount` adds its routes to. The app runs every `mount` twice:
/// once with an actix `ServiceConfig` per worker, once to list the routes.
pub struct Routes<'a> {
    cfg: Option<&'a mut web::ServiceConfig>,
    /// Routes waiting to be mounted by `mount_tree`.
    pending: Vec<(String, Mount)>,
    routes: Vec<Route>,
    doc: ApiDoc,
    tabs: Vec<SessionTab>,
}

impl<'a> Routes<'a> {
    /// A registry that mounts into actix.
    pub fn mounting(cfg: &'a mut web::ServiceConfig) -> Routes<'a> {
        Routes {
            cfg: Some(cfg),
            pending: Vec::new(),
            routes: Vec::new(),
            doc: ApiDoc::default(),
            tabs: Vec::new(),
        }
    }

    /// A registry that only lists.
    pub fn listing() -> Routes<'static> {
        Routes {
            cfg: None,
            pending: Vec::new(),
            routes: Vec::new(),
            doc: ApiDoc::default(),
            tabs: Vec::new(),
        }
    }

    /// Mounts the routes added into actix as a tree of scopes (see `web::tree`); `fallback`
    /// answers a request no route of its scope matches.
    pub fn mount_tree(&mut self, fallback: fn() -> actix_web::Route) {
        if let Some(cfg) = self.cfg.as_deref_mut() {
            super::tree::mount(cfg, std::mem::take(&mut self.pending), fallback);
        }
    }

    /// The routes added so far, and the OpenAPI paths of the JSON ones.
    pub fn finish(self) -> (Vec<Route>, ApiDoc) {
        (self.routes, self.doc)
    }

    /// The session tabs added so far, in their order.
    pub fn tabs(&self) -> Vec<SessionTab> {
        let mut tabs = self.tabs.clone();
        tabs.sort_by_key(|t| t.order);
        tabs
    }

    /// Adds a tab to every session's staff page.
    pub fn session_tab(&mut self, tab: SessionTab) -> &mut Self {
        self.tabs.push(tab);
        self
    }

    /// Adds a JSON handler documented with `#[utoipa::path]`: its method and path are the
    /// documented ones, so the document cannot disagree with the route. Use the `api!` macro.
    pub fn api<P, F, Args>(&mut self, access: Access, handler: F) -> &mut Self
    where
        P: utoipa::Path + utoipa::__dev::SchemaReferences,
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let path = P::path();
        let methods = P::methods();
        if self.cfg.is_none() {
            self.doc
                .paths
                .add_path_operation(&path, methods.clone(), P::operation());
            P::schemas(&mut self.doc.schemas);
        }
        for method in methods {
            self.add(
                method_of(&method),
                path.clone(),
                access,
                Face::Api,
                handler.clone(),
            );
        }
        self
    }

    /// Adds an HTML page.
    pub fn page<F, Args>(
        &mut self,
        method: Method,
        path: &str,
        access: Access,
        handler: F,
    ) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(method, path.to_string(), access, Face::Page, handler);
        self
    }

    fn add<F, Args>(&mut self, method: Method, path: String, access: Access, face: Face, handler: F)
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        if self.cfg.is_some() {
            let on = method.clone();
            let mount: Mount = Box::new(move |cfg: &mut web::ServiceConfig, at: &str| {
                let resource = web::resource(at)
                    .guard(guard::Method(on))
                    .wrap(from_fn(move |req: ServiceRequest, next: Next<BoxBody>| {
                        gate(access, face, req, next)
                    }))
                    .to(handler);
                cfg.service(resource);
            });
            self.pending.push((path.clone(), mount));
        }
        self.routes.push(Route {
            method,
            path,
            access,
            face,
        });
    }
}

/// Mounts a JSON handler with the method and path of its `#[utoipa::path]` attribute:
/// `api!(routes, Access::Organiser, api::create)`.
#[macro_export]
macro_rules! api {
    ($routes:expr, $access:expr, $module:ident :: $handler:ident) => {
        pastey::paste! {
            $routes.api::<$module::[<__path_ $handler>], _, _>($access, $module::$handler)
        }
    };
}

fn method_of(method: &HttpMethod) -> Method {
    match method {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Delete => Method::DELETE,
        HttpMethod::Head => Method::HEAD,
        HttpMethod::Options => Method::OPTIONS,
        HttpMethod::Trace => Method::TRACE,
    }
}

/// Lets the request through when the caller may call the route; otherwise answers as the route's
/// face does: 401 or 403 problem details, or a 303 to the sign-in page and an HTML 403.
async fn gate(
    access: Access,
    face: Face,
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<actix_web::dev::ServiceResponse<BoxBody>, actix_web::Error> {
    if access == Access::Anyone {
        return next.call(req).await;
    }
    let caller = Caller::extract(req.request()).await;
    let refusal = match (caller, face) {
        (Ok(Caller(Some(user))), _) if access.admits(&user) => return next.call(req).await,
        (Ok(Caller(None)), Face::Page) => {
            let response = sign_in_first(req.request().uri());
            return Ok(req.into_response(response));
        }
        (Ok(Caller(None)), Face::Api) => AppError::Unauthorized,
        (Ok(Caller(Some(_))), _) => AppError::Forbidden,
        (Err(e), _) => e,
    };
    // Answered here rather than returned as an error, so the app's middleware (security
    // headers, request id) still sees an ordinary response.
    let response = match face {
        Face::Api => refusal.error_response(),
        Face::Page => PageError(refusal).error_response(),
    };
    Ok(req.into_response(response))
}

/// A 303 to the sign-in page that comes back here afterwards.
fn sign_in_first(uri: &actix_web::http::Uri) -> HttpResponse {
    let next: String = url::form_urlencoded::byte_serialize(uri.path().as_bytes()).collect();
    HttpResponse::SeeOther()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/sign-in?next={next}"),
        ))
        .finish()
}
