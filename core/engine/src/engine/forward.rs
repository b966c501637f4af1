//! Forward without download (M-Forward.req / M-Forward.conf): the MMSC sends a message the
//! phone was notified of to new recipients, without the phone retrieving it.

use super::Engine;
use crate::error::{EngineError, MmscError};
use crate::store::Direction;
use crate::transport::HttpClass;
use mms_codec::pdu::builder::forward_req;
use mms_codec::pdu::{MessageType, Pdu, StatusClass};
use tracing::Instrument;

/// Forwards received message `id` (by its Content-Location) to `to` without downloading it;
/// returns the new Message-ID the MMSC gave (empty when it gave none).
pub(crate) async fn forward(e: &Engine, id: i64, to: &[String]) -> Result<String, EngineError> {
    if to.is_empty() {
        return Err(EngineError::InvalidDraft("no recipients".into()));
    }
    let row = e.message(id)?;
    let location = row
        .content_location
        .filter(|_| row.direction == Direction::In)
        .ok_or(EngineError::WrongState {
            id,
            operation: "forward",
            state: row.state,
        })?;
    let tid = super::send::new_transaction_id();
    let span = tracing::info_span!("forward", id, tid = %tid);
    forward_to(e, &tid, &location, to).instrument(span).await
}

async fn forward_to(
    e: &Engine,
    tid: &str,
    location: &str,
    to: &[String],
) -> Result<String, EngineError> {
    const DURING: &str = "M-Forward.req";
    let to: Vec<&str> = to.iter().map(String::as_str).collect();
    let pdu = forward_req(tid, &to, location)
        .encode()
        .map_err(|err| EngineError::InvalidDraft(err.to_string()))?;
    let url = e.profile().mmsc_url;
    let resp = e.transport.post(&url, pdu).await?;
    if resp.class() != HttpClass::Success {
        return Err(MmscError::Http {
            status: resp.status,
            during: DURING,
        }
        .into());
    }
    let conf = Pdu::decode(&resp.body)
        .map_err(|err| MmscError::Unreadable {
            answer: "M-Forward.conf",
            reason: err.to_string(),
        })?
        .pdu;
    if conf.message_type != MessageType::ForwardConf
        || conf.transaction_id().map(|t| t.to_string()).as_deref() != Some(tid)
    {
        return Err(MmscError::Unexpected {
            answer: "M-Forward.conf",
            detail: format!(
                "expected M-Forward.conf for {tid}, got {}",
                conf.message_type
            ),
        }
        .into());
    }
    match conf.response_status() {
        Some(s) if s.class() == StatusClass::Ok => {
            let mid = conf.message_id().map(|m| m.to_string()).unwrap_or_default();
            tracing::info!(message_id = %mid, "forwarded");
            Ok(mid)
        }
        other => Err(MmscError::Refused {
            during: DURING,
            status: other
                .map_or("no Response-Status", |s| s.label())
                .to_string(),
            text: conf
                .response_text()
                .map(|t| t.to_string_lossy().into_owned()),
            transient: other.is_some_and(|s| s.class() == StatusClass::Transient),
        }
        .into()),
    }
}
