//! Schema migrations by `PRAGMA user_version`: migration N (file `schema/00N_*.sql`) takes a
//! database from version N-1 to N in one transaction. A database newer than this library is
//! refused rather than misread.

use super::StoreError;
use rusqlite::Connection;

/// The migrations, in order; index + 1 is the schema version they produce.
pub(super) const MIGRATIONS: &[&str] = &[
    include_str!("schema/001_init.sql"),
    include_str!("schema/002_filter.sql"),
    include_str!("schema/003_pdus.sql"),
    include_str!("schema/004_threads.sql"),
    include_str!("schema/005_part_refs.sql"),
];

/// Brings `conn` to the latest schema.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let latest = MIGRATIONS.len() as i64;
    if current > latest {
        return Err(StoreError::TooNew(current, latest));
    }
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(current).unwrap_or(0))
    {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::store::{Direction, State, Store};

    /// A database path in a scratch directory that goes (with the WAL and index files) when
    /// the first value is dropped.
    fn temp(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::Builder::new()
            .prefix(&format!("mms-migrate-{name}-"))
            .tempdir()
            .unwrap();
        let p = dir.path().join("mms.db");
        (dir, p)
    }

    /// A database left at `version` by an older library, with one received message (its PDU
    /// where that version kept it), one sent message with a recipient, an audit row and a
    /// profile.
    pub(crate) fn database_at(version: usize, path: &std::path::Path) {
        let conn = Connection::open(path).unwrap();
        for (i, sql) in MIGRATIONS.iter().take(version).enumerate() {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", (i + 1) as i64)
                .unwrap();
        }
        if version == 0 {
            return;
        }
        let pdu_column = if version < 3 { ", pdu" } else { "" };
        let pdu_value = if version < 3 { ", x'8c84'" } else { "" };
        conn.execute(
            &format!("INSERT INTO messages (subscription, direction, state, transaction_id, created_at, updated_at{pdu_column}) VALUES ('s', 'in', 'DOWNLOADED', 't1', 1, 1{pdu_value})"),
            [],
        )
        .unwrap();
        if version >= 3 {
            conn.execute(
                "INSERT INTO pdus (message_id, data) VALUES (1, x'8c84')",
                [],
            )
            .unwrap();
        }
        // An image part as every version before 5 kept it: its bytes in its row.
        conn.execute(
            "INSERT INTO parts (message_id, idx, content_type, data) VALUES (1, 0, 'image/jpeg', x'ffd8ffe0')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO messages (subscription, direction, state, transaction_id, message_id, created_at, updated_at) VALUES ('s', 'out', 'SENT', 't2', 'M1', 1, 1)",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO recipients (message_id, address, kind) VALUES (2, '+15550100', 'to')",
            [],
        )
        .unwrap();
        conn.execute("INSERT INTO audit_log (at, area, outcome, reason, threat, subject, detail) VALUES (5, 'push', 'rejected', 'malformed', 'PUSH-8', 'x', '')", []).unwrap();
        conn.execute(
            "INSERT INTO profiles (subscription, toml, updated_at) VALUES ('s', 'mmsc_url = \"http://m.example/\"', 1)",
            [],
        )
        .unwrap();
    }

    /// Every past schema version (0: a new file) opens at the latest version with its data
    /// readable through the typed store: states, PDUs, recipients, audit rows and profiles.
    #[test]
    fn every_past_version_migrates_to_the_latest() {
        for version in 0..=MIGRATIONS.len() {
            let (_dir, path) = temp(&format!("v{version}"));
            database_at(version, &path);
            let store = Store::open(&path).unwrap();
            assert_eq!(
                store.schema_version().unwrap(),
                MIGRATIONS.len() as i64,
                "from {version}"
            );
            assert!(store.integrity_ok().unwrap());
            if version == 0 {
                assert!(store.messages("s").unwrap().is_empty());
                continue;
            }
            let received = store.message(1).unwrap().unwrap();
            assert_eq!(
                (received.direction, received.state),
                (Direction::In, State::Downloaded),
                "from {version}"
            );
            assert_eq!(
                store.blobs(1).unwrap().1.as_deref(),
                Some(&[0x8c, 0x84][..])
            );
            // A part written before version 5 reads from its own row.
            assert_eq!(store.parts(1).unwrap()[0].data, [0xff, 0xd8, 0xff, 0xe0]);
            assert_eq!(
                store.part_data(1, 0).unwrap().unwrap(),
                [0xff, 0xd8, 0xff, 0xe0]
            );
            assert_eq!(store.part_infos(1).unwrap()[0].size, 4);
            let sent = store.message(2).unwrap().unwrap();
            assert_eq!((sent.direction, sent.state), (Direction::Out, State::Sent));
            assert_eq!(store.recipients(2).unwrap()[0].address, "+15550100");
            assert_eq!(store.audit_rows(None, 10).unwrap()[0].reason, "malformed");
            assert!(store.profile("s").unwrap().unwrap().contains("m.example"));
            // Rows written without a conversation (every row before version 4) wait to be
            // filed (the client does it when it opens).
            assert_eq!(
                store.without_thread("s").unwrap(),
                vec![1, 2],
                "from {version}"
            );
            // Deleting a message takes its PDU and recipients with it.
            store.write(|tx| tx.delete_message(1)).unwrap();
            assert_eq!(store.blobs(1).unwrap(), (None, None));
        }
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let (_dir, path) = temp("newer");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        assert!(matches!(Store::open(&path), Err(StoreError::TooNew(99, _))));
    }
}
