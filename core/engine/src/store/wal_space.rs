//! The WAL's first [`super::WAL_SIZE_LIMIT`] octets written once when the store opens (Linux),
//! so that a commit writes its pages over blocks the file already has. A commit that appends
//! to the WAL makes its sync also allocate the blocks and write the file's new size; one that
//! writes over written blocks syncs the pages alone. After its first checkpoint a WAL is
//! reused from the start and cut back to the journal size limit, so a long-lived database
//! is in that state anyway; a phone that opens its store with every start of the app seldom
//! reaches a checkpoint, and was appending nearly always. RELIABILITY.md ("Disk syncs") has the
//! measurements and the cost: at most 4 MiB written when the WAL is missing or shorter
//! (the first open, or an open after a clean close, which deletes the WAL).
//!
//! Only on Linux, where it was measured (ext4). Android's f2fs writes most data to new places
//! (in-place updates depend on the device's policy) and Apple's APFS copies on write, so what
//! the write would buy there is unknown (not measured); they skip it.
//!
//! Safety: the zeros go after the WAL's last octet, never over it, and SQLite reads a frame as
//! part of the log only when its salt and checksum chain from the WAL header hold, which zeros
//! never do (a missing or zero header is an empty log). The extension is made holding SQLite's
//! write lock (`BEGIN IMMEDIATE`), so no connection, in this process or another, appends to the
//! WAL at the same time.

use rusqlite::{Connection, TransactionBehavior};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Whether this platform writes the WAL's space when the store opens.
pub(super) const ENABLED: bool = cfg!(target_os = "linux");

/// The WAL file of the database at `db`.
pub(super) fn wal_path(db: &Path) -> PathBuf {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    wal.into()
}

/// Extends the WAL of `conn` (the database at `db`) with zeros to `size` octets if it is
/// shorter, and syncs it; returns the octets written. The space is a gain in speed, never a
/// condition: when another connection holds the write lock (it is not waited for), or the disk
/// is too full, or anything else fails, the WAL stays as it was and the store opens all the
/// same. `busy` is the connection's busy timeout, set again afterwards.
pub(super) fn reserve(conn: &mut Connection, db: &Path, size: u64, busy: Duration) -> u64 {
    if let Err(e) = conn.busy_timeout(Duration::ZERO) {
        tracing::warn!(error = %e, "the WAL's space was not reserved");
        return 0;
    }
    let written = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(tx) => {
            let written = extend(&wal_path(db), size).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "the WAL's space was not reserved");
                0
            });
            // Nothing was written through SQLite: the commit only releases the lock.
            if let Err(e) = tx.commit() {
                tracing::warn!(error = %e, "ending the WAL reservation's transaction");
            }
            written
        }
        Err(e) => {
            tracing::warn!(error = %e, "the WAL's space was not reserved (the database is busy)");
            0
        }
    };
    if let Err(e) = conn.busy_timeout(busy) {
        tracing::warn!(error = %e, "the busy timeout was not set again");
    }
    written
}

fn extend(wal: &Path, size: u64) -> std::io::Result<u64> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .append(true)
        .open(wal)?;
    let len = f.metadata()?.len();
    if len >= size {
        return Ok(0);
    }
    let zeros = vec![0u8; 64 * 1024];
    let filled = (|| {
        let mut left = size - len;
        while left > 0 {
            let n = usize::try_from(left.min(zeros.len() as u64)).unwrap_or(zeros.len());
            f.write_all(zeros.get(..n).unwrap_or(&zeros))?;
            left -= n as u64;
        }
        f.sync_all()
    })();
    if let Err(e) = filled {
        // Give back what was written (only zeros after the log's last octet).
        let _ = f.set_len(len);
        return Err(e);
    }
    Ok(size - len)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn wal_db(dir: &Path) -> (PathBuf, Connection) {
        std::fs::create_dir_all(dir).unwrap();
        let db = dir.join("t.db");
        let c = Connection::open(&db).unwrap();
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
        c.execute_batch("CREATE TABLE t (v BLOB)").unwrap();
        (db, c)
    }

    #[test]
    fn commits_go_into_the_reserved_space_and_read_back_before_and_after_a_close() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        let (db, mut c) = wal_db(dir);
        let before = std::fs::metadata(wal_path(&db)).unwrap().len();
        let wrote = reserve(&mut c, &db, 1 << 20, Duration::from_secs(10));
        assert_eq!(wrote, (1 << 20) - before);
        assert_eq!(std::fs::metadata(wal_path(&db)).unwrap().len(), 1 << 20);
        for i in 0..20u8 {
            c.execute("INSERT INTO t VALUES (?1)", [vec![i; 20_000]])
                .unwrap();
        }
        // A second connection reads the commits from the log while the first is open, and
        // the log's frames lie inside the reserved space.
        let other = Connection::open(&db).unwrap();
        let n: i64 = other
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 20);
        assert_eq!(std::fs::metadata(wal_path(&db)).unwrap().len(), 1 << 20);
        drop(other);
        drop(c);
        let c = Connection::open(&db).unwrap();
        let sum: i64 = c
            .query_row("SELECT sum(length(v)) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sum, 20 * 20_000);
        assert_eq!(
            c.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
                .unwrap(),
            "ok"
        );
        drop(c);
    }

    #[test]
    fn a_database_another_connection_is_writing_is_not_waited_for_nor_extended() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        let (db, mut c) = wal_db(dir);
        let mut writer = Connection::open(&db).unwrap();
        let tx = writer
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .unwrap();
        tx.execute("INSERT INTO t VALUES (x'01')", []).unwrap();
        let len = std::fs::metadata(wal_path(&db)).unwrap().len();
        let t = std::time::Instant::now();
        assert_eq!(reserve(&mut c, &db, 1 << 20, Duration::from_secs(10)), 0);
        assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
        assert_eq!(std::fs::metadata(wal_path(&db)).unwrap().len(), len);
        tx.commit().unwrap();
        let n: i64 = c
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
        drop(writer);
        drop(c);
    }

    #[test]
    fn a_shorter_wal_is_extended_with_zeros_and_its_octets_kept() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        let wal = dir.join("w");
        std::fs::write(&wal, b"frames").unwrap();
        assert_eq!(extend(&wal, 100_000).unwrap(), 100_000 - 6);
        let bytes = std::fs::read(&wal).unwrap();
        assert_eq!(bytes.len(), 100_000);
        assert_eq!(&bytes[..6], b"frames");
        assert!(bytes[6..].iter().all(|b| *b == 0));
        // Long enough: untouched.
        assert_eq!(extend(&wal, 50).unwrap(), 0);
        assert_eq!(std::fs::read(&wal).unwrap().len(), 100_000);
    }
}
