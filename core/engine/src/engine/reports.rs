//! Delivery and read reports for messages this client sent (REPORT-1, REPORT-2): accepted only
//! for a message we sent (read reports only where we asked for one), from one of its
//! recipients, once, size-capped, and never routed by the report's own recipient field.

use super::Engine;
use super::events::Event;
use crate::store::State;
use mms_codec::pdu::{MessageType, Pdu};
use mms_decisions::audit::{AuditArea, AuditEvent, AuditOutcome};

/// Largest report accepted.
pub const MAX_REPORT_SIZE: usize = 2048;

/// Most reports held back at once while a submission's answer is not yet in.
const MAX_PARKED: usize = 16;

/// A report that came before the MMSC's answer to the submission it reports on: the MMSC can
/// deliver a message, and push its report, before the sender has read that answer (or, after a
/// kill, before the sender submitted again and heard the Message-ID).
pub(crate) struct ParkedReport {
    message_id: String,
    raw: Vec<u8>,
}

fn reject(e: &Engine, reason: &str, threat: &str, detail: String) {
    e.audit.record(AuditEvent {
        at: e.clock.now(),
        area: AuditArea::Report,
        outcome: AuditOutcome::Rejected,
        reason: reason.into(),
        threat: Some(threat.into()),
        subject: e.subscription.clone(),
        detail,
    });
}

/// Matches a delivery or read report to the message it reports on, records it once, and tells
/// the app; anything else is refused with an audit row.
pub(crate) fn handle_report(e: &Engine, raw: &[u8]) {
    let _span = tracing::info_span!("report", octets = raw.len()).entered();
    let Ok(d) = Pdu::decode_lenient(raw) else {
        return;
    };
    let p = &d.pdu;
    let read = p.message_type == MessageType::ReadOrigInd;
    let threat = if read { "REPORT-1" } else { "REPORT-2" };
    if raw.len() > MAX_REPORT_SIZE {
        return reject(
            e,
            "oversized_report",
            threat,
            format!("{} octets", raw.len()),
        );
    }
    let Some(mid) = p.message_id().map(|m| m.to_string()) else {
        return reject(e, "report_without_message_id", threat, String::new());
    };
    // The reporting recipient: To of a delivery report, From of a read report.
    let who = if read {
        p.sender()
    } else {
        p.to().next().map(|a| a.to_string_lossy().into_owned())
    };
    let Some(who) = who else {
        return reject(e, "report_without_recipient", threat, mid);
    };
    let sub = e.subscription.clone();
    let status = if read {
        p.read_status().map(|s| s.label().to_string())
    } else {
        p.status().map(|s| s.label().to_string())
    }
    .unwrap_or_else(|| "unknown".into());
    let now = e.now();
    let outcome = e.store.write(|tx| {
        let Some(msg) = tx.find_sent_by_message_id(&sub, &mid)? else {
            return Ok(Err(("report_unknown_message", format!("Message-ID {mid}"))));
        };
        if msg.state != State::Sent {
            return Ok(Err((
                "report_unknown_message",
                format!("message {} is {}", msg.id, msg.state),
            )));
        }
        if read && !msg.read_report {
            return Ok(Err((
                "read_report_not_requested",
                format!("message {}", msg.id),
            )));
        }
        let Some(r) = tx
            .recipients(msg.id)?
            .into_iter()
            .find(|r| e.same_address(&r.address, &who))
        else {
            return Ok(Err((
                "report_unknown_recipient",
                format!("{who} is not a recipient of message {}", msg.id),
            )));
        };
        let already = if read {
            r.read_status.is_some()
        } else {
            r.delivery_status.as_deref() == Some(status.as_str())
        };
        if already {
            return Ok(Err((
                "duplicate_report",
                format!("message {} recipient {}", msg.id, r.address),
            )));
        }
        if read {
            tx.set_read_status(msg.id, &r.address, &status, now)?;
        } else {
            tx.set_delivery_status(msg.id, &r.address, &status, now)?;
        }
        Ok(Ok((msg.id, r.address)))
    });
    match outcome {
        Ok(Ok((id, recipient))) => {
            tracing::info!(id, recipient = %recipient, status = %status, read, "report recorded");
            if read {
                e.emit(Event::ReadReport {
                    id,
                    recipient,
                    status,
                });
            } else {
                e.emit(Event::DeliveryReport {
                    id,
                    recipient,
                    status,
                });
            }
        }
        Ok(Err(("report_unknown_message", _))) if park(e, &mid, raw) => {}
        Ok(Err((reason, detail))) => {
            let threat = if reason == "duplicate_report" || reason == "read_report_not_requested" {
                "REPORT-1"
            } else {
                threat
            };
            reject(e, reason, threat, detail)
        }
        Err(err) => tracing::warn!(error = %err, "report not recorded"),
    }
}

/// Holds back a report for a message this client does not know by `mid` while a submission's
/// answer is outstanding (a message `SUBMITTING`, or waiting to retry one that may have reached
/// the MMSC); false when none is, and the report is refused as before. At most [`MAX_PARKED`]
/// are held: the oldest is then refused, with its audit row.
fn park(e: &Engine, mid: &str, raw: &[u8]) -> bool {
    let outstanding = e
        .store
        .in_states(&e.subscription, &[State::Submitting, State::RetryWait])
        .is_ok_and(|m| !m.is_empty());
    if !outstanding {
        return false;
    }
    let evicted = match e.parked_reports.lock() {
        Ok(mut q) => {
            let evicted = if q.len() >= MAX_PARKED {
                q.pop_front()
            } else {
                None
            };
            q.push_back(ParkedReport {
                message_id: mid.to_string(),
                raw: raw.to_vec(),
            });
            evicted
        }
        Err(_) => return false,
    };
    if let Some(old) = evicted {
        reject(
            e,
            "report_unknown_message",
            "REPORT-2",
            format!(
                "Message-ID {} (held for a submission's answer)",
                old.message_id
            ),
        );
    }
    tracing::info!(
        message_id = mid,
        "report held until a submission's answer names it"
    );
    true
}

/// The MMSC's answer named `mid`: the reports held back for it are handled now.
pub(crate) fn replay_parked(e: &Engine, mid: &str) {
    let due: Vec<Vec<u8>> = e
        .parked_reports
        .lock()
        .map(|mut q| {
            let (due, keep): (Vec<_>, Vec<_>) = q.drain(..).partition(|p| p.message_id == mid);
            q.extend(keep);
            due.into_iter().map(|p| p.raw).collect()
        })
        .unwrap_or_default();
    for raw in due {
        handle_report(e, &raw);
    }
}
