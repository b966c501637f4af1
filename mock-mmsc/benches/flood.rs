//! The mock MMSC under a sustained flood (MMSC-1, MMSC-2): senders each submit 500 KB
//! messages as fast as the per-subscriber rate allows (10 a second by default), to recipients
//! who never fetch them, for a while; the mock's net heap is sampled every second. With the
//! storage quotas on (8 MiB per sender, 64 MiB in all) the heap levels off once the quotas
//! fill; the same run with the quotas lifted is the baseline it is compared with. Prints, for
//! each, the heap at the end and its growth per minute over the second half of the run.
//! `cargo bench -p mock-mmsc --bench flood` (`MOCK_FLOOD_SECS`, default 30 per run).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_codec::pdu::builder::SendReqBuilder;
use mock_mmsc::{MockConfig, MockMmsc, SUBSCRIBER_HEADER};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const SENDERS: usize = 4;
const SIZE: usize = 500 * 1024;

fn message(sender: usize, i: usize) -> Vec<u8> {
    let mut jpeg = vec![0xff, 0xd8, 0xff, 0xe0];
    jpeg.resize(SIZE - 300, 0x5a);
    SendReqBuilder::new(&format!("T-{sender}-{i}"))
        .to(&format!("+1555200{:04}", 100 + sender))
        .subject("flood")
        .part("image/jpeg", "p.jpg", jpeg)
        .build()
        .encode()
        .unwrap()
}

struct Outcome {
    heap_end: i64,
    per_minute: f64,
    accepted: usize,
    refused: usize,
}

async fn run(quotas: bool, secs: u64) -> Outcome {
    let cfg = MockConfig {
        max_body: 1024 * 1024,
        max_message_size: 1024 * 1024,
        quota_per_subscriber: if quotas { 8 * 1024 * 1024 } else { usize::MAX },
        max_held: if quotas { 64 * 1024 * 1024 } else { usize::MAX },
        log_capacity: 10_000,
        ..MockConfig::default()
    };
    let rate = cfg.rate_per_minute;
    let region = Region::new(GLOBAL);
    let mmsc = MockMmsc::start(cfg).await.unwrap();
    for s in 0..SENDERS {
        mmsc.register(&format!("+1555200{s:04}"), None);
        mmsc.register(&format!("+1555200{:04}", 100 + s), None);
    }
    let accepted = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    let end = Instant::now() + Duration::from_secs(secs);
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let gap = Duration::from_secs_f64(60.0 / f64::from(rate.max(1)));
    let mut tasks = Vec::new();
    for s in 0..SENDERS {
        let (c, url, ok, no) = (
            client.clone(),
            mmsc.url(),
            accepted.clone(),
            refused.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut i = 0;
            while Instant::now() < end {
                let r = c
                    .post(&url)
                    .header("content-type", "application/vnd.wap.mms-message")
                    .header(SUBSCRIBER_HEADER, format!("+1555200{s:04}"))
                    .body(message(s, i))
                    .send()
                    .await
                    .unwrap();
                let body = r.bytes().await.unwrap();
                let status = mms_codec::pdu::Pdu::decode(&body)
                    .ok()
                    .and_then(|d| d.pdu.response_status());
                if status == Some(mms_codec::pdu::ResponseStatus::Ok) {
                    ok.fetch_add(1, Ordering::Relaxed);
                } else {
                    no.fetch_add(1, Ordering::Relaxed);
                }
                i += 1;
                tokio::time::sleep(gap).await;
            }
        }));
    }
    let mut samples = Vec::new();
    let start = Instant::now();
    while Instant::now() < end {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let s = region.change();
        samples.push((
            start.elapsed().as_secs_f64(),
            s.bytes_allocated as i64 - s.bytes_deallocated as i64,
        ));
    }
    for t in tasks {
        let _ = t.await;
    }
    let half = samples.len() / 2;
    let (t0, h0) = samples[half];
    let (t1, h1) = *samples.last().unwrap();
    drop(mmsc);
    Outcome {
        heap_end: h1,
        per_minute: (h1 - h0) as f64 / (t1 - t0).max(1.0) * 60.0,
        accepted: accepted.load(Ordering::Relaxed),
        refused: refused.load(Ordering::Relaxed),
    }
}

fn mb(b: f64) -> String {
    format!("{:.1} MB", b / 1e6)
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let secs: u64 = std::env::var("MOCK_FLOOD_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    println!(
        "{SENDERS} senders x 500 KB at the per-subscriber rate, recipients never fetch, {secs} s per run"
    );
    println!("| quotas | accepted | refused | heap at the end | growth per minute (second half) |");
    println!("| --- | --- | --- | --- | --- |");
    for quotas in [false, true] {
        // A runtime per run, shut down after it, so one run's memory is gone before the next.
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let o = rt.block_on(run(quotas, secs));
        drop(rt);
        println!(
            "| {} | {} | {} | {} | {}/min |",
            if quotas {
                "on (8 MiB per sender, 64 MiB in all)"
            } else {
                "off (baseline)"
            },
            o.accepted,
            o.refused,
            mb(o.heap_end as f64),
            mb(o.per_minute)
        );
    }
}
