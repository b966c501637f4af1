//! The MM1 interface: one POST endpoint taking every client PDU (refused with the right
//! status when malformed, unidentified or over the rate) and dispatched to its transaction, and
//! the GET of a content location.

mod ack;
mod delete;
mod forward;
mod read_report;
mod retrieve;
mod send;

pub(crate) use retrieve::retrieve;

use ack::handle_ack;
use delete::handle_delete;
use forward::handle_forward;
use read_report::handle_read_rec;
use send::handle_send;

use crate::fault::{Fault, FaultOn, generic_fault, late_fault};
use crate::rate::too_many;
use crate::state::{Shared, pdu_response};
use crate::subscribers::{Peer, check_client_headers, claimed_subscriber};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use mms_codec::pdu::builder::send_conf;
use mms_codec::pdu::{Header, MessageType, Pdu, ResponseStatus};
use std::sync::Arc;

pub(crate) async fn mm1_post(
    State(s): State<Arc<Shared>>,
    Peer(peer): Peer,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(a) = uri.authority() {
        s.log("via_proxy", "", format!("absolute-form request for {a}"));
    }
    if let Some(refused) = check_client_headers(&s, &headers) {
        return refused;
    }
    // Every MM1 request body is an MMS PDU (OMA-MMS-CTR 8.1): anything else is 415, unread.
    let media = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if media.as_deref() != Some("application/vnd.wap.mms-message") {
        s.log(
            "wrong_content_type",
            "",
            format!("{media:?}: not an MMS PDU (415)"),
        );
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    }
    if let Some(ip) = peer.map(|p| p.ip()) {
        if let Err(wait) = s.rate_limit(
            &format!("ip:{ip}"),
            s.cfg.ip_rate_burst,
            s.cfg.ip_rate_per_minute,
        ) {
            s.log(
                "rate_limited",
                "",
                format!("ip {ip}, retry in {wait}s (MMSC-2)"),
            );
            return too_many(wait);
        }
    }
    let claimed = claimed_subscriber(&s, &headers);
    let fault = s.take_fault(FaultOn::Post, claimed.as_deref());
    if let Some(f) = &fault {
        if let Some(r) = generic_fault(&s, f).await {
            return r;
        }
    }
    let Some(sub) = s.subscriber(&headers) else {
        s.log("unknown_subscriber", "", "request refused (MMSC-8)".into());
        return pdu_response(
            StatusCode::FORBIDDEN,
            &send_conf(
                "",
                ResponseStatus::PermanentServiceDenied,
                None,
                Some("unknown subscriber"),
            ),
        );
    };
    let decoded = match Pdu::decode(&body) {
        Ok(d) => d,
        Err(e) => {
            s.log("corrupt_pdu", &sub, e.to_string());
            return pdu_response(
                StatusCode::BAD_REQUEST,
                &send_conf(
                    "",
                    ResponseStatus::PermanentMessageFormatCorrupt,
                    None,
                    Some("corrupt PDU"),
                ),
            );
        }
    };
    let pdu = decoded.pdu;
    let tid = pdu
        .transaction_id()
        .map(|t| t.to_string())
        .unwrap_or_default();
    if pdu.message_type == MessageType::SendReq {
        if let Err(wait) = s.rate_limit(
            &format!("sub:{sub}"),
            s.cfg.rate_burst,
            s.cfg.rate_per_minute,
        ) {
            s.log("rate_limited", &sub, format!("retry in {wait}s (MMSC-2)"));
            return too_many(wait);
        }
    }
    if s.cfg.quirks.notify_resp_at_location
        && pdu.message_type == MessageType::NotifyRespInd
        && !uri.path().contains("/m/")
    {
        s.log(
            "quirk_notify_resp_not_at_location",
            &sub,
            "this carrier takes NotifyResp at the content location".into(),
        );
        return StatusCode::BAD_REQUEST.into_response();
    }
    let resp = match (pdu.message_type, &fault) {
        (MessageType::SendReq, Some(Fault::SendStatus(st, text))) => {
            s.log("fault_send_status", &sub, st.to_string());
            pdu_response(StatusCode::OK, &send_conf(&tid, *st, None, text.as_deref()))
        }
        (MessageType::SendReq, Some(Fault::NoMessageId)) => pdu_response(
            StatusCode::OK,
            &send_conf(&tid, ResponseStatus::Ok, None, None),
        ),
        _ => dispatch(&s, &sub, &tid, &pdu, &body).await,
    };
    late_fault(&s, fault.as_ref(), resp).await
}

pub(crate) async fn dispatch(
    s: &Arc<Shared>,
    sub: &str,
    tid: &str,
    pdu: &Pdu<'_>,
    body: &[u8],
) -> Response {
    let (s, sub, tid) = (s.clone(), sub.to_string(), tid.to_string());
    match pdu.message_type {
        MessageType::SendReq => handle_send(&s, &sub, &tid, pdu, body).await,
        MessageType::NotifyRespInd | MessageType::AcknowledgeInd => {
            handle_ack(&s, &sub, &tid, pdu).await
        }
        MessageType::ReadRecInd => handle_read_rec(&s, &sub, pdu, body.len()).await,
        MessageType::ForwardReq => handle_forward(&s, &sub, &tid, pdu).await,
        MessageType::DeleteReq => handle_delete(&s, &sub, &tid, pdu),
        MessageType::CancelConf => {
            let status = pdu.headers.iter().find_map(|h| match h {
                Header::CancelStatus(c) => Some(c.label()),
                _ => None,
            });
            s.log(
                "cancel_confirmed",
                &sub,
                format!("{tid} {}", status.unwrap_or("no Cancel-Status")),
            );
            StatusCode::NO_CONTENT.into_response()
        }
        other => {
            s.log("unsupported_pdu", &sub, other.to_string());
            StatusCode::BAD_REQUEST.into_response()
        }
    }
}
