//! PDU-1: no input makes the decoder allocate more than a small multiple of its own size.
//! Measured with an instrumented global allocator over hostile inputs built to maximise
//! allocation per input octet (many tiny headers, many tiny parts, deep nesting, lengths
//! of 2^31 that must not drive an allocation), the shared corpus when present, and random
//! bytes. This file holds a single test so that no other thread allocates meanwhile.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_codec::pdu::{Pdu, wsp};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Allowed: a fixed 4 KiB plus 64 bytes of model per input octet.
fn bound(len: usize) -> usize {
    4096 + 64 * len
}

fn allocated_by_decode(input: &[u8]) -> usize {
    let region = Region::new(GLOBAL);
    let r = Pdu::decode_lenient(input);
    let bytes = region.change().bytes_allocated;
    drop(r);
    bytes
}

fn hostile_inputs() -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    // The 11-octet input that made Android's PduParser allocate 2 GiB.
    v.push((
        "graphene-oversized-value-length".into(),
        vec![
            0x8c, 0x82, 0x84, 0x1f, 0x87, 0xff, 0xff, 0xff, 0x7f, 0x41, 0x42,
        ],
    ));
    // Many one-octet-value headers.
    let mut h = vec![0x8c, 0x80];
    for _ in 0..127 {
        h.extend_from_slice(&[0x86, 0x80]);
    }
    v.push(("many-yes-no-headers".into(), h));
    // Many tiny application headers.
    let mut h = vec![0x8c, 0x80];
    for _ in 0..120 {
        h.extend_from_slice(b"a\0\0");
    }
    v.push(("many-application-headers".into(), h));
    // Many tiny parts: count, then (1, 0, 0x83) per part.
    let mut m = vec![0x8c, 0x84, 0x84, 0xa3];
    wsp::put_uintvar(&mut m, 250);
    for _ in 0..250 {
        m.extend_from_slice(&[0x01, 0x00, 0x83]);
    }
    v.push(("many-tiny-parts".into(), m));
    // A part count of 2^28 with nothing behind it.
    let mut m = vec![0x8c, 0x84, 0x84, 0xa3];
    wsp::put_uintvar(&mut m, 1 << 28);
    v.push(("huge-part-count".into(), m));
    // Part data length of 2^31.
    let mut m = vec![0x8c, 0x84, 0x84, 0xa3, 0x01, 0x01];
    wsp::put_uintvar(&mut m, 1 << 31);
    m.extend_from_slice(&[0x83, 0x41, 0x42]);
    v.push(("huge-part-length".into(), m));
    // Deep nesting: multipart inside multipart.
    let mut inner = vec![0x00];
    for _ in 0..8 {
        let mut outer = Vec::new();
        wsp::put_uintvar(&mut outer, 1);
        wsp::put_uintvar(&mut outer, 1);
        wsp::put_uintvar(&mut outer, inner.len() as u32);
        outer.push(0xa3);
        outer.extend_from_slice(&inner);
        inner = outer;
    }
    let mut m = vec![0x8c, 0x84, 0x84, 0xa3];
    m.extend_from_slice(&inner);
    v.push(("deep-nesting".into(), m));
    // Content type with many parameters.
    let mut ct = vec![0xa3];
    for _ in 0..40 {
        ct.extend_from_slice(&[0x83, 0x81]);
    }
    let mut m = vec![0x8c, 0x84, 0x84];
    wsp::put_with_length(&mut m, &ct, "ct").unwrap();
    v.push(("many-params".into(), m));
    v
}

fn corpus_inputs() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/mms");
    let mut v = Vec::new();
    let Ok(sources) = std::fs::read_dir(&dir) else {
        eprintln!("shared corpus absent: corpus part of the allocation test skipped");
        return v;
    };
    for src in sources.flatten().filter(|e| e.path().is_dir()) {
        for f in std::fs::read_dir(src.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let Ok(text) = std::fs::read_to_string(f.path()) else {
                continue;
            };
            let hex: String = text
                .lines()
                .filter(|l| !l.starts_with('#'))
                .flat_map(|l| l.chars().filter(|c| c.is_ascii_hexdigit()))
                .collect();
            if let Ok(bytes) = hex::decode(&hex) {
                v.push((f.path().display().to_string(), bytes));
            }
        }
    }
    v
}

#[test]
fn decoder_allocation_is_bounded_by_input_size() {
    let mut inputs = hostile_inputs();
    inputs.extend(corpus_inputs());
    // Random inputs from a fixed-seed generator (no dependency on a RNG crate).
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..2000 {
        let len = (i % 300) + 1;
        let mut b = Vec::with_capacity(len);
        for _ in 0..len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b.push(x as u8);
        }
        b[0] = 0x8c;
        inputs.push((format!("random-{i}"), b));
    }
    let mut worst = (0.0f64, String::new());
    for (name, input) in &inputs {
        let got = allocated_by_decode(input);
        assert!(
            got <= bound(input.len()),
            "{name}: {got} bytes allocated for a {}-octet input (bound {})",
            input.len(),
            bound(input.len())
        );
        let ratio = got as f64 / input.len().max(1) as f64;
        if ratio > worst.0 && input.len() >= 64 {
            worst = (ratio, name.clone());
        }
    }
    eprintln!(
        "worst allocation ratio on inputs of 64+ octets: {:.1}x ({})",
        worst.0, worst.1
    );
}
