//! M-Read-Rec.ind, forwarded as M-Read-Orig.ind only for a stored message that asked for one,
//! from one of its recipients, once, to the stored originator (MMSC-7).

use crate::state::Shared;
use crate::state::now;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mms_codec::pdu::Pdu;
use mms_codec::pdu::ReadStatus;
use mms_codec::pdu::builder::read_orig;
use std::sync::Arc;

pub(crate) async fn handle_read_rec(
    s: &Arc<Shared>,
    sub: &str,
    pdu: &Pdu<'_>,
    size: usize,
) -> Response {
    let Some(mid) = pdu.message_id().map(|m| m.to_string()) else {
        s.log("read_report_refused", sub, "no Message-ID (MMSC-7)".into());
        return StatusCode::BAD_REQUEST.into_response();
    };
    if size > 2048 {
        s.log(
            "read_report_refused",
            sub,
            format!("{size} octets (MMSC-7)"),
        );
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let decision = s
        .data
        .lock()
        .ok()
        .map(|mut d| match d.messages.get_mut(&mid) {
            None => Err("no such message"),
            Some(m) if !m.read_report => Err("no read report was requested"),
            Some(m) if !m.recipients.iter().any(|r| r == sub) => Err("not a recipient"),
            Some(m) => {
                if m.read_reported.insert(sub.to_string()) {
                    Ok(m.from.clone())
                } else {
                    Err("duplicate")
                }
            }
        });
    match decision {
        Some(Ok(originator)) => {
            let status = pdu.read_status().unwrap_or(ReadStatus::Read);
            // Routed to the stored originator, never to the report's own To.
            let report = read_orig(
                &mid,
                &s.address_of(&originator),
                &s.address_of(sub),
                status,
                now(),
            );
            let pushed = s.push_to(&originator, &report).await;
            s.log(
                if pushed {
                    "read_report_forwarded"
                } else {
                    "read_report_not_pushed"
                },
                &originator,
                mid,
            );
            StatusCode::NO_CONTENT.into_response()
        }
        Some(Err(why)) => {
            s.log("read_report_refused", sub, format!("{mid}: {why} (MMSC-7)"));
            StatusCode::BAD_REQUEST.into_response()
        }
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
