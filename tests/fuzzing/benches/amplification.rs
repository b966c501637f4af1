//! Worst-case amplification per decoder family: the adversarial inputs of issue #16 (string-table
//! reference storms in SI and OMA CP documents, over the platform, UDP and SMS; attribute storms
//! in SMIL and XHTML) and the fuzzers' worst finds (the committed seed of each target that took
//! the longest and the one that held the most heap), each against an ordinary input of the same
//! family and size measured in the same run.
//!
//! First a table of peak heap (the counting allocator of `mms_fuzzing::heap`) per input: peak,
//! peak / input size, the share of the input kind's heap allowance, and the median time of a few
//! runs with its ratio to the ordinary input's; then criterion's timings of the same pairs.
//!
//! `cargo bench -p mms-fuzzing --bench amplification` (`-- --table` for the table alone).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use criterion::Criterion;
use mms_codec::budget::InputKind;
use mms_codec::pdu::Pdu;
use mms_codec::push::{PORT_PUSH, ReassemblyLimits};
use mms_decisions::audit::MemoryAudit;
use mms_decisions::clock::ManualClock;
use mms_decisions::push::{PushHandler, PushPolicy, PushValidator};
use mms_fuzzing::heap;
use mms_fuzzing::hostile::{self, ordinary};
use std::hint::black_box;
use std::io::Read;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One decoder family's entry point, as a phone calls it.
#[derive(Clone, Copy)]
enum Entry {
    /// A push handed over by the platform (Android's WAP push broadcast).
    Platform,
    /// A WDP datagram at the UDP push receiver.
    Udp,
    /// SMS-DELIVER TPDUs (with SMSC) into a handler that takes up to 255 segments.
    Sms,
    /// `mms provision inspect`: decode, settings, authentication method.
    Provisioning,
    /// The render plan of a received message holding the SMIL.
    Smil,
    /// Link extraction from an XHTML part.
    Xhtml,
}

fn handler(max_segments: u8) -> PushHandler {
    let clock = Arc::new(ManualClock::new(1_750_000_000));
    let audit = Arc::new(MemoryAudit::new(64));
    let v = PushValidator::new(
        PushPolicy {
            mmsc_url: Some("http://mmsc.example/mms".into()),
            trusted_origins: vec!["+15550100".into()],
            ..PushPolicy::default()
        },
        clock.clone(),
        audit.clone(),
    );
    let limits = ReassemblyLimits {
        max_segments,
        ..ReassemblyLimits::default()
    };
    PushHandler::new(v, limits, clock, audit)
}

fn message_with_smil(smil: String) -> Pdu<'static> {
    hostile::retrieved_with_smil(smil).unwrap()
}

/// An input ready for its entry point.
enum Prepared {
    Bytes(Vec<u8>),
    Segments(Vec<Vec<u8>>),
    Message(Box<Pdu<'static>>),
    Text(String),
}

impl Prepared {
    fn len(&self) -> usize {
        match self {
            Prepared::Bytes(b) => b.len(),
            Prepared::Segments(s) => s.iter().map(Vec::len).sum(),
            Prepared::Message(_) => 0,
            Prepared::Text(t) => t.len(),
        }
    }
}

fn run(entry: Entry, input: &Prepared) {
    match (entry, input) {
        (Entry::Platform, Prepared::Bytes(b)) => {
            black_box(handler(8).handle_platform("+15550100", Some(PORT_PUSH), b));
        }
        (Entry::Udp, Prepared::Bytes(b)) => {
            black_box(handler(8).handle_udp("10.0.0.1", PORT_PUSH, b));
        }
        (Entry::Sms, Prepared::Segments(segs)) => {
            let h = handler(255);
            for t in segs {
                black_box(h.handle_sms(t, true));
            }
        }
        (Entry::Provisioning, Prepared::Bytes(b)) => {
            let _ = black_box(mms_decisions::provisioning::inspect(Some(1), b));
        }
        (Entry::Smil, Prepared::Message(m)) => {
            black_box(mms_decisions::content::plan_message(
                m,
                &mms_decisions::content::MediaPolicy::default(),
            ));
        }
        (Entry::Xhtml, Prepared::Text(t)) => {
            black_box(mms_decisions::links::extract_markup(t, 0, false));
        }
        _ => panic!("input does not fit its entry point"),
    }
}

/// A hostile input and its ordinary twin.
struct Case {
    name: &'static str,
    entry: Entry,
    kind: InputKind,
    hostile: Prepared,
    ordinary: Prepared,
}

fn cases() -> Vec<Case> {
    let sms = |push: Vec<u8>| Prepared::Segments(hostile::sms_segments("+15550100", &push, 9));
    // The largest push 255 segments carry: about 128 octets of each TPDU's user data.
    let sms_size = 30 * 1024;
    let smil_90k = hostile::smil_attribute_storm(90_000);
    let xhtml_40k = hostile::xhtml_attribute_storm(40_000);
    vec![
        Case {
            name: "SI href storm, 63 KiB push (platform)",
            entry: Entry::Platform,
            kind: InputKind::Push,
            hostile: Prepared::Bytes(hostile::si_push(&hostile::si_href_storm(63 * 1024))),
            ordinary: Prepared::Bytes(hostile::si_push(&ordinary::si(63 * 1024))),
        },
        Case {
            name: "SI content storm, 32 KiB push (platform)",
            entry: Entry::Platform,
            kind: InputKind::Push,
            hostile: Prepared::Bytes(hostile::si_push(&hostile::si_content_storm(32 * 1024))),
            ordinary: Prepared::Bytes(hostile::si_push(&ordinary::si(32 * 1024))),
        },
        Case {
            name: "SI href storm, 8 KiB datagram (UDP)",
            entry: Entry::Udp,
            kind: InputKind::Push,
            hostile: Prepared::Bytes(hostile::si_push(&hostile::si_href_storm(8 * 1024))),
            ordinary: Prepared::Bytes(hostile::si_push(&ordinary::si(8 * 1024))),
        },
        Case {
            name: "SI href storm, 32 KiB datagram (UDP)",
            entry: Entry::Udp,
            kind: InputKind::Push,
            hostile: Prepared::Bytes(hostile::si_push(&hostile::si_href_storm(32 * 1024))),
            ordinary: Prepared::Bytes(hostile::si_push(&ordinary::si(32 * 1024))),
        },
        Case {
            name: "SI href storm, 30 KiB in 255 SMS",
            entry: Entry::Sms,
            kind: InputKind::Push,
            hostile: sms(hostile::si_push(&hostile::si_href_storm(sms_size))),
            ordinary: sms(hostile::si_push(&ordinary::si(sms_size))),
        },
        Case {
            name: "CP parm storm, 63 KiB document",
            entry: Entry::Provisioning,
            kind: InputKind::Provisioning,
            hostile: Prepared::Bytes(hostile::cp_parm_storm(63 * 1024)),
            ordinary: Prepared::Bytes(ordinary::cp(63 * 1024)),
        },
        Case {
            name: "SMIL, 90,000 attributes on one par",
            entry: Entry::Smil,
            kind: InputKind::Pdu,
            ordinary: Prepared::Message(Box::new(message_with_smil(ordinary::smil(
                smil_90k.len(),
            )))),
            hostile: Prepared::Message(Box::new(message_with_smil(smil_90k))),
        },
        Case {
            name: "XHTML (not XML), 100,000 unquoted href= in a run",
            entry: Entry::Xhtml,
            kind: InputKind::MessagePart,
            ordinary: Prepared::Text(ordinary::xhtml(600_000)),
            hostile: Prepared::Text(hostile::unquoted_href_run(100_000)),
        },
        Case {
            name: "XHTML, 40,000 attributes on one a",
            entry: Entry::Xhtml,
            kind: InputKind::MessagePart,
            ordinary: Prepared::Text(ordinary::xhtml(xhtml_40k.len())),
            hostile: Prepared::Text(xhtml_40k),
        },
    ]
}

fn median_time(f: impl Fn()) -> Duration {
    let mut t: Vec<Duration> = (0..7)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort();
    t[3]
}

fn mib(b: u64) -> String {
    format!("{:.2} MiB", b as f64 / (1024.0 * 1024.0))
}

fn table() {
    println!(
        "| input | size | peak heap | peak / size | share of allowance | time | time / ordinary |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for c in cases() {
        let len = match &c.hostile {
            Prepared::Message(m) => m.encode().map(|b| b.len()).unwrap_or(0),
            p => p.len(),
        };
        let ((), peak) = heap::measure(|| run(c.entry, &c.hostile));
        let allowed = c.kind.allowance().heap_for_len(len);
        let t = median_time(|| run(c.entry, &c.hostile));
        let base = median_time(|| run(c.entry, &c.ordinary));
        println!(
            "| {} | {} B | {} | {:.1} | {:.2} | {:.2} ms | {:.2} |",
            c.name,
            len,
            mib(peak),
            peak as f64 / len as f64,
            peak as f64 / allowed as f64,
            t.as_secs_f64() * 1e3,
            t.as_secs_f64() / base.as_secs_f64(),
        );
    }
    fuzz_worst();
}

/// The seeds of a fuzz target, from its committed archive.
fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/seeds")
        .join(format!("{target}.tar.gz"));
    let Ok(file) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut out = Vec::new();
    for e in archive.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e.path().unwrap().to_string_lossy().into_owned();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        out.push((name, data));
    }
    out
}

/// Per target: the committed seed that took the longest through the target's invariants (every
/// decoder held to its heap allowance inside), and the worst share of an allowance any decoder
/// reached over all seeds.
fn fuzz_worst() {
    type Check = fn(&[u8]);
    let targets: [(&str, Check); 9] = [
        ("pdu_decode", mms_fuzzing::pdu_decode),
        ("push_decode", mms_fuzzing::push_decode),
        ("sms_reassembly", mms_fuzzing::sms_reassembly),
        ("wbxml_decode", mms_fuzzing::wbxml_decode),
        ("provisioning_decode", mms_fuzzing::provisioning_decode),
        ("content_plan", mms_fuzzing::content_plan),
        ("links", mms_fuzzing::links),
        ("ffi_decode", mms_fuzzing::ffi_stateless),
        ("storms", |d| {
            mms_fuzzing::storms(d);
        }),
    ];
    println!();
    println!("| fuzz target | seeds | slowest seed | its size | its time | largest peak heap |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (target, check) in targets {
        let all = seeds(target);
        let mut slowest = (String::new(), 0usize, Duration::ZERO);
        let mut most = 0u64;
        for (name, data) in &all {
            let ((), peak) = heap::measure(|| check(data));
            most = most.max(peak);
            let t = median_time(|| check(data));
            if t > slowest.2 {
                slowest = (name.clone(), data.len(), t);
            }
        }
        println!(
            "| `{target}` | {} | `{}` | {} B | {:.2} ms | {} |",
            all.len(),
            slowest.0,
            slowest.1,
            slowest.2.as_secs_f64() * 1e3,
            mib(most)
        );
    }
    println!();
    println!("| decoder | worst share of its heap allowance | at peak | input size |");
    println!("| --- | --- | --- | --- |");
    for (what, w) in heap::worst() {
        println!(
            "| {what} | {:.3} | {} | {} B |",
            w.share,
            mib(w.peak),
            w.len
        );
    }
}

fn main() {
    table();
    if std::env::args().any(|a| a == "--table") {
        return;
    }
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(20)
        .measurement_time(Duration::from_secs(2));
    let mut g = c.benchmark_group("amplification");
    for case in cases() {
        g.bench_function(format!("{} (hostile)", case.name), |b| {
            b.iter(|| run(case.entry, &case.hostile))
        });
        g.bench_function(format!("{} (ordinary)", case.name), |b| {
            b.iter(|| run(case.entry, &case.ordinary))
        });
    }
    g.finish();
    c.final_summary();
}
