//! How a fault is applied: taken from the switches that match a request, answered instead of
//! the request (HTTP errors, garbage, stalls, dropped connections) or rewriting the answer the
//! request would have got.

use super::{Fault, FaultOn};
use crate::state::Shared;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mms_codec::pdu::{Header, MessageType, Pdu};
use std::time::Duration;

impl Shared {
    pub(crate) fn take_fault(&self, on: FaultOn, subscriber: Option<&str>) -> Option<Fault> {
        let mut d = self.data.lock().ok()?;
        let i = d.faults.iter().position(|r| {
            r.on == on
                && r.subscriber
                    .as_deref()
                    .is_none_or(|want| subscriber.is_some_and(|s| self.key(want) == s))
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
        Fault::HttpRetryAt(code, ahead) => {
            s.log("fault_http", "", format!("{code} retry at +{ahead}s"));
            let now = std::time::SystemTime::now();
            let at = now + Duration::from_secs(*ahead);
            let mut r = StatusCode::from_u16(*code)
                .unwrap_or(StatusCode::SERVICE_UNAVAILABLE)
                .into_response();
            for (name, t) in [("retry-after", at), ("date", now)] {
                if let Ok(v) = axum::http::HeaderValue::from_str(&httpdate::fmt_http_date(t)) {
                    r.headers_mut().insert(name, v);
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
            | Fault::NoTransactionId
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
        (
            Fault::WrongTransactionId
            | Fault::NoTransactionId
            | Fault::WrongMessageType
            | Fault::Version(_),
            Ok(d),
        ) => {
            let mut p = d.pdu;
            match f {
                Fault::WrongTransactionId => {
                    for h in &mut p.headers {
                        if let Header::TransactionId(t) = h {
                            *t = mms_codec::pdu::Text::from("not-your-transaction").into_owned();
                        }
                    }
                }
                Fault::NoTransactionId => {
                    p.headers.retain(|h| !matches!(h, Header::TransactionId(_)));
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
