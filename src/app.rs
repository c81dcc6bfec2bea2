//! Builds the actix application: shared state, middleware, and the routes of every capability.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::error::{JsonPayloadError, QueryPayloadError};
use actix_web::middleware::DefaultHeaders;
use actix_web::{web, App, HttpRequest, HttpServer};

use crate::capability::Capability;
use crate::config::Settings;
use crate::effects::{Ctx, Reactor};
use crate::error::AppError;
use crate::ops::metrics::Metrics;
use crate::state::AppState;
use crate::web::routes::{ApiDoc, Route, Routes, SessionTab};
use crate::web::KnownRoutes;
use crate::{accounts, audit, bookings, countries, db, feeds, holds, links, mail, meetings};
use crate::{openapi, ops, rapporteurs, registrations, rooms, security, sessions};

/// A bound, migrated, not yet running server.
pub struct Application {
    pub addr: SocketAddr,
    pub server: Server,
    pub pool: db::Pool,
    /// The mail delivery worker, when `mail.worker` is on; stop it after the server has ended.
    pub worker: Option<crate::mail::worker::WorkerHandle>,
}

/// Connects to the database, applies migrations, binds the listener and builds the server.
pub fn build(settings: Settings) -> Result<Application, String> {
    crate::web::check()?;
    let proxies = security::proxies::TrustedProxies::parse(&settings.server.trusted_proxies)
        .map_err(|m| format!("bad setting server.trusted_proxies: {m}"))?;
    let pool = db::connect(&settings.database)?;
    let mut conn = pool
        .get()
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    let applied = migrate(&mut conn)?;
    drop(conn);
    if applied > 0 {
        tracing::info!(migrations = applied, "database migrated");
    }
    let listener = TcpListener::bind(&settings.server.listen)
        .map_err(|e| format!("cannot listen on {}: {e}", settings.server.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let state = web::Data::new(AppState {
        pool: pool.clone(),
        decoy_hash: security::secrets::decoy_hash(&settings.auth),
        metrics: Arc::new(Metrics::new().map_err(|e| e.to_string())?),
        settings: Arc::new(settings.clone()),
        reactors: reactors(),
        proxies: Arc::new(proxies),
        session_tabs: Arc::new(session_tabs()),
        cache: Arc::new(crate::cache::PublicCache::new()),
        groups: Arc::default(),
    });
    let (listed, doc) = routes();
    let document = web::Data::new(openapi::document(doc)?);
    let known = web::Data::new(KnownRoutes::new(&listed));
    let json_limit = settings.server.json_limit_bytes;
    let session_key = security::session::key(&settings)?;
    let session_settings = settings.clone();
    let mut server = HttpServer::new(move || {
        let metrics = state.metrics.clone();
        App::new()
            .app_data(state.clone())
            .app_data(document.clone())
            .app_data(known.clone())
            .app_data(json_config(json_limit))
            .app_data(web::QueryConfig::default().error_handler(query_error))
            .wrap(actix_web::middleware::from_fn(security::csrf::check))
            .wrap(actix_web::middleware::from_fn(
                crate::edge::refuse_control_characters,
            ))
            // Outside the CSRF check, which reads form bodies itself.
            .wrap(actix_web::middleware::from_fn(security::deadline::bound))
            .wrap(security::session::middleware(
                &session_settings,
                session_key.clone(),
            ))
            .wrap(security_headers(&session_settings))
            .wrap_fn(move |req, srv| ops::metrics::observe(metrics.clone(), req, srv))
            .configure(mount_all)
            .default_service(web::to(crate::web::not_found))
    })
    .shutdown_timeout(settings.server.shutdown_timeout_secs)
    .listen(listener)
    .map_err(|e| e.to_string())?;
    // A blocking thread more than the pool has connections would only wait for one (and keep
    // its memory): requests beyond queue for a thread instead.
    server = server.worker_max_blocking_threads(settings.database.pool_size as usize + 2);
    if settings.server.workers > 0 {
        server = server.workers(settings.server.workers);
    }
    let worker = crate::mail::worker::start(&pool, &settings)?;
    crate::speakers::invitations::reminders::schedule(&pool, ctx(&settings));
    Ok(Application {
        addr,
        server: server.run(),
        pool,
        worker,
    })
}

/// Applies pending migrations and fills the reference data an empty database needs (the
/// countries, from their one source in data/reference/); answers the migrations applied.
pub fn migrate(conn: &mut db::Conn) -> Result<usize, String> {
    // Instances starting together on one PostgreSQL database migrate and seed one at a time.
    db::one_migrator(conn, |conn| {
        let applied = db::migrate(conn)?;
        countries::service::seed(conn, chrono::Utc::now())
            .map_err(|e| format!("cannot seed the countries: {}", e.one_line()))?;
        Ok(applied)
    })
}

/// Every capability of the service, one line each. The order is the order in which they mount
/// their routes and in which they react to an event.
pub const CAPABILITIES: &[Capability] = &[
    ops::CAPABILITY,
    crate::web::CAPABILITY,
    openapi::CAPABILITY,
    accounts::CAPABILITY,
    links::CAPABILITY,
    audit::CAPABILITY,
    meetings::CAPABILITY,
    sessions::CAPABILITY,
    rapporteurs::CAPABILITY,
    crate::agendas::CAPABILITY,
    rooms::CAPABILITY,
    bookings::CAPABILITY,
    holds::CAPABILITY,
    registrations::CAPABILITY,
    countries::CAPABILITY,
    feeds::CAPABILITY,
    mail::CAPABILITY,
    crate::speakers::CAPABILITY,
    // workspace: the staff dashboard, meeting and session hubs (last: reads what the others mount)
    crate::workspace::CAPABILITY,
];

/// Every route the app mounts, and the OpenAPI description of the JSON ones.
pub fn routes() -> (Vec<Route>, ApiDoc) {
    listing().finish()
}

/// The tabs the capabilities add to a session's staff page, in order.
pub fn session_tabs() -> Vec<SessionTab> {
    listing().tabs()
}

fn listing() -> Routes<'static> {
    let mut routes = Routes::listing();
    for capability in CAPABILITIES {
        (capability.mount)(&mut routes);
    }
    routes
}

/// Every capability's reaction to events, in the order of `CAPABILITIES`.
pub fn reactors() -> Arc<Vec<Reactor>> {
    Arc::new(CAPABILITIES.iter().filter_map(|c| c.reacts).collect())
}

/// The context for a use case run outside a request (the command line, tests).
pub fn ctx(settings: &Settings) -> Ctx {
    Ctx::new(Arc::new(settings.clone()), reactors())
}

fn mount_all(cfg: &mut web::ServiceConfig) {
    let mut routes = Routes::mounting(cfg);
    for capability in CAPABILITIES {
        (capability.mount)(&mut routes);
    }
    routes.mount_tree(|| web::to(crate::web::not_found));
}

fn security_headers(settings: &Settings) -> DefaultHeaders {
    let headers = if security::session::is_https(settings) {
        DefaultHeaders::new().add((
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        DefaultHeaders::new()
    };
    headers
        .add((
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
        // perf: anything that does not say otherwise (staff pages, personal pages, the API for a
        // signed-in caller) is kept by no cache; public reads set their own (see `cache`).
        .add(("Cache-Control", "private, no-store"))
}

fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|err, _req| json_error(err).into())
}

/// Maps a JSON body that could not be read to the problem the client should see.
fn json_error(err: JsonPayloadError) -> AppError {
    match err {
        JsonPayloadError::ContentType => {
            AppError::UnsupportedMediaType("send the body as Content-Type: application/json".into())
        }
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            AppError::PayloadTooLarge
        }
        JsonPayloadError::Deserialize(e) if e.is_data() => {
            let message = e.to_string();
            match message
                .split("unknown field `")
                .nth(1)
                .and_then(|r| r.split('`').next())
            {
                Some(field) => AppError::invalid(field, "is not a known field"),
                None => AppError::BadRequest(format!(
                    "the JSON body does not have the expected shape: {message}"
                )),
            }
        }
        JsonPayloadError::Deserialize(e) => AppError::BadRequest(format!("malformed JSON: {e}")),
        other => AppError::BadRequest(format!("could not read the body: {other}")),
    }
}

fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    AppError::BadRequest(format!("bad query string: {err}")).into()
}
