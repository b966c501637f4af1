//! What a messaging UI lists, each in one query: conversations with their newest message and
//! unread count, the messages of one conversation, a message's parts without their bytes, and
//! one part's bytes on demand (read, or copied to a writer a chunk at a time).

use super::queries::{pdu_blob, pdu_run, run};
use super::rows::{
    COLS, ConversationRow, ListedMessage, PREVIEW_CHARS, PartInfo, message_row, peers_from_json,
};
use super::{Store, StoreError};
use rusqlite::{OptionalExtension, params};

/// The columns of a listed message, `m` being the message: the row, then its people, the
/// first octets of its first text part and its number of parts.
fn listed_columns() -> String {
    let row = COLS
        .split(", ")
        .map(|c| format!("m.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "{row}, m.peers, \
         (SELECT substr(p.data, 1, {octets}) FROM parts p WHERE p.message_id = m.id \
          AND p.content_type LIKE 'text/plain%' ORDER BY p.idx LIMIT 1), \
         (SELECT COUNT(*) FROM parts p WHERE p.message_id = m.id), m.thread",
        octets = PREVIEW_CHARS * 4
    )
}

/// Number of columns [`listed_columns`] puts before its own four.
const ROW_COLUMNS: usize = 20;

fn listed(r: &rusqlite::Row<'_>) -> rusqlite::Result<ListedMessage> {
    let text: Option<Vec<u8>> = r.get(ROW_COLUMNS + 1)?;
    Ok(ListedMessage {
        row: message_row(r)?,
        peers: peers_from_json(r.get(ROW_COLUMNS)?),
        preview: text.map(|t| preview(&t)),
        parts: r.get(ROW_COLUMNS + 2)?,
        conversation: r.get(ROW_COLUMNS + 3)?,
    })
}

/// The first [`PREVIEW_CHARS`] characters of a text part's first octets (a character cut at
/// the end of those octets is dropped, not shown as a replacement character).
fn preview(octets: &[u8]) -> String {
    let text = match std::str::from_utf8(octets) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(e) if e.error_len().is_none() => {
            String::from_utf8_lossy(octets.get(..e.valid_up_to()).unwrap_or_default())
        }
        Err(_) => String::from_utf8_lossy(octets),
    };
    text.chars().take(PREVIEW_CHARS).collect()
}

/// Rows of a page: those before `before` (a row id; `None` for the first page), at most
/// `limit`.
fn page_bound(before: Option<i64>) -> i64 {
    before.unwrap_or(i64::MAX)
}

impl Store {
    /// The conversations of a subscription, the most recently active first: at most `limit`
    /// of those whose newest message is older than row `before`.
    pub fn conversations(
        &self,
        subscription: &str,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<ConversationRow>, StoreError> {
        self.read(|c| {
            let mut s = c.prepare_cached(&format!(
                "SELECT {cols}, t.thread, t.unread, t.count FROM \
                 (SELECT thread, MAX(id) AS last, \
                  SUM(direction = 'in' AND read = 0) AS unread, COUNT(*) AS count \
                  FROM messages WHERE subscription = ?1 AND thread IS NOT NULL \
                  AND state <> 'DELETING' GROUP BY thread) t \
                 JOIN messages m ON m.id = t.last WHERE t.last < ?2 \
                 ORDER BY t.last DESC LIMIT ?3",
                cols = listed_columns()
            ))?;
            let rows = s
                .query_map(params![subscription, page_bound(before), limit], |r| {
                    let last = listed(r)?;
                    Ok(ConversationRow {
                        key: r.get(ROW_COLUMNS + 4)?,
                        peers: last.peers.clone(),
                        last,
                        unread: r.get(ROW_COLUMNS + 5)?,
                        count: r.get(ROW_COLUMNS + 6)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }

    /// The messages of conversation `key`, newest first: at most `limit` older than row
    /// `before`.
    pub fn conversation_messages(
        &self,
        subscription: &str,
        key: &str,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<ListedMessage>, StoreError> {
        self.read(|c| {
            let mut s = c.prepare_cached(&format!(
                "SELECT {cols} FROM messages m WHERE m.subscription = ?1 AND m.thread = ?2 \
                 AND m.id < ?3 AND m.state <> 'DELETING' ORDER BY m.id DESC LIMIT ?4",
                cols = listed_columns()
            ))?;
            let rows = s
                .query_map(
                    params![subscription, key, page_bound(before), limit],
                    listed,
                )?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }

    /// One message as a list shows it.
    pub fn listed_message(&self, id: i64) -> Result<Option<ListedMessage>, StoreError> {
        self.read(|c| {
            Ok(super::row(
                c,
                &format!(
                    "SELECT {} FROM messages m WHERE m.id = ?1",
                    listed_columns()
                ),
                [id],
                listed,
            )
            .optional()?)
        })
    }

    /// Messages of a subscription not yet filed in a conversation (written by an older
    /// library), oldest first.
    pub fn without_thread(&self, subscription: &str) -> Result<Vec<i64>, StoreError> {
        self.read(|c| {
            let mut s = c.prepare_cached(
                "SELECT id FROM messages WHERE subscription = ?1 AND thread IS NULL ORDER BY id",
            )?;
            let ids = s
                .query_map([subscription], |r| r.get(0))?
                .collect::<Result<Vec<i64>, _>>()?;
            Ok(ids)
        })
    }

    /// The parts of a message without their bytes.
    pub fn part_infos(&self, id: i64) -> Result<Vec<PartInfo>, StoreError> {
        self.read(|c| {
            let mut s = c.prepare_cached(
                "SELECT idx, content_type, name, content_id, COALESCE(pdu_length, length(data)) \
                 FROM parts WHERE message_id = ?1 ORDER BY idx",
            )?;
            let rows = s
                .query_map([id], |r| {
                    Ok(PartInfo {
                        idx: r.get(0)?,
                        content_type: r.get(1)?,
                        name: r.get(2)?,
                        content_id: r.get(3)?,
                        size: r.get(4)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }

    /// The bytes of part `idx` of message `id` (`None` when there is no such part).
    pub fn part_data(&self, id: i64, idx: i64) -> Result<Option<Vec<u8>>, StoreError> {
        self.read(|c| {
            let Some((data, run)) = super::row(
                c,
                "SELECT data, pdu_offset, pdu_length FROM parts WHERE message_id = ?1 AND idx = ?2",
                [id, idx],
                |r| Ok((r.get::<_, Vec<u8>>(0)?, run(r.get(1)?, r.get(2)?))),
            )
            .optional()?
            else {
                return Ok(None);
            };
            match run {
                Some((offset, len)) => pdu_run(c, id, offset, len).map(Some),
                None => Ok(Some(data)),
            }
        })
    }

    /// Copies part `idx` of message `id` to `out` 64 KiB at a time (a multi-megabyte part is
    /// never whole in memory); the number of octets copied, `None` when there is no such part.
    pub fn copy_part(
        &self,
        id: i64,
        idx: i64,
        out: &mut dyn std::io::Write,
    ) -> Result<Option<u64>, StoreError> {
        use std::io::{Read, Seek, SeekFrom};
        self.read(|c| {
            let row = super::row(
                c,
                "SELECT rowid, pdu_offset, pdu_length FROM parts WHERE message_id = ?1 AND idx = ?2",
                [id, idx],
                |r| Ok((r.get::<_, i64>(0)?, run(r.get(1)?, r.get(2)?))),
            )
            .optional()?;
            let Some((rowid, run)) = row else {
                return Ok(None);
            };
            let failed =
                |e: std::io::Error| StoreError::Inconsistent(format!("copying part {idx}: {e}"));
            let copied = match run {
                None => {
                    let mut blob = c.blob_open(rusqlite::MAIN_DB, "parts", "data", rowid, true)?;
                    std::io::copy(&mut blob, out).map_err(failed)?
                }
                Some((offset, len)) => {
                    let (mut blob, start, len) = pdu_blob(c, id, offset, len)?;
                    blob.seek(SeekFrom::Start(start as u64)).map_err(failed)?;
                    std::io::copy(&mut (&mut blob).take(len as u64), out).map_err(failed)?
                }
            };
            Ok(Some(copied))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::preview;

    #[test]
    fn a_preview_never_ends_in_half_a_character() {
        let text = "é".repeat(10);
        // Cut in the middle of the sixth "é".
        assert_eq!(preview(&text.as_bytes()[..11]), "é".repeat(5));
        assert_eq!(preview(b"ab\xffcd"), "ab\u{fffd}cd");
        let long = "x".repeat(500);
        assert_eq!(
            preview(long.as_bytes()).chars().count(),
            super::PREVIEW_CHARS
        );
    }
}
