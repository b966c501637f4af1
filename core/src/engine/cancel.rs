//! Cancellation, both ways: the user withdraws a send that has not gone out yet, and the MMSC
//! withdraws a message it notified (M-Cancel.req, answered with M-Cancel.conf).
//!
//! An MMSC's Cancel-ID names the message by its Message-ID once retrieved, but a notification
//! carries no Message-ID, so MMSCs name a pending one by its Content-Location or transaction
//! id; all three are matched. A pending notification is dropped; a message already retrieved
//! is never taken from the user (the app is told, the content stays).
//!
//! A cancel from an untrusted push origin is answered but not acted on: like a notification
//! from such an origin it may be spoofed (plain SMS), so the notification stays and the app is
//! not told of a cancel; an audit row says why. If the MMSC really withdrew the message, the
//! later download finds it gone.

use super::{EngineError, Event, MmsClient, state};
use crate::audit::{AuditArea, AuditEvent, AuditOutcome};
use crate::pdu::CancelStatus;
use crate::pdu::builder::cancel_conf;
use crate::store::set_state;
use rusqlite::{OptionalExtension, params};
use tracing::Instrument;

impl MmsClient {
    /// Withdraws an outgoing message that has not been submitted (`QUEUED` or waiting for a
    /// retry): it becomes `CANCELLED` and is never sent. A submission in flight cannot be
    /// withdrawn.
    pub async fn cancel_send(&self, id: i64) -> Result<(), EngineError> {
        let now = self.inner.now();
        let changed = self.inner.store.write(|tx| {
            Ok(tx.execute(
                "UPDATE messages SET state = ?2, error = 'cancelled by the user', updated_at = ?3 \
                 WHERE id = ?1 AND direction = 'out' AND state IN (?4, ?5)",
                params![id, state::CANCELLED, now, state::QUEUED, state::RETRY_WAIT],
            )?)
        })?;
        if changed != 1 {
            let st = self
                .inner
                .store
                .message(id)?
                .map_or_else(|| "no such message".to_string(), |r| r.state);
            return Err(EngineError::State(
                id,
                format!("cannot cancel in state {st}"),
            ));
        }
        tracing::info!(id, state = state::CANCELLED, "send cancelled");
        self.inner.emit(Event::SendProgress {
            id,
            state: state::CANCELLED.into(),
        });
        Ok(())
    }

    /// Acts on an M-Cancel.req from the MMSC and answers it with M-Cancel.conf. `verified`:
    /// the push came from a trusted origin; an unverified cancel changes nothing.
    pub(crate) async fn handle_cancel(
        &self,
        tid: Option<&str>,
        cancel_id: Option<&str>,
        verified: bool,
    ) {
        let span = tracing::info_span!(
            "cancel",
            tid = tid.unwrap_or(""),
            cancel_id = cancel_id.unwrap_or(""),
            verified
        );
        async {
            let status = match cancel_id.filter(|c| !c.trim().is_empty()) {
                Some(c) => {
                    self.apply_cancel(c.trim(), verified);
                    CancelStatus::Received
                }
                None => CancelStatus::Corrupted,
            };
            let Some(tid) = tid.filter(|t| !t.is_empty()) else {
                // Nothing to answer: without a transaction id the MMSC cannot match a conf.
                tracing::warn!("M-Cancel.req without a transaction id");
                return;
            };
            if let Err(e) = self.post_cancel_conf(tid, status).await {
                tracing::warn!(error = %e, "M-Cancel.conf not delivered");
            }
        }
        .instrument(span)
        .await;
    }

    fn apply_cancel(&self, cancel_id: &str, verified: bool) {
        let sub = self.inner.subscription.clone();
        let now = self.inner.now();
        let found = self.inner.store.write(|tx| {
            let row: Option<(i64, String)> = tx
                .query_row(
                    "SELECT id, state FROM messages WHERE subscription = ?1 AND direction = 'in' \
                     AND (message_id = ?2 OR content_location = ?2 OR transaction_id = ?2) \
                     ORDER BY id DESC LIMIT 1",
                    params![sub, cancel_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((id, st)) = row else {
                return Ok(None);
            };
            let outcome = if !verified {
                Cancelled::Unverified
            } else if st == state::CANCELLED || st == state::EXPIRED {
                Cancelled::AlreadyGone
            } else if st != state::NOTIFIED {
                Cancelled::Kept
            } else {
                set_state(tx, id, state::CANCELLED, Some("cancelled by the MMSC"), now)?;
                Cancelled::Dropped
            };
            Ok(Some((id, outcome)))
        });
        match found {
            Ok(Some((id, Cancelled::Unverified))) => {
                tracing::warn!(id, "cancel from an untrusted origin not applied");
                self.inner.audit.record(AuditEvent {
                    at: self.inner.clock.now(),
                    area: AuditArea::Push,
                    outcome: AuditOutcome::Rejected,
                    reason: "cancel_unverified".into(),
                    threat: Some("PUSH-5".into()),
                    subject: self.inner.subscription.clone(),
                    detail: format!(
                        "message {id} untouched: the cancel came from an untrusted origin"
                    ),
                });
            }
            Ok(Some((id, outcome))) => {
                let retrieved = outcome == Cancelled::Kept;
                tracing::info!(
                    id,
                    retrieved,
                    state = if retrieved { "kept" } else { state::CANCELLED },
                    "cancelled by the MMSC"
                );
                self.inner.emit(Event::MessageCancelled { id, retrieved });
            }
            Ok(None) => tracing::info!(cancel_id, "cancel for no message we hold"),
            Err(e) => tracing::warn!(error = %e, "cancel not recorded"),
        }
    }

    async fn post_cancel_conf(&self, tid: &str, status: CancelStatus) -> Result<(), EngineError> {
        let bytes = cancel_conf(tid, status)
            .encode()
            .map_err(|e| EngineError::Mmsc(e.to_string()))?;
        let url = self.inner.profile().mmsc_url;
        let r = self.inner.transport.post(&url, bytes).await?;
        if !(200..300).contains(&r.status) {
            return Err(EngineError::Mmsc(format!(
                "HTTP {} on M-Cancel.conf",
                r.status
            )));
        }
        Ok(())
    }
}

/// What a cancel did to the message it named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cancelled {
    /// A pending notification, now `CANCELLED`.
    Dropped,
    /// Already retrieved: the content stays with the user.
    Kept,
    /// Already cancelled or expired.
    AlreadyGone,
    /// Nothing done and the app not told: the cancel's origin is not trusted.
    Unverified,
}
