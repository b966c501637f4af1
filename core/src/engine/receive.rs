//! The receive transaction: notification (from the push verdict) -> `NOTIFIED` (raw push kept)
//! -> `DOWNLOADING` -> `DOWNLOADED` (retrieve-conf and parts stored in one transaction) ->
//! `DELIVERED` (the app confirmed) -> `ACKNOWLEDGED` (NotifyResp or Acknowledge sent).
//! Duplicate pushes are re-acknowledged, never re-downloaded.

use super::{EngineError, Event, MmsClient, state};
use crate::config::AutoDownload;
use crate::pdu::builder::{acknowledge, notify_resp, read_rec};
use crate::pdu::{BodyData, FromValue, MessageType, Pdu, ReadStatus, Status, StatusClass};
use crate::push::{PushContent, PushVerdict, Verdict};
use crate::store::{NewMessage, find_by_tid, insert_message, put_pdu, set_state, write_blob};
use rusqlite::{OptionalExtension, params};
use tracing::Instrument;

/// Content type, name, Content-ID, Content-Location and data of a downloaded part (borrowed
/// from the retrieved PDU unless a transfer encoding had to be undone).
type StoredPart<'a> = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    std::borrow::Cow<'a, [u8]>,
);

impl MmsClient {
    /// Acts on a push verdict: stores notifications (deduplicated), downloads when allowed,
    /// matches reports to sent messages.
    pub(crate) async fn process(&self, v: &PushVerdict) {
        let span = tracing::info_span!(
            "push",
            origin = %v.origin,
            kind = ?v.kind,
            verdict = ?v.verdict,
            reason = ?v.reason
        );
        self.process_txn(v).instrument(span).await
    }

    async fn process_txn(&self, v: &PushVerdict) {
        match &v.content {
            PushContent::Notification(n) if v.verdict != Verdict::Reject => {
                if !self.filter_allows(n) {
                    return;
                }
                let sub = self.inner.subscription.clone();
                let now = self.inner.now();
                let stored = self.inner.store.write(|tx| {
                    let seen: Option<i64> = tx
                        .query_row(
                            "SELECT seen_at FROM notifications_seen WHERE subscription = ?1 AND transaction_id = ?2 AND content_location = ?3",
                            params![sub, n.transaction_id, n.content_location],
                            |r| r.get(0),
                        )
                        .optional()?;
                    if seen.is_some() {
                        return Ok(Err(find_by_tid(tx, &sub, "in", &n.transaction_id)?));
                    }
                    tx.execute(
                        "INSERT INTO notifications_seen (subscription, transaction_id, content_location, seen_at) VALUES (?1, ?2, ?3, ?4)",
                        params![sub, n.transaction_id, n.content_location, now],
                    )?;
                    tx.execute("DELETE FROM notifications_seen WHERE seen_at < ?1", [now - 7 * 86_400])?;
                    let id = insert_message(
                        tx,
                        &NewMessage {
                            subscription: &sub,
                            direction: "in",
                            state: state::NOTIFIED,
                            transaction_id: &n.transaction_id,
                            content_location: Some(&n.content_location),
                            from_addr: n.from.as_deref(),
                            subject: n.subject.as_deref(),
                            size: n.size.map(|s| s as i64),
                            expires_at: n.expires_at.map(|e| e as i64),
                            raw_notification: Some(&n.raw),
                            delivery_report: n.delivery_report,
                            ..NewMessage::default()
                        },
                        now,
                    )?;
                    Ok(Ok(id))
                });
                match stored {
                    Ok(Ok(id)) => {
                        let auto = v.auto_download
                            && match self.inner.profile().auto_download {
                                AutoDownload::Always => true,
                                AutoDownload::NotWhenRoaming => !self.inner.platform.is_roaming(),
                                AutoDownload::KnownContactsOnly => {
                                    n.from.as_deref().is_some_and(|f| {
                                        self.inner.platform.is_known_contact(f)
                                            || self.sender_allowed(f)
                                    })
                                }
                                AutoDownload::Never => false,
                            };
                        self.inner.emit(Event::NotificationStored {
                            id,
                            auto_download: auto,
                        });
                        super::crash_point("notified");
                        if auto {
                            let _ = self.download(id).await;
                        } else if v.verdict != Verdict::Reject {
                            let _ = self.defer(id).await;
                        }
                    }
                    Ok(Err(Some(existing))) => {
                        // A duplicate push: re-acknowledge a message we already have.
                        if existing.state == state::ACKNOWLEDGED {
                            let _ = self
                                .post_ack(
                                    &existing.transaction_id,
                                    existing.deferred,
                                    existing.content_location.as_deref(),
                                )
                                .await;
                        }
                    }
                    Ok(Err(None)) | Err(_) => {}
                }
            }
            PushContent::Report { raw, .. } => {
                self.handle_report(raw);
            }
            PushContent::Cancel {
                transaction_id,
                cancel_id,
            } => {
                self.handle_cancel(
                    transaction_id.as_deref(),
                    cancel_id.as_deref(),
                    v.verdict == Verdict::Accept,
                )
                .await;
            }
            _ => {}
        }
    }

    /// Sends NotifyResp (Deferred): the message stays on the MMSC until [`MmsClient::download`].
    pub async fn defer(&self, id: i64) -> Result<(), EngineError> {
        self.defer_txn(id)
            .instrument(tracing::info_span!("defer", id))
            .await
    }

    async fn defer_txn(&self, id: i64) -> Result<(), EngineError> {
        let row = self
            .inner
            .store
            .message(id)?
            .ok_or_else(|| EngineError::State(id, "no such message".into()))?;
        if row.state != state::NOTIFIED || row.deferred {
            return Ok(());
        }
        let pdu = notify_resp(&row.transaction_id, Status::Deferred, Some(true))
            .encode()
            .map_err(|e| EngineError::Mmsc(e.to_string()))?;
        let url = self.ack_url(row.content_location.as_deref());
        let r = self.inner.transport.post(&url, pdu).await?;
        if !(200..300).contains(&r.status) {
            return Err(EngineError::Mmsc(format!(
                "HTTP {} on NotifyResp",
                r.status
            )));
        }
        let now = self.inner.now();
        self.inner.store.write(|tx| {
            tx.execute(
                "UPDATE messages SET deferred = 1, updated_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
            Ok(())
        })?;
        tracing::info!(id, "deferred (NotifyResp Deferred sent)");
        Ok(())
    }

    pub(super) fn ack_url(&self, location: Option<&str>) -> String {
        let p = self.inner.profile();
        match location {
            Some(l) if p.notify_resp_to_location => l.to_string(),
            _ => p.mmsc_url,
        }
    }

    /// Downloads a notified message and stores it (`DOWNLOADED`); emits `MessageReceived`.
    pub async fn download(&self, id: i64) -> Result<(), EngineError> {
        self.download_txn(id)
            .instrument(tracing::info_span!("download", id))
            .await
    }

    async fn download_txn(&self, id: i64) -> Result<(), EngineError> {
        let row = self
            .inner
            .store
            .message(id)?
            .ok_or_else(|| EngineError::State(id, "no such message".into()))?;
        if row.direction != "in"
            || !(row.state == state::NOTIFIED || row.state == state::DOWNLOADING)
        {
            return Err(EngineError::State(
                id,
                format!("cannot download in state {}", row.state),
            ));
        }
        let now = self.inner.now();
        if row.expires_at.is_some_and(|e| e <= now) {
            self.inner.store.write(|tx| {
                set_state(tx, id, state::EXPIRED, Some("expired before download"), now)
            })?;
            self.inner.emit(Event::DownloadFailed {
                id,
                error: "expired".into(),
                transient: false,
            });
            return Err(EngineError::State(id, "expired".into()));
        }
        self.inner.store.write(|tx| {
            set_state(tx, id, state::DOWNLOADING, None, now)?;
            tx.execute(
                "UPDATE messages SET attempts = attempts + 1 WHERE id = ?1",
                [id],
            )?;
            Ok(())
        })?;
        super::crash_point("downloading");
        let profile = self.inner.profile();
        let location = row.content_location.clone().unwrap_or_default();
        let url = if profile.append_transaction_id {
            let sep = if location.contains('?') { '&' } else { '?' };
            format!("{location}{sep}{}", row.transaction_id)
        } else {
            location
        };
        let fail = |transient: bool, next: &str, err: String| -> Result<(), EngineError> {
            let now = self.inner.now();
            self.inner
                .store
                .write(|tx| set_state(tx, id, next, Some(&err), now))?;
            self.inner.emit(Event::DownloadFailed {
                id,
                error: err.clone(),
                transient,
            });
            Err(EngineError::Mmsc(err))
        };
        let resp = match self.inner.transport.get(&url).await {
            Ok(r) => r,
            Err(e) if e.is_transient() => return fail(true, state::NOTIFIED, e.to_string()),
            Err(e) => return fail(false, state::FAILED, e.to_string()),
        };
        super::crash_point("fetched");
        match resp.status {
            200..=299 => {}
            404 | 410 => {
                return fail(
                    false,
                    state::EXPIRED,
                    format!("HTTP {}: message gone", resp.status),
                );
            }
            429 | 408 | 500..=599 => {
                return fail(true, state::NOTIFIED, format!("HTTP {}", resp.status));
            }
            s => return fail(false, state::FAILED, format!("HTTP {s}")),
        }
        let decoded = Pdu::decode_lenient(&resp.body)
            .ok()
            .filter(|d| d.pdu.message_type == MessageType::RetrieveConf);
        let Some(d) = decoded else {
            // Garbage: tell the MMSC we could not read it.
            if let Ok(pdu) = notify_resp(&row.transaction_id, Status::Unrecognised, None).encode() {
                let _ = self
                    .inner
                    .transport
                    .post(&self.ack_url(row.content_location.as_deref()), pdu)
                    .await;
            }
            return fail(false, state::FAILED, "unreadable retrieve-conf".into());
        };
        let p = &d.pdu;
        if let Some(s) = p.retrieve_status() {
            match s.class() {
                StatusClass::Ok | StatusClass::PartialSuccess => {}
                StatusClass::Transient => {
                    return fail(true, state::NOTIFIED, format!("Retrieve-Status {s}"));
                }
                StatusClass::Permanent => {
                    if let Ok(pdu) =
                        notify_resp(&row.transaction_id, Status::Rejected, None).encode()
                    {
                        let _ = self
                            .inner
                            .transport
                            .post(&self.ack_url(row.content_location.as_deref()), pdu)
                            .await;
                    }
                    return fail(false, state::FAILED, format!("Retrieve-Status {s}"));
                }
            }
        }
        let message_id = p.message_id().map(|m| m.to_string());
        let from = p.from().and_then(|f| match f {
            FromValue::Address(a) => Some(a.to_string_lossy().into_owned()),
            FromValue::InsertAddress => None,
        });
        let subject = p.subject().map(|s| s.to_string_lossy().into_owned());
        let date = p.date().map(|d| d as i64);
        let read_report = p.read_report_requested();
        let use_disposition = self.inner.profile().content_disposition;
        let parts: Vec<StoredPart> = match p.body.as_ref().map(|b| &b.data) {
            Some(BodyData::Multipart(ps)) => ps
                .iter()
                .map(|part| {
                    (
                        part.content_type.media.display_name(),
                        part.name_with(use_disposition).map(|n| n.into_owned()),
                        part.content_id().map(|n| n.into_owned()),
                        part.content_location().map(|n| n.into_owned()),
                        part.decoded_data(),
                    )
                })
                .collect(),
            Some(BodyData::Single(data)) => vec![(
                p.content_type()
                    .map(|c| c.media.display_name())
                    .unwrap_or_default(),
                None,
                None,
                None,
                std::borrow::Cow::Borrowed(&data[..]),
            )],
            None => Vec::new(),
        };
        let now = self.inner.now();
        // Nothing is copied: the parts and the raw PDU are written from the response buffer.
        let body: &[u8] = &resp.body;
        self.inner.store.write(|tx| {
            tx.execute("DELETE FROM parts WHERE message_id = ?1", [id])?;
            for (i, (ct, name, cid, loc, data)) in parts.iter().enumerate() {
                tx.execute(
                    "INSERT INTO parts (message_id, idx, content_type, name, content_id, content_location, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, zeroblob(?7))",
                    params![id, i as i64, ct, name, cid, loc, data.len() as i64],
                )?;
                write_blob(tx, "parts", "data", tx.last_insert_rowid(), data)?;
            }
            tx.execute(
                "UPDATE messages SET message_id = ?2, from_addr = COALESCE(?3, from_addr), subject = COALESCE(?4, subject), date = ?5, read_report = ?6 WHERE id = ?1",
                params![id, message_id, from, subject, date, read_report],
            )?;
            put_pdu(tx, id, body)?;
            set_state(tx, id, state::DOWNLOADED, None, now)
        })?;
        tracing::info!(id, message_id = ?message_id, "downloaded");
        super::crash_point("downloaded");
        self.inner
            .emit(Event::MessageReceived { id, from, subject });
        Ok(())
    }

    /// The app confirms it has the message: `DELIVERED`, then the MMSC is acknowledged.
    pub async fn confirm_delivered(&self, id: i64) -> Result<(), EngineError> {
        self.confirm_delivered_txn(id)
            .instrument(tracing::info_span!("confirm", id))
            .await
    }

    async fn confirm_delivered_txn(&self, id: i64) -> Result<(), EngineError> {
        let row = self
            .inner
            .store
            .message(id)?
            .ok_or_else(|| EngineError::State(id, "no such message".into()))?;
        if row.state == state::DOWNLOADED {
            let now = self.inner.now();
            self.inner
                .store
                .write(|tx| set_state(tx, id, state::DELIVERED, None, now))?;
            super::crash_point("delivered");
        } else if row.state != state::DELIVERED {
            return Err(EngineError::State(
                id,
                format!("cannot confirm in state {}", row.state),
            ));
        }
        self.acknowledge(id).await
    }

    async fn post_ack(
        &self,
        tid: &str,
        deferred: bool,
        location: Option<&str>,
    ) -> Result<(), EngineError> {
        let report_allowed = Some(self.inner.profile().delivery_reports);
        let pdu = if deferred {
            acknowledge(tid, report_allowed)
        } else {
            notify_resp(tid, Status::Retrieved, report_allowed)
        };
        let bytes = pdu.encode().map_err(|e| EngineError::Mmsc(e.to_string()))?;
        let r = self
            .inner
            .transport
            .post(&self.ack_url(location), bytes)
            .await?;
        if !(200..300).contains(&r.status) {
            return Err(EngineError::Mmsc(format!(
                "HTTP {} on acknowledgement",
                r.status
            )));
        }
        Ok(())
    }

    /// Sends NotifyResp (Retrieved) or, after a deferred retrieval, M-Acknowledge.ind.
    pub(crate) async fn acknowledge(&self, id: i64) -> Result<(), EngineError> {
        let row = self
            .inner
            .store
            .message(id)?
            .ok_or_else(|| EngineError::State(id, "no such message".into()))?;
        if row.state != state::DELIVERED {
            return Ok(());
        }
        self.post_ack(
            &row.transaction_id,
            row.deferred,
            row.content_location.as_deref(),
        )
        .await?;
        super::crash_point("acked");
        let now = self.inner.now();
        self.inner
            .store
            .write(|tx| set_state(tx, id, state::ACKNOWLEDGED, None, now))?;
        Ok(())
    }

    /// Marks a received message read; sends a read report when the sender asked for one, the
    /// profile allows it and `send_report` is true.
    pub async fn mark_read(&self, id: i64, send_report: bool) -> Result<bool, EngineError> {
        self.mark_read_txn(id, send_report)
            .instrument(tracing::info_span!("mark_read", id, send_report))
            .await
    }

    async fn mark_read_txn(&self, id: i64, send_report: bool) -> Result<bool, EngineError> {
        let row = self
            .inner
            .store
            .message(id)?
            .ok_or_else(|| EngineError::State(id, "no such message".into()))?;
        let now = self.inner.now();
        self.inner.store.write(|tx| {
            tx.execute(
                "UPDATE messages SET read = 1, updated_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
            Ok(())
        })?;
        let profile = self.inner.profile();
        let (Some(mid), Some(from)) = (row.message_id.as_deref(), row.from_addr.as_deref()) else {
            return Ok(false);
        };
        if row.read || !row.read_report || !send_report || !profile.send_read_reports {
            tracing::info!(id, read_report_sent = false, "read");
            return Ok(false);
        }
        let pdu = read_rec(mid, from, ReadStatus::Read, Some(self.inner.clock.now()))
            .encode()
            .map_err(|e| EngineError::Mmsc(e.to_string()))?;
        let r = self.inner.transport.post(&profile.mmsc_url, pdu).await?;
        let sent = (200..300).contains(&r.status);
        tracing::info!(id, read_report_sent = sent, "read");
        Ok(sent)
    }
}
