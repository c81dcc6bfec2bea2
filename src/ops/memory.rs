//! Keeps the resident memory of a long-running server small.
//!
//! glibc's malloc gives a thread that meets contention an arena of its own (up to eight per core)
//! and keeps what is freed in it for later: after a burst served by tens of blocking threads the
//! server stayed at 180–200 MB although it held little. Two arenas, a fixed threshold above which
//! blocks are mapped on their own (so a large block freed, like the password hasher's, goes back
//! to the system at once), and a trim every few seconds return what is free.

use std::time::Duration;

/// How often free memory is handed back to the system.
pub const TRIM_EVERY: Duration = Duration::from_secs(5);

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    pub const M_TRIM_THRESHOLD: i32 = -1;
    pub const M_MMAP_THRESHOLD: i32 = -3;
    pub const M_ARENA_MAX: i32 = -8;
    extern "C" {
        pub fn mallopt(param: i32, value: i32) -> i32;
        pub fn malloc_trim(pad: usize) -> i32;
    }
}

/// Sets the allocator's limits (Linux with glibc; elsewhere nothing is done). Call once, first.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets tunables of the allocator from plain integers; it is called
    // before the server starts its threads.
    unsafe {
        glibc::mallopt(glibc::M_ARENA_MAX, 2);
        glibc::mallopt(glibc::M_MMAP_THRESHOLD, 256 * 1024);
        glibc::mallopt(glibc::M_TRIM_THRESHOLD, 1024 * 1024);
    }
}

/// Hands the free memory of every arena back to the system.
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases pages malloc holds free; it takes a plain integer.
    unsafe {
        glibc::malloc_trim(0);
    }
}

/// Trims every `TRIM_EVERY` for as long as the runtime runs.
pub fn keep_trimming() -> tokio::task::JoinHandle<()> {
    tokio::spawn(async {
        let mut every = tokio::time::interval(TRIM_EVERY);
        loop {
            every.tick().await;
            trim();
        }
    })
}
