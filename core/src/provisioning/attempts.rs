//! OTA-3: wrong PIN attempts are counted and lock provisioning after a small number. The
//! count is persisted so that a restart does not reset it.

use std::path::PathBuf;
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

/// A counter persisted in a small file, written atomically (temp file + rename). An
/// unreadable file counts as locked: failing closed.
#[derive(Debug)]
pub struct FileAttempts {
    path: PathBuf,
    lock: Mutex<()>,
}

impl FileAttempts {
    /// A counter stored at `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            lock: Mutex::new(()),
        }
    }

    fn read(&self) -> u32 {
        match std::fs::read_to_string(&self.path) {
            Ok(s) => s.trim().parse().unwrap_or(u32::MAX),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
            Err(_) => u32::MAX,
        }
    }

    fn write(&self, v: u32) {
        let tmp = self.path.with_extension("tmp");
        if std::fs::write(&tmp, v.to_string()).is_ok() {
            let _ = std::fs::rename(&tmp, &self.path);
        }
    }
}

impl AttemptStore for FileAttempts {
    fn failures(&self) -> u32 {
        let _g = self.lock.lock();
        self.read()
    }
    fn record_failure(&self) {
        let _g = self.lock.lock();
        let v = self.read().saturating_add(1);
        self.write(v);
    }
    fn reset(&self) {
        let _g = self.lock.lock();
        self.write(0);
    }
}
