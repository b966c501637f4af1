//! `mms links`: the links in a message and what the confirmation gate decides for each.

use super::decode::DecodeArgs;
use crate::failure::{Exit, Failure};
use crate::input::read_input;
use mms_core::pdu::Pdu;

#[derive(serde::Serialize)]
pub(crate) struct LinkRow {
    uri: String,
    part: usize,
    offset: usize,
    origin: mms_core::links::LinkOrigin,
    decision: mms_core::links::LinkDecision,
}

pub(crate) fn links(args: &DecodeArgs) -> Result<(), Failure> {
    use mms_core::links::{LinkDecision, LinkGate, LinkSource, extract_from_pdu};
    let bytes = read_input(&args.file, args.hex)?;
    let decoded = Pdu::decode_lenient(&bytes).map_err(|e| Failure {
        code: Exit::Malformed,
        message: format!("not a valid MMS PDU: {e}"),
        hint: "mms links reads a retrieve-conf or send-req (use --hex for hex text)",
    })?;
    let message_id = decoded
        .pdu
        .message_id()
        .or(decoded.pdu.transaction_id())
        .map(|t| t.to_string())
        .unwrap_or_else(|| "(no id)".into());
    let audit = std::sync::Arc::new(mms_core::audit::MemoryAudit::default());
    let gate = LinkGate::new(
        std::sync::Arc::new(mms_core::clock::SystemClock),
        audit,
        300,
    );
    let rows: Vec<LinkRow> = extract_from_pdu(&decoded.pdu)
        .into_iter()
        .map(|l| {
            let decision = gate.request_action(
                &l.uri,
                LinkSource {
                    message_id: message_id.clone(),
                    part: Some(l.part),
                    offset: Some(l.offset),
                },
            );
            LinkRow {
                uri: l.uri,
                part: l.part,
                offset: l.offset,
                origin: l.origin,
                decision,
            }
        })
        .collect();
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&rows)
                .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        );
        return Ok(());
    }
    if rows.is_empty() {
        outln!("no links");
    }
    for r in &rows {
        match &r.decision {
            LinkDecision::Blocked { blocked, .. } => outln!(
                "[part {} @{}] {}\n    BLOCKED ({}): {}",
                r.part,
                r.offset,
                r.uri,
                blocked.reason.code(),
                blocked.detail
            ),
            LinkDecision::NeedsConfirmation(p) => outln!(
                "[part {} @{}] {}\n    NEEDS CONFIRMATION ({}): {}",
                r.part,
                r.offset,
                r.uri,
                p.cost.code(),
                p.description
            ),
        }
    }
    Ok(())
}
