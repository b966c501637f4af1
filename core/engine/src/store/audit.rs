//! The security audit log (AUDIT-1) in the store: bounded to [`AUDIT_CAPACITY`] rows, written
//! in batches (one commit for up to [`AUDIT_BATCH`] rows, or at once after a quiet
//! [`AUDIT_FLUSH_MS`]) so that a push flood does not cost one disk sync per rejected push.
//! Every read and write of the store writes the queue first, so nobody ever sees the log
//! without them.

use super::{Store, StoreError};
use mms_decisions::audit::{AuditArea, AuditEvent, AuditOutcome, AuditSink};
use rusqlite::{Connection, params};

/// Rows kept in the audit log (the oldest are dropped beyond).
pub const AUDIT_CAPACITY: i64 = 10_000;
/// Audit rows written in one commit at most.
pub const AUDIT_BATCH: usize = 64;
/// A lone audit row after this long without a flush is written at once.
pub const AUDIT_FLUSH_MS: u64 = 100;

#[derive(Debug, Default)]
pub(super) struct AuditQueue {
    rows: Vec<AuditEvent>,
    last_flush: Option<std::time::Instant>,
}

impl Store {
    /// Writes the queued audit rows in one transaction (on the locked connection).
    pub(super) fn flush_audit(&self, c: &mut Connection) -> Result<(), StoreError> {
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
                ins.execute(params![
                    e.at as i64,
                    e.area.code(),
                    e.outcome.code(),
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
                    Ok(AuditEvent {
                        at: r.get::<_, i64>(0)? as u64,
                        area: AuditArea::from_code(&r.get::<_, String>(1)?).unwrap_or(AuditArea::Pdu),
                        outcome: AuditOutcome::from_code(&r.get::<_, String>(2)?)
                            .unwrap_or(AuditOutcome::Rejected),
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

    /// Rows in the audit log.
    pub fn audit_len(&self) -> Result<i64, StoreError> {
        self.read(|c| Ok(c.query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0))?))
    }
}

/// The store as an audit sink: rows are queued and written in batches (see the module docs).
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn event(n: u64) -> AuditEvent {
        AuditEvent {
            at: n,
            area: AuditArea::Push,
            outcome: AuditOutcome::Rejected,
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
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mms.db");
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
    }

    /// Every area and outcome is stored under its code and read back as itself.
    #[test]
    fn areas_and_outcomes_round_trip() {
        let store = Store::open_in_memory().unwrap();
        let (areas, outcomes) = (AuditArea::ALL, AuditOutcome::ALL);
        for (i, a) in areas.iter().enumerate() {
            let mut e = event(i as u64);
            e.area = *a;
            e.outcome = outcomes[i % outcomes.len()];
            store.record(e);
        }
        let mut rows = store.audit_rows(None, 100).unwrap();
        rows.reverse();
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(r.area, areas[i]);
            assert_eq!(r.outcome, outcomes[i % outcomes.len()]);
        }
    }
}
