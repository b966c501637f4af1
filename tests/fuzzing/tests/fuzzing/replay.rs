//! Replays the committed fuzz seeds (`fuzz/seeds/<target>.tar.gz`, one archive per target:
//! `scripts/fuzz_seeds.py`) and past crashers and hand-made hostile inputs
//! (`fuzz/regressions/<target>`, one file each) through the same invariant checks the fuzz
//! targets run (PDU-1, PUSH-8).

use std::io::Read;
use std::path::Path;

/// `MMS_REPLAY_MAX` caps the inputs replayed per folder (for slow runs such as Miri); the
/// count assertions then hold for the capped number.
fn cap() -> usize {
    std::env::var("MMS_REPLAY_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX)
}

/// The seeds of `target` as (name, bytes), in archive order.
fn seeds(root: &Path, target: &str) -> Vec<(String, Vec<u8>)> {
    let Ok(file) = std::fs::File::open(root.join("seeds").join(format!("{target}.tar.gz"))) else {
        return Vec::new();
    };
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut out = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut e = entry.unwrap();
        let name = e.path().unwrap().to_string_lossy().into_owned();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        out.push((name, data));
    }
    out
}

/// The regressions of `target` as (name, bytes), sorted by name.
fn regressions(root: &Path, target: &str) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(root.join("regressions").join(target)) else {
        return Vec::new();
    };
    let mut out: Vec<(String, Vec<u8>)> = entries
        .flatten()
        .map(|e| {
            let name = e.path().display().to_string();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut n = 0;
    for set in [seeds(&root, target), regressions(&root, target)] {
        for (name, data) in set.into_iter().take(cap()) {
            let result = std::panic::catch_unwind(|| check(&data));
            assert!(result.is_ok(), "{target}/{name} broke an invariant");
            n += 1;
        }
    }
    n
}

#[test]
fn pdu_decode_corpus_replays() {
    let n = replay("pdu_decode", mms_fuzzing::pdu_decode);
    assert!(n >= 70.min(cap()), "only {n} inputs found for pdu_decode");
}

#[test]
fn push_decode_corpus_replays() {
    let n = replay("push_decode", mms_fuzzing::push_decode);
    assert!(n >= 10.min(cap()), "only {n} inputs found for push_decode");
}

#[test]
fn sms_reassembly_corpus_replays() {
    let n = replay("sms_reassembly", mms_fuzzing::sms_reassembly);
    assert!(
        n >= 3.min(cap()),
        "only {n} inputs found for sms_reassembly"
    );
}

#[test]
fn wbxml_decode_corpus_replays() {
    let n = replay("wbxml_decode", mms_fuzzing::wbxml_decode);
    assert!(n >= 4.min(cap()), "only {n} inputs found for wbxml_decode");
}

#[test]
fn provisioning_decode_corpus_replays() {
    let n = replay("provisioning_decode", mms_fuzzing::provisioning_decode);
    assert!(
        n >= 3.min(cap()),
        "only {n} inputs found for provisioning_decode"
    );
}

#[test]
fn content_plan_corpus_replays() {
    let n = replay("content_plan", mms_fuzzing::content_plan);
    assert!(n >= 5.min(cap()), "only {n} inputs found for content_plan");
}

#[test]
fn links_corpus_replays() {
    let n = replay("links", mms_fuzzing::links);
    assert!(n >= 5.min(cap()), "only {n} inputs found for links");
}

#[test]
fn pdu_structured_corpus_replays() {
    let n = replay("pdu_structured", |d| {
        mms_fuzzing::pdu_structured(d);
    });
    assert!(
        n >= 20.min(cap()),
        "only {n} inputs found for pdu_structured"
    );
}

/// The structured target over inputs from a fixed-seed generator: every builder's model
/// survives its encoding, and no mutant breaks an invariant.
#[test]
fn pdu_structured_generated_inputs_hold() {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut types = std::collections::BTreeSet::new();
    for _ in 0..3000.min(cap().saturating_mul(10)) {
        let mut data = vec![0u8; 64 + (x % 900) as usize];
        for b in &mut data {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        let result = std::panic::catch_unwind(|| mms_fuzzing::pdu_structured(&data));
        assert!(result.is_ok(), "input {data:02x?} broke an invariant");
        if let Ok(Some(t)) = result {
            types.insert(t.label());
        }
    }
    // All thirteen builder kinds were reached.
    if cap() == usize::MAX {
        assert_eq!(types.len(), 13, "{types:?}");
    }
}

/// The bindings' stateless helpers as an app would call them with outside bytes.
#[test]
fn ffi_decode_corpus_replays() {
    let n = replay("ffi_decode", mms_fuzzing::ffi_stateless);
    assert!(n >= 10.min(cap()), "only {n} inputs found for ffi_decode");
}

#[test]
fn storms_corpus_replays() {
    let n = replay("storms", |d| {
        mms_fuzzing::storms(d);
    });
    assert!(n >= 10.min(cap()), "only {n} inputs found for storms");
}

/// PUSH-8, OTA-7, CONTENT-4, LINK-1: the storm target over inputs from a fixed-seed generator:
/// every family is grown, and every decoder stays within its heap allowance on every storm.
#[test]
fn storms_generated_inputs_hold() {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut kinds = std::collections::BTreeSet::new();
    for _ in 0..100.min(cap().saturating_mul(10)) {
        let mut data = vec![0u8; 32 + (x % 600) as usize];
        for b in &mut data {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        let result = std::panic::catch_unwind(|| mms_fuzzing::storms(&data));
        assert!(result.is_ok(), "input {data:02x?} broke an invariant");
        if let Ok(Some(k)) = result {
            kinds.insert(format!("{k:?}"));
        }
    }
    assert_eq!(kinds.len(), 4, "{kinds:?}");
}
