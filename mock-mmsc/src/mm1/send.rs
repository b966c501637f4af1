//! M-Send.req / M-Send.conf: a submission checked (size, the sender's storage quota,
//! recipients, times: MMSC-1, MMSC-5), charged with its parts' types checked against their
//! bytes (MMSC-6), stored once per transaction, and notified once to every distinct local
//! recipient, however often and however spelled it is listed (MMSC-9 locations, unguessable
//! transaction ids). A sender who asks to be hidden is not shown to recipients.

use crate::fault::{Fault, FaultOn};
use crate::state::{Cdr, DeliveryToken, Pending, StoredMessage, now, now_ms, push_bounded, token};
use crate::state::{Shared, pdu_response};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mms_codec::pdu::builder::{Notification, notification_ind, send_conf};
use mms_codec::pdu::{ClassToken, TimeValue};
use mms_codec::pdu::{Header, Pdu, ResponseStatus};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// The expiry and deferred-delivery delay of a submission, sanity-checked and clamped (MMSC-5):
/// (expiry seconds, delivery delay seconds).
pub(crate) fn clamp_times(s: &Shared, sub: &str, pdu: &Pdu<'_>) -> (u64, u64) {
    let max = s.cfg.max_expiry.as_secs().max(60);
    let t = now();
    let secs = |v: TimeValue| match v {
        TimeValue::Relative(r) => Some(r),
        TimeValue::Absolute(a) if a > t => Some(a - t),
        TimeValue::Absolute(_) => None,
    };
    let expiry = match pdu.expiry() {
        None => s.cfg.expiry_secs.min(max),
        Some(v) => match secs(v) {
            Some(e) if (60..=max).contains(&e) => e,
            other => {
                let e = other.unwrap_or(s.cfg.expiry_secs).clamp(60, max);
                s.log("expiry_clamped", sub, format!("{v:?} -> {e}s (MMSC-5)"));
                e
            }
        },
    };
    let requested = pdu.headers.iter().find_map(|h| match h {
        Header::DeliveryTime(v) => Some(*v),
        _ => None,
    });
    let delay = match requested {
        None => 0,
        Some(v) => match secs(v) {
            Some(d) if d < expiry.saturating_sub(60) => d,
            other => {
                // In the past: deliver now; at or after expiry: a minute before it.
                let d = other.map_or(0, |_| expiry.saturating_sub(60));
                s.log(
                    "delivery_time_clamped",
                    sub,
                    format!("{v:?} -> {d}s (MMSC-5)"),
                );
                d
            }
        },
    };
    (expiry, delay)
}

/// Each part's declared type against what its bytes are (MMSC-6).
pub(crate) fn check_parts(pdu: &Pdu<'_>) -> (Vec<(String, String)>, bool) {
    let mut parts = Vec::new();
    let mut mismatch = false;
    for part in pdu.parts() {
        let declared = part
            .content_type
            .media
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|| "application/octet-stream".into());
        let sniffed = match &part.data {
            mms_codec::pdu::BodyData::Single(b) => mms_decisions::content::sniff::sniff(b).media,
            mms_codec::pdu::BodyData::Multipart(_) => "multipart/mixed",
        };
        let media_declared = ["image/", "audio/", "video/"]
            .iter()
            .any(|p| declared.starts_with(p));
        let bad = if sniffed == "application/octet-stream" {
            media_declared
        } else if sniffed == "multipart/mixed" {
            !declared.starts_with("multipart/")
        } else {
            !mms_decisions::content::policy::compatible(&declared, sniffed)
        };
        mismatch |= bad;
        parts.push((declared, sniffed.to_string()));
    }
    (parts, mismatch)
}

/// What became of a submission (an M-Send.req, or an M-Forward.req rebuilt as one).
pub(crate) enum Submitted {
    /// Stored under this Message-ID, its recipients notified or scheduled.
    Accepted(String),
    /// Refused with this Response-Status and Response-Text.
    Refused(ResponseStatus, &'static str),
    /// A resubmission of a transaction already answered: that answer (an encoded M-Send.conf).
    Repeated(Vec<u8>),
}

/// M-Send.req: stores and notifies, answered with M-Send.conf.
pub(crate) async fn handle_send(
    s: &Arc<Shared>,
    sub: &str,
    tid: &str,
    pdu: &Pdu<'_>,
    raw: &[u8],
) -> Response {
    let conf = match submit(s, sub, tid, pdu, raw).await {
        Submitted::Repeated(prev) => prev,
        Submitted::Refused(status, text) => {
            return pdu_response(StatusCode::OK, &send_conf(tid, status, None, Some(text)));
        }
        Submitted::Accepted(message_id) => {
            let conf = send_conf(tid, ResponseStatus::Ok, Some(&message_id), None);
            conf.encode().unwrap_or_default()
        }
    };
    (
        StatusCode::OK,
        [("content-type", "application/vnd.wap.mms-message")],
        conf,
    )
        .into_response()
}

/// Accepts a submission: checks it, stores the message with its charging record and pushes
/// (or schedules) a notification to every local recipient.
pub(crate) async fn submit(
    s: &Arc<Shared>,
    sub: &str,
    tid: &str,
    pdu: &Pdu<'_>,
    raw: &[u8],
) -> Submitted {
    // A resubmission with the same transaction id gets the same answer: never stored twice.
    if let Some(prev) = s.data.lock().ok().and_then(|d| {
        d.send_confs
            .get(&(sub.to_string(), tid.to_string()))
            .cloned()
    }) {
        s.log("duplicate_submission", sub, tid.into());
        return Submitted::Repeated(prev);
    }
    if raw.len() > s.cfg.max_message_size {
        s.log(
            "message_too_large",
            sub,
            format!("{} > {} octets (MMSC-1)", raw.len(), s.cfg.max_message_size),
        );
        return Submitted::Refused(
            ResponseStatus::PermanentContentNotAccepted,
            "message too large",
        );
    }
    let listed: Vec<String> = pdu
        .to()
        .chain(pdu.cc())
        .chain(pdu.bcc())
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if listed.is_empty() {
        s.log("no_recipients", sub, tid.into());
        return Submitted::Refused(
            ResponseStatus::PermanentSendingAddressUnresolved,
            "no recipients",
        );
    }
    // One delivery per subscriber, however often and in whatever spelling it is listed.
    let mut recipients: Vec<String> = Vec::new();
    for r in &listed {
        let key = s.resolve(r);
        if !recipients.contains(&key) {
            recipients.push(key);
        }
    }
    if recipients.len() < listed.len() {
        s.log(
            "recipients_deduplicated",
            sub,
            format!("{} listed, {} distinct", listed.len(), recipients.len()),
        );
    }
    let local: HashSet<String> = s
        .data
        .lock()
        .map(|d| {
            recipients
                .iter()
                .filter(|r| d.subscribers.contains_key(*r))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    if local.is_empty() {
        // Nothing to deliver here (this MMSC relays to no other): nothing is kept.
        s.log("no_local_recipient", sub, format!("{recipients:?}"));
        return Submitted::Refused(
            ResponseStatus::PermanentSendingAddressUnresolved,
            "no recipient is a subscriber of this MMSC",
        );
    }
    let hide_sender = pdu.headers.iter().any(|h| {
        matches!(
            h,
            Header::SenderVisibility(v) if *v == mms_codec::pdu::SenderVisibility::Hide
        )
    });
    if hide_sender && s.cfg.refuse_hidden_sender {
        s.log("hidden_sender_refused", sub, tid.into());
        return Submitted::Refused(
            ResponseStatus::PermanentServiceDenied,
            "sender visibility Hide is not offered",
        );
    }
    // The sender's storage quota and the MMSC's (MMSC-1): refused for now, not for good.
    let over_quota = s.data.lock().map_or(true, |d| {
        d.held_bytes.get(sub).copied().unwrap_or(0) + raw.len() > s.cfg.quota_per_subscriber
            || d.held_total + raw.len() > s.cfg.max_held
    });
    if over_quota {
        s.log(
            "quota_reached",
            sub,
            format!("{} octets more refused (MMSC-1)", raw.len()),
        );
        return Submitted::Refused(
            ResponseStatus::TransientNetworkProblem,
            "storage quota reached",
        );
    }
    let (expiry, delay) = clamp_times(s, sub, pdu);
    let n = s.next.fetch_add(1, Ordering::Relaxed);
    let message_id = format!("M{n:06}-{}", token().get(..8).unwrap_or(""));
    let start_ms = now_ms();
    let stored = StoredMessage {
        from: sub.to_string(),
        recipients: recipients.clone(),
        pdu: raw.to_vec(),
        delivery_report: pdu.delivery_report_requested(),
        read_report: pdu.read_report_requested(),
        read_reported: HashSet::new(),
        expires_ms: start_ms.saturating_add(expiry.saturating_mul(1000)),
        hide_sender,
        open: local.clone(),
    };
    let (parts, type_mismatch) = check_parts(pdu);
    let cdr = Cdr {
        event: "submitted".into(),
        message_id: message_id.clone(),
        from: sub.to_string(),
        recipients: stored.recipients.clone(),
        size: raw.len(),
        parts,
        type_mismatch,
    };
    if type_mismatch {
        s.log(
            "cdr_type_mismatch",
            sub,
            format!("{message_id}: {:?} (MMSC-6)", cdr.parts),
        );
    }
    let conf = send_conf(tid, ResponseStatus::Ok, Some(&message_id), None);
    let conf_bytes = conf.encode().unwrap_or_default();
    if let Ok(mut d) = s.data.lock() {
        d.messages.insert(message_id.clone(), stored.clone());
        *d.held_bytes.entry(sub.to_string()).or_default() += raw.len();
        d.held_total += raw.len();
        d.keep_send_conf(
            (sub.to_string(), tid.to_string()),
            conf_bytes.clone(),
            s.cfg.log_capacity,
        );
        push_bounded(&mut d.cdrs, cdr, s.cfg.log_capacity);
    }
    s.log(
        "send_accepted",
        sub,
        format!(
            "{message_id} to {} recipients, {} octets, expiry {expiry}s, delivery in {delay}s",
            recipients.len(),
            raw.len()
        ),
    );
    let subject = pdu.subject().map(|x| x.to_string_lossy().into_owned());
    for r in &stored.recipients {
        if !local.contains(r) {
            s.log("recipient_not_local", r, message_id.clone());
            continue;
        }
        let tok = token();
        // Unguessable: a transaction id names a delivery the way its token does (MMSC-9).
        let ntid = format!("N{}", token());
        let fault = s.take_fault(FaultOn::Notify, Some(r));
        let location = match &fault {
            Some(Fault::ForeignLocation(l)) => l.clone(),
            _ => format!("{}/m/{tok}", s.base),
        };
        let notif = notification_ind(&Notification {
            transaction_id: &ntid,
            from: (!hide_sender).then(|| s.address_of(sub)).as_deref(),
            subject: subject.as_deref(),
            size: raw.len() as u64,
            expiry: match fault {
                Some(Fault::ExpiredNotification) => TimeValue::Absolute(now().saturating_sub(3600)),
                _ => TimeValue::Relative(expiry.saturating_sub(delay)),
            },
            content_location: &location,
            class: ClassToken::Personal,
            delivery_report: stored.delivery_report,
        });
        let pending = Pending {
            token: tok.clone(),
            location: location.clone(),
            notification: notif.encode().unwrap_or_default(),
            due_ms: start_ms.saturating_add(delay.saturating_mul(1000)),
            first_ms: None,
            pushes: 0,
            answered: false,
        };
        if let Ok(mut d) = s.data.lock() {
            d.tokens.insert(
                tok.clone(),
                DeliveryToken {
                    message_id: message_id.clone(),
                    recipient: r.clone(),
                    tid: ntid.clone(),
                },
            );
            d.notified.insert((r.clone(), ntid.clone()), tok.clone());
            d.pending.insert((r.clone(), ntid.clone()), pending);
        }
        if let Some(f) = &fault {
            s.log("fault_notification", r, format!("{ntid} {f:?}"));
        }
        if fault == Some(Fault::ReorderNotification) {
            if let Ok(mut d) = s.data.lock() {
                if let Some(p) = d.pending.get_mut(&(r.clone(), ntid.clone())) {
                    p.due_ms = u64::MAX;
                }
                d.held.entry(r.clone()).or_default().push(ntid.clone());
            }
        } else if delay == 0 {
            s.push_pending(r, &ntid).await;
            if fault == Some(Fault::DuplicateNotification) {
                let bytes = s.data.lock().ok().and_then(|d| {
                    d.pending
                        .get(&(r.clone(), ntid.clone()))
                        .map(|p| p.notification.clone())
                });
                if let Some(b) = bytes {
                    s.push_raw(r, &b).await;
                }
            }
            let held = s
                .data
                .lock()
                .ok()
                .and_then(|mut d| d.held.remove(r))
                .unwrap_or_default();
            for h in held {
                s.push_pending(r, &h).await;
            }
        } else {
            s.log("notification_scheduled", r, format!("{ntid} in {delay}s"));
        }
    }
    Submitted::Accepted(message_id)
}
