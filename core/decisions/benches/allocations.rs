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
#[path = "support/notification.rs"]
mod notification;

use notification::PPG;

use mms_codec::provisioning::decode_wbxml;
use mms_codec::push::PORT_PUSH;
use mms_decisions::audit::MemoryAudit;
use mms_decisions::clock::ManualClock;
use mms_decisions::provisioning::*;
use mms_decisions::push::{Bearer, PushChannel, PushValidator, Verdict};
use std::sync::Arc;

fn report(what: &str, f: impl FnOnce()) {
    let info = allocation_counter::measure(f);
    println!(
        "{what}: {} allocations, peak {} bytes",
        info.count_total, info.bytes_max
    );
}

fn main() {
    let policy = notification::policy();
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
        v.check(PPG, channel, &notification::push("WARM")).verdict,
        Verdict::Accept
    );
    let push = notification::push("TID00000001");
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
