//! The invariants the fuzz targets check, shared with `cargo test` so that the committed fuzz
//! corpora and past crashers replay as ordinary tests. Each function panics (the fuzzer's
//! signal) only when an invariant is broken; hostile input alone never panics.

use crate::pdu::Pdu;

/// PDU decoder invariants: decoding never panics; a decoded model that encodes decodes back
/// to the same model; the validated decode accepts a subset of what the lenient one does.
#[allow(clippy::panic)]
pub fn pdu_decode(data: &[u8]) {
    let lenient = Pdu::decode_lenient(data);
    if let Ok(d) = &lenient {
        if let Ok(bytes) = d.pdu.encode() {
            match Pdu::decode_lenient(&bytes) {
                Ok(again) => {
                    let mut want = d.pdu.clone();
                    want.canonicalize();
                    assert!(again.pdu == want, "re-decoded model differs");
                }
                Err(e) => panic!("own encoding does not decode: {e}"),
            }
        }
    }
    if Pdu::decode(data).is_ok() {
        assert!(
            lenient.is_ok(),
            "validated decode accepted what lenient refused"
        );
    }
    let _ = crate::push::decode_push(data);
}

/// Push decoder and validator: any bytes, as a connectionless or connection-oriented push,
/// through a validator with a fixed policy, never panic; every verdict that is not an accept
/// carries an audit row.
pub fn push_decode(data: &[u8]) {
    use crate::audit::MemoryAudit;
    use crate::clock::ManualClock;
    use crate::push::{Bearer, PushChannel, PushPolicy, PushValidator, Verdict};
    use std::sync::Arc;
    let _ = crate::push::decode_push(data);
    let _ = crate::push::wsp_push::decode_push_connection_oriented(data);
    let policy = PushPolicy {
        mmsc_url: Some("http://mmsc.example:8002/mms/".into()),
        trusted_origins: vec!["+15550100".into()],
        sir_gateways: vec!["10.0.0.1".into()],
        ..PushPolicy::default()
    };
    let v = PushValidator::new(
        policy,
        Arc::new(ManualClock::new(1_700_000_000)),
        Arc::new(MemoryAudit::new(16)),
    );
    let channel = PushChannel {
        bearer: Bearer::Platform,
        dst_port: Some(2948),
    };
    for origin in ["+15550100", "+15550199"] {
        let verdict = v.check(origin, channel, data);
        assert!(
            verdict.verdict == Verdict::Accept || verdict.audit.is_some(),
            "verdict without audit row"
        );
        let _ = v.check_connection_oriented(origin, channel, data);
    }
}

/// SMS bearer: the input is split into TPDUs (a length octet before each); every TPDU is parsed
/// (with and without SMSC) and fed to a reassembler whose pending state must stay within its
/// limits.
pub fn sms_reassembly(data: &[u8]) {
    use crate::push::{Reassembler, ReassemblyLimits, parse_deliver};
    let limits = ReassemblyLimits::default();
    let mut r = Reassembler::new(limits.clone());
    let mut rest = data;
    let mut now = 1_700_000_000u64;
    while let Some((&n, tail)) = rest.split_first() {
        let take = usize::from(n).min(tail.len());
        let (tpdu, next) = tail.split_at(take);
        rest = next;
        now += 7;
        for smsc in [true, false] {
            if let Ok(seg) = parse_deliver(tpdu, smsc) {
                let _ = r.push(seg, now);
            }
        }
        assert!(
            r.pending() <= limits.max_pending_total,
            "reassembler over its limit"
        );
        assert!(
            r.held_bytes() <= limits.max_pending_total * usize::from(limits.max_segments) * 256
        );
    }
}

/// WBXML decoder with every code page set; a decoded document renders as XML.
pub fn wbxml_decode(data: &[u8]) {
    use crate::wbxml::{self, pages::*};
    let limits = wbxml::WbxmlLimits::default();
    for pages in [&SiPages as &dyn wbxml::CodePages, &SlPages] {
        if let Ok(d) = wbxml::decode(data, pages, &limits) {
            let _ = d.root.to_xml();
        }
    }
    let _ = crate::push::service::parse_si(data);
    let _ = crate::push::service::parse_sl(data);
    let _ = crate::push::service::parse_sia(data);
}

/// Provisioning decoder: any bytes through the WBXML provisioning decoder, settings
/// extraction and authentication (all four methods), never panic; an encoded model decodes
/// back to itself.
pub fn provisioning_decode(data: &[u8]) {
    use crate::provisioning::{self as p, Credentials, Secret};
    if let Ok(doc) = p::decode_wbxml(data) {
        let _ = p::mms_settings(&doc);
        let _ = doc.to_xml();
        let again = p::decode_wbxml(&p::encode_wbxml(&doc));
        assert!(
            again.as_ref().is_ok_and(|d| *d == doc),
            "encode/decode round trip"
        );
    }
    let creds = Credentials {
        imsi: Some(Secret::new("466923103145252")),
        pin: Some(Secret::new("1234567890")),
    };
    for sec in 0..5u64 {
        let _ = p::verify(
            Some(sec),
            Some("1AF545FE2823DC9347064450F90FF1BBF957E146"),
            data,
            &creds,
        );
    }
}

/// Sniffer and SMIL planner: arbitrary bytes sniffed and parsed as SMIL; and, when the bytes
/// are a PDU, its render plan, whose every invariant (bounded slides and time, regions inside
/// the root layout, items pointing at existing parts) is checked.
pub fn content_plan(data: &[u8]) {
    use crate::content::{self, plan};
    let _ = content::sniff(data);
    let _ = content::smil::parse(&String::from_utf8_lossy(data));
    if let Ok(d) = crate::pdu::Pdu::decode_lenient(data) {
        let p = content::plan_message(&d.pdu, &content::MediaPolicy::default());
        assert!(p.slides.len() <= plan::MAX_SLIDES);
        assert!(p.total_ms <= plan::MAX_TOTAL_MS);
        for s in &p.slides {
            assert!(s.duration_ms <= plan::MAX_SLIDE_MS && s.duration_ms >= plan::MIN_SLIDE_MS);
            for i in &s.items {
                assert!(i.part < p.parts.len(), "slide item points past the parts");
                assert!(i.begin_ms.saturating_add(i.duration_ms) <= s.duration_ms);
                if let Some(r) = i.region {
                    assert!(
                        r.left.saturating_add(r.width) <= p.root.0
                            && r.top.saturating_add(r.height) <= p.root.1
                    );
                }
            }
        }
    }
}

/// URI classifier, extractor and gate: any string, never a panic; nothing is released without
/// a token.
pub fn links(data: &[u8]) {
    use crate::links::{LinkDecision, LinkGate, LinkSource, extract_markup, extract_text};
    let s = String::from_utf8_lossy(data);
    let _ = extract_text(&s, 0);
    let _ = extract_markup(&s, 0, true);
    let gate = LinkGate::new(
        std::sync::Arc::new(crate::clock::ManualClock::new(1)),
        std::sync::Arc::new(crate::audit::MemoryAudit::new(4)),
        60,
    );
    if let LinkDecision::NeedsConfirmation(p) = gate.request_action(&s, LinkSource::message("m")) {
        assert!(gate.confirm(&p.token, "other", &s).is_err());
        assert!(gate.confirm(&p.token, "m", &s).is_ok());
        assert!(gate.confirm(&p.token, "m", &s).is_err());
    }
}
