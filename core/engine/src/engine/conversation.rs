//! Conversations: the participants of a message are From, To and Cc minus the subscriber's own
//! number(s), compared after E.164-style normalisation (national and international forms of
//! the same number match), so that the user never appears in their own group conversation.

use super::Engine;
use crate::error::EngineError;
use mms_codec::pdu::{MessageType, Pdu};

/// Participants of a message with `from`, `to` and `cc`, leaving out `own` numbers, addresses
/// compared as `same` says (a `NumberPlan`'s, or the engine's with the platform's reading).
/// The result keeps the first spelling of each participant, in order, without duplicates.
pub fn participants(
    from: Option<&str>,
    to: &[String],
    cc: &[String],
    own: &[String],
    same: &dyn Fn(&str, &str) -> bool,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in from
        .into_iter()
        .chain(to.iter().map(String::as_str))
        .chain(cc.iter().map(String::as_str))
    {
        let clean = a.split("/TYPE=").next().unwrap_or(a).trim().to_string();
        if clean.is_empty()
            || own.iter().any(|o| same(o, &clean))
            || out.iter().any(|p| same(p, &clean))
        {
            continue;
        }
        out.push(clean);
    }
    out
}

/// The participants of a stored message (own numbers from the profile's `line1` left out).
/// For a message the user sent, Bcc recipients count too: the user chose them.
pub(crate) fn of_message(e: &Engine, id: i64) -> Result<Vec<String>, EngineError> {
    let (_, pdu) = e.store.blobs(id)?;
    let pdu = pdu.ok_or(EngineError::Unreadable {
        id,
        reason: "no PDU stored".into(),
    })?;
    let d = Pdu::decode_lenient(&pdu).map_err(|err| EngineError::Unreadable {
        id,
        reason: err.to_string(),
    })?;
    let from = d.pdu.sender();
    let to: Vec<String> = d
        .pdu
        .to()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let sent = d.pdu.message_type == MessageType::SendReq;
    let cc: Vec<String> = d
        .pdu
        .cc()
        .chain(d.pdu.bcc().filter(|_| sent))
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let own: Vec<String> = e.profile().line1.into_iter().collect();
    Ok(participants(from.as_deref(), &to, &cc, &own, &|a, b| {
        e.same_address(a, b)
    }))
}
