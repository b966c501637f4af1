//! PDU decode benchmarks (criterion), run with `cargo bench -p mms-core --bench pdu_decode`.
//!
//! * `corpus/all`: every bare MMS PDU of ../shared/corpus/mms (our own generated PDUs when the
//!   corpus is absent), decoded one after the other; throughput in PDUs per second.
//! * `attachment/3KB` vs `attachment/3MB`: retrieve-confs with the same headers, whose cost must
//!   not grow with the attachment (parts are borrowed, not copied).
//! * After criterion, a same-run comparison against python-messaging on the same inputs
//!   (when installed): both rates and their ratio are printed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use criterion::{BenchmarkId, Criterion, Throughput};
use mms_codec::pdu::builder::SendReqBuilder;
use mms_codec::pdu::{MessageType, Pdu};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn corpus_pdus() -> (Vec<Vec<u8>>, &'static str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/mms");
    let mut out = Vec::new();
    if let Ok(index) = std::fs::read_to_string(dir.join("index.json")) {
        // Minimal scan of index.json: every entry whose layer is "mms".
        for entry in index.split("\"file\": \"").skip(1) {
            let file = entry.split('"').next().unwrap_or("");
            let layer_is_mms = entry
                .split("\"layer\": \"")
                .nth(1)
                .is_some_and(|l| l.starts_with("mms\""));
            if !layer_is_mms {
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(dir.join(file)) {
                let hex: String = text
                    .lines()
                    .filter(|l| !l.starts_with('#'))
                    .flat_map(|l| l.chars().filter(|c| c.is_ascii_hexdigit()))
                    .collect();
                if let Ok(b) = hex::decode(hex) {
                    out.push(b);
                }
            }
        }
    }
    if !out.is_empty() {
        return (out, "shared corpus");
    }
    let jpeg = vec![0xabu8; 20_000];
    for i in 0..50 {
        let p = SendReqBuilder::new(&format!("T{i}"))
            .to("+15550001")
            .subject("generated")
            .part("text/plain", "t.txt", b"hello".as_slice())
            .part("image/jpeg", "p.jpg", jpeg.as_slice())
            .generated_smil()
            .build();
        out.push(p.encode().unwrap());
    }
    (out, "generated (corpus absent)")
}

fn retrieve_conf(attachment: usize) -> Vec<u8> {
    let data = vec![0x5au8; attachment];
    let mut p = SendReqBuilder::new("T-bench")
        .from("+15550009")
        .to("+15550001")
        .subject("bench")
        .part("text/plain", "t.txt", b"hello".as_slice())
        .part("image/jpeg", "p.jpg", data.as_slice())
        .generated_smil()
        .build();
    p.message_type = MessageType::RetrieveConf;
    p.encode().unwrap()
}

fn decode_all(inputs: &[Vec<u8>]) -> usize {
    let mut ok = 0;
    for i in inputs {
        if Pdu::decode_lenient(black_box(i)).is_ok() {
            ok += 1;
        }
    }
    ok
}

fn rust_rate(inputs: &[Vec<u8>]) -> f64 {
    let mut best = 0.0f64;
    for _ in 0..5 {
        let start = Instant::now();
        let mut n = 0usize;
        while start.elapsed().as_secs_f64() < 0.5 {
            decode_all(inputs);
            n += inputs.len();
        }
        best = best.max(n as f64 / start.elapsed().as_secs_f64());
    }
    best
}

fn python_rate(inputs: &[Vec<u8>]) -> Option<(f64, u64)> {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/interop/bench_pymessaging.py");
    let dir: PathBuf = std::env::temp_dir().join(format!("mms-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    for (i, b) in inputs.iter().enumerate() {
        std::fs::write(dir.join(format!("{i:04}.mms")), b).ok()?;
    }
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(&dir)
        .arg("3")
        .output()
        .ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    if !out.status.success() {
        return None;
    }
    let line = String::from_utf8_lossy(&out.stdout);
    let rate = line
        .split("\"per_second\": ")
        .nth(1)?
        .trim_end_matches(['}', '\n', ' '])
        .parse()
        .ok()?;
    let decoded = line
        .split("\"decoded\": ")
        .nth(1)?
        .split(',')
        .next()?
        .parse()
        .ok()?;
    Some((rate, decoded))
}

fn main() {
    let (inputs, source) = corpus_pdus();
    let mut c = Criterion::default().configure_from_args();
    {
        let mut g = c.benchmark_group("corpus");
        g.throughput(Throughput::Elements(inputs.len() as u64));
        g.bench_function("all", |b| b.iter(|| decode_all(&inputs)));
        g.finish();
    }
    {
        let mut g = c.benchmark_group("attachment");
        for (label, size) in [("3KB", 3 * 1024), ("3MB", 3 * 1024 * 1024)] {
            let pdu = retrieve_conf(size);
            g.bench_with_input(BenchmarkId::from_parameter(label), &pdu, |b, pdu| {
                b.iter(|| Pdu::decode(black_box(pdu)).map(|d| d.pdu.parts().len()))
            });
        }
        g.finish();
    }
    c.final_summary();

    // Same-run comparison against python-messaging.
    let ours = rust_rate(&inputs);
    println!(
        "\nsame-run comparison over {} PDUs ({source}):",
        inputs.len()
    );
    println!("  mms-core decode:          {ours:>12.0} PDUs/s (one core)");
    match python_rate(&inputs) {
        Some((py, decoded)) => {
            println!("  python-messaging decode:  {py:>12.0} PDUs/s ({decoded} decodes succeeded)");
            println!("  ratio:                    {:>12.0}x", ours / py);
        }
        None => println!("  python-messaging not available: pip install python-messaging"),
    }
}
