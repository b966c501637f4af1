//! The send transaction: draft -> size check -> `QUEUED` (PDU encoded, transaction id fixed)
//! -> `SUBMITTING` -> M-Send.conf handling per the Response-Status table: `SENT`, `RETRY_WAIT`
//! (transient: same transaction id, backoff) or `FAILED` (permanent, with the Response-Text).

use super::{EngineError, Event, MmsClient, state};
use crate::pdu::builder::SendReqBuilder;
use crate::pdu::{ClassToken, MessageType, Pdu, Priority, StatusClass, TimeValue, Version};
use crate::store::{NewMessage, insert_message, set_state};
use crate::transport::{HttpResponse, TransportError};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tracing::Instrument;

/// One part of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftPart {
    /// Media type.
    pub content_type: String,
    /// File name (becomes Content-ID and Content-Location).
    pub name: String,
    /// Data.
    pub data: Vec<u8>,
}

/// A message to send.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// To recipients (numbers or e-mail addresses).
    pub to: Vec<String>,
    /// Cc recipients.
    pub cc: Vec<String>,
    /// Bcc recipients.
    pub bcc: Vec<String>,
    /// Subject.
    pub subject: Option<String>,
    /// Parts.
    pub parts: Vec<DraftPart>,
    /// SMIL presentation; generated when absent and the draft has media.
    pub smil: Option<Vec<u8>>,
    /// Request a delivery report (profile default when `None`).
    pub delivery_report: Option<bool>,
    /// Request a read report (profile default when `None`).
    pub read_report: Option<bool>,
    /// Expiry in seconds.
    pub expiry_secs: Option<u64>,
    /// Priority.
    pub priority: Option<Priority>,
    /// Message class.
    pub class: Option<ClassToken>,
}

pub(crate) fn new_transaction_id() -> String {
    let mut b = [0u8; 10];
    let _ = getrandom::fill(&mut b);
    format!(
        "T{}",
        b.iter().map(|x| format!("{x:02x}")).collect::<String>()
    )
}

enum Outcome {
    Sent(Option<String>),
    Transient(String, Option<u64>),
    Permanent(String),
}

fn judge(tid: &str, r: Result<HttpResponse, TransportError>) -> Outcome {
    let resp = match r {
        Ok(r) => r,
        Err(e) if e.is_transient() => return Outcome::Transient(e.to_string(), None),
        Err(e) => return Outcome::Permanent(e.to_string()),
    };
    match resp.status {
        200..=299 => {}
        429 | 408 | 500..=599 => {
            return Outcome::Transient(format!("HTTP {}", resp.status), resp.retry_after);
        }
        s => return Outcome::Permanent(format!("HTTP {s}")),
    }
    let d = match Pdu::decode_lenient(&resp.body) {
        Ok(d) => d,
        Err(e) => return Outcome::Permanent(format!("unreadable M-Send.conf: {e}")),
    };
    let p = &d.pdu;
    if p.message_type != MessageType::SendConf {
        return Outcome::Permanent(format!("the MMSC answered with {}", p.message_type));
    }
    if p.transaction_id()
        .is_some_and(|t| t.as_bytes() != tid.as_bytes())
    {
        return Outcome::Permanent("M-Send.conf for another transaction".into());
    }
    let text = p.response_text().map(|t| t.to_string_lossy().into_owned());
    let Some(status) = p.response_status() else {
        return Outcome::Permanent("M-Send.conf without Response-Status".into());
    };
    let message_id = p
        .message_id()
        .map(|m| m.to_string())
        .filter(|m| !m.is_empty());
    match status.class() {
        StatusClass::Ok if message_id.is_some() => Outcome::Sent(message_id),
        StatusClass::Ok => Outcome::Permanent("Ok without a Message-ID".into()),
        StatusClass::PartialSuccess => Outcome::Sent(message_id),
        StatusClass::Transient => Outcome::Transient(
            format!(
                "{status}{}",
                text.map(|t| format!(": {t}")).unwrap_or_default()
            ),
            None,
        ),
        StatusClass::Permanent => Outcome::Permanent(format!(
            "{status}{}",
            text.map(|t| format!(": {t}")).unwrap_or_default()
        )),
    }
}

impl MmsClient {
    /// Queues and submits a message. Returns its row id once the MMSC accepted it (or after
    /// a permanent failure, as an error). Transient failures are retried with backoff, keeping
    /// the transaction id.
    pub async fn send(&self, draft: Draft) -> Result<i64, EngineError> {
        let id = self.queue(draft)?;
        self.submit(id).await?;
        Ok(id)
    }

    /// Encodes and stores a draft as `QUEUED` without submitting it.
    pub fn queue(&self, draft: Draft) -> Result<i64, EngineError> {
        let profile = self.inner.profile();
        let recipients = draft.to.len() + draft.cc.len() + draft.bcc.len();
        if recipients == 0 {
            return Err(EngineError::InvalidDraft("no recipient".into()));
        }
        if recipients > profile.recipient_limit as usize {
            return Err(EngineError::InvalidDraft(format!(
                "{recipients} recipients; the carrier allows {}",
                profile.recipient_limit
            )));
        }
        if draft.parts.is_empty() {
            return Err(EngineError::InvalidDraft("no content".into()));
        }
        let tid = new_transaction_id();
        let version = match profile.mms_version.as_str() {
            "1.0" => Version::V1_0,
            "1.1" => Version::V1_1,
            "1.3" => Version::V1_3,
            _ => Version::V1_2,
        };
        let delivery = draft.delivery_report.unwrap_or(profile.delivery_reports);
        let read = draft.read_report.unwrap_or(profile.read_reports);
        let mut b = SendReqBuilder::new(&tid).version(version);
        if profile.group_mms {
            for a in &draft.to {
                b = b.to(a);
            }
            for a in &draft.cc {
                b = b.cc(a);
            }
        } else {
            // No group MMS on this carrier: nobody learns the other recipients or replies to
            // all. One recipient stays in To, as a one-to-one message.
            let all: Vec<&String> = draft.to.iter().chain(&draft.cc).collect();
            if let [only] = all.as_slice() {
                b = b.to(only);
            } else {
                for a in all {
                    b = b.bcc(a);
                }
            }
        }
        for a in &draft.bcc {
            b = b.bcc(a);
        }
        if let Some(s) = &draft.subject {
            b = b.subject(s);
        }
        b = b
            .date(self.inner.clock.now())
            .delivery_report(delivery)
            .read_report(read);
        if let Some(e) = draft.expiry_secs {
            b = b.expiry(TimeValue::Relative(e));
        }
        if let Some(p) = draft.priority {
            b = b.priority(p);
        }
        if let Some(c) = draft.class {
            b = b.class(c);
        }
        let base = b;
        let encode = |parts: &[DraftPart]| -> Result<Vec<u8>, EngineError> {
            let mut b = base.clone();
            for p in parts {
                b = b.part(&p.content_type, &p.name, p.data.clone());
            }
            let has_media = parts.iter().any(|p| !p.content_type.starts_with("text/"));
            b = match &draft.smil {
                Some(s) => b.smil("smil.xml", s.clone()),
                None if has_media || parts.len() > 1 => b.generated_smil(),
                None => b,
            };
            b.build()
                .encode()
                .map_err(|e| EngineError::InvalidDraft(e.to_string()))
        };
        let max = profile.max_message_size;
        let mut pdu = encode(&draft.parts)?;
        let mut parts = std::borrow::Cow::Borrowed(&draft.parts);
        if pdu.len() as u64 > max {
            // The size budget: shrink still images until the message fits, or refuse it
            // before any network traffic.
            let size = pdu.len() as u64;
            let fits = |parts: &[DraftPart]| encode(parts).is_ok_and(|p| p.len() as u64 <= max);
            match super::shrink::shrink_to_fit(
                &draft.parts,
                profile.max_image_width,
                profile.max_image_height,
                fits,
            ) {
                Some(shrunk) => {
                    pdu = encode(&shrunk)?;
                    parts = std::borrow::Cow::Owned(shrunk);
                }
                None => return Err(EngineError::TooLarge { size, max }),
            }
        }
        let now = self.inner.now();
        let sub = self.inner.subscription.clone();
        let id = self.inner.store.write(|tx| {
            let id = insert_message(
                tx,
                &NewMessage {
                    subscription: &sub,
                    direction: "out",
                    state: state::QUEUED,
                    transaction_id: &tid,
                    subject: draft.subject.as_deref(),
                    size: Some(pdu.len() as i64),
                    pdu: Some(&pdu),
                    delivery_report: delivery,
                    read_report: read,
                    ..NewMessage::default()
                },
                now,
            )?;
            for (kind, list) in [("to", &draft.to), ("cc", &draft.cc), ("bcc", &draft.bcc)] {
                for a in list {
                    tx.execute("INSERT OR IGNORE INTO recipients (message_id, address, kind) VALUES (?1, ?2, ?3)", params![id, a, kind])?;
                }
            }
            for (i, p) in parts.iter().enumerate() {
                tx.execute(
                    "INSERT INTO parts (message_id, idx, content_type, name, content_id, content_location, data) VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?6)",
                    params![id, i as i64, p.content_type, p.name, format!("<{}>", p.name), p.data],
                )?;
            }
            Ok(id)
        })?;
        tracing::info!(id, tid = %tid, "queued");
        super::crash_point("queued");
        Ok(id)
    }

    /// Submits a queued message (also used to resume after a crash).
    pub(crate) async fn submit(&self, id: i64) -> Result<(), EngineError> {
        self.submit_txn(id)
            .instrument(tracing::info_span!("submit", id))
            .await
    }

    async fn submit_txn(&self, id: i64) -> Result<(), EngineError> {
        loop {
            let row = self
                .inner
                .store
                .message(id)?
                .ok_or_else(|| EngineError::State(id, "no such message".into()))?;
            if row.state == state::SENT
                || row.state == state::FAILED
                || row.state == state::CANCELLED
            {
                return Ok(());
            }
            let (_, pdu) = self.inner.store.blobs(id)?;
            let pdu = pdu.ok_or_else(|| EngineError::State(id, "no PDU".into()))?;
            let attempts = row.attempts + 1;
            let now = self.inner.now();
            // Conditional: a cancel between the read above and this write wins.
            let claimed = self.inner.store.write(|tx| {
                let n = tx.execute(
                    "UPDATE messages SET state = ?2, error = NULL, attempts = ?3, updated_at = ?4 \
                     WHERE id = ?1 AND state IN (?5, ?6, ?2)",
                    params![
                        id,
                        state::SUBMITTING,
                        attempts,
                        now,
                        state::QUEUED,
                        state::RETRY_WAIT
                    ],
                )?;
                Ok(n == 1)
            })?;
            if !claimed {
                return Ok(());
            }
            tracing::info!(id, state = state::SUBMITTING, attempt = attempts, "state");
            self.inner.emit(Event::SendProgress {
                id,
                state: state::SUBMITTING.into(),
            });
            super::crash_point("submitting");
            let profile = self.inner.profile();
            let span =
                tracing::info_span!("mm1_post", tid = %row.transaction_id, attempt = attempts);
            let result = self
                .inner
                .transport
                .post(&profile.mmsc_url, pdu)
                .instrument(span)
                .await;
            super::crash_point("submitted");
            match judge(&row.transaction_id, result) {
                Outcome::Sent(mid) => {
                    let now = self.inner.now();
                    self.inner.store.write(|tx| {
                        set_state(tx, id, state::SENT, None, now)?;
                        tx.execute(
                            "UPDATE messages SET message_id = ?2 WHERE id = ?1",
                            params![id, mid],
                        )?;
                        Ok(())
                    })?;
                    tracing::info!(message_id = ?mid, "sent");
                    self.inner.emit(Event::SendResult {
                        id,
                        ok: true,
                        message_id: mid,
                        error: None,
                    });
                    return Ok(());
                }
                Outcome::Permanent(err) => {
                    let now = self.inner.now();
                    self.inner
                        .store
                        .write(|tx| set_state(tx, id, state::FAILED, Some(&err), now))?;
                    tracing::warn!(error = %err, "send failed");
                    self.inner.emit(Event::SendResult {
                        id,
                        ok: false,
                        message_id: None,
                        error: Some(err.clone()),
                    });
                    return Err(EngineError::Mmsc(err));
                }
                Outcome::Transient(err, retry_after) => {
                    let now = self.inner.now();
                    if attempts >= i64::from(profile.max_send_attempts) {
                        let e = format!("gave up after {attempts} attempts: {err}");
                        self.inner
                            .store
                            .write(|tx| set_state(tx, id, state::FAILED, Some(&e), now))?;
                        self.inner.emit(Event::SendResult {
                            id,
                            ok: false,
                            message_id: None,
                            error: Some(e.clone()),
                        });
                        return Err(EngineError::Mmsc(e));
                    }
                    let backoff_ms = profile
                        .retry_base_ms
                        .saturating_mul(1 << (attempts - 1).clamp(0, 10))
                        .min(300_000);
                    let delay_ms = retry_after
                        .map(|s| s.saturating_mul(1000).min(300_000))
                        .unwrap_or(backoff_ms);
                    self.inner.store.write(|tx| {
                        set_state(tx, id, state::RETRY_WAIT, Some(&err), now)?;
                        tx.execute(
                            "UPDATE messages SET next_attempt_at = ?2 WHERE id = ?1",
                            params![id, now + (delay_ms / 1000) as i64],
                        )?;
                        Ok(())
                    })?;
                    tracing::info!(error = %err, delay_ms, "transient failure; retrying");
                    self.inner.emit(Event::SendProgress {
                        id,
                        state: state::RETRY_WAIT.into(),
                    });
                    tokio::time::sleep(Duration::from_millis(delay_ms)).await;
                }
            }
        }
    }
}
