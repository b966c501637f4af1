//! Fault switches: the misbehaviour of real carriers on demand (per request, per subscriber or
//! standing; for POSTs, GETs or notifications) and how each is applied to an answer.

use crate::state::Shared;
use crate::subscribers::subscriber_key;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mms_codec::pdu::{Header, MessageType, Pdu, ResponseStatus};
use serde::Serialize;
use std::time::Duration;

/// A fault the next matching request gets (the misbehaviour of real carriers, on demand).
/// In the admin API's JSON: `{"Http": [503, 5]}`, `"Garbage"`, `{"Stall": 2000}`...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum Fault {
    /// Answer M-Send.req with this Response-Status (and Response-Text), storing nothing.
    SendStatus(ResponseStatus, Option<String>),
    /// Answer M-Send.req Ok but without a Message-ID.
    NoMessageId,
    /// Answer with this HTTP status and optional Retry-After (seconds), empty body.
    Http(u16, Option<u64>),
    /// Answer 200 with a body that is not an MMS PDU.
    Garbage,
    /// Answer with a redirect to this URL.
    Redirect(String),
    /// Wait this many milliseconds before handling the request.
    Stall(u64),
    /// Start the body, then drop the connection.
    DropMidBody,
    /// Answer 200 with this many octets of padding after the PDU.
    Oversized(usize),
    /// Answer the retrieval with this Retrieve-Status (and a text/plain body).
    RetrieveStatus(mms_codec::pdu::RetrieveStatus),
    /// Answer with the right PDU but a transaction id the client never sent.
    WrongTransactionId,
    /// Answer with a well-formed PDU of the wrong message type.
    WrongMessageType,
    /// Answer 200 with an empty body.
    Empty,
    /// Answer with this MMS-Version octet (e.g. `0x20` for 2.0, `0x10` for 1.0).
    Version(u8),
    /// Send the normal answer this many octets at a time, this many ms apart.
    SlowDrip(usize, u64),
    /// Send the normal answer with chunked transfer encoding (no Content-Length).
    Chunked,
    /// (Notifications) push the notification twice.
    DuplicateNotification,
    /// (Notifications) hold the notification until the next one to the same subscriber has
    /// been pushed.
    ReorderNotification,
    /// (Notifications) give the notification an expiry an hour in the past.
    ExpiredNotification,
    /// (Notifications) name this Content-Location instead of the real one (spoofed-looking).
    ForeignLocation(String),
}

/// Which requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultOn {
    /// POSTs to the MM1 endpoint.
    Post,
    /// GETs of content locations.
    Get,
    /// Notifications as they are created (the notification faults).
    Notify,
}

/// A fault switch: which requests, whose, how many times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FaultRule {
    /// Which requests.
    pub on: FaultOn,
    /// The fault.
    pub fault: Fault,
    /// Only requests of (or notifications to) this subscriber; `None` for everyone.
    #[serde(default)]
    pub subscriber: Option<String>,
    /// How many matching requests get it; 0 for every one until cleared.
    #[serde(default = "one")]
    pub times: u32,
}

fn one() -> u32 {
    1
}

impl Shared {
    pub(crate) fn take_fault(&self, on: FaultOn, subscriber: Option<&str>) -> Option<Fault> {
        let mut d = self.data.lock().ok()?;
        let i = d.faults.iter().position(|r| {
            r.on == on
                && r.subscriber
                    .as_deref()
                    .is_none_or(|want| subscriber.is_some_and(|s| subscriber_key(want) == s))
        })?;
        let rule = d.faults.get_mut(i)?;
        let fault = rule.fault.clone();
        if rule.times == 1 {
            d.faults.remove(i);
        } else if rule.times > 1 {
            rule.times -= 1;
        }
        Some(fault)
    }
}

/// Applies a generic fault; `None` when the request should be handled normally (after any
/// stall) or the fault is specific to the handler.
pub(crate) async fn generic_fault(s: &Shared, f: &Fault) -> Option<Response> {
    match f {
        Fault::Http(code, retry) => {
            s.log("fault_http", "", code.to_string());
            let mut r = StatusCode::from_u16(*code)
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
                .into_response();
            if let Some(secs) = retry {
                if let Ok(v) = axum::http::HeaderValue::from_str(&secs.to_string()) {
                    r.headers_mut().insert("retry-after", v);
                }
            }
            Some(r)
        }
        Fault::Garbage => Some(
            (
                StatusCode::OK,
                [("content-type", "application/vnd.wap.mms-message")],
                b"<html>Service Unavailable</html>".to_vec(),
            )
                .into_response(),
        ),
        Fault::Empty => {
            s.log("fault_empty", "", String::new());
            Some(
                (
                    StatusCode::OK,
                    [("content-type", "application/vnd.wap.mms-message")],
                )
                    .into_response(),
            )
        }
        Fault::Redirect(to) => {
            Some((StatusCode::FOUND, [("location", to.clone())]).into_response())
        }
        Fault::Stall(ms) => {
            tokio::time::sleep(std::time::Duration::from_millis(*ms)).await;
            None
        }
        Fault::DropMidBody => {
            let stream = futures_util::stream::iter(vec![
                Ok::<_, std::io::Error>(axum::body::Bytes::from_static(&[0x8c, 0x84, 0x98])),
                Err(std::io::Error::other("connection dropped by fault")),
            ]);
            Some(
                (
                    StatusCode::OK,
                    [("content-length", "5000")],
                    axum::body::Body::from_stream(stream),
                )
                    .into_response(),
            )
        }
        _ => None,
    }
}

/// Faults applied to the answer a request would have got: a rewritten PDU or a different way of
/// sending the same bytes.
pub(crate) async fn late_fault(s: &Shared, fault: Option<&Fault>, resp: Response) -> Response {
    let Some(f) = fault else { return resp };
    if !matches!(
        f,
        Fault::WrongTransactionId
            | Fault::WrongMessageType
            | Fault::Version(_)
            | Fault::SlowDrip(..)
            | Fault::Chunked
    ) {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let rewritten = match (f, Pdu::decode(&bytes)) {
        (Fault::WrongTransactionId | Fault::WrongMessageType | Fault::Version(_), Ok(d)) => {
            let mut p = d.pdu;
            match f {
                Fault::WrongTransactionId => {
                    for h in &mut p.headers {
                        if let Header::TransactionId(t) = h {
                            *t = mms_codec::pdu::Text::from("not-your-transaction").into_owned();
                        }
                    }
                }
                Fault::WrongMessageType => {
                    p.message_type = match p.message_type {
                        MessageType::SendConf => MessageType::NotificationInd,
                        _ => MessageType::SendConf,
                    };
                }
                Fault::Version(v) => {
                    for h in &mut p.headers {
                        if let Header::MmsVersion(x) = h {
                            *x = mms_codec::pdu::Version(*v);
                        }
                    }
                }
                _ => {}
            }
            s.log("fault_rewritten", "", format!("{f:?}"));
            Some(p.encode().unwrap_or_default())
        }
        _ => None,
    };
    let bytes = rewritten.map(Bytes::from).unwrap_or(bytes);
    let (chunk, gap) = match f {
        Fault::SlowDrip(n, ms) => ((*n).max(1), *ms),
        Fault::Chunked => (512, 0),
        _ => {
            let mut parts = parts;
            parts.headers.remove("content-length");
            return Response::from_parts(parts, axum::body::Body::from(bytes));
        }
    };
    s.log("fault_streamed", "", format!("{f:?}"));
    let chunks: Vec<Bytes> = bytes.chunks(chunk).map(Bytes::copy_from_slice).collect();
    let stream = futures_util::stream::unfold(chunks.into_iter(), move |mut it| async move {
        let c = it.next()?;
        if gap > 0 {
            tokio::time::sleep(Duration::from_millis(gap)).await;
        }
        Some((Ok::<_, std::io::Error>(c), it))
    });
    let mut parts = parts;
    parts.headers.remove("content-length");
    Response::from_parts(parts, axum::body::Body::from_stream(stream))
}
