//! M-Forward.req / M-Forward.conf: forward without retrieval.

use super::send::{Submitted, submit};
use crate::state::{Shared, pdu_response};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mms_codec::pdu::builder::send_conf;
use mms_codec::pdu::{Header, MessageType, Pdu, ResponseStatus};
use std::sync::Arc;

/// M-Forward.req: forwards a message the subscriber was notified of, without retrieving it,
/// to new recipients; answered with M-Forward.conf.
pub(crate) async fn handle_forward(
    s: &Arc<Shared>,
    sub: &str,
    tid: &str,
    pdu: &Pdu<'_>,
) -> Response {
    let conf = |status: ResponseStatus, mid: Option<&str>, text: Option<&str>| {
        let mut p = send_conf(tid, status, mid, text);
        p.message_type = MessageType::ForwardConf;
        pdu_response(StatusCode::OK, &p)
    };
    let location = pdu
        .content_location()
        .map(|l| l.into_owned())
        .unwrap_or_default();
    let tok = location
        .strip_prefix(&format!("{}/m/", s.base))
        .map(|t| t.split('?').next().unwrap_or(t).to_string());
    let original = tok.and_then(|t| {
        let d = s.data.lock().ok()?;
        let dt = d.tokens.get(&t)?;
        (dt.recipient == sub).then(|| d.messages.get(&dt.message_id).cloned())?
    });
    let Some(original) = original else {
        s.log(
            "forward_refused",
            sub,
            format!("{location}: not a message notified to this subscriber (MMSC-9)"),
        );
        return conf(
            ResponseStatus::PermanentMessageNotFound,
            None,
            Some("no such message"),
        );
    };
    let Ok(d) = Pdu::decode(&original.pdu) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut fwd = d.pdu;
    fwd.message_type = MessageType::SendReq;
    fwd.headers.retain(|h| {
        !matches!(
            h,
            Header::To(_)
                | Header::Cc(_)
                | Header::Bcc(_)
                | Header::TransactionId(_)
                | Header::DeliveryReport(_)
                | Header::ReadReport(_)
        )
    });
    let ftid = format!("fwd-{tid}");
    fwd.headers.insert(
        0,
        Header::TransactionId(mms_codec::pdu::Text::from(ftid.as_str())),
    );
    fwd.headers
        .extend(pdu.headers.iter().filter_map(|h| match h {
            Header::To(_)
            | Header::Cc(_)
            | Header::Bcc(_)
            | Header::DeliveryReport(_)
            | Header::ReadReport(_) => Some(h.clone()),
            _ => None,
        }));
    let Ok(raw) = fwd.encode() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    s.log("forwarded", sub, format!("from {location}"));
    match submit(s, sub, &ftid, &fwd, &raw).await {
        Submitted::Accepted(message_id) => conf(ResponseStatus::Ok, Some(&message_id), None),
        Submitted::Refused(status, text) => conf(status, None, Some(text)),
        Submitted::Repeated(prev) => match Pdu::decode(&prev) {
            Ok(a) => conf(
                a.pdu
                    .response_status()
                    .unwrap_or(ResponseStatus::PermanentFailure),
                a.pdu.message_id().map(|m| m.to_string()).as_deref(),
                None,
            ),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    }
}
