//! What a capability contributes to the app: its routes (each with who may call it, the JSON
//! ones with their OpenAPI description) and its reactions to other capabilities' events.

use crate::effects::Reactor;
use crate::web::routes::Routes;

/// One capability, as `app::CAPABILITIES` lists it.
pub struct Capability {
    /// A short name, for logs.
    pub name: &'static str,
    /// Adds the capability's routes, API and pages.
    pub mount: fn(&mut Routes),
    /// Reacts to an event announced by another capability, inside its transaction.
    pub reacts: Option<Reactor>,
}
