//! Each part of an OMA CP verification timed alone (criterion), on Chunghwa Telecom's 501-octet
//! USERPIN document from the shared corpus (`../shared/corpus`, or `MMS_CORPUS_DIR`): the WBXML
//! decode into the document, the MMS settings taken from it, the SEC/MAC check and the replay
//! digest (SHA-1 of the body). `cargo bench -p mms-decisions --bench cp_verify` times them
//! together. `cargo run --release -p mms-decisions --example cp_parts -- --bench`
use criterion::Criterion;
use mms_decisions::provisioning::{
    Credentials, SecMethod, Secret, compute_mac, mms_settings, verify,
};
use sha1::{Digest, Sha1};
use std::hint::black_box;

fn main() {
    let dir = match std::env::var("MMS_CORPUS_DIR") {
        Ok(d) => std::path::PathBuf::from(d),
        Err(_) => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    };
    let Ok(cht) = std::fs::read(dir.join("push/mozilla/cp_cht_codepage_userpin0000.wbxml")) else {
        eprintln!(
            "the shared corpus is not at {}: nothing to measure",
            dir.display()
        );
        return;
    };
    let creds = Credentials {
        imsi: None,
        pin: Some(Secret::new("0000")),
    };
    let Ok(mac) = compute_mac(SecMethod::Userpin, &cht, &creds) else {
        eprintln!("no MAC for the document");
        return;
    };
    let Ok(doc) = mms_codec::provisioning::decode_wbxml(&cht) else {
        eprintln!("the document does not decode");
        return;
    };
    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("cp_parts");
    g.bench_function("decode", |b| {
        b.iter(|| mms_codec::provisioning::decode_wbxml(black_box(&cht)).is_ok())
    });
    g.bench_function("settings", |b| {
        b.iter(|| mms_settings(black_box(&doc)).is_ok())
    });
    g.bench_function("sec_mac", |b| {
        b.iter(|| verify(Some(1), Some(mac.as_str()), black_box(&cht), &creds).is_ok())
    });
    g.bench_function("replay_digest", |b| {
        b.iter(|| Sha1::digest(black_box(&cht)))
    });
    g.finish();
    c.final_summary();
}
