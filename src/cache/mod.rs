//! Public pages rendered once and served from memory.
//!
//! What anyone may read without signing in (the home page, a session's public page, its
//! calendar feed, the public API reads) is rendered once per key — what the content depends
//! on: route, session, language — and kept with a strong ETag. Every copy is tagged with the
//! *public generation* it was rendered under: one row in the database (`public_generation`)
//! that triggers bump in the same transaction as any change to a table public pages read
//! (meetings, sessions, rooms, bookings, approved agenda versions, countries). A copy whose
//! generation is not the current one is never served.
//!
//! How fresh: an instance reads the generation again after any write transaction committed in
//! this process (so a change made through this instance is visible on its very next read), and
//! otherwise at most every `STALENESS` (250 ms). A change made through another instance sharing
//! the database is therefore visible here within `STALENESS` plus one database round trip.
//! Content that changes with the clock alone (registration opening) carries its own expiry.

pub mod http;
pub mod store;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::db::{self, Pool, COMMITS};
use crate::error::AppError;

/// Longest a change made through another instance stays unseen here (plus one round trip).
pub const STALENESS: Duration = Duration::from_millis(250);

/// Most copies kept; past it the cache starts again empty (keys are bounded by sessions ×
/// languages × routes, so this is a guard, not a policy).
const MAX_ENTRIES: usize = 8192;

/// What a handler rendered, to be kept.
pub struct Rendered {
    pub body: Bytes,
    pub content_type: &'static str,
    /// The content changes with the clock at this instant (e.g. registration opens).
    pub until: Option<DateTime<Utc>>,
    /// The content depends on the negotiated language (`Vary: Accept-Language`).
    pub by_language: bool,
}

/// A kept copy and its strong validator.
pub struct Entry {
    pub body: Bytes,
    pub etag: String,
    pub content_type: &'static str,
    pub by_language: bool,
    generation: i64,
    until: Option<DateTime<Utc>>,
}

impl Entry {
    fn of(rendered: Rendered, generation: i64) -> Entry {
        Entry {
            etag: etag_of(&rendered.body),
            body: rendered.body,
            content_type: rendered.content_type,
            by_language: rendered.by_language,
            generation,
            until: rendered.until,
        }
    }
}

/// A strong ETag of a body: the first 128 bits of its SHA-256, quoted.
pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// The generation last read from the database, when, and how many commits this process had made.
struct Seen {
    generation: i64,
    at: Instant,
    commits: u64,
}

/// The in-memory copies of one running app (each test app has its own).
#[derive(Default)]
pub struct PublicCache {
    entries: RwLock<HashMap<String, Arc<Entry>>>,
    seen: Mutex<Option<Seen>>,
    refreshing: AtomicBool,
}

impl PublicCache {
    /// An empty cache.
    pub fn new() -> PublicCache {
        PublicCache::default()
    }

    /// The generation if what we know may still be trusted without asking the database.
    fn known(&self) -> Option<i64> {
        let seen = self.seen.lock().ok()?;
        let seen = seen.as_ref()?;
        if seen.commits != COMMITS.load(Ordering::Acquire) {
            return None;
        }
        if seen.at.elapsed() < STALENESS {
            return Some(seen.generation);
        }
        // Past the bound: one request asks the database, the others answer meanwhile.
        if self.refreshing.swap(true, Ordering::AcqRel) {
            Some(seen.generation)
        } else {
            None
        }
    }

    /// The current public generation, read from the database when what we know is too old.
    pub async fn generation(&self, pool: &Pool) -> Result<i64, AppError> {
        if let Some(generation) = self.known() {
            return Ok(generation);
        }
        // Commits counted before the read: a commit after it makes the next request read again.
        let commits = COMMITS.load(Ordering::Acquire);
        let at = Instant::now();
        let read = db::run(pool, |conn| Ok(store::generation(conn)?)).await;
        self.refreshing.store(false, Ordering::Release);
        let generation = read?;
        self.observe(generation, at, commits);
        Ok(generation)
    }

    fn observe(&self, generation: i64, at: Instant, commits: u64) {
        let Ok(mut seen) = self.seen.lock() else {
            return;
        };
        let newer = seen.as_ref().is_none_or(|s| generation >= s.generation);
        if !newer {
            return;
        }
        if seen.as_ref().is_some_and(|s| s.generation != generation) {
            if let Ok(mut entries) = self.entries.write() {
                entries.clear();
            }
        }
        *seen = Some(Seen {
            generation,
            at,
            commits,
        });
    }

    /// The copy kept under `key`, if rendered under this generation and not expired.
    pub fn get(&self, key: &str, generation: i64, now: DateTime<Utc>) -> Option<Arc<Entry>> {
        let entries = self.entries.read().ok()?;
        let entry = entries.get(key)?;
        let fresh = entry.generation == generation && entry.until.is_none_or(|until| now < until);
        fresh.then(|| entry.clone())
    }

    /// Keeps a rendered copy under `key`, tagged with the generation read before rendering.
    pub fn put(&self, key: String, rendered: Rendered, generation: i64) -> Arc<Entry> {
        let entry = Arc::new(Entry::of(rendered, generation));
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, entry.clone());
        }
        entry
    }

    /// How many copies are kept (for metrics and tests).
    pub fn len(&self) -> usize {
        self.entries.read().map(|e| e.len()).unwrap_or(0)
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The earliest of these instants still after `now`: when content that depends on them changes.
pub fn next_change(
    now: DateTime<Utc>,
    instants: &[Option<DateTime<Utc>>],
) -> Option<DateTime<Utc>> {
    instants
        .iter()
        .flatten()
        .filter(|t| **t > now)
        .min()
        .copied()
}
