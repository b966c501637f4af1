//! Deleting a message. A message the phone holds is removed from the store (parts and report
//! state with it). A message the MMSC still holds (notified, not downloaded) is first released
//! there: with M-Delete.req where the carrier profile says the MMSC supports it, otherwise with
//! NotifyResp (Rejected), the MM1 way to refuse a message. The `DELETING` journal state covers
//! the network step, so a crash in between finishes the deletion at start-up.

use super::{EngineError, MmsClient, state};
use crate::pdu::builder::{delete_req, notify_resp};
use crate::pdu::{MessageType, Pdu, Status, StatusClass};
use crate::store::set_state;
use serde::Serialize;
use tracing::Instrument;

/// How a deletion went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeleteOutcome {
    /// Removed from the phone only (the MMSC no longer held it).
    Local,
    /// The MMSC deleted its copy (M-Delete.conf Ok), then the phone's row was removed.
    DeletedOnMmsc,
    /// The MMSC was told the message is refused (NotifyResp Rejected), then the row removed.
    RejectedAtMmsc,
}

impl MmsClient {
    /// Deletes message `id`. A send in flight or a download in progress cannot be deleted
    /// until it finishes; a queued send is withdrawn first.
    pub async fn delete(&self, id: i64) -> Result<DeleteOutcome, EngineError> {
        let row = self
            .inner
            .store
            .message(id)?
            .ok_or_else(|| EngineError::State(id, "no such message".into()))?;
        let span = tracing::info_span!("delete", id, tid = %row.transaction_id, state = %row.state);
        async {
            match (row.direction.as_str(), row.state.as_str()) {
                (_, state::SUBMITTING) | ("in", state::DOWNLOADING) => Err(EngineError::State(
                    id,
                    format!("cannot delete in state {}", row.state),
                )),
                ("out", state::QUEUED | state::RETRY_WAIT) => {
                    self.cancel_send(id).await?;
                    self.remove(id)?;
                    Ok(DeleteOutcome::Local)
                }
                ("in", state::DOWNLOADED) => {
                    // Retrieved but not yet confirmed: the user has seen it, so the MMSC is
                    // told it arrived before the copy goes.
                    self.confirm_delivered(id).await?;
                    self.remove(id)?;
                    Ok(DeleteOutcome::Local)
                }
                ("in", state::NOTIFIED | state::DELETING) => {
                    let now = self.inner.now();
                    self.inner
                        .store
                        .write(|tx| set_state(tx, id, state::DELETING, None, now))?;
                    super::crash_point("deleting");
                    let outcome = self.release_on_mmsc(&row).await?;
                    self.remove(id)?;
                    Ok(outcome)
                }
                _ => {
                    self.remove(id)?;
                    Ok(DeleteOutcome::Local)
                }
            }
        }
        .instrument(span)
        .await
    }

    fn remove(&self, id: i64) -> Result<(), EngineError> {
        self.inner.store.write(|tx| {
            tx.execute("DELETE FROM messages WHERE id = ?1", [id])?;
            Ok(())
        })?;
        tracing::info!(id, "deleted");
        Ok(())
    }

    /// Tells the MMSC to drop a message it holds. Transient failures leave the row in
    /// `DELETING` for a later attempt; a permanent refusal (the MMSC no longer has it) does not
    /// keep the user's deletion from happening.
    async fn release_on_mmsc(
        &self,
        row: &crate::store::MessageRow,
    ) -> Result<DeleteOutcome, EngineError> {
        let profile = self.inner.profile();
        let location = row.content_location.clone().unwrap_or_default();
        if profile.mmsc_delete && !location.is_empty() {
            let tid = super::send::new_transaction_id();
            let pdu = delete_req(&tid, &[location.as_str()])
                .encode()
                .map_err(|e| EngineError::Mmsc(e.to_string()))?;
            let r = self.inner.transport.post(&profile.mmsc_url, pdu).await?;
            match r.status {
                200..=299 => {}
                429 | 408 | 500..=599 => {
                    return Err(EngineError::Mmsc(format!(
                        "HTTP {} on M-Delete.req",
                        r.status
                    )));
                }
                s => {
                    tracing::warn!(status = s, "M-Delete.req refused; deleting locally");
                    return Ok(DeleteOutcome::Local);
                }
            }
            let conf = Pdu::decode_lenient(&r.body)
                .map_err(|e| EngineError::Mmsc(format!("unreadable M-Delete.conf: {e}")))?
                .pdu;
            if conf.message_type != MessageType::DeleteConf
                || conf.transaction_id().map(|t| t.to_string()).as_deref() != Some(tid.as_str())
            {
                return Err(EngineError::Mmsc(format!(
                    "expected M-Delete.conf for {tid}, got {}",
                    conf.message_type
                )));
            }
            return match conf.response_status().map(|s| (s, s.class())) {
                Some((_, StatusClass::Ok)) => Ok(DeleteOutcome::DeletedOnMmsc),
                Some((s, StatusClass::Transient)) => {
                    Err(EngineError::Mmsc(format!("M-Delete.conf {}", s.label())))
                }
                other => {
                    tracing::warn!(status = ?other.map(|o| o.0.label()), "MMSC did not delete; deleting locally");
                    Ok(DeleteOutcome::Local)
                }
            };
        }
        let pdu = notify_resp(&row.transaction_id, Status::Rejected, None)
            .encode()
            .map_err(|e| EngineError::Mmsc(e.to_string()))?;
        let url = self.ack_url(row.content_location.as_deref());
        let r = self.inner.transport.post(&url, pdu).await?;
        match r.status {
            200..=299 => Ok(DeleteOutcome::RejectedAtMmsc),
            429 | 408 | 500..=599 => Err(EngineError::Mmsc(format!(
                "HTTP {} on NotifyResp (Rejected)",
                r.status
            ))),
            _ => Ok(DeleteOutcome::Local),
        }
    }
}
