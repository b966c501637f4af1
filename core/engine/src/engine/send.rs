//! The send transaction: draft -> size check -> `QUEUED` (PDU encoded, transaction id fixed)
//! -> `SUBMITTING` -> M-Send.conf handling per the Response-Status table: `SENT`, `RETRY_WAIT`
//! (transient: same transaction id, backoff) or `FAILED` (permanent, with the Response-Text).

use super::draft::{Draft, DraftPart};
use super::events::Event;
use super::{Engine, crash_point};
use crate::error::{EngineError, MmscError};
use crate::store::{Direction, NewMessage, NewPart, State};
use crate::transport::{HttpClass, HttpResponse, TransportError};
use mms_codec::pdu::builder::SendReqBuilder;
use mms_codec::pdu::{MessageType, Pdu, StatusClass, TimeValue, Version};
use std::time::Duration;
use tracing::Instrument;

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
    Transient(EngineError, Option<u64>),
    Permanent(EngineError),
}

fn refused(status: String, text: Option<String>, transient: bool) -> EngineError {
    MmscError::Refused {
        during: "M-Send.req",
        status,
        text,
        transient,
    }
    .into()
}

fn unexpected(detail: impl Into<String>) -> EngineError {
    MmscError::Unexpected {
        answer: "M-Send.conf",
        detail: detail.into(),
    }
    .into()
}

/// What the answer to an M-Send.req means (DESIGN.md 5, the Response-Status table).
fn judge(tid: &str, r: Result<HttpResponse, TransportError>) -> Outcome {
    let resp = match r {
        Ok(r) => r,
        Err(e) if e.is_transient() => return Outcome::Transient(e.into(), None),
        Err(e) => return Outcome::Permanent(e.into()),
    };
    let http = MmscError::Http {
        status: resp.status,
        during: "M-Send.req",
    };
    match resp.class() {
        HttpClass::Success => {}
        HttpClass::Transient => return Outcome::Transient(http.into(), resp.retry_after),
        HttpClass::Gone | HttpClass::Redirect | HttpClass::Permanent => {
            return Outcome::Permanent(http.into());
        }
    }
    let d = match Pdu::decode_lenient(&resp.body) {
        Ok(d) => d,
        Err(e) => {
            return Outcome::Permanent(
                MmscError::Unreadable {
                    answer: "M-Send.conf",
                    reason: e.to_string(),
                }
                .into(),
            );
        }
    };
    let p = &d.pdu;
    if p.message_type != MessageType::SendConf {
        return Outcome::Permanent(unexpected(format!(
            "the MMSC answered with {}",
            p.message_type
        )));
    }
    // X-Mms-Transaction-Id is mandatory in M-Send.conf (OMA-MMS-ENC 6.1.2): an answer without
    // ours is not an answer to our request, so not a success.
    match p.transaction_id() {
        Some(t) if t.as_bytes() == tid.as_bytes() => {}
        Some(_) => return Outcome::Permanent(unexpected("M-Send.conf for another transaction")),
        None => {
            return Outcome::Permanent(unexpected("M-Send.conf without X-Mms-Transaction-Id"));
        }
    }
    let text = p.response_text().map(|t| t.to_string_lossy().into_owned());
    let Some(status) = p.response_status() else {
        return Outcome::Permanent(unexpected("M-Send.conf without Response-Status"));
    };
    let message_id = p
        .message_id()
        .map(|m| m.to_string())
        .filter(|m| !m.is_empty());
    match status.class() {
        StatusClass::Ok if message_id.is_some() => Outcome::Sent(message_id),
        StatusClass::Ok => Outcome::Permanent(unexpected("Ok without a Message-ID")),
        StatusClass::PartialSuccess => Outcome::Sent(message_id),
        StatusClass::Transient => Outcome::Transient(refused(status.to_string(), text, true), None),
        StatusClass::Permanent => Outcome::Permanent(refused(status.to_string(), text, false)),
    }
}

/// The MMS version the profile asks for (1.2 unless it says otherwise).
fn version(profile: &crate::config::CarrierProfile) -> Version {
    match profile.mms_version.as_str() {
        "1.0" => Version::V1_0,
        "1.1" => Version::V1_1,
        "1.3" => Version::V1_3,
        _ => Version::V1_2,
    }
}

/// The draft's recipients in the send-req: as given with group MMS; without it, everyone in
/// Bcc (nobody learns the others or replies to all), a single recipient in To.
fn address<'a>(mut b: SendReqBuilder<'a>, draft: &Draft, group_mms: bool) -> SendReqBuilder<'a> {
    if group_mms {
        for a in &draft.to {
            b = b.to(a);
        }
        for a in &draft.cc {
            b = b.cc(a);
        }
    } else {
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
    b
}

/// Encodes and stores a draft as `QUEUED` without submitting it.
pub(crate) fn queue(e: &Engine, draft: Draft) -> Result<i64, EngineError> {
    let profile = e.profile();
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
    let delivery = draft.delivery_report.unwrap_or(profile.delivery_reports);
    let read = draft.read_report.unwrap_or(profile.read_reports);
    let mut b = address(
        SendReqBuilder::new(&tid).version(version(&profile)),
        &draft,
        profile.group_mms,
    );
    if let Some(s) = &draft.subject {
        b = b.subject(s);
    }
    b = b
        .date(e.clock.now())
        .delivery_report(delivery)
        .read_report(read);
    if let Some(x) = draft.expiry_secs {
        b = b.expiry(TimeValue::Relative(x));
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
            b = b.part(&p.content_type, &p.name, p.data.as_slice());
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
        let size = pdu.len() as u64;
        let shrunk = fit_to_size(&draft.parts, &profile, |p| {
            encode(p).is_ok_and(|p| p.len() as u64 <= max)
        })
        .ok_or(EngineError::TooLarge { size, max })?;
        pdu = encode(&shrunk)?;
        parts = std::borrow::Cow::Owned(shrunk);
    }
    // The parts as the encoded PDU holds them: a part stored from one of these slices is a run
    // of the stored PDU (`Tx::add_part`), not a second copy of its bytes.
    let decoded = Pdu::decode(&pdu).ok();
    let in_pdu: Vec<&[u8]> = decoded
        .as_ref()
        .map(|d| d.pdu.message_parts(false))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| match p.data {
            std::borrow::Cow::Borrowed(b) => Some(b),
            std::borrow::Cow::Owned(_) => None,
        })
        .collect();
    let now = e.now();
    let sub = e.subscription.clone();
    let peers = super::conversation::of_recipients(e, &draft.to, &draft.cc, &draft.bcc);
    let id = e.store.write(|tx| {
        let id = tx.insert_message(
            &NewMessage {
                subscription: &sub,
                direction: Direction::Out,
                state: State::Queued,
                transaction_id: &tid,
                content_location: None,
                from_addr: None,
                subject: draft.subject.as_deref(),
                size: Some(pdu.len() as i64),
                expires_at: None,
                raw_notification: None,
                pdu: Some(&pdu),
                delivery_report: delivery,
                read_report: read,
                peers: Some(&peers),
            },
            now,
        )?;
        for (kind, list) in [("to", &draft.to), ("cc", &draft.cc), ("bcc", &draft.bcc)] {
            for a in list {
                tx.add_recipient(id, a, kind)?;
            }
        }
        for (i, p) in parts.iter().enumerate() {
            let cid = format!("<{}>", p.name);
            let data = in_pdu
                .iter()
                .copied()
                .find(|held| *held == p.data.as_slice())
                .unwrap_or(&p.data);
            tx.add_part(
                id,
                i,
                &NewPart {
                    content_type: &p.content_type,
                    name: Some(&p.name),
                    content_id: Some(&cid),
                    content_location: Some(&p.name),
                    data,
                },
                Some(&pdu),
            )?;
        }
        Ok(id)
    })?;
    tracing::info!(id, tid = %tid, "queued");
    crash_point("queued");
    Ok(id)
}

/// The size budget: shrink still images until the message fits, or refuse it before any
/// network traffic.
#[cfg(feature = "image-resize")]
fn fit_to_size(
    parts: &[DraftPart],
    profile: &crate::config::CarrierProfile,
    fits: impl Fn(&[DraftPart]) -> bool,
) -> Option<Vec<DraftPart>> {
    super::shrink::shrink_to_fit(
        parts,
        profile.max_image_width,
        profile.max_image_height,
        fits,
    )
}

/// Without the `image-resize` feature nothing is shrunk: an oversized draft is refused.
#[cfg(not(feature = "image-resize"))]
fn fit_to_size(
    _parts: &[DraftPart],
    _profile: &crate::config::CarrierProfile,
    _fits: impl Fn(&[DraftPart]) -> bool,
) -> Option<Vec<DraftPart>> {
    None
}

/// How long to wait before the next attempt: the MMSC's `Retry-After` when it gave one
/// (capped by the profile's `max_retry_after_secs`), else the profile's backoff
/// (`retry_base_ms` doubled per attempt, at most five minutes).
pub(crate) fn retry_delay_ms(
    profile: &crate::config::CarrierProfile,
    attempts: i64,
    retry_after: Option<u64>,
) -> u64 {
    match retry_after {
        Some(secs) => secs.min(profile.max_retry_after_secs).saturating_mul(1000),
        None => profile
            .retry_base_ms
            .saturating_mul(1 << (attempts - 1).clamp(0, 10))
            .min(300_000),
    }
}

/// Submits a queued message (also used to resume after a crash), retrying transient failures
/// with backoff.
pub(crate) async fn submit(e: &Engine, id: i64) -> Result<(), EngineError> {
    let _claim = e.claim(id).ok_or(EngineError::Busy(id))?;
    submit_claimed(e, id)
        .instrument(tracing::info_span!("submit", id))
        .await
}

async fn submit_claimed(e: &Engine, id: i64) -> Result<(), EngineError> {
    loop {
        let row = e.message(id)?;
        if matches!(row.state, State::Sent | State::Failed | State::Cancelled) {
            return Ok(());
        }
        let (_, pdu) = e.store.blobs(id)?;
        let pdu = pdu.ok_or(EngineError::Unreadable {
            id,
            reason: "no PDU stored".into(),
        })?;
        let attempts = row.attempts + 1;
        let now = e.now();
        // Compare-and-set: a cancel between the read above and this write wins.
        // Relaxed: undone by a power cut, the row is QUEUED again and the same transaction
        // is submitted again (RELIABILITY.md, "Disk syncs").
        match e
            .store
            .write_relaxed(|tx| tx.claim_submission(id, attempts, now))
        {
            Err(err) if err.is_conflict() => return Ok(()),
            other => other?,
        }
        e.emit(Event::SendProgress {
            id,
            state: State::Submitting,
        });
        crash_point("submitting");
        let profile = e.profile();
        let span = tracing::info_span!("mm1_post", tid = %row.transaction_id, attempt = attempts);
        let result = e
            .transport
            .post(&profile.mmsc_url, pdu)
            .instrument(span)
            .await;
        crash_point("submitted");
        let failed = |err: EngineError| -> Result<(), EngineError> {
            let text = err.to_string();
            let now = e.now();
            e.store.write(|tx| {
                tx.transition(id, &[State::Submitting], State::Failed, Some(&text), now)
            })?;
            tracing::warn!(error = %text, "send failed");
            e.emit(Event::SendResult {
                id,
                ok: false,
                message_id: None,
                error: Some(text),
            });
            Err(err)
        };
        match judge(&row.transaction_id, result) {
            Outcome::Sent(mid) => {
                let now = e.now();
                e.store.write(|tx| tx.mark_sent(id, mid.as_deref(), now))?;
                tracing::info!(message_id = ?mid, "sent");
                e.emit(Event::SendResult {
                    id,
                    ok: true,
                    message_id: mid.clone(),
                    error: None,
                });
                if let Some(mid) = mid.as_deref() {
                    super::reports::replay_parked(e, mid);
                }
                return Ok(());
            }
            Outcome::Permanent(err) => return failed(err),
            Outcome::Transient(err, retry_after) => {
                if attempts >= i64::from(profile.max_send_attempts) {
                    return failed(
                        MmscError::GaveUp {
                            attempts,
                            last: err.to_string(),
                        }
                        .into(),
                    );
                }
                let delay_ms = retry_delay_ms(&profile, attempts, retry_after);
                let now = e.now();
                let text = err.to_string();
                let at =
                    now.saturating_add(i64::try_from(delay_ms.div_ceil(1000)).unwrap_or(i64::MAX));
                // Relaxed: undone, the submission is simply retried at once.
                e.store
                    .write_relaxed(|tx| tx.schedule_retry(id, &text, at, now))?;
                e.emit(Event::SendProgress {
                    id,
                    state: State::RetryWait,
                });
                if delay_ms > profile.max_call_wait_secs.saturating_mul(1000) {
                    // Longer than an app call may wait: the retry is left to the schedule.
                    tracing::info!(error = %text, delay_ms, at, "transient failure; retry scheduled");
                    return Err(EngineError::RetryScheduled { id, at });
                }
                tracing::info!(error = %text, delay_ms, "transient failure; retrying");
                tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            }
        }
    }
}
