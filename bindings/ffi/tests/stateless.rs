//! The stateless helpers of the bindings, called as Rust: PDU decoding with typed errors and
//! offsets, and push checks against a policy (PUSH-1, PUSH-5).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mms_core::pdu::builder::{Notification, notification_ind};
use mms_core::pdu::{ClassToken, TimeValue};
use mms_core::push::encode_mms_push;

fn push(location: &str) -> Vec<u8> {
    let n = notification_ind(&Notification {
        transaction_id: "T1",
        from: Some("+15550100"),
        subject: None,
        size: 1000,
        expiry: TimeValue::Relative(3600),
        content_location: location,
        class: ClassToken::Personal,
        delivery_report: false,
    });
    encode_mms_push(1, &n.encode().unwrap())
}

#[test]
fn push_1_check_push_rejects_a_foreign_location_and_accepts_the_mmsc() {
    let mmsc = "http://mmsc.example/mms";
    let trusted = vec!["+15550199".to_string()];
    let spoofed = mms_ffi::check_push(
        "+15550199".into(),
        push("http://evil.example/x"),
        mmsc.into(),
        trusted.clone(),
    );
    assert_eq!(spoofed.verdict, "reject");
    assert_eq!(spoofed.reason, "spoofed_content_location");
    assert_eq!(spoofed.threat.as_deref(), Some("PUSH-1"));
    let good = mms_ffi::check_push(
        "+15550199".into(),
        push("http://mmsc.example/mms/m/abc"),
        mmsc.into(),
        trusted,
    );
    assert_eq!(good.verdict, "accept");
    assert!(good.auto_download);
    // PUSH-5: the same push from an origin that is not the operator's gateway.
    let stranger = mms_ffi::check_push(
        "+15559999".into(),
        push("http://mmsc.example/mms/m/abc"),
        mmsc.into(),
        vec!["+15550199".into()],
    );
    assert_ne!(stranger.verdict, "accept");
    assert!(!stranger.auto_download);
}

#[test]
fn decode_pdu_reports_where_decoding_stopped() {
    let bytes = push("http://mmsc.example/mms/m/abc");
    // The WSP push header is not an MMS PDU: the decoder names the offset it stopped at.
    match mms_ffi::decode_pdu(bytes[..5].to_vec()) {
        Err(mms_ffi::CodecError::Malformed { offset, reason }) => {
            assert!(offset <= 5, "offset {offset}");
            assert!(!reason.is_empty());
        }
        Ok(s) => panic!("decoded a truncated push as {}", s.message_type),
    }
}

/// Replays the committed `ffi_decode` fuzz corpus and its regressions through the same checks
/// the fuzz target runs.
#[test]
fn ffi_decode_corpus_replays() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut n = 0;
    for kind in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(kind).join("ffi_decode")) else {
            continue;
        };
        for e in entries.flatten() {
            let data = std::fs::read(e.path()).unwrap();
            let r = std::panic::catch_unwind(|| mms_ffi::fuzz_stateless(&data));
            assert!(r.is_ok(), "{} broke an invariant", e.path().display());
            n += 1;
        }
    }
    assert!(n >= 10, "only {n} inputs for ffi_decode");
}
