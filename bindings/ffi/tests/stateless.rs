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
    assert_eq!(spoofed.verdict, mms_ffi::Verdict::Reject);
    assert_eq!(spoofed.reason, "spoofed_content_location");
    assert_eq!(spoofed.threat.as_deref(), Some("PUSH-1"));
    let good = mms_ffi::check_push(
        "+15550199".into(),
        push("http://mmsc.example/mms/m/abc"),
        mmsc.into(),
        trusted,
    );
    assert_eq!(good.verdict, mms_ffi::Verdict::Accept);
    assert!(good.auto_download);
    // PUSH-5: the same push from an origin that is not the operator's gateway.
    let stranger = mms_ffi::check_push(
        "+15559999".into(),
        push("http://mmsc.example/mms/m/abc"),
        mmsc.into(),
        vec!["+15550199".into()],
    );
    assert_ne!(stranger.verdict, mms_ffi::Verdict::Accept);
    assert!(!stranger.auto_download);
}

/// A provisioning document of our own (sets the MMSC to http://mmsc.kotlin.example/mms), as the
/// Kotlin suite's test data has it.
const CP_BODY: &str = "030b6a00c54503312e310001c650034150504c49434154494f4e000187050341505049440006037734000187050341444452000603687474703a2f2f6d6d73632e6b6f746c696e2e6578616d706c652f6d6d730001870503544f2d4e415049440006034e41505f4d4d53000101c650034e415044454600018705034e415049440006034e41505f4d4d5300018705034e41502d414444524553530006036d6d732e6b6f746c696e2e6578616d706c6500018705034e41502d414444525459504500060341504e00010101";

#[test]
fn ota_1_inspection_shows_the_settings_and_the_pin_need_before_any_trust() {
    use mms_core::pdu::content_type::param;
    use mms_core::pdu::{ContentType, ParamValue};
    let body = hex::decode(CP_BODY).unwrap();
    for (sec, needs_pin, method) in [(0u64, false, "NETWPIN"), (1, true, "USERPIN")] {
        let ct = ContentType::named("application/vnd.wap.connectivity-wbxml")
            .with(param::SEC, ParamValue::Integer(sec));
        let push = mms_core::push::encode_push(1, &ct, None, &body).unwrap();
        let i = mms_ffi::inspect_provisioning(push).unwrap();
        assert_eq!(i.method.as_deref(), Some(method));
        assert_eq!(i.needs_pin, needs_pin);
        assert_eq!(
            i.mmsc_url.as_deref(),
            Some("http://mmsc.kotlin.example/mms")
        );
        assert!(i.problem.is_none());
        assert!(i.xml.contains("mmsc.kotlin.example"));
    }
    // An MMS push is not a provisioning push.
    assert!(matches!(
        mms_ffi::inspect_provisioning(push("http://mmsc.example/mms/m/abc")),
        Err(mms_ffi::ProvisioningFailure::NotProvisioning { .. })
    ));
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
