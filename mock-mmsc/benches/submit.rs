//! Mock MMSC throughput (criterion): 100 concurrent loopback clients each POST a 30 KB
//! M-Send.req; the baseline is the same 100 POSTs to a bare HTTP endpoint on the same runtime
//! that only reads the body and answers 200, so the ratio is the MMSC's own cost on top of HTTP.
//! Also prints the memory held per stored message (net heap growth over 1,000 submissions).
//! `cargo bench -p mock-mmsc --bench submit`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use criterion::{Criterion, Throughput};
use mms_codec::pdu::builder::SendReqBuilder;
use mock_mmsc::{MockConfig, MockMmsc, SUBSCRIBER_HEADER};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;
use std::time::{Duration, Instant};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const CLIENTS: usize = 100;

fn message(i: usize) -> Vec<u8> {
    let mut jpeg = vec![0xff, 0xd8, 0xff, 0xe0];
    jpeg.resize(30 * 1024 - 200, 0x5a);
    SendReqBuilder::new(&format!("T-{i}"))
        .to(&format!("+1555100{:04}", (i + 1) % CLIENTS))
        .subject("bench")
        .part("image/jpeg", "p.jpg", jpeg)
        .build()
        .encode()
        .unwrap()
}

fn config() -> MockConfig {
    MockConfig {
        rate_burst: u32::MAX,
        rate_per_minute: u32::MAX,
        ip_rate_burst: u32::MAX,
        ip_rate_per_minute: u32::MAX,
        ..Default::default()
    }
}

async fn start() -> MockMmsc {
    let mmsc = MockMmsc::start(config()).await.unwrap();
    for c in 0..CLIENTS {
        mmsc.register(&format!("+1555100{c:04}"), None);
    }
    mmsc
}

async fn echo_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new()
        .route(
            "/mms",
            axum::routing::post(|b: axum::body::Bytes| async move { b.len().to_string() }),
        )
        .layer(axum::extract::DefaultBodyLimit::max(1 << 20));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/mms")
}

/// One round: every client submits one message concurrently.
async fn round(clients: &[reqwest::Client], url: &str, bodies: &[Vec<u8>], round: u64) {
    let futs = clients.iter().enumerate().map(|(c, client)| {
        let body = bodies[c].clone();
        let req = client
            .post(url)
            .header(SUBSCRIBER_HEADER, format!("+1555100{c:04}"))
            .header("content-type", "application/vnd.wap.mms-message")
            .body(with_tid(body, round));
        async move {
            let r = req.send().await.unwrap();
            assert!(r.status().is_success());
            r.bytes().await.unwrap();
        }
    });
    futures_util::future::join_all(futs).await;
}

fn with_tid(mut body: Vec<u8>, round: u64) -> Vec<u8> {
    // A fresh transaction id per round ("T-<round>-<client>"), so nothing is answered from the
    // MMSC's duplicate-submission cache (keyed by subscriber and transaction id).
    if let Some(i) = body.windows(2).position(|w| w == b"T-") {
        let tag = format!("{round}-");
        body.splice(i + 2..i + 2, tag.into_bytes());
    }
    body
}

fn memory_per_message(rt: &tokio::runtime::Runtime) {
    rt.block_on(async {
        let mmsc = start().await;
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let bodies: Vec<Vec<u8>> = (0..CLIENTS).map(message).collect();
        let clients = vec![client; CLIENTS];
        // Warm up connections and lazily allocated state.
        round(&clients, &mmsc.url(), &bodies, 0).await;
        let region = Region::new(GLOBAL);
        for r in 1..=10 {
            round(&clients, &mmsc.url(), &bodies, r).await;
        }
        let stats = region.change();
        let net = stats.bytes_allocated as i64 - stats.bytes_deallocated as i64;
        let per = net / (10 * CLIENTS as i64);
        println!(
            "memory per stored message: {per} bytes for a {} byte M-Send.req ({:.2}x)",
            bodies[0].len(),
            per as f64 / bodies[0].len() as f64
        );
        assert_eq!(mmsc.message_count(), 11 * CLIENTS);
    });
}

fn bench(c: &mut Criterion) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    memory_per_message(&rt);
    let (mmsc, echo) = rt.block_on(async { (start().await, echo_server().await) });
    let bodies: Vec<Vec<u8>> = (0..CLIENTS).map(message).collect();
    let clients: Vec<reqwest::Client> = (0..CLIENTS)
        .map(|_| reqwest::Client::builder().no_proxy().build().unwrap())
        .collect();
    let mut g = c.benchmark_group("submit_30k_100_clients");
    g.throughput(Throughput::Elements(CLIENTS as u64));
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(8));
    let mut n = 0u64;
    for (name, url) in [("baseline_http_echo", echo), ("mock_mmsc", mmsc.url())] {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        n += 1;
                        round(&clients, &url, &bodies, n).await;
                    }
                    start.elapsed()
                })
            })
        });
    }
    g.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
