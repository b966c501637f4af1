//! The receive transaction: `NOTIFIED` -> `DOWNLOADING` (claimed before any traffic) ->
//! `DOWNLOADED` (retrieve-conf and parts stored in one transaction) -> `DELIVERED` (the app
//! confirmed) -> `ACKNOWLEDGED` (NotifyResp or Acknowledge sent); deferral; read marks and
//! read reports.

use super::events::Event;
use super::{Engine, crash_point};
use crate::error::{EngineError, MmscError};
use crate::store::{Direction, MessageRow, NewPart, Retrieved, State, StoreError};
use crate::transport::HttpClass;
use mms_codec::pdu::builder::{self, notify_resp, read_rec};
use mms_codec::pdu::{MessageType, Pdu, ReadStatus, Status, StatusClass};
use tracing::Instrument;

/// Where NotifyResp and Acknowledge go: the MMSC, or the Content-Location where the carrier
/// profile says so.
pub(super) fn ack_url(e: &Engine, location: Option<&str>) -> String {
    let p = e.profile();
    match location {
        Some(l) if p.notify_resp_to_location => l.to_string(),
        _ => p.mmsc_url,
    }
}

/// Posts a PDU whose answer is only an HTTP status (NotifyResp, Acknowledge, read report,
/// M-Cancel.conf).
pub(super) async fn post_expecting_ok(
    e: &Engine,
    url: &str,
    pdu: Vec<u8>,
    during: &'static str,
) -> Result<(), EngineError> {
    let r = e.transport.post(url, pdu).await?;
    if r.class() != HttpClass::Success {
        return Err(MmscError::Http {
            status: r.status,
            during,
        }
        .into());
    }
    Ok(())
}

/// Sends NotifyResp (Deferred): the message stays on the MMSC until it is downloaded.
pub(crate) async fn defer(e: &Engine, id: i64) -> Result<(), EngineError> {
    async {
        let row = e.message(id)?;
        if row.state != State::Notified || row.deferred {
            return Ok(());
        }
        let pdu = notify_resp(&row.transaction_id, Status::Deferred, Some(true)).encode()?;
        let url = ack_url(e, row.content_location.as_deref());
        post_expecting_ok(e, &url, pdu, "NotifyResp").await?;
        let now = e.now();
        e.store.write(|tx| tx.set_deferred(id, now))?;
        tracing::info!(id, "deferred (NotifyResp Deferred sent)");
        Ok(())
    }
    .instrument(tracing::info_span!("defer", id))
    .await
}

/// Downloads a notified message and stores it (`DOWNLOADED`); emits `MessageReceived` once the
/// message is released, so that an app confirming it at once can acknowledge it.
pub(crate) async fn download(e: &Engine, id: i64) -> Result<(), EngineError> {
    let received = {
        let _claim = e.claim(id).ok_or(EngineError::Busy(id))?;
        download_claimed(e, id)
            .instrument(tracing::info_span!("download", id))
            .await?
    };
    e.emit(received);
    Ok(())
}

/// Downloads and stores; the `MessageReceived` event to emit.
async fn download_claimed(e: &Engine, id: i64) -> Result<Event, EngineError> {
    let row = e.message(id)?;
    if row.direction != Direction::In || !matches!(row.state, State::Notified | State::Downloading)
    {
        return Err(EngineError::WrongState {
            id,
            operation: "download",
            state: row.state,
        });
    }
    let now = e.now();
    if row.expires_at.is_some_and(|x| x <= now) {
        e.store.write(|tx| {
            tx.transition(
                id,
                &[State::Notified, State::Downloading],
                State::Expired,
                Some("expired before download"),
                now,
            )
        })?;
        e.emit(Event::DownloadFailed {
            id,
            error: "expired".into(),
            transient: false,
        });
        return Err(MmscError::Gone("expired before download".into()).into());
    }
    // Relaxed: undone by a power cut, the row is NOTIFIED again and downloaded again.
    e.store.write_relaxed(|tx| tx.claim_download(id, now))?;
    crash_point("downloading");
    let profile = e.profile();
    let location = row.content_location.clone().unwrap_or_default();
    let url = if profile.append_transaction_id {
        let sep = if location.contains('?') { '&' } else { '?' };
        format!("{location}{sep}{}", row.transaction_id)
    } else {
        location
    };
    let fail = |transient: bool, next: State, err: EngineError| -> Result<Event, EngineError> {
        let text = err.to_string();
        let now = e.now();
        e.store
            .write(|tx| tx.transition(id, &[State::Downloading], next, Some(&text), now))?;
        e.emit(Event::DownloadFailed {
            id,
            error: text,
            transient,
        });
        Err(err)
    };
    let cap =
        crate::transport::retrieval_cap(&profile, row.size.and_then(|s| u64::try_from(s).ok()));
    let resp = match e.transport.get_limited(&url, cap).await {
        Ok(r) => r,
        Err(t) if t.is_transient() => return fail(true, State::Notified, t.into()),
        Err(t) => return fail(false, State::Failed, t.into()),
    };
    crash_point("fetched");
    let http = |status| MmscError::Http {
        status,
        during: "retrieval",
    };
    match resp.class() {
        HttpClass::Success => {}
        HttpClass::Gone => {
            let gone = MmscError::Gone(format!("HTTP {}: message gone", resp.status));
            return fail(false, State::Expired, gone.into());
        }
        HttpClass::Transient => return fail(true, State::Notified, http(resp.status).into()),
        HttpClass::Redirect | HttpClass::Permanent => {
            return fail(false, State::Failed, http(resp.status).into());
        }
    }
    let decoded = Pdu::decode_lenient(&resp.body)
        .ok()
        .filter(|d| d.pdu.message_type == MessageType::RetrieveConf);
    let Some(d) = decoded else {
        // Garbage: the journal first (`FAILED`), then the MMSC is told we could not read it. A
        // refusal lost to a crash or the network is sent again when the MMSC repeats the
        // notification (`refuse_again`).
        let err = MmscError::Unreadable {
            answer: "M-Retrieve.conf",
            reason: "not an M-Retrieve.conf".into(),
        };
        let failed = fail(false, State::Failed, err.into());
        crash_point("refusing");
        refuse(
            e,
            &row.transaction_id,
            row.content_location.as_deref(),
            Status::Unrecognised,
        )
        .await;
        return failed;
    };
    let p = &d.pdu;
    if let Some(s) = p.retrieve_status() {
        let refused = |transient| MmscError::Refused {
            during: "retrieval",
            status: s.to_string(),
            text: p.headers.iter().find_map(|h| match h {
                mms_codec::pdu::Header::RetrieveText(t) => Some(t.to_string_lossy().into_owned()),
                _ => None,
            }),
            transient,
        };
        match s.class() {
            StatusClass::Ok | StatusClass::PartialSuccess => {}
            StatusClass::Transient => return fail(true, State::Notified, refused(true).into()),
            StatusClass::Permanent => {
                let failed = fail(false, State::Failed, refused(false).into());
                refuse(
                    e,
                    &row.transaction_id,
                    row.content_location.as_deref(),
                    Status::Rejected,
                )
                .await;
                return failed;
            }
        }
    }
    let message_id = p.message_id().map(|m| m.to_string());
    let from = p.sender();
    let subject = p.subject().map(|s| s.to_string_lossy().into_owned());
    let parts = p.message_parts(e.profile().content_disposition);
    let new_parts: Vec<NewPart<'_>> = parts
        .iter()
        .map(|part| NewPart {
            content_type: &part.content_type,
            name: part.name.as_deref(),
            content_id: part.content_id.as_deref(),
            content_location: part.content_location.as_deref(),
            data: &part.data,
        })
        .collect();
    let peers = super::conversation::peers(e, super::conversation::of_pdu(e, p));
    let retrieved = Retrieved {
        message_id: message_id.as_deref(),
        from: from.as_deref(),
        subject: subject.as_deref(),
        date: p.date().map(|d| d as i64),
        read_report: p.read_report_requested(),
        peers: Some(&peers),
    };
    let now = e.now();
    // Nothing is copied: the parts and the raw PDU are written from the response buffer.
    e.store
        .write(|tx| tx.store_retrieved(id, &retrieved, &new_parts, &resp.body, now))?;
    tracing::info!(id, message_id = ?message_id, "downloaded");
    crash_point("downloaded");
    Ok(Event::MessageReceived { id, from, subject })
}

/// The MMSC repeated the notification of a message whose download failed for good: it is
/// still waiting for an answer (the refusal was lost to a crash or the network, or the failure
/// was one that sends none, such as an HTTP error), so it gets one: `Rejected` when the MMSC
/// itself refused the retrieval (a permanent Retrieve-Status), `Unrecognised` otherwise.
pub(crate) async fn refuse_again(e: &Engine, row: &MessageRow) {
    let status = if row
        .error
        .as_deref()
        .is_some_and(|t| t.starts_with(REFUSED_RETRIEVAL))
    {
        Status::Rejected
    } else {
        Status::Unrecognised
    };
    refuse(
        e,
        &row.transaction_id,
        row.content_location.as_deref(),
        status,
    )
    .await;
}

/// How the error of a retrieval the MMSC refused begins (`MmscError::Refused` during
/// `retrieval`).
const REFUSED_RETRIEVAL: &str = "retrieval refused";

/// Tells the MMSC a retrieved message is refused or unreadable (best effort).
async fn refuse(e: &Engine, tid: &str, location: Option<&str>, status: Status) {
    if let Ok(pdu) = notify_resp(tid, status, None).encode() {
        let _ = e.transport.post(&ack_url(e, location), pdu).await;
    }
}

/// The app confirms it has the message: `DELIVERED`, then the MMSC is acknowledged.
pub(crate) async fn confirm_delivered(e: &Engine, id: i64) -> Result<(), EngineError> {
    async {
        let row = e.message(id)?;
        match row.state {
            State::Downloaded => {
                let now = e.now();
                // Relaxed: the message itself was synced when it was stored; undone, the
                // app confirms it again and the MMSC hears the acknowledgement again.
                match e.store.write_relaxed(|tx| {
                    tx.transition(id, &[State::Downloaded], State::Delivered, None, now)
                }) {
                    // Another confirmation got there first: it acknowledges.
                    Err(StoreError::Conflict { .. }) => return Ok(()),
                    other => other?,
                }
                crash_point("delivered");
            }
            State::Delivered => {}
            State::Acknowledged => return Ok(()),
            state => {
                return Err(EngineError::WrongState {
                    id,
                    operation: "confirm",
                    state,
                });
            }
        }
        acknowledge(e, id).await
    }
    .instrument(tracing::info_span!("confirm", id))
    .await
}

/// Posts NotifyResp (Retrieved) or, after a deferred retrieval, M-Acknowledge.ind.
pub(super) async fn post_ack(
    e: &Engine,
    tid: &str,
    deferred: bool,
    location: Option<&str>,
) -> Result<(), EngineError> {
    let report_allowed = Some(e.profile().delivery_reports);
    let pdu = if deferred {
        builder::acknowledge(tid, report_allowed)
    } else {
        notify_resp(tid, Status::Retrieved, report_allowed)
    };
    post_expecting_ok(e, &ack_url(e, location), pdu.encode()?, "acknowledgement").await
}

/// Acknowledges a `DELIVERED` message to the MMSC, once: the message is claimed first (waiting
/// for a transaction that holds it, such as the end of its download or another
/// acknowledgement), and a message acknowledged meanwhile is left alone.
pub(crate) async fn acknowledge(e: &Engine, id: i64) -> Result<(), EngineError> {
    let _claim = e.claim_waiting(id).await?;
    let row = e.message(id)?;
    if row.state != State::Delivered {
        return Ok(());
    }
    post_ack(
        e,
        &row.transaction_id,
        row.deferred,
        row.content_location.as_deref(),
    )
    .await?;
    crash_point("acked");
    let now = e.now();
    // Relaxed: undone, the acknowledgement is sent again (an MMSC takes a repeated one).
    e.store.write_relaxed(|tx| {
        tx.transition(id, &[State::Delivered], State::Acknowledged, None, now)
    })?;
    Ok(())
}

/// Marks a received message read; sends a read report when the sender asked for one, the
/// profile allows it and `send_report` is true.
pub(crate) async fn mark_read(e: &Engine, id: i64, send_report: bool) -> Result<bool, EngineError> {
    async {
        let row = e.message(id)?;
        let now = e.now();
        e.store.write(|tx| tx.mark_read(id, now))?;
        let profile = e.profile();
        let (Some(mid), Some(from)) = (row.message_id.as_deref(), row.from_addr.as_deref()) else {
            return Ok(false);
        };
        if row.read || !row.read_report || !send_report || !profile.send_read_reports {
            tracing::info!(id, read_report_sent = false, "read");
            return Ok(false);
        }
        let pdu = read_rec(mid, from, ReadStatus::Read, Some(e.clock.now())).encode()?;
        let r = e.transport.post(&profile.mmsc_url, pdu).await?;
        let sent = r.class() == HttpClass::Success;
        tracing::info!(id, read_report_sent = sent, "read");
        Ok(sent)
    }
    .instrument(tracing::info_span!("mark_read", id, send_report))
    .await
}
