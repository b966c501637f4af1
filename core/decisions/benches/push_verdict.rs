//! Push verdict throughput (criterion): decode + policy for a typical MMS notification push
//! (WSP push around an M-Notification.ind, trusted origin, location on the MMSC), with unique
//! transaction ids so that the full path runs, and for a typical Service Indication (WBXML with
//! an href on the MMSC, an id and a text, from the trusted origin).
//! `cargo bench -p mms-decisions --bench push_verdict`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/notification.rs"]
mod notification;

use criterion::{Criterion, Throughput};
use mms_codec::pdu::content_type::{ContentType, MediaType};
use mms_codec::push::*;
use mms_decisions::audit::MemoryAudit;
use mms_decisions::clock::ManualClock;
use mms_decisions::push::*;
use std::hint::black_box;
use std::sync::Arc;

/// A Service Indication in WBXML (WAP-167 tokens): `<si><indication href="http://mmsc..."
/// si-id="..." created="..." action="signal-medium">text</indication></si>`, in a WSP push.
fn si_push() -> Vec<u8> {
    let mut b = vec![0x02, 0x05, 0x6a, 0x00, 0x45, 0xc6, 0x07, 0x0c, 0x03];
    b.extend_from_slice(b"mmsc.op.example:8002/mms/info/voicemail\0");
    b.extend_from_slice(&[0x11, 0x03]);
    b.extend_from_slice(b"vm-20260601-0042\0");
    // created="2026-06-01T10:42:00Z" as an OPAQUE date.
    b.extend_from_slice(&[0x0a, 0xc3, 0x07, 0x20, 0x26, 0x06, 0x01, 0x10, 0x42, 0x00]);
    b.push(0x01); // end of attributes
    b.push(0x03);
    b.extend_from_slice(b"You have 2 new voice messages. Call 121 to listen.\0");
    b.extend_from_slice(&[0x01, 0x01]);
    let ct = ContentType::new(MediaType::WellKnown(0x2e));
    encode_push(7, &ct, None, &b).unwrap()
}

fn main() {
    let pushes: Vec<Vec<u8>> = (0..8192)
        .map(|i| notification::push(&format!("TID{i:08}")))
        .collect();
    let policy = notification::policy();
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
            let verdict = v.check(notification::PPG, channel, black_box(&pushes[i]));
            debug_assert_eq!(verdict.verdict, Verdict::Accept);
            i += 1;
            verdict.verdict
        })
    });
    // The decode alone (WSP push and M-Notification.ind), the share of the verdict's time that
    // is not the policy's.
    g.bench_function("notification_decode", |b| {
        let mut i = 0usize;
        b.iter(|| {
            let d = DecodedPush::decode(black_box(&pushes[i]));
            i = (i + 1) % pushes.len();
            d.is_ok()
        })
    });
    g.bench_function("si_verdict", |b| {
        let v = PushValidator::new(
            policy.clone(),
            Arc::new(ManualClock::new(1_750_000_000)),
            Arc::new(MemoryAudit::new(16)),
        );
        let channel = PushChannel {
            bearer: Bearer::Sms,
            dst_port: Some(PORT_PUSH),
        };
        let si = si_push();
        b.iter(|| {
            let verdict = v.check(notification::PPG, channel, black_box(&si));
            debug_assert_eq!(verdict.verdict, Verdict::Accept);
            verdict.verdict
        })
    });
    g.finish();
    c.final_summary();
}
