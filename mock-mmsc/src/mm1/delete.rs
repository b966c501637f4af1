//! M-Delete.req / M-Delete.conf.

use crate::state::{Shared, pdu_response};
use axum::http::StatusCode;
use axum::response::Response;
use mms_codec::pdu::{Header, Pdu, ResponseStatus};
use std::sync::Arc;

/// M-Delete.req: drops the subscriber's pending copies named by Content-Location (the token
/// at the end of the location). Answered with M-Delete.conf: Ok when every one was found,
/// otherwise error-permanent-message-not-found.
pub(crate) fn handle_delete(s: &Arc<Shared>, sub: &str, tid: &str, pdu: &Pdu<'_>) -> Response {
    let locations: Vec<String> = pdu
        .headers
        .iter()
        .filter_map(|h| match h {
            Header::ContentLocation(c) => Some(c.uri.to_string()),
            _ => None,
        })
        .collect();
    let mut all = !locations.is_empty();
    for loc in &locations {
        let tok = loc
            .rsplit('/')
            .next()
            .unwrap_or("")
            .split('?')
            .next()
            .unwrap_or("");
        let removed = s.data.lock().ok().and_then(|mut d| {
            let t = d.tokens.get(tok).filter(|t| t.recipient == sub)?.clone();
            d.tokens.remove(tok);
            let key = (sub.to_string(), t.tid.clone());
            d.notified.remove(&key);
            d.pending.remove(&key);
            d.keep_closed(key, s.cfg.log_capacity);
            d.release(&t.message_id, sub);
            Some(t)
        });
        match removed {
            Some(t) => s.log("deleted", sub, format!("{} {loc}", t.message_id)),
            None => {
                all = false;
                s.log("delete_unknown", sub, loc.clone());
            }
        }
    }
    let status = if all {
        ResponseStatus::Ok
    } else {
        ResponseStatus::PermanentMessageNotFound
    };
    pdu_response(
        StatusCode::OK,
        &mms_codec::pdu::builder::delete_conf(tid, status),
    )
}
