//! Deleting a message. A message the phone holds is removed from the store (parts and report
//! state with it). A message the MMSC still holds (notified, not downloaded) is first released
//! there: with M-Delete.req where the carrier profile says the MMSC supports it, otherwise with
//! NotifyResp (Rejected), the MM1 way to refuse a message. The `DELETING` journal state covers
//! the network step, so a crash in between finishes the deletion at start-up.

use super::{Engine, crash_point, receive};
use crate::error::{EngineError, MmscError};
use crate::store::{Direction, MessageRow, State};
use crate::transport::HttpClass;
use mms_codec::pdu::builder::{delete_req, notify_resp};
use mms_codec::pdu::{MessageType, Pdu, Status, StatusClass};
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

/// Deletes message `id`. A send in flight or a download in progress cannot be deleted until it
/// finishes; a queued send is withdrawn first.
pub(crate) async fn delete(e: &Engine, id: i64) -> Result<DeleteOutcome, EngineError> {
    let row = e.message(id)?;
    let span = tracing::info_span!("delete", id, tid = %row.transaction_id, state = %row.state);
    async {
        match (row.direction, row.state) {
            (_, State::Submitting) | (Direction::In, State::Downloading) => {
                Err(EngineError::WrongState {
                    id,
                    operation: "delete",
                    state: row.state,
                })
            }
            (Direction::Out, State::Queued | State::RetryWait) => {
                super::cancel::cancel_send(e, id)?;
                remove(e, id)?;
                Ok(DeleteOutcome::Local)
            }
            (Direction::In, State::Downloaded) => {
                // Retrieved but not yet confirmed: the user has seen it, so the MMSC is told
                // it arrived before the copy goes.
                receive::confirm_delivered(e, id).await?;
                remove(e, id)?;
                Ok(DeleteOutcome::Local)
            }
            (Direction::In, State::Notified | State::Deleting) => {
                let _claim = e.claim(id).ok_or(EngineError::Busy(id))?;
                let now = e.now();
                e.store.write(|tx| {
                    tx.transition(
                        id,
                        &[State::Notified, State::Deleting],
                        State::Deleting,
                        None,
                        now,
                    )
                })?;
                crash_point("deleting");
                let outcome = release_on_mmsc(e, &row).await?;
                remove(e, id)?;
                Ok(outcome)
            }
            _ => {
                remove(e, id)?;
                Ok(DeleteOutcome::Local)
            }
        }
    }
    .instrument(span)
    .await
}

fn remove(e: &Engine, id: i64) -> Result<(), EngineError> {
    e.store.write(|tx| tx.delete_message(id))?;
    tracing::info!(id, "deleted");
    Ok(())
}

/// Tells the MMSC to drop a message it holds. Transient failures leave the row in `DELETING`
/// for a later attempt; a permanent refusal (the MMSC no longer has it) does not keep the
/// user's deletion from happening.
async fn release_on_mmsc(e: &Engine, row: &MessageRow) -> Result<DeleteOutcome, EngineError> {
    let profile = e.profile();
    let location = row.content_location.clone().unwrap_or_default();
    if profile.mmsc_delete && !location.is_empty() {
        let tid = super::send::new_transaction_id();
        let pdu = delete_req(&tid, &[location.as_str()]).encode()?;
        let r = e.transport.post(&profile.mmsc_url, pdu).await?;
        match r.class() {
            HttpClass::Success => {}
            HttpClass::Transient => {
                return Err(MmscError::Http {
                    status: r.status,
                    during: "M-Delete.req",
                }
                .into());
            }
            _ => {
                tracing::warn!(status = r.status, "M-Delete.req refused; deleting locally");
                return Ok(DeleteOutcome::Local);
            }
        }
        let conf = Pdu::decode_lenient(&r.body)
            .map_err(|err| MmscError::Unreadable {
                answer: "M-Delete.conf",
                reason: err.to_string(),
            })?
            .pdu;
        if conf.message_type != MessageType::DeleteConf
            || conf.transaction_id().map(|t| t.to_string()).as_deref() != Some(tid.as_str())
        {
            return Err(MmscError::Unexpected {
                answer: "M-Delete.conf",
                detail: format!(
                    "expected M-Delete.conf for {tid}, got {}",
                    conf.message_type
                ),
            }
            .into());
        }
        return match conf.response_status().map(|s| (s, s.class())) {
            Some((_, StatusClass::Ok)) => Ok(DeleteOutcome::DeletedOnMmsc),
            Some((s, StatusClass::Transient)) => Err(MmscError::Refused {
                during: "M-Delete.req",
                status: s.label().to_string(),
                text: None,
                transient: true,
            }
            .into()),
            other => {
                tracing::warn!(status = ?other.map(|o| o.0.label()), "MMSC did not delete; deleting locally");
                Ok(DeleteOutcome::Local)
            }
        };
    }
    let pdu = notify_resp(&row.transaction_id, Status::Rejected, None).encode()?;
    let url = receive::ack_url(e, row.content_location.as_deref());
    let r = e.transport.post(&url, pdu).await?;
    match r.class() {
        HttpClass::Success => Ok(DeleteOutcome::RejectedAtMmsc),
        HttpClass::Transient => Err(MmscError::Http {
            status: r.status,
            during: "NotifyResp (Rejected)",
        }
        .into()),
        _ => Ok(DeleteOutcome::Local),
    }
}
