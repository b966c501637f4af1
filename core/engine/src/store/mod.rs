//! The SQLite store, and the only place in the project that speaks SQL: versioned migrations
//! (`PRAGMA user_version`, [`migrations`]), WAL, one writer. Messages and parts, the
//! transaction journal ([`journal`]: typed states, compare-and-set transitions), notification
//! dedupe, per-recipient report state, carrier profiles, sender rules (FILTER-1), applied
//! provisioning documents, the PIN attempt counter and the bounded security audit log
//! (AUDIT-1).
//!
//! Writes go through [`Store::write`], which hands the closure a [`Tx`]: typed methods, never a
//! raw SQLite transaction. Reads are methods of [`Store`].
//!
//! Durability (RELIABILITY.md, "Disk syncs"): every commit survives the app being killed (the
//! WAL is written before the commit returns). [`Store::write`] also syncs the WAL to the disk
//! before it returns, so the commit survives a power cut; it is for the writes something outside
//! depends on (a send the app was told is queued, a message stored before the MMSC is told it
//! was retrieved, a deferral before the MMSC is told). [`Store::write_relaxed`] leaves the sync to
//! the next synced write or checkpoint; it is for the steps a power cut may undo because the
//! protocol repeats them (a claim before a request, the state after an acknowledgement). A synced
//! write syncs everything written before it. Checkpoints run on their own thread with their own
//! connection once the WAL passes [`CHECKPOINT_WAL_BYTES`], never in a writer's commit. On Linux
//! the WAL's first 4 MiB are written when the store opens, so that commits write over blocks the
//! file has instead of appending (`store/wal_space.rs`).

mod audit;
mod checkpoint;
pub mod journal;
mod migrations;
#[cfg(test)]
pub(crate) use migrations::tests::database_at;
mod queries;
mod rows;
mod settings;
mod threads;
mod tx;
mod wal_space;

pub use audit::AUDIT_CAPACITY;
pub use journal::{Direction, State};
pub use rows::{
    ConversationRow, ListedMessage, MessageRow, NewMessage, NewPart, PREVIEW_CHARS, PartInfo,
    PartRow, Peers, RecipientRow, Retrieved, SenderRule,
};
pub use tx::{Seen, Tx};

use rusqlite::Connection;
use std::path::Path;
use std::sync::Mutex;

/// A store error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file has a newer schema than this version knows.
    #[error("database schema {0} is newer than this library ({1})")]
    TooNew(i64, i64),
    /// A compare-and-set transition found the row in another state (or gone).
    #[error("message {id}: expected {expected}, found {found}")]
    Conflict {
        /// Row id.
        id: i64,
        /// The states the transition leaves, as text.
        expected: String,
        /// What the row holds (`gone` when there is no row).
        found: String,
    },
    /// A transition the journal does not allow (a bug in the caller).
    #[error("message {id}: {from} -> {to} is not a journal transition")]
    NotATransition {
        /// Row id.
        id: i64,
        /// From.
        from: State,
        /// To.
        to: State,
    },
    /// A row is not what the engine expects.
    #[error("inconsistent row: {0}")]
    Inconsistent(String),
}

impl StoreError {
    /// True for a compare-and-set that lost to another transaction.
    pub fn is_conflict(&self) -> bool {
        matches!(self, StoreError::Conflict { .. })
    }
}

/// How long a statement waits for another connection's lock (the checkpoint thread's, or
/// another process's) before it fails as busy.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The WAL size past which the checkpoint thread is asked to copy it into the database.
pub const CHECKPOINT_WAL_BYTES: u64 = 16 * 1024 * 1024;
/// What a WAL is cut back to when it restarts after a checkpoint (so that its size past this
/// says how much is waiting), and the WAL space the store writes when it opens
/// (`store/wal_space.rs`).
const WAL_SIZE_LIMIT: i64 = 4 * 1024 * 1024;

/// The store. One connection, one writer; callers serialise through the mutex.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
    audit_queue: Mutex<audit::AuditQueue>,
    checkpoints: Option<checkpoint::Checkpointer>,
}

/// Statements kept prepared per connection: more than the store has.
const STATEMENTS: usize = 96;

/// The one row a statement gives, the statement prepared once per connection and kept
/// (parsing the SQL text again for every statement was a few percent of the CPU time a message
/// costs).
fn row<T>(
    c: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    c.prepare_cached(sql)?.query_row(params, f)
}

impl Store {
    /// Opens (and migrates) the store at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        let mut store = Self::init(conn)?;
        {
            let mut c = store.lock()?;
            // Checkpoints are the checkpoint thread's job, not a writer's.
            c.pragma_update(None, "wal_autocheckpoint", 0)?;
            c.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT)?;
            if wal_space::ENABLED {
                let size = WAL_SIZE_LIMIT.unsigned_abs();
                off_the_runtime(|| wal_space::reserve(&mut c, path, size, BUSY_TIMEOUT));
            }
        }
        store.checkpoints = Some(checkpoint::Checkpointer::start(path)?);
        Ok(store)
    }

    /// An in-memory store (tests).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 512 KiB of page cache (SQLite's default is 2 MB): storing a large message writes
        // through the cache, and a phone's database is read by the operating system's cache
        // anyway. A 3 MB retrieval peaked at 1.9-2.0x the message above the baseline with the
        // default, 1.2-1.4x with this (`engine_load -- --memory-only`), at the same throughput.
        conn.pragma_update(None, "cache_size", -512)?;
        // Every statement the store runs is kept prepared (`Tx::exec`, `row`): room for all.
        conn.set_prepared_statement_cache_capacity(STATEMENTS);
        migrations::migrate(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
            audit_queue: Mutex::new(audit::AuditQueue::default()),
            checkpoints: None,
        })
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Connection>, StoreError> {
        let poisoned = |_| StoreError::Inconsistent("lock poisoned".into());
        // Waiting for the connection (another task of this client holds it, perhaps through a
        // disk sync) must not hold up the runtime's other tasks: only an uncontended lock is
        // taken in place.
        let mut c = match self.conn.try_lock() {
            Ok(c) => c,
            Err(std::sync::TryLockError::WouldBlock) => {
                off_the_runtime(|| self.conn.lock()).map_err(poisoned)?
            }
            Err(std::sync::TryLockError::Poisoned(p)) => return Err(poisoned(p)),
        };
        self.flush_audit(&mut c)?;
        Ok(c)
    }

    /// Runs `f` in one write transaction: everything it does commits together or not at all,
    /// and is synced to the disk (with everything committed before it) when this returns.
    /// The sync waits for the disk off the async runtime's workers (see [`off_the_runtime`]).
    pub fn write<T>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        off_the_runtime(|| self.write_with(true, f))
    }

    /// Like [`Store::write`], but the sync is left to the next synced write or checkpoint: the
    /// commit survives the app being killed, not necessarily a power cut. Only for steps the
    /// protocol repeats when they are undone (see the module documentation).
    pub fn write_relaxed<T>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.write_with(false, f)
    }

    fn write_with<T>(
        &self,
        synced: bool,
        f: impl FnOnce(&Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut c = self.lock()?;
        if synced {
            c.pragma_update(None, "synchronous", "FULL")?;
        }
        let result = (|| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let v = f(&Tx::new(&tx))?;
            tx.commit()?;
            Ok(v)
        })();
        if synced {
            // The commit stands whatever this says: a failure here leaves the connection
            // syncing every commit, the safe side, and must not report the write as failed.
            if let Err(e) = c.pragma_update(None, "synchronous", "NORMAL") {
                tracing::warn!(error = %e, "synchronous stays FULL");
            }
        }
        drop(c);
        if let Some(cp) = &self.checkpoints {
            cp.after_commit();
        }
        result
    }

    /// Runs `f` with the connection for reading (queued audit rows written first).
    fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let c = self.lock()?;
        f(&c)
    }

    /// The schema version.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.read(|c| Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?))
    }

    /// `PRAGMA integrity_check` == "ok".
    pub fn integrity_ok(&self) -> Result<bool, StoreError> {
        self.read(|c| {
            Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))? == "ok")
        })
    }
}

/// Runs `f`, which waits for the disk (a sync, or a connection held through one), without
/// holding up the other tasks of the async runtime it is called from: on a multi-threaded tokio
/// runtime the worker hands its queue to another thread first (`block_in_place`); on a blocking
/// thread, a single-threaded runtime or no runtime at all it just runs. Engine code calls the
/// store from async tasks; with each sync blocking a worker, two concurrent syncs stalled the
/// whole runtime of a 2-core phone (`engine_load` used under one core of two).
fn off_the_runtime<T>(f: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(h) if h.runtime_flavor() == RuntimeFlavor::MultiThread => tokio::task::block_in_place(f),
        _ => f(),
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Ok(mut c) = self.conn.lock() {
            let _ = self.flush_audit(&mut c);
        }
    }
}
