//! OTA-3: wrong PIN attempts are counted and lock provisioning after a small number. The
//! counter lives behind [`AttemptStore`] so that it can be persisted: `mms-core` keeps it in
//! the client's database, so a restart does not reset it.

use std::sync::Mutex;

/// Where the attempt counter lives.
pub trait AttemptStore: Send + Sync {
    /// Wrong attempts so far.
    fn failures(&self) -> u32;
    /// Records one more wrong attempt.
    fn record_failure(&self);
    /// Resets after a success.
    fn reset(&self);
}

/// An in-memory counter (tests, or apps that persist elsewhere).
#[derive(Debug, Default)]
pub struct MemoryAttempts(Mutex<u32>);

impl AttemptStore for MemoryAttempts {
    fn failures(&self) -> u32 {
        self.0.lock().map(|g| *g).unwrap_or(u32::MAX)
    }
    fn record_failure(&self) {
        if let Ok(mut g) = self.0.lock() {
            *g = g.saturating_add(1);
        }
    }
    fn reset(&self) {
        if let Ok(mut g) = self.0.lock() {
            *g = 0;
        }
    }
}
