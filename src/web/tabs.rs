//! The tabs of a session's staff page, each added by the capability that owns its page.

use crate::access::gate::Access;

/// A tab of a session's staff page, contributed by the capability that owns its page: the
/// workspace shows every tab whose `access` admits the reader, in `order`.
#[derive(Debug, Clone)]
pub struct SessionTab {
    /// Where order puts it: smaller first.
    pub order: u16,
    /// The key of its label in the catalogues (locales/).
    pub label: &'static str,
    /// Its page, with `{id}` for the session: `/sessions/{id}/agenda`.
    pub path: &'static str,
    /// Who sees the tab (the page itself is guarded by its route).
    pub access: Access,
}

impl SessionTab {
    /// The tab's link for one session.
    pub fn href(&self, session_id: &str) -> String {
        self.path.replace("{id}", session_id)
    }
}
