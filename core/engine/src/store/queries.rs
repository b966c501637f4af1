//! What the store answers: messages, parts, recipients and raw PDUs.

use super::journal::State;
use super::rows::{Blobs, COLS, MessageRow, PartRow, RecipientRow, message_row};
use super::{Store, StoreError};
use rusqlite::{Connection, OptionalExtension};

impl Store {
    /// A message by row id.
    pub fn message(&self, id: i64) -> Result<Option<MessageRow>, StoreError> {
        self.read(|c| {
            Ok(super::row(
                c,
                &format!("SELECT {COLS} FROM messages WHERE id = ?1"),
                [id],
                message_row,
            )
            .optional()?)
        })
    }

    /// Messages of a subscription, newest first.
    pub fn messages(&self, subscription: &str) -> Result<Vec<MessageRow>, StoreError> {
        self.read(|c| {
            let mut s = c.prepare_cached(&format!(
                "SELECT {COLS} FROM messages WHERE subscription = ?1 ORDER BY id DESC"
            ))?;
            let rows = s
                .query_map([subscription], message_row)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }

    /// The incoming message a notification (transaction id and Content-Location) created, if
    /// that notification was seen before.
    pub fn notified_by(
        &self,
        subscription: &str,
        transaction_id: &str,
        location: &str,
    ) -> Result<Option<MessageRow>, StoreError> {
        self.read(|c| {
            Ok(super::row(
                c,
                &format!(
                    "SELECT {COLS} FROM messages WHERE subscription = ?1 AND direction = 'in' AND transaction_id = ?2 AND EXISTS (SELECT 1 FROM notifications_seen s WHERE s.subscription = ?1 AND s.transaction_id = ?2 AND s.content_location = ?3)"
                ),
                rusqlite::params![subscription, transaction_id, location],
                message_row,
            )
            .optional()?)
        })
    }

    /// Messages of a subscription in one of `states`, oldest first.
    pub fn in_states(
        &self,
        subscription: &str,
        states: &[State],
    ) -> Result<Vec<MessageRow>, StoreError> {
        let mut rows = self.messages(subscription)?;
        rows.retain(|m| states.contains(&m.state));
        rows.reverse();
        Ok(rows)
    }

    /// The stored raw notification and PDU of a message (both `None` when there is no such
    /// message). The PDU is read with incremental blob I/O straight into a buffer of its size:
    /// reading it as a column value had SQLite assemble the whole blob in a buffer of its own
    /// first, and that copy doubled the peak memory of sending a large message.
    pub fn blobs(&self, id: i64) -> Result<Blobs, StoreError> {
        self.read(|c| {
            // `typeof()` reads the value's type from the record, not the blob's pages.
            let found: Option<(Option<Vec<u8>>, String)> = super::row(
                c,
                "SELECT m.raw_notification, typeof(p.data) FROM messages m LEFT JOIN pdus p ON p.message_id = m.id WHERE m.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
            let Some((raw, kind)) = found else {
                return Ok((None, None));
            };
            let pdu = match kind.as_str() {
                "null" => None,
                _ => Some(whole_pdu(c, id)?),
            };
            Ok((raw, pdu))
        })
    }

    /// The parts of a message.
    pub fn parts(&self, id: i64) -> Result<Vec<PartRow>, StoreError> {
        self.read(|c| {
            let mut s = c.prepare_cached("SELECT idx, content_type, name, content_id, content_location, data, pdu_offset, pdu_length FROM parts WHERE message_id = ?1 ORDER BY idx")?;
            let rows = s
                .query_map([id], |r| {
                    Ok((
                        PartRow {
                            idx: r.get(0)?,
                            content_type: r.get(1)?,
                            name: r.get(2)?,
                            content_id: r.get(3)?,
                            content_location: r.get(4)?,
                            data: r.get(5)?,
                        },
                        run(r.get(6)?, r.get(7)?),
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(mut part, run)| {
                    if let Some((offset, len)) = run {
                        part.data = pdu_run(c, id, offset, len)?;
                    }
                    Ok(part)
                })
                .collect()
        })
    }

    /// Recipients of a sent message.
    pub fn recipients(&self, id: i64) -> Result<Vec<RecipientRow>, StoreError> {
        self.read(|c| recipients(c, id))
    }
}

/// The run of the stored PDU a part names (see `Tx::add_part`), from its two columns.
pub(super) fn run(offset: Option<i64>, len: Option<i64>) -> Option<(i64, i64)> {
    offset.zip(len)
}

/// The stored PDU of message `message_id`, opened for reading, with the run a part names in it
/// checked against its length: the blob, the run's first octet and its length.
pub(super) fn pdu_blob(
    c: &Connection,
    message_id: i64,
    offset: i64,
    len: i64,
) -> Result<(rusqlite::blob::Blob<'_>, usize, usize), StoreError> {
    let blob = c.blob_open(rusqlite::MAIN_DB, "pdus", "data", message_id, true)?;
    let bounds = usize::try_from(offset).ok().zip(usize::try_from(len).ok());
    let (start, len) = bounds
        .filter(|(s, l)| s.checked_add(*l).is_some_and(|end| end <= blob.len()))
        .ok_or_else(|| {
            StoreError::Inconsistent(format!(
                "message {message_id}: a part names octets {offset}+{len} of a {}-octet PDU",
                blob.len()
            ))
        })?;
    Ok((blob, start, len))
}

/// The whole stored PDU of message `message_id`, read into a buffer of its size.
fn whole_pdu(c: &Connection, message_id: i64) -> Result<Vec<u8>, StoreError> {
    let blob = c.blob_open(rusqlite::MAIN_DB, "pdus", "data", message_id, true)?;
    let mut data = vec![0; blob.len()];
    blob.read_at_exact(&mut data, 0)?;
    Ok(data)
}

/// The bytes of a part stored as a run of its message's PDU, read from that run alone (not the
/// whole PDU).
pub(super) fn pdu_run(
    c: &Connection,
    message_id: i64,
    offset: i64,
    len: i64,
) -> Result<Vec<u8>, StoreError> {
    let (blob, start, len) = pdu_blob(c, message_id, offset, len)?;
    let mut data = vec![0; len];
    blob.read_at_exact(&mut data, start)?;
    Ok(data)
}

pub(super) fn recipients(c: &Connection, id: i64) -> Result<Vec<RecipientRow>, StoreError> {
    let mut s = c.prepare_cached("SELECT address, kind, delivery_status, read_status FROM recipients WHERE message_id = ?1 ORDER BY address")?;
    let rows = s
        .query_map([id], |r| {
            Ok(RecipientRow {
                address: r.get(0)?,
                kind: r.get(1)?,
                delivery_status: r.get(2)?,
                read_status: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
