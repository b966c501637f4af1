//! Push verdict throughput (criterion): decode + policy for a typical MMS notification push
//! (WSP push around an M-Notification.ind, trusted origin, location on the MMSC), with unique
//! transaction ids so that the full path runs. `cargo bench -p mms-core --bench push_verdict`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use criterion::{Criterion, Throughput};
use mms_codec::pdu::builder::{Notification, notification_ind};
use mms_codec::pdu::{ClassToken, TimeValue};
use mms_codec::push::*;
use mms_decisions::audit::MemoryAudit;
use mms_decisions::clock::ManualClock;
use mms_decisions::push::*;
use std::hint::black_box;
use std::sync::Arc;

fn main() {
    let pushes: Vec<Vec<u8>> = (0..8192)
        .map(|i| {
            let tid = format!("TID{i:08}");
            let loc = format!("http://mmsc.op.example:8002/mms/{tid}");
            let n = notification_ind(&Notification {
                transaction_id: &tid,
                from: Some("+15550001"),
                subject: Some("Holiday photos"),
                size: 87_000,
                expiry: TimeValue::Relative(3 * 86_400),
                content_location: &loc,
                class: ClassToken::Personal,
                delivery_report: true,
            });
            encode_mms_push(1, &n.encode().unwrap())
        })
        .collect();
    let policy = PushPolicy {
        mmsc_url: Some("http://mmsc.op.example:8002/mms/".into()),
        trusted_origins: vec!["+447785016005".into()],
        trusted_burst: u32::MAX,
        dedupe_capacity: 16_384,
        ..PushPolicy::default()
    };
    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("push");
    g.throughput(Throughput::Elements(1));
    g.bench_function("notification_verdict", |b| {
        // A fresh validator per batch so that duplicate suppression never short-cuts the path.
        let mut v = PushValidator::new(
            policy.clone(),
            Arc::new(ManualClock::new(1_750_000_000)),
            Arc::new(MemoryAudit::new(16)),
        );
        let mut i = 0usize;
        let channel = PushChannel {
            bearer: Bearer::Platform,
            dst_port: Some(PORT_PUSH),
        };
        b.iter(|| {
            if i == pushes.len() {
                i = 0;
                v = PushValidator::new(
                    policy.clone(),
                    Arc::new(ManualClock::new(1_750_000_000)),
                    Arc::new(MemoryAudit::new(16)),
                );
            }
            let verdict = v.check("+447785016005", channel, black_box(&pushes[i]));
            debug_assert_eq!(verdict.verdict, Verdict::Accept);
            i += 1;
            verdict.verdict
        })
    });
    g.finish();
    c.final_summary();
}
