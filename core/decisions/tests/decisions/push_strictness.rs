//! Strictness at the push edges: the application id a push is addressed to, the two kinds of
//! concatenation reference, and the expiry of a Service Indication. Built on the attack suite's
//! rig ([`super::push_attacks`]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::push_attacks::{PPG, notif, platform, push_of, rig, si_wbxml};
use mms_codec::pdu::content_type::{ContentType, MediaType};
use mms_codec::push::*;
use mms_decisions::push::*;

/// PUSH-8: `X-Wap-Application-Id` is honoured. An MMS content type addressed to another
/// application (here the browser, `wml.ua`, code 2, or a textual id) is not an MMS
/// notification, whatever its body; one addressed to `mms.ua` is; one without an application
/// id is routed by its content type (WAP-235 allows it, and push gateways that omit the header
/// rely on it).
#[test]
fn push_8_a_push_for_another_application_is_not_an_mms_notification() {
    let r = rig();
    let body = notif("APP1", "http://mmsc.op.example:8002/mms/app1");
    let mms = ContentType::new(MediaType::WellKnown(0x3e));
    for app in [2u64, 0x8002, 0x10] {
        let wsp = encode_push(1, &mms, Some(app), &body).unwrap();
        let v = platform(&r, PPG, &wsp);
        assert_eq!(
            (v.verdict, v.reason, v.kind),
            (Verdict::Reject, PushReason::NotForUs, PushKind::Other),
            "application {app:#x}"
        );
        assert!(!matches!(v.content, PushContent::Notification(_)));
    }
    let v = platform(&r, PPG, &encode_push(1, &mms, Some(4), &body).unwrap());
    assert_eq!((v.verdict, v.kind), (Verdict::Accept, PushKind::Mms));
    let body = notif("APP2", "http://mmsc.op.example:8002/mms/app2");
    let v = platform(&r, PPG, &encode_push(1, &mms, None, &body).unwrap());
    assert_eq!((v.verdict, v.kind), (Verdict::Accept, PushKind::Mms));
}

/// PUSH-6, PUSH-8: 8-bit and 16-bit concatenation references are different keys. Reference 5
/// of each kind from one origin belongs to two messages; merging them delivered a mixture (or
/// nothing) in place of either.
#[test]
fn push_8_8_bit_and_16_bit_concatenation_references_never_mix() {
    let r = rig();
    let a = encode_mms_push(1, &notif("CAT8", "http://mmsc.op.example:8002/mms/cat8"));
    let b = encode_mms_push(2, &notif("CAT16", "http://mmsc.op.example:8002/mms/cat16"));
    // Two segments each: message A with an 8-bit reference 5, message B with a 16-bit one.
    let seg = |data: &[u8], sixteen: bool, seq: u8| -> Vec<u8> {
        let mut udh = vec![0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0];
        if sixteen {
            udh.extend_from_slice(&[0x08, 0x04, 0x00, 0x05, 0x02, seq]);
        } else {
            udh.extend_from_slice(&[0x00, 0x03, 0x05, 0x02, seq]);
        }
        let mut ud = vec![udh.len() as u8];
        ud.extend_from_slice(&udh);
        ud.extend_from_slice(data);
        // SMS-DELIVER with UDHI, originator +447785016005, 8-bit data.
        let mut t = vec![
            0x00, 0x44, 0x0c, 0x91, 0x44, 0x77, 0x58, 0x10, 0x06, 0x50, 0x00, 0x04,
        ];
        t.extend_from_slice(&[0x52, 0x11, 0x92, 0x10, 0x00, 0x00, 0x00]);
        t.push(ud.len() as u8);
        t.extend_from_slice(&ud);
        t
    };
    let (a1, a2) = a.split_at(a.len() / 2);
    let (b1, b2) = b.split_at(b.len() / 2);
    let mut got = Vec::new();
    for t in [
        seg(a1, false, 1),
        seg(b1, true, 1),
        seg(a2, false, 2),
        seg(b2, true, 2),
    ] {
        if let Some(v) = r.handler.handle_sms(&t, true) {
            got.push(v);
        }
    }
    let tids: Vec<String> = got
        .iter()
        .filter_map(|v| match &v.content {
            PushContent::Notification(n) => Some(n.transaction_id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(tids, ["CAT8", "CAT16"], "{got:?}");
}

/// PUSH-3, PUSH-7: a Service Indication whose `si-expires` has passed is discarded (WAP-167
/// 6.2: an expired SI is deleted, not shown), whether or not its origin is trusted.
#[test]
fn push_3_an_expired_service_indication_is_discarded() {
    let r = rig();
    // si-expires (0x10) as an opaque date: 2020-01-01 00:00:00, long before NOW.
    let mut si = vec![0x02, 0x05, 0x6a, 0x00, 0x45, 0xc6, 0x07, 0x0c, 0x03];
    si.extend_from_slice(b"mmsc.op.example:8002/mms/x\0");
    si.extend_from_slice(&[0x10, 0xc3, 0x04, 0x20, 0x20, 0x01, 0x01, 0x01]);
    si.extend_from_slice(&[0x03, b'o', b'l', b'd', 0x00, 0x01, 0x01]);
    for origin in [PPG, "+15559999"] {
        let v = platform(&r, origin, &push_of(0x2e, &si));
        assert_eq!(
            (v.verdict, v.reason),
            (Verdict::Reject, PushReason::Expired),
            "{origin}"
        );
        assert!(v.audit.is_some());
    }
    // The same SI expiring after NOW is kept.
    let future = si_wbxml("mmsc.op.example:8002/mms/y", "new", 0x07);
    let v = platform(&r, PPG, &push_of(0x2e, &future));
    assert_eq!(v.verdict, Verdict::Accept);
}
