//! The GET of a content location: only the recipient the token was issued to retrieves the
//! message (MMSC-9), as an M-Retrieve.conf; retrieval is charged.

use crate::fault::{Fault, FaultOn, generic_fault, late_fault};
use crate::state::{Cdr, push_bounded};
use crate::state::{Shared, pdu_response};
use crate::subscribers::{check_client_headers, claimed_subscriber};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mms_codec::pdu::FromValue;
use mms_codec::pdu::{Header, MessageType, Pdu};
use std::sync::Arc;

pub(crate) async fn retrieve(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(tok): Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    if let Some(refused) = check_client_headers(&s, &headers) {
        return refused;
    }
    let claimed = claimed_subscriber(&s, &headers);
    let fault = s.take_fault(FaultOn::Get, claimed.as_deref());
    let resp = retrieve_inner(&s, &headers, tok, query, fault.clone()).await;
    late_fault(&s, fault.as_ref(), resp).await
}

pub(crate) async fn retrieve_inner(
    s: &Arc<Shared>,
    headers: &HeaderMap,
    tok: String,
    query: Option<String>,
    fault: Option<Fault>,
) -> Response {
    let s = s.clone();
    if let Some(f) = &fault {
        if let Some(r) = generic_fault(&s, f).await {
            return r;
        }
    }
    let Some(sub) = s.subscriber(headers) else {
        s.log("unknown_subscriber", "", "retrieve refused (MMSC-8)".into());
        return StatusCode::FORBIDDEN.into_response();
    };
    let found = s.data.lock().ok().and_then(|d| {
        let t = d.tokens.get(&tok)?.clone();
        let m = d.messages.get(&t.message_id)?.clone();
        Some((t, m))
    });
    let Some((t, m)) = found else {
        s.log("retrieve_unknown_token", &sub, tok);
        return StatusCode::NOT_FOUND.into_response();
    };
    if s.cfg.quirks.require_tid_in_url && query.as_deref() != Some(t.tid.as_str()) {
        s.log(
            "quirk_tid_missing_from_url",
            &sub,
            format!("wanted ?{}, got {query:?}", t.tid),
        );
        return StatusCode::NOT_FOUND.into_response();
    }
    if t.recipient != sub {
        s.log(
            "retrieve_wrong_recipient",
            &sub,
            format!("token of {} (MMSC-9)", t.recipient),
        );
        return StatusCode::NOT_FOUND.into_response();
    }
    let Ok(d) = Pdu::decode(&m.pdu) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut p = d.pdu;
    p.message_type = MessageType::RetrieveConf;
    p.headers.retain(|h| {
        !matches!(
            h,
            Header::Bcc(_) | Header::From(_) | Header::TransactionId(_) | Header::Expiry(_)
        )
    });
    p.headers.insert(
        0,
        Header::TransactionId(mms_codec::pdu::Text::from(t.tid.as_str())),
    );
    p.headers.push(Header::MessageId(mms_codec::pdu::Text::from(
        t.message_id.as_str(),
    )));
    if m.hide_sender {
        s.log("sender_hidden", &sub, t.message_id.clone());
    } else {
        p.headers.push(Header::From(FromValue::Address(
            mms_codec::pdu::builder::encoded_text(&s.encoded_address_of(&m.from)),
        )));
    }
    // The sender's visibility request is the MMSC's business, not the recipient's.
    p.headers
        .retain(|h| !matches!(h, Header::SenderVisibility(_)));
    p.headers
        .push(Header::RetrieveStatus(mms_codec::pdu::RetrieveStatus::Ok));
    if let Some(Fault::RetrieveStatus(st)) = fault {
        let mut e = Pdu::new(MessageType::RetrieveConf);
        e.headers
            .push(Header::MmsVersion(mms_codec::pdu::Version::V1_2));
        e.headers.push(Header::RetrieveStatus(st));
        e.body = Some(mms_codec::pdu::Body {
            content_type: mms_codec::pdu::ContentType::named("text/plain"),
            data: mms_codec::pdu::BodyData::Single(std::borrow::Cow::Borrowed(
                b"Message not found",
            )),
        });
        return pdu_response(StatusCode::OK, &e);
    }
    s.log("retrieved", &sub, t.message_id.clone());
    if let Ok(mut d) = s.data.lock() {
        // Retrieval counts as an answer: no more re-notification.
        if let Some(p) = d.pending.get_mut(&(sub.clone(), t.tid.clone())) {
            p.answered = true;
        }
        let cdr = Cdr {
            event: "retrieved".into(),
            message_id: t.message_id.clone(),
            from: m.from.clone(),
            recipients: vec![sub.clone()],
            size: m.pdu.len(),
            parts: Vec::new(),
            type_mismatch: false,
        };
        push_bounded(&mut d.cdrs, cdr, s.cfg.log_capacity);
    }
    if let Some(Fault::Oversized(n)) = fault {
        let mut b = p.encode().unwrap_or_default();
        b.extend(std::iter::repeat_n(0u8, n));
        return (
            StatusCode::OK,
            [("content-type", "application/vnd.wap.mms-message")],
            b,
        )
            .into_response();
    }
    pdu_response(StatusCode::OK, &p)
}
