//! Conversations: the participants of a message are From, To and Cc minus the subscriber's own
//! number(s), compared after E.164-style normalisation (national and international forms of
//! the same number match), so that the user never appears in their own group conversation.

use super::Engine;
use crate::error::EngineError;
use crate::store::{Direction, Peers};
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
    Ok(of_pdu(e, &d.pdu))
}

/// The conversation of people `names` (the user's own numbers already left out).
pub(crate) fn peers(e: &Engine, names: Vec<String>) -> Peers {
    Peers::new(names, |a| e.address_key(a))
}

/// The conversation of a notification: its sender.
pub(crate) fn of_sender(e: &Engine, from: Option<&str>) -> Peers {
    let own = e.own_numbers();
    peers(
        e,
        participants(from, &[], &[], &own, &|a, b| e.same_address(a, b)),
    )
}

/// The conversation of a draft: its recipients (Bcc included: the user chose them).
pub(crate) fn of_recipients(e: &Engine, to: &[String], cc: &[String], bcc: &[String]) -> Peers {
    let own = e.own_numbers();
    let copies: Vec<String> = cc.iter().chain(bcc).cloned().collect();
    peers(
        e,
        participants(None, to, &copies, &own, &|a, b| e.same_address(a, b)),
    )
}

/// Files every message of this subscription that has no conversation yet (written by a library
/// before conversations were stored): from its PDU when it has one, else from the sender of
/// its notification or the recipients of its send. Runs at open; a message that cannot be read
/// is filed with what its row says.
pub(crate) fn backfill(e: &Engine) -> Result<usize, EngineError> {
    let ids = e.store.without_thread(&e.subscription)?;
    for &id in &ids {
        let Some(row) = e.store.message(id)? else {
            continue;
        };
        let peers = match of_message(e, id) {
            Ok(names) => peers(e, names),
            Err(_) if row.direction == Direction::Out => {
                let mut to = Vec::new();
                let mut cc = Vec::new();
                for r in e.store.recipients(id)? {
                    if r.kind == "to" { &mut to } else { &mut cc }.push(r.address);
                }
                of_recipients(e, &to, &cc, &[])
            }
            Err(_) => of_sender(e, row.from_addr.as_deref()),
        };
        e.store.write_relaxed(|tx| tx.set_peers(id, &peers))?;
    }
    Ok(ids.len())
}

/// The participants of a decoded message.
pub(crate) fn of_pdu(e: &Engine, pdu: &Pdu<'_>) -> Vec<String> {
    let d = pdu;
    let from = d.sender();
    let to: Vec<String> = d.to().map(|a| a.to_string_lossy().into_owned()).collect();
    let sent = d.message_type == MessageType::SendReq;
    let cc: Vec<String> = d
        .cc()
        .chain(d.bcc().filter(|_| sent))
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let own = e.own_numbers();
    participants(from.as_deref(), &to, &cc, &own, &|a, b| {
        e.same_address(a, b)
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use crate::{CarrierProfile, ClientOptions, MmsClient, NoopListener, PageRequest};
    use std::sync::Arc;

    /// Messages stored by a library from before conversations (schema 3) are filed when the
    /// client opens: a sent message by its recipients, a received one whose PDU no longer
    /// reads by its sender (here none: the conversation of an unknown sender).
    #[test]
    fn messages_of_an_older_library_are_filed_in_conversations_at_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mms.db");
        crate::store::database_at(3, &path);
        let client = MmsClient::open_with(
            &path,
            CarrierProfile::for_mmsc("http://m.example/"),
            Arc::new(crate::Blocking::new(
                Arc::new(Refuse),
                &CarrierProfile::default(),
            )),
            Arc::new(NoopListener),
            ClientOptions {
                subscription: "s".into(),
                ..ClientOptions::default()
            },
        )
        .unwrap();
        assert!(client.store().without_thread("s").unwrap().is_empty());
        let page = client
            .conversations(PageRequest {
                before: None,
                limit: 10,
            })
            .unwrap();
        let peers: Vec<Vec<String>> = page.items.iter().map(|c| c.peers.clone()).collect();
        assert_eq!(peers, vec![vec!["+15550100".to_string()], vec![]]);
    }

    struct Refuse;

    impl crate::BlockingTransport for Refuse {
        fn post(
            &self,
            _: &str,
            _: &[(String, String)],
            _: Vec<u8>,
        ) -> Result<crate::HttpResponse, crate::TransportError> {
            Err(crate::TransportError::Connect("test".into()))
        }
        fn get(
            &self,
            _: &str,
            _: &[(String, String)],
        ) -> Result<crate::HttpResponse, crate::TransportError> {
            Err(crate::TransportError::Connect("test".into()))
        }
    }
}
