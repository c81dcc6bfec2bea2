//! What every handler can reach: the pool, the settings, the metrics. A leaf: it imports no
//! capability, so every capability's handlers import it without a cycle.

use std::sync::Arc;

use crate::config::Settings;
use crate::db;
use crate::effects::{Ctx, Reactor};
use crate::ops::metrics::Metrics;
use crate::security::proxies::TrustedProxies;
use crate::web::tabs::SessionTab;

/// The shared state of the running service.
pub struct AppState {
    pub pool: db::Pool,
    pub settings: Arc<Settings>,
    pub metrics: Arc<Metrics>,
    /// Verified against when an email is unknown, so sign-in takes as long as for a known one.
    pub decoy_hash: String,
    /// What reacts to the events a use case announces (see `effects`).
    pub reactors: Arc<Vec<Reactor>>,
    /// The tabs capabilities add to a session's staff page (see `web::tabs::SessionTab`).
    pub session_tabs: Arc<Vec<SessionTab>>,
    /// The load balancers whose `X-Forwarded-For` names the client (`server.trusted_proxies`).
    pub proxies: Arc<TrustedProxies>,
    /// Rendered public pages kept in memory (see `cache`).
    pub cache: Arc<crate::cache::PublicCache>,
    /// Writes that share one transaction per key, e.g. a session's registrations (`db::group`).
    pub groups: Arc<db::group::Groups>,
}

impl AppState {
    /// The context a use case runs in: the settings, the clock now, and who reacts to its events.
    pub fn ctx(&self) -> Ctx {
        Ctx::new(self.settings.clone(), self.reactors.clone())
    }
}
