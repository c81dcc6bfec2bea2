//! Builds the actix application: shared state, middleware, and the routes of every capability.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::error::{JsonPayloadError, QueryPayloadError};
use actix_web::middleware::DefaultHeaders;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};

use crate::config::Settings;
use crate::error::{AppError, PageError};
use crate::ops::Metrics;
use crate::{audit, auth, db, meetings, openapi, ops, sessions, web as pages};
use crate::{countries, registrations};

/// What every handler can reach.
pub struct AppState {
    pub pool: db::Pool,
    pub settings: Arc<Settings>,
    pub metrics: Arc<Metrics>,
    /// Verified against when an email is unknown, so sign-in takes as long as for a known one.
    pub decoy_hash: String,
}

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
    pages::check()?;
    let pool = db::connect(&settings.database)?;
    let mut conn = pool
        .get()
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    let applied = db::migrate(&mut conn)?;
    drop(conn);
    if applied > 0 {
        tracing::info!(migrations = applied, "database migrated");
    }
    let listener = TcpListener::bind(&settings.server.listen)
        .map_err(|e| format!("cannot listen on {}: {e}", settings.server.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let state = web::Data::new(AppState {
        pool: pool.clone(),
        decoy_hash: auth::secrets::decoy_hash(&settings.auth),
        metrics: Arc::new(Metrics::new().map_err(|e| e.to_string())?),
        settings: Arc::new(settings.clone()),
    });
    let json_limit = settings.server.json_limit_bytes;
    let session_key = auth::session::key(&settings)?;
    let session_settings = settings.clone();
    let mut server = HttpServer::new(move || {
        let metrics = state.metrics.clone();
        App::new()
            .app_data(state.clone())
            .app_data(json_config(json_limit))
            .app_data(web::QueryConfig::default().error_handler(query_error))
            .wrap(actix_web::middleware::from_fn(auth::csrf::check))
            .wrap(actix_web::middleware::from_fn(
                crate::edge::refuse_control_characters,
            ))
            .wrap(auth::session::middleware(
                &session_settings,
                session_key.clone(),
            ))
            .wrap(security_headers(&session_settings))
            .wrap_fn(move |req, srv| ops::observe(metrics.clone(), req, srv))
            .configure(routes)
            .default_service(web::to(not_found))
    })
    .shutdown_timeout(settings.server.shutdown_timeout_secs)
    .listen(listener)
    .map_err(|e| e.to_string())?;
    if settings.server.workers > 0 {
        server = server.workers(settings.server.workers);
    }
    let worker = crate::mail::worker::start(&pool, &settings)?;
    Ok(Application {
        addr,
        server: server.run(),
        pool,
        worker,
    })
}

/// Every route of every capability.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(ops::healthz)
        .service(ops::readyz)
        .service(ops::prometheus_metrics)
        .service(pages::stylesheet)
        .service(openapi::openapi_json)
        .service(auth::api::token)
        .service(auth::api::me)
        .service(meetings::api::create)
        .service(meetings::api::list)
        .service(meetings::api::get)
        .service(sessions::api::create)
        .service(sessions::api::list)
        .service(sessions::api::get)
        .service(sessions::api::update)
        .service(sessions::api::publish)
        .service(sessions::api::cancel)
        .service(meetings::pages::home)
        .service(sessions::pages::show)
        // rooms
        .service(crate::rooms::api::create_room)
        .service(crate::rooms::api::list_rooms)
        .service(crate::rooms::api::get_room)
        .service(crate::rooms::api::update_room)
        .service(crate::rooms::api::availability)
        .service(crate::rooms::api::create_equipment)
        .service(crate::rooms::api::list_equipment)
        .service(crate::rooms::api::get_equipment)
        .service(crate::rooms::api::update_equipment)
        .service(crate::rooms::api::book)
        .service(crate::rooms::api::list_bookings)
        .service(crate::rooms::api::unbook)
        .service(crate::rooms::pages::room_grid)
        .service(crate::rooms::pages::equipment_days)
        .service(crate::rooms::pages::rooms_page)
        .service(crate::rooms::pages::add_room)
        .service(crate::rooms::pages::equipment_page)
        .service(crate::rooms::pages::add_equipment)
        .service(crate::mail::api::list)
        .service(crate::mail::api::retry)
        .service(crate::mail::pages::list)
        .service(crate::feeds::pages::session)
        .service(crate::feeds::pages::holder)
        .service(auth::users_api::create)
        .service(auth::users_api::list)
        .service(auth::rapporteurs::put_rapporteurs)
        .service(auth::links_api::reissue_link)
        .service(auth::links_api::revoke_link)
        .service(audit::api::list)
        .service(auth::pages::sign_in_form)
        .service(auth::pages::sign_in)
        .service(auth::pages::sign_out)
        .service(auth::pages::staff)
        .service(auth::password_pages::setup_form)
        .service(auth::password_pages::setup)
        .service(auth::password_pages::reset_request_form)
        .service(auth::password_pages::reset_request)
        .service(auth::password_pages::reset_form)
        .service(auth::password_pages::reset)
        .service(auth::users_pages::users_page)
        .service(auth::users_pages::invite)
        .service(audit::pages::audit_page)
        .service(registrations::api::create)
        .service(registrations::api::mine)
        .service(registrations::api::cancel)
        .service(registrations::api::list)
        .service(registrations::api::csv)
        .service(registrations::api::stats)
        .service(registrations::api::resend_link)
        .service(registrations::api::approve)
        .service(registrations::api::reject)
        .service(registrations::api::bulk)
        .service(countries::api::list)
        .service(countries::api::import)
        .service(registrations::pages::register_form)
        .service(registrations::pages::register_submit)
        .service(registrations::pages::show)
        .service(registrations::pages::cancel)
        .service(registrations::pages::decision)
        .service(registrations::pages::decide_page)
        .service(registrations::staff_pages::list)
        .service(registrations::staff_pages::bulk)
        .service(registrations::staff_pages::stats)
        .service(registrations::staff_pages::directory)
        .service(countries::pages::show)
        .service(countries::pages::import);
}

fn security_headers(settings: &Settings) -> DefaultHeaders {
    let headers = if auth::session::is_https(settings) {
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

async fn not_found(req: HttpRequest) -> Result<HttpResponse, actix_web::Error> {
    if req.path().starts_with("/api/") {
        Err(AppError::NotFound.into())
    } else {
        Err(PageError(AppError::NotFound).into())
    }
}
