//! The work budget against the adversarial inputs the fuzzers did not find (`mms_fuzzing::hostile`):
//! string-table reference storms in SI and OMA CP documents (PUSH-8, OTA-7), attribute storms in
//! SMIL and XHTML (CONTENT-4, LINK-1). Each was accepted before the budget, at a cost of hundreds
//! of megabytes to gigabytes and seconds to minutes (the amplification bench measures the cost
//! now: `cargo bench -p mms-tests --bench amplification`); each is refused now, or read by a
//! linear fallback.

use mms_codec::budget::{InputKind, Limit};
use mms_codec::pdu::DecodeErrorKind;
use mms_codec::provisioning::decode_wbxml;
use mms_codec::push::{PORT_PUSH, parse_deliver};
use mms_decisions::audit::MemoryAudit;
use mms_decisions::clock::ManualClock;
use mms_decisions::push::{Bearer, PushChannel, PushPolicy, PushReason, PushValidator, Verdict};
use mms_fuzzing::hostile;
use std::sync::Arc;

fn validator() -> PushValidator {
    PushValidator::new(
        PushPolicy {
            mmsc_url: Some("http://mmsc.example/mms".into()),
            trusted_origins: vec!["+15550100".into()],
            ..PushPolicy::default()
        },
        Arc::new(ManualClock::new(1_750_000_000)),
        Arc::new(MemoryAudit::new(64)),
    )
}

fn platform() -> PushChannel {
    PushChannel {
        bearer: Bearer::Platform,
        dst_port: Some(PORT_PUSH),
    }
}

/// PUSH-8: an SI whose href is thousands of references to one long string-table entry is
/// refused on the output budget; it used to decode into an href of size references x entry.
#[test]
fn push_8_a_string_table_reference_storm_in_an_si_href_is_refused() {
    for size in [8 * 1024, 32 * 1024, 63 * 1024] {
        let push = hostile::si_push(&hostile::si_href_storm(size));
        refused_over_budget(&validator().check("+15550100", platform(), &push));
    }
}

/// Refused as malformed because decoding ran out of its output budget.
fn refused_over_budget(v: &mms_decisions::push::PushVerdict) {
    assert_eq!(
        (v.verdict, v.reason),
        (Verdict::Reject, PushReason::Malformed)
    );
    assert!(v.detail.contains("output budget"), "{}", v.detail);
}

/// PUSH-8: the same storm in the SI's text.
#[test]
fn push_8_a_string_table_reference_storm_in_si_content_is_refused() {
    let push = hostile::si_push(&hostile::si_content_storm(32 * 1024));
    refused_over_budget(&validator().check("+15550100", platform(), &push));
}

/// PUSH-8 over the SMS bearer: the storm in segments (as many as the reassembler takes) is
/// refused the same way once reassembled.
#[test]
fn push_8_a_reference_storm_over_sms_is_refused() {
    let push = hostile::si_push(&hostile::si_href_storm(900));
    let segs = hostile::sms_segments("+15550100", &push, 7);
    assert!(segs.len() > 1);
    let mut r = mms_codec::push::Reassembler::new(Default::default());
    let mut datagram = None;
    for t in &segs {
        if let mms_codec::push::Reassembly::Complete { datagram: d, .. } =
            r.push(parse_deliver(t, true).unwrap(), 0)
        {
            datagram = Some(d);
        }
    }
    let channel = PushChannel {
        bearer: Bearer::Sms,
        dst_port: Some(PORT_PUSH),
    };
    // 900 octets: 450 of entry and 225 references of it, 101 KB of href against a budget of
    // 4 KiB + 8 per octet.
    let v = validator().check("+15550100", channel, &datagram.unwrap());
    assert_eq!(
        (v.verdict, v.reason),
        (Verdict::Reject, PushReason::Malformed)
    );
}

/// OTA-7: a provisioning document whose parm value is a reference storm is refused on the
/// provisioning budget, before anything is authenticated or shown.
#[test]
fn ota_7_a_reference_storm_in_a_provisioning_parm_is_refused() {
    let doc = hostile::cp_parm_storm(63 * 1024);
    let e = decode_wbxml(&doc).unwrap_err();
    assert!(
        matches!(
            e.kind,
            DecodeErrorKind::OverBudget {
                input: InputKind::Provisioning,
                limit: Limit::Output,
                ..
            }
        ),
        "{e}"
    );
    assert!(mms_decisions::provisioning::inspect(Some(1), &doc).is_err());
}

/// CONTENT-4: a SMIL part whose one `<par>` carries 40,000 attributes is refused by the markup
/// pre-scan before the XML parser sees it (whose duplicate-attribute check is quadratic: about
/// 15 s before); the plan falls back to a plain sequence.
#[test]
fn content_4_an_attribute_storm_in_smil_never_reaches_the_parser() {
    let smil = hostile::smil_attribute_storm(40_000);
    assert!(smil.len() > 400_000);
    let pdu = hostile::retrieved_with_smil(smil).unwrap();
    let plan =
        mms_decisions::content::plan_message(&pdu, &mms_decisions::content::MediaPolicy::default());
    assert!(!plan.from_smil);
    let why = plan.smil_fallback.clone().unwrap_or_default();
    assert!(why.contains("attributes"), "{why}");
}

/// LINK-1: an XHTML part with 40,000 attributes is refused by the pre-scan (about 13 s in the
/// parser before) and its links are still found, by the linear fallback scan.
#[test]
fn link_1_an_attribute_storm_in_xhtml_is_scanned_linearly() {
    let page = hostile::xhtml_attribute_storm(40_000);
    assert!(mms_codec::xml::parse(&page, &Default::default()).is_err());
    let links = mms_decisions::links::extract_markup(&page, 0, false);
    assert_eq!(
        links.iter().map(|l| l.uri.as_str()).collect::<Vec<_>>(),
        ["tel:+15550100"]
    );
}

/// PUSH-8, OTA-7, CONTENT-4, LINK-1: every hostile input, through every invariant its fuzz
/// target checks, holds no more heap at any decoder's peak than that decoder's input kind
/// allows (`heap::within` panics otherwise); the storms of a 63 KiB push or document and of a
/// 90,000-attribute part included.
#[test]
fn every_hostile_input_stays_within_its_heap_allowance() {
    for size in [900, 8 * 1024, 32 * 1024, 63 * 1024] {
        for doc in [
            hostile::si_href_storm(size),
            hostile::si_content_storm(size),
        ] {
            mms_fuzzing::wbxml_decode(&doc);
            mms_fuzzing::push_decode(&hostile::si_push(&doc));
        }
        let cp = hostile::cp_parm_storm(size);
        mms_fuzzing::provisioning_decode(&cp);
        mms_fuzzing::push_decode(&hostile::cp_push(&cp));
        let push = hostile::si_push(&hostile::si_href_storm(size));
        let mut tpdus = Vec::new();
        for t in hostile::sms_segments("+15550100", &push, 9)
            .iter()
            .take(255)
        {
            tpdus.push(u8::try_from(t.len()).unwrap());
            tpdus.extend_from_slice(t);
        }
        mms_fuzzing::sms_reassembly(&tpdus);
    }
    for n in [40_000, 90_000] {
        let smil = hostile::smil_attribute_storm(n);
        mms_fuzzing::content_plan(smil.as_bytes());
        mms_fuzzing::links(hostile::xhtml_attribute_storm(n).as_bytes());
        mms_fuzzing::links(hostile::unquoted_href_run(n / 4).as_bytes());
    }
    let worst = mms_fuzzing::heap::worst();
    for what in [
        "wbxml",
        "push verdict",
        "cp document",
        "smil",
        "links in markup",
    ] {
        let w = worst.get(what).unwrap();
        assert!(w.share <= 1.0 && w.peak > 0, "{what}: {w:?}");
    }
}

/// The heap check can fail: a "decoder" that holds 10 MB for a 10-octet push is caught.
#[test]
fn the_heap_check_catches_a_decoder_over_its_allowance() {
    use mms_fuzzing::heap::within;
    let r = std::panic::catch_unwind(|| {
        within(InputKind::Push, 10, "greedy", || {
            vec![1u8; 10_000_000].len()
        })
    });
    let msg = *r.unwrap_err().downcast::<String>().unwrap();
    assert!(msg.contains("greedy: peak heap"), "{msg}");
    assert_eq!(
        within(InputKind::Push, 10, "modest", || vec![1u8; 1000].len()),
        1000
    );
}
