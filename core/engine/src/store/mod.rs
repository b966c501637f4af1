//! The SQLite store, and the only place in the project that speaks SQL: versioned migrations
//! (`PRAGMA user_version`, [`migrations`]), WAL, one writer. Messages and parts, the
//! transaction journal ([`journal`]: typed states, compare-and-set transitions), notification
//! dedupe, per-recipient report state, carrier profiles, sender rules (FILTER-1), applied
//! provisioning documents, the PIN attempt counter and the bounded security audit log
//! (AUDIT-1).
//!
//! Writes go through [`Store::write`], which hands the closure a [`Tx`]: typed methods, never a
//! raw SQLite transaction. Reads are methods of [`Store`].

mod audit;
pub mod journal;
mod migrations;
mod queries;
mod rows;
mod settings;
mod tx;

pub use audit::AUDIT_CAPACITY;
pub use journal::{Direction, State};
pub use rows::{MessageRow, NewMessage, NewPart, PartRow, RecipientRow, Retrieved, SenderRule};
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

/// The store. One connection, one writer; callers serialise through the mutex.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
    audit_queue: Mutex<audit::AuditQueue>,
}

impl Store {
    /// Opens (and migrates) the store at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        Self::init(conn)
    }

    /// An in-memory store (tests).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations::migrate(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
            audit_queue: Mutex::new(audit::AuditQueue::default()),
        })
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Connection>, StoreError> {
        let mut c = self
            .conn
            .lock()
            .map_err(|_| StoreError::Inconsistent("lock poisoned".into()))?;
        self.flush_audit(&mut c)?;
        Ok(c)
    }

    /// Runs `f` in one write transaction: everything it does commits together or not at all.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut c = self.lock()?;
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let v = f(&Tx::new(&tx))?;
        tx.commit()?;
        Ok(v)
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

impl Drop for Store {
    fn drop(&mut self) {
        if let Ok(mut c) = self.conn.lock() {
            let _ = self.flush_audit(&mut c);
        }
    }
}
