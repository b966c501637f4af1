//! Replays the committed fuzz corpora (`fuzz/corpus/<target>`) and past crashers and
//! hand-made hostile inputs (`fuzz/regressions/<target>`) through the same invariant checks
//! the fuzz targets run (PDU-1, PUSH-8).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut n = 0;
    for kind in ["corpus", "regressions"] {
        let dir = root.join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let data = std::fs::read(e.path()).unwrap();
            let result = std::panic::catch_unwind(|| check(&data));
            assert!(result.is_ok(), "{} broke an invariant", e.path().display());
            n += 1;
        }
    }
    n
}

#[test]
fn pdu_decode_corpus_replays() {
    let n = replay("pdu_decode", mms_core::fuzzing::pdu_decode);
    assert!(n >= 70, "only {n} inputs found for pdu_decode");
}

#[test]
fn push_decode_corpus_replays() {
    let n = replay("push_decode", mms_core::fuzzing::push_decode);
    assert!(n >= 10, "only {n} inputs found for push_decode");
}

#[test]
fn sms_reassembly_corpus_replays() {
    let n = replay("sms_reassembly", mms_core::fuzzing::sms_reassembly);
    assert!(n >= 3, "only {n} inputs found for sms_reassembly");
}

#[test]
fn wbxml_decode_corpus_replays() {
    let n = replay("wbxml_decode", mms_core::fuzzing::wbxml_decode);
    assert!(n >= 4, "only {n} inputs found for wbxml_decode");
}

#[test]
fn provisioning_decode_corpus_replays() {
    let n = replay(
        "provisioning_decode",
        mms_core::fuzzing::provisioning_decode,
    );
    assert!(n >= 3, "only {n} inputs found for provisioning_decode");
}

#[test]
fn content_plan_corpus_replays() {
    let n = replay("content_plan", mms_core::fuzzing::content_plan);
    assert!(n >= 5, "only {n} inputs found for content_plan");
}

#[test]
fn links_corpus_replays() {
    let n = replay("links", mms_core::fuzzing::links);
    assert!(n >= 5, "only {n} inputs found for links");
}
