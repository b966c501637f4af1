//! Heap allocations per call, counted by a counting global allocator (`allocation-counter`,
//! per thread) around one call made after a warm-up call: an accepted MMS notification verdict
//! (the same push as `push_verdict`), the WBXML decode of the provisioning document of
//! `cp_verify`, and its whole verification. `cargo bench -p mms-decisions --bench allocations`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/cp_document.rs"]
mod cp_document;

use mms_codec::pdu::builder::{Notification, notification_ind};
use mms_codec::pdu::{ClassToken, TimeValue};
use mms_codec::provisioning::decode_wbxml;
use mms_codec::push::{PORT_PUSH, encode_mms_push};
use mms_decisions::audit::MemoryAudit;
use mms_decisions::clock::ManualClock;
use mms_decisions::provisioning::*;
use mms_decisions::push::{Bearer, PushChannel, PushPolicy, PushValidator, Verdict};
use std::sync::Arc;

const PPG: &str = "+447785016005";

fn notification(tid: &str) -> Vec<u8> {
    let loc = format!("http://mmsc.op.example:8002/mms/{tid}");
    let n = notification_ind(&Notification {
        transaction_id: tid,
        from: Some("+15550001"),
        subject: Some("Holiday photos"),
        size: 87_000,
        expiry: TimeValue::Relative(3 * 86_400),
        content_location: &loc,
        class: ClassToken::Personal,
        delivery_report: true,
    });
    encode_mms_push(1, &n.encode().unwrap())
}

fn report(what: &str, f: impl FnOnce()) {
    let info = allocation_counter::measure(f);
    println!(
        "{what}: {} allocations, peak {} bytes",
        info.count_total, info.bytes_max
    );
}

fn main() {
    let policy = PushPolicy {
        mmsc_url: Some("http://mmsc.op.example:8002/mms/".into()),
        trusted_origins: vec![PPG.into()],
        trusted_burst: u32::MAX,
        dedupe_capacity: 16_384,
        ..PushPolicy::default()
    };
    let v = PushValidator::new(
        policy,
        Arc::new(ManualClock::new(1_750_000_000)),
        Arc::new(MemoryAudit::new(16)),
    );
    let channel = PushChannel {
        bearer: Bearer::Platform,
        dst_port: Some(PORT_PUSH),
    };
    assert_eq!(
        v.check(PPG, channel, &notification("WARM")).verdict,
        Verdict::Accept
    );
    let push = notification("TID00000001");
    report("accepted MMS notification verdict", || {
        assert_eq!(v.check(PPG, channel, &push).verdict, Verdict::Accept);
    });

    let body = cp_document::document(500);
    let creds = Credentials {
        imsi: None,
        pin: Some(Secret::new("1234")),
    };
    let input = ProvisioningInput {
        origin: "+886935000000".into(),
        source: ProvisioningSource::Push(PushChannel {
            bearer: Bearer::Sms,
            dst_port: Some(PORT_PUSH),
        }),
        sec: Some(1),
        mac: Some(compute_mac(SecMethod::Userpin, &body, &creds).unwrap()),
        body: body.clone(),
    };
    let p = Provisioner::new(
        ProvisioningPolicy {
            trusted_origins: vec!["+886935000000".into()],
            ..ProvisioningPolicy::default()
        },
        Arc::new(MemorySettings::with(None)),
        Arc::new(MemoryAttempts::default()),
        Arc::new(ManualClock::new(1_750_000_000)),
        Arc::new(MemoryAudit::new(64)),
    );
    assert!(p.verify(&input, &creds).is_ok());
    println!("provisioning document: {} octets of WBXML", body.len());
    report("WBXML decode of the provisioning document", || {
        assert!(decode_wbxml(&body).is_ok());
    });
    report("USERPIN provisioning verification", || {
        assert!(p.verify(&input, &creds).is_ok());
    });
}
