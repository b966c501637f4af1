//! OMA CP verification throughput (criterion): a synthetic operator document (MMS
//! application, proxy, NAP with credentials; 632 octets: `cp_document::document(500)` pads to at
//! least 500 octets, and this document is longer unpadded) verified as the app does it, through
//! [`Provisioner::verify`] (origin and channel, SEC/MAC with HMAC-SHA1 in constant time, WBXML
//! decode, settings extraction, replay digest, the pending change and its audit row), for
//! USERPIN and NETWPIN. When the shared interop corpus is beside the project (or named by
//! `MMS_CORPUS_DIR`), also a real document: Chunghwa Telecom's 501-octet USERPIN document from
//! Mozilla's tests (public domain), with the MAC it came with (PIN 0000), and the same bytes
//! with a NETWPIN MAC computed here. `cargo bench -p mms-decisions --bench cp_verify`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/cp_document.rs"]
mod cp_document;

use criterion::{Criterion, Throughput};
use mms_codec::push::PORT_PUSH;
use mms_decisions::audit::MemoryAudit;
use mms_decisions::clock::ManualClock;
use mms_decisions::provisioning::*;
use mms_decisions::push::{Bearer, PushChannel};
use std::hint::black_box;
use std::sync::Arc;

const PPG: &str = "+886935000000";
const IMSI: &str = "466923103145252";
const PIN: &str = "1234";

fn provisioner() -> Provisioner {
    let clock = Arc::new(ManualClock::new(1_750_000_000));
    let audit = Arc::new(MemoryAudit::new(64));
    Provisioner::new(
        ProvisioningPolicy {
            trusted_origins: vec![PPG.into()],
            ..ProvisioningPolicy::default()
        },
        Arc::new(MemorySettings::with(None)),
        Arc::new(MemoryAttempts::default()),
        clock,
        audit,
    )
}

/// Chunghwa Telecom's document from the shared corpus, when it is there.
fn corpus_document() -> Option<Vec<u8>> {
    let dir = match std::env::var("MMS_CORPUS_DIR") {
        Ok(d) => std::path::PathBuf::from(d),
        Err(_) => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    };
    std::fs::read(dir.join("push/mozilla/cp_cht_codepage_userpin0000.wbxml")).ok()
}

fn main() {
    let body = cp_document::document(500);
    eprintln!("provisioning document: {} octets of WBXML", body.len());
    let channel = PushChannel {
        bearer: Bearer::Sms,
        dst_port: Some(PORT_PUSH),
    };
    let userpin = |pin: &str| Credentials {
        imsi: None,
        pin: Some(Secret::new(pin)),
    };
    let netwpin = || Credentials {
        imsi: Some(Secret::new(IMSI)),
        pin: None,
    };
    let mut cases = vec![
        ("userpin", 1, SecMethod::Userpin, userpin(PIN), body.clone()),
        ("netwpin", 0, SecMethod::Netwpin, netwpin(), body),
    ];
    match corpus_document() {
        Some(cht) => {
            eprintln!("Chunghwa document: {} octets of WBXML", cht.len());
            let mac = compute_mac(SecMethod::Userpin, &cht, &userpin("0000")).unwrap();
            assert_eq!(
                mac, "AA2DC41FC48AEEF3FED7351B1EE704461A8894D4",
                "the MAC it came with"
            );
            cases.push((
                "cht_userpin",
                1,
                SecMethod::Userpin,
                userpin("0000"),
                cht.clone(),
            ));
            cases.push(("cht_netwpin", 0, SecMethod::Netwpin, netwpin(), cht));
        }
        None => eprintln!("shared corpus not found: the Chunghwa document is not measured"),
    }
    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("cp_verify");
    g.throughput(Throughput::Elements(1));
    for (label, sec, method, creds, body) in cases {
        let mac = compute_mac(method, &body, &creds).unwrap();
        let input = ProvisioningInput {
            origin: PPG.into(),
            source: ProvisioningSource::Push(channel),
            sec: Some(sec),
            mac: Some(mac),
            body,
        };
        let p = provisioner();
        assert!(p.verify(&input, &creds).is_ok(), "{label} verifies");
        g.bench_function(label, |b| {
            b.iter(|| {
                let change = p.verify(black_box(&input), &creds);
                debug_assert!(change.is_ok());
                change.is_ok()
            })
        });
    }
    g.finish();
    c.final_summary();
}
