//! [`Tx`]: the typed write handle [`super::Store::write`] gives its closure. Each journal
//! transition names the states it leaves and fails with [`StoreError::Conflict`] when the row
//! is elsewhere (compare-and-set); nothing else in the project writes SQL.

use super::StoreError;
use super::journal::{Direction, State};
use super::rows::{
    COLS, MessageRow, NewMessage, NewPart, Peers, Retrieved, SenderRule, message_row,
};
use rusqlite::{OptionalExtension, Transaction, params};

/// Days a notification's (transaction id, location) is remembered for duplicate suppression.
const SEEN_DAYS: i64 = 7;

/// Whether a notification was seen before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// First time: remembered now.
    New,
    /// Seen before; the message it created, if it is still stored.
    Before(Option<Box<MessageRow>>),
}

/// A write transaction, typed.
pub struct Tx<'a> {
    tx: &'a Transaction<'a>,
}

impl<'a> Tx<'a> {
    pub(super) fn new(tx: &'a Transaction<'a>) -> Self {
        Self { tx }
    }

    /// Runs a statement prepared once per connection and kept (parsing the SQL text again for
    /// every statement was a few percent of the CPU time a message costs).
    fn exec(&self, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
        self.tx.prepare_cached(sql)?.execute(params)
    }

    /// The one row a kept statement gives (see [`Tx::exec`]).
    fn row<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        super::row(self.tx, sql, params, f)
    }

    fn state_of(&self, id: i64) -> Result<Option<State>, StoreError> {
        Ok(self
            .row("SELECT state FROM messages WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?)
    }

    fn conflict(&self, id: i64, from: &[State]) -> StoreError {
        let expected = from
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("|");
        let found = match self.state_of(id) {
            Ok(Some(s)) => s.as_str().to_string(),
            Ok(None) => "gone".into(),
            Err(e) => e.to_string(),
        };
        StoreError::Conflict {
            id,
            expected,
            found,
        }
    }

    /// Moves message `id` from one of `from` to `to`, recording `error` (cleared when `None`).
    /// Fails with [`StoreError::Conflict`] when the row is in none of `from`, and with
    /// [`StoreError::NotATransition`] when the journal has no such transition.
    pub fn transition(
        &self,
        id: i64,
        from: &[State],
        to: State,
        error: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        if let Some(bad) = from.iter().find(|f| !f.can_move_to(to)) {
            return Err(StoreError::NotATransition { id, from: *bad, to });
        }
        let placeholders: Vec<String> = (5..5 + from.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "UPDATE messages SET state = ?2, error = ?3, updated_at = ?4 WHERE id = ?1 AND state IN ({})",
            placeholders.join(", ")
        );
        let mut values: Vec<&dyn rusqlite::ToSql> = vec![&id, &to, &error, &now];
        values.extend(from.iter().map(|s| s as &dyn rusqlite::ToSql));
        let n = self.exec(&sql, values.as_slice())?;
        if n != 1 {
            return Err(self.conflict(id, from));
        }
        tracing::info!(id, state = to.as_str(), error, "state");
        Ok(())
    }

    /// Inserts a message row in its initial state; returns its id.
    pub fn insert_message(&self, m: &NewMessage<'_>, now: i64) -> Result<i64, StoreError> {
        self.exec(
            "INSERT INTO messages (subscription, direction, state, transaction_id, content_location, from_addr, subject, size, expires_at, raw_notification, delivery_report, read_report, created_at, updated_at, thread, peers)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14, ?15)",
            params![m.subscription, m.direction, m.state, m.transaction_id, m.content_location, m.from_addr, m.subject, m.size, m.expires_at, m.raw_notification, m.delivery_report, m.read_report, now, m.peers.map(|p| p.key.as_str()), m.peers.map(Peers::names_json)],
        )?;
        let id = self.tx.last_insert_rowid();
        if let Some(pdu) = m.pdu {
            self.put_pdu(id, pdu)?;
        }
        tracing::info!(
            id,
            state = m.state.as_str(),
            tid = m.transaction_id,
            "state"
        );
        Ok(id)
    }

    /// Remembers a notification's (transaction id, location) for duplicate suppression; when it
    /// was seen before, returns the received message it created. Entries older than a week
    /// are forgotten.
    pub fn note_notification(
        &self,
        subscription: &str,
        transaction_id: &str,
        location: &str,
        now: i64,
    ) -> Result<Seen, StoreError> {
        let seen: Option<i64> = self.row(
            "SELECT seen_at FROM notifications_seen WHERE subscription = ?1 AND transaction_id = ?2 AND content_location = ?3",
            params![subscription, transaction_id, location],
            |r| r.get(0),
        )
        .optional()?;
        if seen.is_some() {
            let row = self.find_by_tid(subscription, Direction::In, transaction_id)?;
            return Ok(Seen::Before(row.map(Box::new)));
        }
        self.exec(
            "INSERT INTO notifications_seen (subscription, transaction_id, content_location, seen_at) VALUES (?1, ?2, ?3, ?4)",
            params![subscription, transaction_id, location, now],
        )?;
        self.exec(
            "DELETE FROM notifications_seen WHERE seen_at < ?1",
            [now.saturating_sub(SEEN_DAYS * 86_400)],
        )?;
        Ok(Seen::New)
    }

    /// A message by direction and transaction id.
    pub fn find_by_tid(
        &self,
        subscription: &str,
        direction: Direction,
        tid: &str,
    ) -> Result<Option<MessageRow>, StoreError> {
        Ok(self.row(
            &format!("SELECT {COLS} FROM messages WHERE subscription = ?1 AND direction = ?2 AND transaction_id = ?3"),
            params![subscription, direction, tid],
            message_row,
        )
        .optional()?)
    }

    /// A sent message by its Message-ID.
    pub fn find_sent_by_message_id(
        &self,
        subscription: &str,
        message_id: &str,
    ) -> Result<Option<MessageRow>, StoreError> {
        Ok(self.row(
            &format!("SELECT {COLS} FROM messages WHERE subscription = ?1 AND direction = 'out' AND message_id = ?2"),
            params![subscription, message_id],
            message_row,
        )
        .optional()?)
    }

    /// The newest received message an MMSC's Cancel-ID names: by Message-ID, Content-Location
    /// or transaction id.
    pub fn find_cancel_target(
        &self,
        subscription: &str,
        cancel_id: &str,
    ) -> Result<Option<(i64, State)>, StoreError> {
        Ok(self
            .row(
                "SELECT id, state FROM messages WHERE subscription = ?1 AND direction = 'in' \
                 AND (message_id = ?2 OR content_location = ?2 OR transaction_id = ?2) \
                 ORDER BY id DESC LIMIT 1",
                params![subscription, cancel_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Claims a notified message for retrieval: `NOTIFIED` (or an orphaned `DOWNLOADING` left
    /// by a crash) -> `DOWNLOADING`, counting the attempt.
    pub fn claim_download(&self, id: i64, now: i64) -> Result<(), StoreError> {
        self.transition(
            id,
            &[State::Notified, State::Downloading],
            State::Downloading,
            None,
            now,
        )?;
        self.exec(
            "UPDATE messages SET attempts = attempts + 1 WHERE id = ?1",
            [id],
        )?;
        Ok(())
    }

    /// Stores a retrieved message: its parts, what the retrieve-conf says and the raw PDU, and
    /// moves it `DOWNLOADING` -> `DOWNLOADED`, all in this transaction. This is the only way
    /// into `DOWNLOADED` (see [`super::journal`]).
    pub fn store_retrieved(
        &self,
        id: i64,
        r: &Retrieved<'_>,
        parts: &[NewPart<'_>],
        raw_pdu: &[u8],
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec("DELETE FROM parts WHERE message_id = ?1", [id])?;
        for (i, p) in parts.iter().enumerate() {
            self.add_part(id, i, p, Some(raw_pdu))?;
        }
        self.exec(
            "UPDATE messages SET message_id = ?2, from_addr = COALESCE(?3, from_addr), subject = COALESCE(?4, subject), date = ?5, read_report = ?6 WHERE id = ?1",
            params![id, r.message_id, r.from, r.subject, r.date, r.read_report],
        )?;
        if let Some(p) = r.peers {
            self.set_peers(id, p)?;
        }
        self.put_pdu(id, raw_pdu)?;
        self.transition(id, &[State::Downloading], State::Downloaded, None, now)
    }

    /// Files message `id` in the conversation of `peers` (a retrieved message names every
    /// recipient; a row written by an older library had none).
    pub fn set_peers(&self, id: i64, peers: &Peers) -> Result<(), StoreError> {
        self.exec(
            "UPDATE messages SET thread = ?2, peers = ?3 WHERE id = ?1",
            params![id, peers.key, peers.names_json()],
        )?;
        Ok(())
    }

    /// Adds a part at `idx`. When the part is not text and its bytes are a run of `pdu` (the
    /// message's stored PDU, written in this transaction), the row names that run instead of
    /// holding the bytes a second time (see [`shared_run`]); otherwise its bytes are written in
    /// place (see [`Tx::write_blob`]).
    pub fn add_part(
        &self,
        id: i64,
        idx: usize,
        p: &NewPart<'_>,
        pdu: Option<&[u8]>,
    ) -> Result<(), StoreError> {
        if let Some(offset) = pdu.and_then(|pdu| shared_run(p, pdu)) {
            self.exec(
                "INSERT INTO parts (message_id, idx, content_type, name, content_id, content_location, data, pdu_offset, pdu_length) VALUES (?1, ?2, ?3, ?4, ?5, ?6, x'', ?7, ?8)",
                params![id, idx as i64, p.content_type, p.name, p.content_id, p.content_location, offset as i64, p.data.len() as i64],
            )?;
            return Ok(());
        }
        self.exec(
            "INSERT INTO parts (message_id, idx, content_type, name, content_id, content_location, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, zeroblob(?7))",
            params![id, idx as i64, p.content_type, p.name, p.content_id, p.content_location, p.data.len() as i64],
        )?;
        self.write_blob("parts", "data", self.tx.last_insert_rowid(), p.data)
    }

    /// Adds a recipient of a sent message (To, Cc or Bcc); a repeated address is kept once.
    pub fn add_recipient(&self, id: i64, address: &str, kind: &str) -> Result<(), StoreError> {
        self.exec(
            "INSERT OR IGNORE INTO recipients (message_id, address, kind) VALUES (?1, ?2, ?3)",
            params![id, address, kind],
        )?;
        Ok(())
    }

    /// Writes `data` into `table.column` of row `rowid` through SQLite's incremental blob I/O:
    /// the row first gets a zero blob of the right length, then the bytes are copied straight
    /// into the database pages. Binding a large blob instead makes SQLite copy it twice (the
    /// bound value and the record), which triples the memory a 3 MB download needs.
    fn write_blob(
        &self,
        table: &str,
        column: &str,
        rowid: i64,
        data: &[u8],
    ) -> Result<(), StoreError> {
        use std::io::Write;
        if data.is_empty() {
            return Ok(());
        }
        let mut blob = self
            .tx
            .blob_open(rusqlite::MAIN_DB, table, column, rowid, false)?;
        for chunk in data.chunks(64 * 1024) {
            blob.write_all(chunk)
                .map_err(|e| StoreError::Inconsistent(format!("blob write: {e}")))?;
        }
        blob.close()?;
        Ok(())
    }

    /// Stores (or replaces) the raw PDU of message `id`, written in place.
    fn put_pdu(&self, id: i64, pdu: &[u8]) -> Result<(), StoreError> {
        self.exec(
            "INSERT OR REPLACE INTO pdus (message_id, data) VALUES (?1, zeroblob(?2))",
            params![id, pdu.len() as i64],
        )?;
        self.write_blob("pdus", "data", id, pdu)
    }

    /// Claims an outgoing message for submission: `QUEUED`, `RETRY_WAIT` (or an orphaned
    /// `SUBMITTING` left by a crash) -> `SUBMITTING`, with the attempt number.
    pub fn claim_submission(&self, id: i64, attempt: i64, now: i64) -> Result<(), StoreError> {
        self.transition(
            id,
            &[State::Queued, State::RetryWait, State::Submitting],
            State::Submitting,
            None,
            now,
        )?;
        self.exec(
            "UPDATE messages SET attempts = ?2 WHERE id = ?1",
            params![id, attempt],
        )?;
        Ok(())
    }

    /// `SUBMITTING` -> `SENT` with the Message-ID the MMSC gave.
    pub fn mark_sent(&self, id: i64, message_id: Option<&str>, now: i64) -> Result<(), StoreError> {
        self.transition(id, &[State::Submitting], State::Sent, None, now)?;
        self.exec(
            "UPDATE messages SET message_id = ?2 WHERE id = ?1",
            params![id, message_id],
        )?;
        Ok(())
    }

    /// `SUBMITTING` -> `RETRY_WAIT` until `next_attempt_at`.
    pub fn schedule_retry(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        self.transition(id, &[State::Submitting], State::RetryWait, Some(error), now)?;
        self.exec(
            "UPDATE messages SET next_attempt_at = ?2 WHERE id = ?1",
            params![id, next_attempt_at],
        )?;
        Ok(())
    }

    /// Notes that NotifyResp (Deferred) was sent for a notified message.
    pub fn set_deferred(&self, id: i64, now: i64) -> Result<(), StoreError> {
        self.exec(
            "UPDATE messages SET deferred = 1, updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        Ok(())
    }

    /// Marks a message read by the user.
    pub fn mark_read(&self, id: i64, now: i64) -> Result<(), StoreError> {
        self.exec(
            "UPDATE messages SET read = 1, updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        Ok(())
    }

    /// Removes a message with its parts, PDU and recipients.
    pub fn delete_message(&self, id: i64) -> Result<(), StoreError> {
        self.exec("DELETE FROM messages WHERE id = ?1", [id])?;
        Ok(())
    }

    /// The recipients of a sent message with their report state.
    pub fn recipients(&self, id: i64) -> Result<Vec<super::RecipientRow>, StoreError> {
        super::queries::recipients(self.tx, id)
    }

    /// Records a recipient's delivery status.
    pub fn set_delivery_status(
        &self,
        id: i64,
        address: &str,
        status: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            "UPDATE recipients SET delivery_status = ?3, delivery_at = ?4 WHERE message_id = ?1 AND address = ?2",
            params![id, address, status, now],
        )?;
        Ok(())
    }

    /// Records a recipient's read status.
    pub fn set_read_status(
        &self,
        id: i64,
        address: &str,
        status: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            "UPDATE recipients SET read_status = ?3, read_at = ?4 WHERE message_id = ?1 AND address = ?2",
            params![id, address, status, now],
        )?;
        Ok(())
    }

    /// Stores the carrier profile of a subscription (TOML).
    pub fn save_profile(&self, subscription: &str, toml: &str, now: i64) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO profiles (subscription, toml, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (subscription) DO UPDATE SET toml = excluded.toml, updated_at = excluded.updated_at",
            params![subscription, toml, now],
        )?;
        Ok(())
    }

    /// Remembers that a provisioning document (by digest) was applied.
    pub fn note_applied(&self, digest: &str, now: i64) -> Result<(), StoreError> {
        self.exec(
            "INSERT OR IGNORE INTO applied_documents (digest, applied_at) VALUES (?1, ?2)",
            params![digest, now],
        )?;
        Ok(())
    }

    /// Counts one more wrong provisioning PIN (OTA-3).
    pub fn record_pin_failure(&self) -> Result<(), StoreError> {
        self.exec("INSERT INTO pin_attempts (id, failures) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET failures = failures + 1", [])?;
        Ok(())
    }

    /// Resets the wrong-PIN count after a success.
    pub fn reset_pin_failures(&self) -> Result<(), StoreError> {
        self.exec("INSERT INTO pin_attempts (id, failures) VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET failures = 0", [])?;
        Ok(())
    }

    /// Sets the rule for a sender (by its comparison key).
    pub fn set_sender_rule(
        &self,
        subscription: &str,
        key: &str,
        address: &str,
        rule: SenderRule,
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO origin_filter (subscription, address_key, address, rule, added_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (subscription, address_key) DO UPDATE SET rule = excluded.rule, address = excluded.address, added_at = excluded.added_at",
            params![subscription, key, address, rule.as_str(), now],
        )?;
        Ok(())
    }

    /// Re-keys every sender rule of a subscription by `key` of its stored address (rules
    /// written under another way of reading numbers, e.g. the last nine digits before E.164).
    /// Returns how many keys changed.
    pub fn rekey_sender_rules(
        &self,
        subscription: &str,
        key: &dyn Fn(&str) -> String,
    ) -> Result<usize, StoreError> {
        let rows: Vec<(String, String)> = {
            let mut s = self.tx.prepare_cached(
                "SELECT address_key, address FROM origin_filter WHERE subscription = ?1",
            )?;
            s.query_map([subscription], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        let mut n = 0;
        for (old, address) in rows {
            let new = key(&address);
            if new != old {
                // A newer rule already under the new key wins.
                self.exec(
                    "UPDATE OR REPLACE origin_filter SET address_key = ?3 WHERE subscription = ?1 AND address_key = ?2",
                    params![subscription, old, new],
                )?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// Removes the rule for a sender.
    pub fn clear_sender_rule(&self, subscription: &str, key: &str) -> Result<(), StoreError> {
        self.exec(
            "DELETE FROM origin_filter WHERE subscription = ?1 AND address_key = ?2",
            params![subscription, key],
        )?;
        Ok(())
    }
}

/// Where in `pdu` the bytes of part `p` are, when the part may be stored as a reference to
/// them: not text (text parts stay whole in their rows, where the conversation list reads
/// their first characters), not empty, and its bytes borrowed from `pdu` itself (a part of a
/// retrieved message as decoded from it; a part of a draft as decoded from the PDU encoded
/// from it). Found from where the bytes are, without a search.
pub(crate) fn shared_run(p: &NewPart<'_>, pdu: &[u8]) -> Option<usize> {
    let is_text = p
        .content_type
        .get(..5)
        .is_some_and(|t| t.eq_ignore_ascii_case("text/"));
    if is_text || p.data.is_empty() {
        return None;
    }
    (p.data.as_ptr() as usize)
        .checked_sub(pdu.as_ptr() as usize)
        .filter(|start| {
            start
                .checked_add(p.data.len())
                .is_some_and(|end| end <= pdu.len())
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn part<'a>(content_type: &'a str, data: &'a [u8]) -> NewPart<'a> {
        NewPart {
            content_type,
            name: None,
            content_id: None,
            content_location: None,
            data,
        }
    }

    /// Which parts are stored as a run of their PDU, and where that run is.
    #[test]
    fn shared_run_names_media_borrowed_from_the_pdu_and_nothing_else() {
        let pdu: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        // Borrowed from the PDU: found where it lies, even where an earlier run holds the same
        // bytes (no search).
        let inside = &pdu[300..340];
        assert_eq!(shared_run(&part("image/png", inside), &pdu), Some(300));
        // Equal bytes in a buffer of their own are not a run of the PDU: stored whole.
        let copy = inside.to_vec();
        assert_eq!(shared_run(&part("image/png", &copy), &pdu), None);
        // Text stays in its row, in any case of spelling; so does an empty part.
        assert_eq!(shared_run(&part("text/plain", inside), &pdu), None);
        assert_eq!(shared_run(&part("TEXT/html", inside), &pdu), None);
        assert_eq!(shared_run(&part("image/png", &pdu[10..10]), &pdu), None);
        // A slice running past the PDU's end, or starting before it, is not a run of it.
        assert_eq!(
            shared_run(&part("image/png", &pdu[990..]), &pdu[..995]),
            None
        );
        assert_eq!(shared_run(&part("image/png", &pdu[..20]), &pdu[10..]), None);
    }
}
