//! The push attack suite: one test per threat ID, real push bytes in (built with our PDU
//! encoder, segmented into SMS TPDUs where the bearer matters), the verdict, the reason and the
//! audit row out.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_codec::pdu::builder::{Notification, notification_ind};
use mms_codec::pdu::content_type::{ContentType, MediaType};
use mms_codec::pdu::{ClassToken, Header, MessageClass, TimeValue};
use mms_codec::push::*;
use mms_decisions::audit::{AuditOutcome, MemoryAudit};
use mms_decisions::clock::ManualClock;
use mms_decisions::push::*;
use std::sync::Arc;

const MMSC: &str = "http://mmsc.op.example:8002/mms/";
pub(crate) const PPG: &str = "+447785016005";
const NOW: u64 = 1_750_000_000;

pub(crate) struct Rig {
    pub(crate) handler: PushHandler,
    audit: Arc<MemoryAudit>,
    clock: Arc<ManualClock>,
}

fn rig_with(policy: PushPolicy) -> Rig {
    let audit = Arc::new(MemoryAudit::new(1_000_000));
    let clock = Arc::new(ManualClock::new(NOW));
    let v = PushValidator::new(policy, clock.clone(), audit.clone());
    Rig {
        handler: PushHandler::new(v, ReassemblyLimits::default(), clock.clone(), audit.clone()),
        audit,
        clock,
    }
}

fn policy() -> PushPolicy {
    PushPolicy {
        mmsc_url: Some(MMSC.into()),
        trusted_origins: vec![PPG.into()],
        sir_gateways: vec!["10.0.0.5".into()],
        ..PushPolicy::default()
    }
}

pub(crate) fn rig() -> Rig {
    rig_with(policy())
}

pub(crate) fn notif(tid: &str, location: &str) -> Vec<u8> {
    notification_ind(&Notification {
        transaction_id: tid,
        from: Some("+15550001"),
        subject: Some("hi"),
        size: 30_000,
        expiry: TimeValue::Relative(3 * 86_400),
        content_location: location,
        class: ClassToken::Personal,
        delivery_report: false,
    })
    .encode()
    .unwrap()
}

/// The notification as a WSP push, segmented into SMS TPDUs and fed to the handler.
fn over_sms(r: &Rig, origin: &str, wsp: &[u8], reference: u16) -> PushVerdict {
    let tpdus = build_deliver_tpdus(origin, wsp, PORT_PUSH, reference);
    let mut last = None;
    for t in &tpdus {
        last = r.handler.handle_sms(t, true);
    }
    last.expect("the last segment completes the push")
}

pub(crate) fn platform(r: &Rig, origin: &str, wsp: &[u8]) -> PushVerdict {
    r.handler.handle_platform(origin, Some(PORT_PUSH), wsp)
}

#[test]
fn push_1_spoofed_content_locations_are_rejected() {
    let spoofed = [
        "http://evil.test/mms/x",
        "http://mmsc.op.example@evil.test/mms/x",
        "http://mmsc.op.example:8002@evil.test/mms/x",
        "http://mmsc.op.example.evil.test:8002/mms/x",
        "http://evil.test#@mmsc.op.example:8002/mms/x",
        "http://mmsc.op.example%2eevil.test:8002/mms/x",
        "http://xn--mmsc-op-8oa.example:8002/mms/x",
        "http://ｍｍｓｃ.op.example:8002/mms/x",
        "http://3232235777:8002/mms/x",
        "http://0300.0250.0.1:8002/mms/x",
        "http://0xc0.0xa8.0.1:8002/mms/x",
        "http://[::ffff:c0a8:101]:8002/mms/x",
        "http://127.0.0.1:8002/mms/x",
        "http://mmsc.op.example:8002\\@evil.test/mms/x",
        "http://mmsc.op.example:8002/mms/../admin",
        "http://mmsc.op.example:8002/mms/%2e%2e/admin",
        "http://mmsc.op.example:8002/mms/./x",
        "http://mmsc.op.example:8003/mms/x",
        "http://mmsc.op.example/mms/x",
        "https://mmsc.op.example:8002/mms/x",
        "ftp://mmsc.op.example:8002/mms/x",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://mmsc.op.example:8002/other/x",
        "http://mmsc.op.example:8002/mmsevil/x",
        " http://evil.test/mms/x",
        "http://mmsc.op.example:8002/mms/x http://evil.test/",
        "http://mmsc.op.example:8002/mms/x\r\nHost: evil.test",
        "http://user:pass@mmsc.op.example:8002/mms/x",
        "http://mmsc.op.exampIe:8002/mms/x",
        "//evil.test/mms/x",
        "http://evil.test/?http://mmsc.op.example:8002/mms/",
        "http://mmsc.op.example:8002/mms/\u{202e}x",
    ];
    assert!(spoofed.len() >= 30);
    let r = rig();
    for (i, loc) in spoofed.iter().enumerate() {
        let wsp = encode_mms_push(i as u8, &notif(&format!("T{i}"), loc));
        // Every fifth one over the SMS bearer, the rest as the platform hands them over.
        let v = if i % 5 == 0 {
            over_sms(&r, PPG, &wsp, i as u16)
        } else {
            platform(&r, PPG, &wsp)
        };
        assert_eq!(
            v.verdict,
            Verdict::Reject,
            "{loc:?} was not rejected: {v:?}"
        );
        assert!(
            matches!(
                v.reason,
                PushReason::SpoofedLocation | PushReason::Malformed
            ),
            "{loc:?}: {:?}",
            v.reason
        );
        assert!(!v.auto_download);
        assert_eq!(v.content, PushContent::None, "nothing to fetch for {loc:?}");
        let row = v.audit.expect("audit row");
        assert_eq!(row.outcome, AuditOutcome::Rejected);
    }
    assert_eq!(
        r.audit.with_reason("spoofed_content_location").len()
            + r.audit.with_reason("malformed").len(),
        spoofed.len()
    );
    assert!(
        r.audit
            .rows()
            .iter()
            .all(|row| row.threat.as_deref() == Some("PUSH-1") || row.reason == "malformed")
    );
}

#[test]
fn push_1_legitimate_location_variants_pass() {
    let legit = [
        "http://mmsc.op.example:8002/mms/x",
        "http://MMSC.OP.EXAMPLE:8002/mms/x",
        "HTTP://mmsc.op.example:8002/mms/x",
        "http://mmsc.op.example:8002/mms/x?tid=123&u=1",
        "http://mmsc.op.example:8002/mms/",
        " http://mmsc.op.example:8002/mms/x ",
        "http://mmsc.op.example:8002/mms/a/b/c.mms",
        "http://mmsc.op.example:8002/mms/x#frag",
        "http://mmsc.op.example:08002/mms/x",
        "http://mmsc.op.example:8002/mms/%41bc",
    ];
    let r = rig();
    for (i, loc) in legit.iter().enumerate() {
        let wsp = encode_mms_push(i as u8, &notif(&format!("L{i}"), loc));
        let v = if i % 3 == 0 {
            over_sms(&r, PPG, &wsp, 100 + i as u16)
        } else {
            platform(&r, PPG, &wsp)
        };
        assert_eq!(v.verdict, Verdict::Accept, "{loc:?}: {v:?}");
        assert!(v.auto_download);
        let PushContent::Notification(n) = &v.content else {
            panic!()
        };
        assert!(
            n.content_location
                .starts_with("http://mmsc.op.example:8002/mms/"),
            "{}",
            n.content_location
        );
        assert_eq!(n.transaction_id, format!("L{i}"));
    }
    assert!(r.audit.is_empty());
    // An MMSC on the default port accepts the explicit default port.
    let r = rig_with(PushPolicy {
        mmsc_url: Some("http://mms.op2.example/".into()),
        ..policy()
    });
    let v = platform(
        &r,
        PPG,
        &encode_mms_push(1, &notif("P", "http://mms.op2.example:80/m/1")),
    );
    assert_eq!(v.verdict, Verdict::Accept);
}

#[test]
fn tls_2_https_mmsc_refuses_http_locations() {
    let r = rig_with(PushPolicy {
        mmsc_url: Some("https://mmsc.op.example/mms/".into()),
        ..policy()
    });
    let v = platform(
        &r,
        PPG,
        &encode_mms_push(1, &notif("T", "http://mmsc.op.example/mms/x")),
    );
    assert_eq!(
        (v.verdict, v.reason),
        (Verdict::Reject, PushReason::TlsDowngrade)
    );
    assert_eq!(v.audit.unwrap().threat.as_deref(), Some("TLS-2"));
    let v = platform(
        &r,
        PPG,
        &encode_mms_push(2, &notif("T2", "https://mmsc.op.example/mms/x")),
    );
    assert_eq!(v.verdict, Verdict::Accept);
}

/// SL: `<sl href="http://www.{host}"/>` in WBXML (WAP-168 tokens).
fn sl_wbxml(host_path: &str, action_high: bool) -> Vec<u8> {
    let mut b = vec![0x02, 0x06, 0x6a, 0x00, 0x85];
    if action_high {
        b.push(0x06);
    }
    b.push(0x09); // href="http://"
    b.push(0x03);
    b.extend_from_slice(host_path.as_bytes());
    b.push(0x00);
    b.push(0x01); // end of attributes; <sl> has no content
    b
}

pub(crate) fn si_wbxml(href: &str, text: &str, action: u8) -> Vec<u8> {
    let mut b = vec![0x02, 0x05, 0x6a, 0x00, 0x45, 0xc6, action, 0x0c, 0x03];
    b.extend_from_slice(href.as_bytes());
    b.extend_from_slice(&[0x00, 0x11, 0x03]);
    b.extend_from_slice(b"id-1\0");
    b.push(0x01); // end of attributes
    b.push(0x03);
    b.extend_from_slice(text.as_bytes());
    b.push(0x00);
    b.extend_from_slice(&[0x01, 0x01]);
    b
}

pub(crate) fn push_of(code: u8, body: &[u8]) -> Vec<u8> {
    encode_push(3, &ContentType::new(MediaType::WellKnown(code)), None, body).unwrap()
}

#[test]
fn push_2_service_loading_is_never_loaded() {
    let r = rig();
    let evil = push_of(0x30, &sl_wbxml("evil.test/payload.apk", true));
    let v = platform(&r, "+15559999", &evil);
    assert_eq!(
        (v.verdict, v.reason),
        (Verdict::Reject, PushReason::ServiceLoadingRefused)
    );
    assert_eq!(v.audit.as_ref().unwrap().threat.as_deref(), Some("PUSH-2"));
    // Even from the trusted origin, a foreign href is refused.
    let v = platform(&r, PPG, &evil);
    assert_eq!(v.verdict, Verdict::Reject);
    // Trusted and on the MMSC: surfaced to the user only, never loaded.
    let ok = push_of(0x30, &sl_wbxml("mmsc.op.example:8002/mms/info", true));
    let v = platform(&r, PPG, &ok);
    assert_eq!(v.verdict, Verdict::AcceptUnverified);
    assert!(!v.auto_download);
    let PushContent::ServiceLoading(sl) = &v.content else {
        panic!("{v:?}")
    };
    assert_eq!(sl.href, "http://mmsc.op.example:8002/mms/info");
    assert_eq!(sl.action, "execute-high");
}

#[test]
fn push_3_service_indication_actions_need_a_trusted_origin() {
    let r = rig();
    let si = push_of(
        0x2e,
        &si_wbxml("evil.test/login", "Your account is locked", 0x08),
    );
    let v = platform(&r, "+15559999", &si);
    assert_eq!(
        (v.verdict, v.reason),
        (
            Verdict::AcceptUnverified,
            PushReason::ServiceIndicationUntrusted
        )
    );
    let PushContent::ServiceIndication {
        si: s,
        action_allowed,
        href_on_mmsc,
    } = &v.content
    else {
        panic!()
    };
    assert_eq!(s.action, "signal-high");
    assert_eq!(s.text, "Your account is locked");
    assert_eq!(s.href.as_deref(), Some("http://evil.test/login"));
    assert!(!action_allowed && !href_on_mmsc);
    assert_eq!(v.audit.unwrap().threat.as_deref(), Some("PUSH-3"));
    let del = push_of(
        0x2e,
        &si_wbxml("mmsc.op.example:8002/mms/x", "cleanup", 0x09),
    );
    let v = platform(&r, PPG, &del);
    let PushContent::ServiceIndication {
        si: s,
        action_allowed,
        href_on_mmsc,
    } = &v.content
    else {
        panic!()
    };
    assert_eq!(s.action, "delete");
    assert!(*action_allowed && *href_on_mmsc);
}

fn sia(addr: [u8; 4], port: u16) -> Vec<u8> {
    // version 0, one app id (4 = mms.ua), one contact point: IPv4 bearer + port.
    let mut b = vec![0x00, 0x01, 0x84];
    b.push(1 + 1 + 2 + 4);
    b.push(0x80 | 0x40 | 4);
    b.push(0x00);
    b.extend_from_slice(&port.to_be_bytes());
    b.extend_from_slice(&addr);
    b
}

#[test]
fn push_4_sir_only_to_whitelisted_gateways() {
    let r = rig();
    let v = platform(&r, PPG, &push_of(0x34, &sia([10, 9, 9, 9], 9201)));
    assert_eq!(
        (v.verdict, v.reason),
        (Verdict::Reject, PushReason::GatewayNotWhitelisted)
    );
    assert!(v.detail.contains("10.9.9.9"));
    assert_eq!(v.audit.unwrap().threat.as_deref(), Some("PUSH-4"));
    let v = platform(&r, PPG, &push_of(0x34, &sia([10, 0, 0, 5], 9201)));
    assert_eq!(v.verdict, Verdict::Accept);
    let PushContent::SessionInitiation(s) = &v.content else {
        panic!()
    };
    assert_eq!(s.contact_points[0].address, "10.0.0.5");
    assert_eq!(s.contact_points[0].port, Some(9201));
}

#[test]
fn push_5_untrusted_origins_are_never_auto_downloaded() {
    let r = rig();
    let wsp = encode_mms_push(1, &notif("U1", "http://mmsc.op.example:8002/mms/u1"));
    let v = over_sms(&r, "+15551234567", &wsp, 7);
    assert_eq!(
        (v.verdict, v.reason),
        (Verdict::AcceptUnverified, PushReason::UntrustedOrigin)
    );
    assert!(!v.auto_download && !v.trusted_origin);
    assert!(matches!(v.content, PushContent::Notification(_)));
    assert_eq!(v.audit.unwrap().threat.as_deref(), Some("PUSH-5"));
    // The same origin in national/international spellings is recognised.
    let v = platform(
        &r,
        "00447785016005",
        &encode_mms_push(2, &notif("U2", "http://mmsc.op.example:8002/mms/u2")),
    );
    assert_eq!(v.verdict, Verdict::Accept);
    // A policy that rejects instead of marking.
    let r = rig_with(PushPolicy {
        reject_untrusted: true,
        ..policy()
    });
    let v = platform(&r, "+15551234567", &wsp);
    assert_eq!(
        (v.verdict, v.reason),
        (Verdict::Reject, PushReason::UntrustedOrigin)
    );
    assert_eq!(v.content, PushContent::None);
}

#[test]
fn push_6_duplicates_are_suppressed() {
    let r = rig();
    let wsp = encode_mms_push(1, &notif("D1", "http://mmsc.op.example:8002/mms/d1"));
    assert_eq!(platform(&r, PPG, &wsp).verdict, Verdict::Accept);
    let v = platform(&r, PPG, &wsp);
    assert_eq!(
        (v.verdict, v.reason),
        (Verdict::Reject, PushReason::Duplicate)
    );
    assert_eq!(v.audit.unwrap().threat.as_deref(), Some("PUSH-6"));
}

#[test]
fn push_6_a_duplicate_repeats_both_tid_and_location_and_is_forgotten_past_the_bound() {
    let r = rig_with(PushPolicy {
        dedupe_capacity: 4,
        ..policy()
    });
    let push = |tid: &str, loc: &str| {
        let wsp = encode_mms_push(
            1,
            &notif(tid, &format!("http://mmsc.op.example:8002/mms/{loc}")),
        );
        platform(&r, PPG, &wsp).reason
    };
    assert_eq!(push("T1", "a"), PushReason::Ok);
    // The same transaction at another location, another transaction at the same location: new.
    assert_eq!(push("T1", "b"), PushReason::Ok);
    assert_eq!(push("T2", "a"), PushReason::Ok);
    // The boundary between the two is part of what is remembered.
    assert_eq!(push("T1a", ""), PushReason::Ok);
    assert_eq!(push("T1", "a"), PushReason::Duplicate);
    // Four newer pairs push the first out of a table of four: it is new again.
    for i in 0..4 {
        assert_eq!(push(&format!("N{i}"), "n"), PushReason::Ok);
    }
    assert_eq!(push("T1", "a"), PushReason::Ok);
    assert_eq!(r.handler.validator().stats().dedupe_entries, 4);
}

#[test]
fn push_6_flood_of_100000_pushes_from_1000_origins_stays_bounded() {
    let r = rig();
    let mut legit_ok = 0;
    let mut legit_deferred = 0;
    let mut rejected = 0u64;
    for i in 0..100_000u32 {
        if i % 100 == 0 {
            r.clock.advance(1);
        }
        let origin = format!("+1555{:07}", i % 1000);
        if i % 1000 == 999 {
            // The whitelisted PPG's real notification, over SMS, in the middle of the flood.
            let tid = format!("LEGIT{i}");
            let wsp = encode_mms_push(
                9,
                &notif(&tid, &format!("http://mmsc.op.example:8002/mms/{tid}")),
            );
            let v = over_sms(&r, PPG, &wsp, (i % 60000) as u16);
            match v.verdict {
                Verdict::Accept => legit_ok += 1,
                Verdict::Defer => {
                    assert_eq!(v.reason, PushReason::FloodPaused);
                    legit_deferred += 1;
                }
                other => panic!(
                    "legitimate notification {tid} lost: {other:?} {:?}",
                    v.reason
                ),
            }
            assert!(matches!(v.content, PushContent::Notification(_)));
            continue;
        }
        if i % 10 == 0 {
            // Half of a two-segment message that never completes: reassembly must stay bounded.
            let big = encode_mms_push(1, &[0u8; 200]);
            let tpdus = build_deliver_tpdus(&origin, &big, PORT_PUSH, i as u16);
            assert_eq!(tpdus.len(), 2);
            // Waits for its second half, or is refused once the origin has too many pending.
            if let Some(v) = r.handler.handle_sms(&tpdus[0], true) {
                assert_eq!(v.verdict, Verdict::Reject);
            }
            continue;
        }
        let wsp = encode_mms_push(1, &notif(&format!("F{i}"), "http://evil.test/x"));
        let v = platform(&r, &origin, &wsp);
        assert_eq!(v.verdict, Verdict::Reject);
        rejected += 1;
        if i % 5000 == 0 {
            let s = r.handler.validator().stats();
            assert!(s.tracked_origins <= 256, "{s:?}");
            assert!(s.dedupe_entries <= 4096);
            assert!(r.handler.pending_reassemblies() <= 64);
            assert!(r.handler.held_bytes() <= 64 * 140);
        }
    }
    assert_eq!(
        legit_ok + legit_deferred,
        100,
        "every legitimate notification got through"
    );
    assert!(rejected > 80_000);
    assert!(
        r.audit.with_reason("rate_limited").len() > 50_000,
        "most of the flood is rate limited"
    );
    // The flood stops; after the cool-down auto-download resumes.
    r.clock.advance(600);
    let wsp = encode_mms_push(9, &notif("AFTER", "http://mmsc.op.example:8002/mms/after"));
    let v = over_sms(&r, PPG, &wsp, 65000);
    assert_eq!(v.verdict, Verdict::Accept);
    assert!(v.auto_download);
    assert!(!r.handler.validator().stats().flooded);
}

fn notif_with(tid: &str, f: impl FnOnce(&mut mms_codec::pdu::Pdu<'static>)) -> Vec<u8> {
    let mut p = notification_ind(&Notification {
        transaction_id: tid,
        from: None,
        subject: None,
        size: 1000,
        expiry: TimeValue::Relative(3600),
        content_location: "http://mmsc.op.example:8002/mms/s",
        class: ClassToken::Personal,
        delivery_report: false,
    });
    f(&mut p);
    encode_mms_push(1, &p.encode().unwrap())
}

#[test]
fn push_7_insane_notification_fields() {
    let r = rig();
    let set = |h: Header<'static>| {
        move |p: &mut mms_codec::pdu::Pdu<'static>| {
            let f = h.field();
            p.headers.retain(|x| x.field() != f);
            p.headers.push(h);
        }
    };
    let cases: Vec<(Vec<u8>, Verdict, PushReason)> = vec![
        (
            notif_with("S1", set(Header::Expiry(TimeValue::Absolute(NOW - 10)))),
            Verdict::Reject,
            PushReason::Expired,
        ),
        (
            notif_with("S2", set(Header::Expiry(TimeValue::Absolute(0)))),
            Verdict::Reject,
            PushReason::Expired,
        ),
        (
            notif_with(
                "S3",
                set(Header::Expiry(TimeValue::Relative(10 * 365 * 86_400))),
            ),
            Verdict::Defer,
            PushReason::ExpiryTooFar,
        ),
        (
            notif_with("S4", set(Header::MessageSize(50 * 1024 * 1024))),
            Verdict::Defer,
            PushReason::TooLarge,
        ),
        (
            notif_with(
                "S5",
                set(Header::MessageClass(MessageClass::Token(
                    ClassToken::Unknown(0x9f),
                ))),
            ),
            Verdict::Defer,
            PushReason::UnknownClass,
        ),
        (
            notif_with("S6", |p| {
                p.headers.retain(|h| !matches!(h, Header::TransactionId(_)))
            }),
            Verdict::Reject,
            PushReason::MissingTransactionId,
        ),
        (
            notif_with("S7", |p| {
                p.headers
                    .retain(|h| !matches!(h, Header::ContentLocation(_)))
            }),
            Verdict::Reject,
            PushReason::MissingLocation,
        ),
    ];
    for (i, (wsp, verdict, reason)) in cases.into_iter().enumerate() {
        r.clock.advance(60); // stay under the trusted origin's rate
        let v = platform(&r, PPG, &wsp);
        assert_eq!((v.verdict, v.reason), (verdict, reason), "case {i}");
        assert!(!v.auto_download);
        assert_eq!(
            v.audit.unwrap().threat.as_deref(),
            Some("PUSH-7"),
            "case {i}"
        );
    }
}

#[test]
fn push_8_malformed_bytes_at_every_layer() {
    let r = rig();
    let good = encode_mms_push(1, &notif("M1", "http://mmsc.op.example:8002/mms/m1"));
    let tpdus = build_deliver_tpdus(PPG, &good, PORT_PUSH, 5);
    // SMS layer: truncated TPDU; concatenation seq > total; 7-bit data coding.
    let cut = &tpdus[0][..tpdus[0].len() - 40];
    let v = r.handler.handle_sms(cut, true).unwrap();
    assert_eq!(
        (v.verdict, v.reason),
        (Verdict::Reject, PushReason::Malformed)
    );
    // Offsets for origin +447785016005: SMSC (8), first octet (1), OA (2 + 6), PID (1).
    let dcs = 8 + 1 + 8 + 1;
    let udhl = dcs + 1 + 7 + 1;
    let long = encode_mms_push(
        1,
        &notif(&"Y".repeat(150), "http://mmsc.op.example:8002/mms/y"),
    );
    let mut bad_seq = build_deliver_tpdus(PPG, &long, PORT_PUSH, 6)[0].clone();
    assert_eq!(&bad_seq[udhl..udhl + 3], &[12, 0x05, 0x04]);
    assert_eq!(bad_seq[udhl + 7], 0x08);
    bad_seq[udhl + 12] = 9; // segment 9 of 2
    assert_eq!(
        r.handler.handle_sms(&bad_seq, true).unwrap().reason,
        PushReason::Malformed
    );
    let mut seven_bit = tpdus[0].clone();
    assert_eq!(seven_bit[dcs], 0x04);
    seven_bit[dcs] = 0x00;
    assert_eq!(
        r.handler.handle_sms(&seven_bit, true).unwrap().reason,
        PushReason::Malformed
    );
    // Conflicting segments: the half-built message is discarded, nothing half-stored.
    let big = encode_mms_push(
        1,
        &notif(&"X".repeat(150), "http://mmsc.op.example:8002/mms/big"),
    );
    let segs = build_deliver_tpdus("+15550007", &big, PORT_PUSH, 77);
    assert!(segs.len() >= 2);
    assert!(r.handler.handle_sms(&segs[0], true).is_none());
    assert_eq!(r.handler.pending_reassemblies(), 1);
    assert!(
        r.handler.handle_sms(&segs[0], true).is_none(),
        "an identical duplicate is ignored"
    );
    let mut other = segs[0].clone();
    let n = other.len();
    other[n - 1] ^= 0xff;
    assert_eq!(
        r.handler.handle_sms(&other, true).unwrap().reason,
        PushReason::Malformed
    );
    assert_eq!(r.handler.pending_reassemblies(), 0);
    // WSP layer: headers length past the end; MMS layer: garbage; WBXML layer: bad string table.
    let v = platform(&r, PPG, &[0x01, 0x06, 0x7f, 0xbe]);
    assert_eq!(v.reason, PushReason::Malformed);
    let v = platform(&r, PPG, &encode_mms_push(1, b"This is not an MMS PDU"));
    assert_eq!(v.reason, PushReason::Malformed);
    let v = platform(
        &r,
        PPG,
        &push_of(0x2e, &[0x02, 0x05, 0x6a, 0x00, 0x45, 0x83, 0x7f, 0x01]),
    );
    assert_eq!(v.reason, PushReason::Malformed);
    let v = platform(
        &r,
        PPG,
        &push_of(
            0x30,
            &[
                0x02, 0x06, 0x6a, 0x05, b'a', b'b', b'c', 0, 0, 0x85, 0x08, 0x83, 0x40, 0x01,
            ],
        ),
    );
    assert_eq!(
        v.reason,
        PushReason::Malformed,
        "string table reference past its end"
    );
    assert!(
        r.audit
            .rows()
            .iter()
            .all(|row| row.outcome == AuditOutcome::Rejected)
    );
    let n = r
        .audit
        .rows()
        .iter()
        .filter(|row| row.threat.as_deref() == Some("PUSH-8"))
        .count();
    assert_eq!(n, 8, "{:#?}", r.audit.rows());
}

#[test]
fn routing_by_content_type_and_port() {
    let r = rig();
    // A push for another application.
    let v = platform(&r, PPG, &push_of(0x03, b"hello"));
    assert_eq!(
        (v.verdict, v.reason),
        (Verdict::Reject, PushReason::NotForUs)
    );
    // An MMS notification on a non-push port.
    let wsp = encode_mms_push(1, &notif("R1", "http://mmsc.op.example:8002/mms/r1"));
    let v = r.handler.handle_udp(PPG, 9200, &wsp);
    assert_eq!(v.reason, PushReason::WrongPort);
    let v = r.handler.handle_udp(PPG, 2948, &wsp);
    assert_eq!(v.verdict, Verdict::Accept);
    // Provisioning is handed over with its SEC/MAC parameters and channel.
    let ct = ContentType::new(MediaType::WellKnown(0x36))
        .with(0x11, mms_codec::pdu::ParamValue::Integer(1))
        .with(
            0x12,
            mms_codec::pdu::ParamValue::Text(mms_codec::pdu::Text::from("ABCDEF")),
        );
    let v = platform(&r, PPG, &encode_push(1, &ct, None, &[1, 2, 3]).unwrap());
    assert_eq!(v.reason, PushReason::HandedToProvisioning);
    let PushContent::Provisioning {
        sec,
        mac,
        body,
        channel,
    } = &v.content
    else {
        panic!()
    };
    assert_eq!(
        (*sec, mac.as_deref(), body.as_slice()),
        (Some(1), Some("ABCDEF"), [1u8, 2, 3].as_slice())
    );
    assert!(channel.is_push_port());
}

/// PUSH-1 against an MMSC addressed by an IPv4 literal (common in carrier settings): only the
/// canonical dotted-decimal form of that address passes; every other spelling of it, and dot
/// segments in any mix of `.` and `%2e`, are refused with their own reason.
#[test]
fn push_1_an_ip_literal_mmsc_accepts_only_its_canonical_spelling() {
    let mmsc = url::Url::parse("http://10.1.2.3:8002/mms/").unwrap();
    let ok = check_location("http://10.1.2.3:8002/mms/x", &mmsc).unwrap();
    assert_eq!(ok.as_str(), "http://10.1.2.3:8002/mms/x");
    for (loc, want) in [
        (
            "http://010.1.2.3:8002/mms/x",
            LocationProblem::ObfuscatedHost,
        ),
        (
            "http://0xa.1.2.3:8002/mms/x",
            LocationProblem::ObfuscatedHost,
        ),
        (
            "http://167838211:8002/mms/x",
            LocationProblem::ObfuscatedHost,
        ),
        (
            "http://10.1.515:8002/mms/x",
            LocationProblem::ObfuscatedHost,
        ),
        (
            "http://10.1.2.03:8002/mms/x",
            LocationProblem::ObfuscatedHost,
        ),
        ("http://10.1.2.4:8002/mms/x", LocationProblem::ForeignHost),
        (
            "http://10.1.2.3:8002/mms/.%2E/x",
            LocationProblem::DotSegments,
        ),
        (
            "http://10.1.2.3:8002/mms/%2E/x",
            LocationProblem::DotSegments,
        ),
        (
            "http://10.1.2.3:8002/mms/%2e./x",
            LocationProblem::DotSegments,
        ),
    ] {
        assert_eq!(check_location(loc, &mmsc).unwrap_err(), want, "{loc}");
    }
    // Segments that only look like dots are ordinary names.
    for loc in [
        "http://10.1.2.3:8002/mms/...",
        "http://10.1.2.3:8002/mms/.x",
        "http://10.1.2.3:8002/mms/%2e%2e%2e",
        "http://10.1.2.3:8002/mms/%2ex",
    ] {
        assert!(check_location(loc, &mmsc).is_ok(), "{loc}");
    }
}
