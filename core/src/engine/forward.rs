//! Forward without download (M-Forward.req / M-Forward.conf): the MMSC sends a message the
//! phone was notified of to new recipients, without the phone retrieving it.

use super::{EngineError, MmsClient};
use crate::pdu::builder::forward_req;
use crate::pdu::{MessageType, Pdu, StatusClass};
use tracing::Instrument;

impl MmsClient {
    /// Forwards received message `id` (by its Content-Location) to `to` without downloading
    /// it; returns the new Message-ID the MMSC gave (empty when it gave none).
    pub async fn forward(&self, id: i64, to: &[String]) -> Result<String, EngineError> {
        if to.is_empty() {
            return Err(EngineError::InvalidDraft("no recipients".into()));
        }
        let row = self
            .inner
            .store
            .message(id)?
            .ok_or_else(|| EngineError::State(id, "no such message".into()))?;
        let location = row
            .content_location
            .filter(|_| row.direction == "in")
            .ok_or_else(|| EngineError::State(id, "not a received notification".into()))?;
        let tid = super::send::new_transaction_id();
        let span = tracing::info_span!("forward", id, tid = %tid);
        self.forward_to(&tid, &location, to).instrument(span).await
    }

    async fn forward_to(
        &self,
        tid: &str,
        location: &str,
        to: &[String],
    ) -> Result<String, EngineError> {
        let to: Vec<&str> = to.iter().map(String::as_str).collect();
        let pdu = forward_req(tid, &to, location)
            .encode()
            .map_err(|e| EngineError::InvalidDraft(e.to_string()))?;
        let url = self.inner.profile().mmsc_url;
        let resp = self.inner.transport.post(&url, pdu).await?;
        if !(200..300).contains(&resp.status) {
            return Err(EngineError::Mmsc(format!("HTTP {}", resp.status)));
        }
        let d = Pdu::decode(&resp.body)
            .map_err(|e| EngineError::Mmsc(format!("unreadable M-Forward.conf: {e}")))?;
        let conf = d.pdu;
        if conf.message_type != MessageType::ForwardConf
            || conf.transaction_id().map(|t| t.to_string()).as_deref() != Some(tid)
        {
            return Err(EngineError::Mmsc(format!(
                "expected M-Forward.conf for {tid}, got {}",
                conf.message_type
            )));
        }
        match conf.response_status() {
            Some(s) if s.class() == StatusClass::Ok => {
                let mid = conf.message_id().map(|m| m.to_string()).unwrap_or_default();
                tracing::info!(message_id = %mid, "forwarded");
                Ok(mid)
            }
            other => Err(EngineError::Mmsc(format!(
                "forward refused: {}",
                other.map_or("no Response-Status", |s| s.label())
            ))),
        }
    }
}
