//! M-NotifyResp.ind and M-Acknowledge.ind: checked against the transaction ids this server
//! issued (MMSC-4); closing a transaction sends the delivery report the sender asked for.

use crate::state::Shared;
use crate::state::now;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mms_codec::pdu::Status;
use mms_codec::pdu::builder::delivery_ind;
use mms_codec::pdu::{MessageType, Pdu};
use std::sync::Arc;

pub(crate) async fn handle_ack(s: &Arc<Shared>, sub: &str, tid: &str, pdu: &Pdu<'_>) -> Response {
    let tok = s
        .data
        .lock()
        .ok()
        .and_then(|d| d.notified.get(&(sub.to_string(), tid.to_string())).cloned());
    let Some(tok) = tok else {
        if s.data
            .lock()
            .is_ok_and(|d| d.closed.contains(&(sub.to_string(), tid.to_string())))
        {
            // An acknowledgement repeated after a client crash: harmless, answered again.
            s.log("duplicate_ack", sub, tid.into());
            return StatusCode::NO_CONTENT.into_response();
        }
        s.log(
            "tid_mismatch",
            sub,
            format!(
                "{} for unknown transaction {tid} (MMSC-4)",
                pdu.message_type
            ),
        );
        return StatusCode::BAD_REQUEST.into_response();
    };
    let status = pdu.status();
    let closes = pdu.message_type == MessageType::AcknowledgeInd
        || matches!(
            status,
            Some(Status::Retrieved | Status::Rejected | Status::Unrecognised)
        );
    if !closes {
        if let Ok(mut d) = s.data.lock() {
            if let Some(p) = d.pending.get_mut(&(sub.to_string(), tid.to_string())) {
                p.answered = true;
            }
        }
        s.log("notification_deferred", sub, tid.into());
        return StatusCode::NO_CONTENT.into_response();
    }
    let delivery = s.data.lock().ok().and_then(|mut d| {
        d.notified.remove(&(sub.to_string(), tid.to_string()));
        d.pending.remove(&(sub.to_string(), tid.to_string()));
        d.keep_closed((sub.to_string(), tid.to_string()), s.cfg.log_capacity);
        let t = d.tokens.remove(&tok)?;
        let m = d.messages.get(&t.message_id)?.clone();
        d.release(&t.message_id, sub);
        Some((t, m))
    });
    s.log("transaction_closed", sub, format!("{tid} {status:?}"));
    if let Some((t, m)) = delivery {
        if m.delivery_report {
            // The report says what the recipient's phone said: refused, unreadable, or
            // retrieved (an acknowledgement, or a NotifyResp of Retrieved).
            let st = match status {
                Some(Status::Rejected) => Status::Rejected,
                Some(Status::Unrecognised) => Status::Unrecognised,
                _ => Status::Retrieved,
            };
            let report = delivery_ind(&t.message_id, &s.address_of(&t.recipient), st, now());
            let pushed = s.push_to(&m.from, &report).await;
            s.log(
                if pushed {
                    "delivery_report_pushed"
                } else {
                    "delivery_report_not_pushed"
                },
                &m.from,
                t.message_id.clone(),
            );
        }
    }
    StatusCode::NO_CONTENT.into_response()
}
