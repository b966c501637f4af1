//! WAL checkpoints off the writers' path: a thread with its own connection copies the WAL into
//! the database (a passive checkpoint: it never waits for a reader or a writer) when a commit
//! finds the WAL past [`super::CHECKPOINT_WAL_BYTES`]. The journal size limit cuts the WAL back
//! to 4 MiB (the space the store reserves when it opens) when it restarts, so its size on disk
//! past that says how much is waiting. Checkpoints are at least a second apart.

use super::{CHECKPOINT_WAL_BYTES, StoreError};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// The shortest time between two checkpoints.
const MIN_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

/// The checkpoint thread's handle: dropping it ends the thread.
#[derive(Debug)]
pub(super) struct Checkpointer {
    wal: PathBuf,
    wake: SyncSender<()>,
}

impl Checkpointer {
    /// Starts the thread for the database at `path`.
    pub(super) fn start(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(super::BUSY_TIMEOUT)?;
        let (wake, rx) = sync_channel(1);
        std::thread::Builder::new()
            .name("mms-checkpoint".into())
            .spawn(move || run(&conn, &rx))
            .map_err(|e| StoreError::Inconsistent(format!("checkpoint thread: {e}")))?;
        Ok(Self {
            wal: super::wal_space::wal_path(path),
            wake,
        })
    }

    /// After a commit: wakes the thread when the WAL is past the threshold.
    pub(super) fn after_commit(&self) {
        let big = std::fs::metadata(&self.wal).is_ok_and(|m| m.len() > CHECKPOINT_WAL_BYTES);
        if big {
            // Full: a checkpoint is already asked for; disconnected: the thread is gone.
            let _ = self.wake.try_send(());
        }
    }
}

fn run(conn: &Connection, wake: &Receiver<()>) {
    while wake.recv().is_ok() {
        let done = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
        });
        match done {
            Ok((log, copied)) => tracing::debug!(log, copied, "WAL checkpoint"),
            Err(e) => tracing::warn!(error = %e, "WAL checkpoint failed"),
        }
        // At most one checkpoint a second: a checkpoint that runs while the writer appends
        // copies only part of the WAL and costs a WAL sync each time, so a burst of large
        // messages would otherwise pay one per commit. The asks of the pause count once.
        std::thread::sleep(MIN_INTERVAL);
        while wake.try_recv().is_ok() {}
    }
}
