//! Who made a change: an account, a secret link's holder, the command line, the service itself.

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in account.
    User(String),
    /// A holder of a secret link, named by what the link opens (e.g. `registration`) and its id.
    Link(&'static str, String),
    /// The command line (`seminars user add`, `seminars demo`).
    Cli,
    /// The service itself (the mail worker, promotions from the waiting list).
    System,
}

impl Actor {
    /// The stored form: `user:ID`, `link:KIND:ID`, `cli` or `system`.
    pub fn as_stored(&self) -> String {
        match self {
            Actor::User(id) => format!("user:{id}"),
            Actor::Link(kind, id) => format!("link:{kind}:{id}"),
            Actor::Cli => "cli".into(),
            Actor::System => "system".into(),
        }
    }
}
