//! The SQLite store: versioned migrations (`PRAGMA user_version`), WAL, one writer. Messages
//! and parts, the transaction journal (the `state` column holds the state chains of
//! DESIGN.md 5), notification dedupe, per-recipient report state, carrier profiles,
//! blocked/allowed origins (FILTER-1), applied provisioning documents, the PIN attempt counter
//! and the bounded security audit log (AUDIT-1).

use crate::audit::{AuditEvent, AuditSink};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use std::path::Path;
use std::sync::Mutex;

/// The migrations, in order; index + 1 is the schema version they produce.
const MIGRATIONS: &[&str] = &[
    include_str!("schema/001_init.sql"),
    include_str!("schema/002_filter.sql"),
    include_str!("schema/003_pdus.sql"),
];

/// Rows kept in the audit log (the oldest are dropped beyond).
pub const AUDIT_CAPACITY: i64 = 10_000;

/// A store error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file has a newer schema than this version knows.
    #[error("database schema {0} is newer than this library ({1})")]
    TooNew(i64, i64),
    /// A row is not what the engine expects.
    #[error("inconsistent row: {0}")]
    Inconsistent(String),
}

/// A message row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageRow {
    /// Row id.
    pub id: i64,
    /// Subscription (SIM) it belongs to.
    pub subscription: String,
    /// `in` or `out`.
    pub direction: String,
    /// Journal state.
    pub state: String,
    /// Transaction id.
    pub transaction_id: String,
    /// Message-ID.
    pub message_id: Option<String>,
    /// Where to download (received messages).
    pub content_location: Option<String>,
    /// Sender.
    pub from_addr: Option<String>,
    /// Subject.
    pub subject: Option<String>,
    /// Date.
    pub date: Option<i64>,
    /// Size.
    pub size: Option<i64>,
    /// Expiry (seconds since the epoch).
    pub expires_at: Option<i64>,
    /// Last error.
    pub error: Option<String>,
    /// Attempts made.
    pub attempts: i64,
    /// Next attempt (seconds since the epoch).
    pub next_attempt_at: Option<i64>,
    /// Read by the user.
    pub read: bool,
    /// A delivery report was requested (sent) / is wanted (received).
    pub delivery_report: bool,
    /// A read report was requested.
    pub read_report: bool,
    /// The download was deferred (NotifyResp Deferred sent).
    pub deferred: bool,
}

/// A stored part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartRow {
    /// Index.
    pub idx: i64,
    /// Content type.
    pub content_type: String,
    /// Name.
    pub name: Option<String>,
    /// Content-ID.
    pub content_id: Option<String>,
    /// Content-Location.
    pub content_location: Option<String>,
    /// Data.
    pub data: Vec<u8>,
}

/// Report state of one recipient of a sent message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecipientRow {
    /// Address.
    pub address: String,
    /// To, Cc or Bcc.
    pub kind: String,
    /// Delivery status (`retrieved`, `rejected`...).
    pub delivery_status: Option<String>,
    /// Read status.
    pub read_status: Option<String>,
}

/// The raw notification and the stored PDU of a message.
pub type Blobs = (Option<Vec<u8>>, Option<Vec<u8>>);

/// The store. One connection, one writer; callers serialise through the mutex.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
    /// Audit rows not yet written: rows are written in batches (one commit for up to
    /// [`AUDIT_BATCH`] rows, or at once after a quiet [`AUDIT_FLUSH_MS`]), so that a push flood
    /// does not cost one disk sync per rejected push. Every read and write of the store writes
    /// them first, so nobody ever sees the log without them.
    audit_queue: Mutex<AuditQueue>,
}

/// Audit rows written in one commit at most.
pub const AUDIT_BATCH: usize = 64;
/// A lone audit row after this long without a flush is written at once.
pub const AUDIT_FLUSH_MS: u64 = 100;

#[derive(Debug, Default)]
struct AuditQueue {
    rows: Vec<AuditEvent>,
    last_flush: Option<std::time::Instant>,
}

const COLS: &str = "id, subscription, direction, state, transaction_id, message_id, content_location, from_addr, subject, date, size, expires_at, error, attempts, next_attempt_at, read, delivery_report, read_report, deferred";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MessageRow> {
    Ok(MessageRow {
        id: r.get(0)?,
        subscription: r.get(1)?,
        direction: r.get(2)?,
        state: r.get(3)?,
        transaction_id: r.get(4)?,
        message_id: r.get(5)?,
        content_location: r.get(6)?,
        from_addr: r.get(7)?,
        subject: r.get(8)?,
        date: r.get(9)?,
        size: r.get(10)?,
        expires_at: r.get(11)?,
        error: r.get(12)?,
        attempts: r.get(13)?,
        next_attempt_at: r.get(14)?,
        read: r.get(15)?,
        delivery_report: r.get(16)?,
        read_report: r.get(17)?,
        deferred: r.get(18)?,
    })
}

/// Fields of a new message row.
#[derive(Debug, Clone, Default)]
pub struct NewMessage<'a> {
    /// Subscription.
    pub subscription: &'a str,
    /// `in` or `out`.
    pub direction: &'a str,
    /// Initial state.
    pub state: &'a str,
    /// Transaction id.
    pub transaction_id: &'a str,
    /// Content location.
    pub content_location: Option<&'a str>,
    /// Sender.
    pub from_addr: Option<&'a str>,
    /// Subject.
    pub subject: Option<&'a str>,
    /// Size.
    pub size: Option<i64>,
    /// Expiry.
    pub expires_at: Option<i64>,
    /// Raw notification.
    pub raw_notification: Option<&'a [u8]>,
    /// Encoded PDU (send-req).
    pub pdu: Option<&'a [u8]>,
    /// Delivery report wanted.
    pub delivery_report: bool,
    /// Read report wanted.
    pub read_report: bool,
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
        migrate(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
            audit_queue: Mutex::new(AuditQueue::default()),
        })
    }

    /// Writes the queued audit rows in one transaction (on the locked connection).
    fn flush_audit(&self, c: &mut Connection) -> Result<(), StoreError> {
        let rows = match self.audit_queue.lock() {
            Ok(mut q) if !q.rows.is_empty() => {
                q.last_flush = Some(std::time::Instant::now());
                std::mem::take(&mut q.rows)
            }
            _ => return Ok(()),
        };
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO audit_log (at, area, outcome, reason, threat, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for e in &rows {
                let area = serde_json::to_string(&e.area)
                    .unwrap_or_default()
                    .trim_matches('"')
                    .to_string();
                let outcome = serde_json::to_string(&e.outcome)
                    .unwrap_or_default()
                    .trim_matches('"')
                    .to_string();
                ins.execute(params![
                    e.at as i64,
                    area,
                    outcome,
                    e.reason,
                    e.threat,
                    e.subject,
                    e.detail
                ])?;
            }
        }
        tx.execute(
            "DELETE FROM audit_log WHERE id <= (SELECT MAX(id) FROM audit_log) - ?1",
            [AUDIT_CAPACITY],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Runs `f` in one write transaction.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut c = self
            .conn
            .lock()
            .map_err(|_| StoreError::Inconsistent("lock poisoned".into()))?;
        self.flush_audit(&mut c)?;
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let v = f(&tx)?;
        tx.commit()?;
        Ok(v)
    }

    /// Runs `f` with the connection for reading.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut c = self
            .conn
            .lock()
            .map_err(|_| StoreError::Inconsistent("lock poisoned".into()))?;
        self.flush_audit(&mut c)?;
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

    /// A message by row id.
    pub fn message(&self, id: i64) -> Result<Option<MessageRow>, StoreError> {
        self.read(|c| {
            Ok(c.query_row(
                &format!("SELECT {COLS} FROM messages WHERE id = ?1"),
                [id],
                row,
            )
            .optional()?)
        })
    }

    /// Messages of a subscription, newest first.
    pub fn messages(&self, subscription: &str) -> Result<Vec<MessageRow>, StoreError> {
        self.read(|c| {
            let mut s = c.prepare(&format!(
                "SELECT {COLS} FROM messages WHERE subscription = ?1 ORDER BY id DESC"
            ))?;
            let rows = s
                .query_map([subscription], row)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }

    /// Messages of a subscription in one of `states`.
    pub fn in_states(
        &self,
        subscription: &str,
        states: &[&str],
    ) -> Result<Vec<MessageRow>, StoreError> {
        Ok(self
            .messages(subscription)?
            .into_iter()
            .filter(|m| states.contains(&m.state.as_str()))
            .collect())
    }

    /// The stored raw notification and PDU of a message.
    pub fn blobs(&self, id: i64) -> Result<Blobs, StoreError> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT m.raw_notification, p.data FROM messages m LEFT JOIN pdus p ON p.message_id = m.id WHERE m.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
    }

    /// The parts of a message.
    pub fn parts(&self, id: i64) -> Result<Vec<PartRow>, StoreError> {
        self.read(|c| {
            let mut s = c.prepare("SELECT idx, content_type, name, content_id, content_location, data FROM parts WHERE message_id = ?1 ORDER BY idx")?;
            let rows = s
                .query_map([id], |r| {
                    Ok(PartRow { idx: r.get(0)?, content_type: r.get(1)?, name: r.get(2)?, content_id: r.get(3)?, content_location: r.get(4)?, data: r.get(5)? })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }

    /// Recipients of a sent message.
    pub fn recipients(&self, id: i64) -> Result<Vec<RecipientRow>, StoreError> {
        self.read(|c| {
            let mut s = c.prepare("SELECT address, kind, delivery_status, read_status FROM recipients WHERE message_id = ?1 ORDER BY address")?;
            let rows = s
                .query_map([id], |r| Ok(RecipientRow { address: r.get(0)?, kind: r.get(1)?, delivery_status: r.get(2)?, read_status: r.get(3)? }))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }

    /// Audit rows, newest first, optionally filtered by reason.
    pub fn audit_rows(
        &self,
        reason: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        self.read(|c| {
            let mut s = c.prepare("SELECT at, area, outcome, reason, threat, subject, detail FROM audit_log WHERE (?1 IS NULL OR reason = ?1) ORDER BY id DESC LIMIT ?2")?;
            let rows = s
                .query_map(params![reason, limit], |r| {
                    let area: String = r.get(1)?;
                    let outcome: String = r.get(2)?;
                    Ok(AuditEvent {
                        at: r.get::<_, i64>(0)? as u64,
                        area: serde_json::from_str(&format!("\"{area}\"")).unwrap_or(crate::audit::AuditArea::Pdu),
                        outcome: serde_json::from_str(&format!("\"{outcome}\"")).unwrap_or(crate::audit::AuditOutcome::Rejected),
                        reason: r.get(3)?,
                        threat: r.get(4)?,
                        subject: r.get(5)?,
                        detail: r.get(6)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }
}

/// Inserts a message row; returns its id.
pub fn insert_message(
    tx: &Transaction<'_>,
    m: &NewMessage<'_>,
    now: i64,
) -> Result<i64, StoreError> {
    tx.execute(
        "INSERT INTO messages (subscription, direction, state, transaction_id, content_location, from_addr, subject, size, expires_at, raw_notification, delivery_report, read_report, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
        params![m.subscription, m.direction, m.state, m.transaction_id, m.content_location, m.from_addr, m.subject, m.size, m.expires_at, m.raw_notification, m.delivery_report, m.read_report, now],
    )?;
    let id = tx.last_insert_rowid();
    if let Some(pdu) = m.pdu {
        put_pdu(tx, id, pdu)?;
    }
    tracing::info!(id, state = m.state, tid = m.transaction_id, "state");
    Ok(id)
}

/// Writes `data` into `table.column` of row `rowid` through SQLite's incremental blob I/O:
/// the row first gets a zero blob of the right length, then the bytes are copied straight into
/// the database pages. Binding a large blob instead makes SQLite copy it twice (the bound value
/// and the record), which triples the memory a 3 MB download needs.
pub fn write_blob(
    tx: &Transaction<'_>,
    table: &str,
    column: &str,
    rowid: i64,
    data: &[u8],
) -> Result<(), StoreError> {
    use std::io::Write;
    if data.is_empty() {
        return Ok(());
    }
    let mut blob = tx.blob_open(rusqlite::MAIN_DB, table, column, rowid, false)?;
    for chunk in data.chunks(64 * 1024) {
        blob.write_all(chunk)
            .map_err(|e| StoreError::Inconsistent(format!("blob write: {e}")))?;
    }
    blob.close()?;
    Ok(())
}

/// Stores (or replaces) the raw PDU of message `id`, written in place (see [`write_blob`]).
pub fn put_pdu(tx: &Transaction<'_>, id: i64, pdu: &[u8]) -> Result<(), StoreError> {
    tx.execute(
        "INSERT OR REPLACE INTO pdus (message_id, data) VALUES (?1, zeroblob(?2))",
        params![id, pdu.len() as i64],
    )?;
    write_blob(tx, "pdus", "data", id, pdu)
}

/// Moves a message to `state`.
pub fn set_state(
    tx: &Transaction<'_>,
    id: i64,
    state: &str,
    error: Option<&str>,
    now: i64,
) -> Result<(), StoreError> {
    let n = tx.execute(
        "UPDATE messages SET state = ?2, error = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, state, error, now],
    )?;
    if n != 1 {
        return Err(StoreError::Inconsistent(format!("no message {id}")));
    }
    tracing::info!(id, state, error, "state");
    Ok(())
}

/// Finds a message by direction and transaction id.
pub fn find_by_tid(
    tx: &Connection,
    subscription: &str,
    direction: &str,
    tid: &str,
) -> Result<Option<MessageRow>, StoreError> {
    Ok(tx
        .query_row(
            &format!("SELECT {COLS} FROM messages WHERE subscription = ?1 AND direction = ?2 AND transaction_id = ?3"),
            params![subscription, direction, tid],
            row,
        )
        .optional()?)
}

/// Finds a sent message by Message-ID.
pub fn find_sent_by_message_id(
    tx: &Connection,
    subscription: &str,
    message_id: &str,
) -> Result<Option<MessageRow>, StoreError> {
    Ok(tx
        .query_row(
            &format!("SELECT {COLS} FROM messages WHERE subscription = ?1 AND direction = 'out' AND message_id = ?2"),
            params![subscription, message_id],
            row,
        )
        .optional()?)
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let latest = MIGRATIONS.len() as i64;
    if current > latest {
        return Err(StoreError::TooNew(current, latest));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// The store as an audit sink: rows are written in their own transaction and the log is kept
/// to [`AUDIT_CAPACITY`] rows.
impl AuditSink for Store {
    fn record(&self, e: AuditEvent) {
        let due = match self.audit_queue.lock() {
            Ok(mut q) => {
                q.rows.push(e);
                q.rows.len() >= AUDIT_BATCH
                    || q.last_flush.is_none_or(|t| {
                        t.elapsed() >= std::time::Duration::from_millis(AUDIT_FLUSH_MS)
                    })
            }
            Err(_) => false,
        };
        if due {
            if let Ok(mut c) = self.conn.lock() {
                let _ = self.flush_audit(&mut c);
            }
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Ok(mut c) = self.conn.lock() {
            let _ = self.flush_audit(&mut c);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn event(n: u64) -> AuditEvent {
        AuditEvent {
            at: n,
            area: crate::audit::AuditArea::Push,
            outcome: crate::audit::AuditOutcome::Rejected,
            reason: "test".into(),
            threat: None,
            subject: format!("row {n}"),
            detail: String::new(),
        }
    }

    /// AUDIT-1: audit rows are batched, but a read never misses one, and closing the store
    /// writes what is queued.
    #[test]
    fn audit_1_batched_rows_are_never_missed() {
        let path = std::env::temp_dir().join(format!("mms-auditq-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        {
            let store = Store::open(&path).unwrap();
            for n in 0..10 {
                store.record(event(n));
            }
            // The first row went out at once (nothing flushed before); the rest wait in the
            // queue, and this read writes them first.
            assert_eq!(store.audit_rows(None, 100).unwrap().len(), 10);
            for n in 10..15 {
                store.record(event(n));
            }
        }
        let store = Store::open(&path).unwrap();
        let rows = store.audit_rows(None, 100).unwrap();
        assert_eq!(rows.len(), 15, "queued rows written when the store closed");
        assert_eq!(rows[0].subject, "row 14");
        let _ = std::fs::remove_file(&path);
    }

    /// A database written by schema 2 (raw PDUs in `messages.pdu`) opens at the latest schema
    /// with every PDU moved to `pdus`, readable as before.
    #[test]
    fn schema_2_database_migrates_its_pdus() {
        let path = std::env::temp_dir().join(format!("mms-migrate-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        {
            let conn = Connection::open(&path).unwrap();
            for (i, sql) in MIGRATIONS.iter().take(2).enumerate() {
                conn.execute_batch(sql).unwrap();
                conn.pragma_update(None, "user_version", (i + 1) as i64)
                    .unwrap();
            }
            conn.execute(
                "INSERT INTO messages (subscription, direction, state, transaction_id, pdu, created_at, updated_at) VALUES ('s', 'in', 'DOWNLOADED', 't1', x'8c84', 1, 1)",
                [],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO messages (subscription, direction, state, transaction_id, created_at, updated_at) VALUES ('s', 'in', 'NOTIFIED', 't2', 1, 1)",
                [],
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        assert_eq!(
            store.blobs(1).unwrap().1.as_deref(),
            Some(&[0x8c, 0x84][..])
        );
        assert_eq!(store.blobs(2).unwrap().1, None);
        let left: i64 = store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT COUNT(*) FROM messages WHERE pdu IS NOT NULL",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(left, 0);
        // Deleting a message takes its PDU with it.
        store
            .write(|tx| Ok(tx.execute("DELETE FROM messages WHERE id = 1", [])?))
            .unwrap();
        let pdus: i64 = store
            .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM pdus", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(pdus, 0);
        let _ = std::fs::remove_file(&path);
    }
}
