//! Effects that run one way. A use case announces what it changed (an event: a plain type of
//! its `domain.rs`, such as `sessions::domain::SessionEvent`), and every capability that cares
//! reacts inside the same transaction, without the announcer importing it. The app hands the
//! list of reactors to each use case in its `Ctx`.

use std::any::Any;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::config::Settings;
use crate::db::Conn;
use crate::error::AppError;

/// A capability's reaction to events: it looks at the events it knows (`downcast_ref`) and
/// ignores the rest. An error aborts the announcer's transaction.
pub type Reactor = fn(&mut Conn, &Ctx, &dyn Any) -> Result<(), AppError>;

/// What a use case runs with: the settings, the instant it started, and who reacts to its events.
#[derive(Clone)]
pub struct Ctx {
    pub settings: Arc<Settings>,
    pub now: DateTime<Utc>,
    reactors: Arc<Vec<Reactor>>,
}

impl Ctx {
    /// A context starting now.
    pub fn new(settings: Arc<Settings>, reactors: Arc<Vec<Reactor>>) -> Ctx {
        Ctx {
            settings,
            now: Utc::now(),
            reactors,
        }
    }

    /// The same context at another instant (tests, and work that runs later).
    pub fn at(&self, now: DateTime<Utc>) -> Ctx {
        Ctx {
            now,
            ..self.clone()
        }
    }

    /// Tells every reactor, in the order the app lists the capabilities.
    pub fn announce(&self, conn: &mut Conn, event: &dyn Any) -> Result<(), AppError> {
        for react in self.reactors.iter() {
            react(conn, self, event)?;
        }
        Ok(())
    }
}
