//! Engine throughput and latency over loopback with the mock MMSC, and the memory held while
//! retrieving a 3 MB message. A bench binary (not run by CI):
//! `cargo bench -p mms-tests --bench engine_load`.
//!
//! * 50 sender clients (each its own SQLite file) send 30 KB messages concurrently to 25
//!   receiver clients that auto-download; reports messages per second (send call to the last
//!   receiver's MessageReceived), p50/p99 send-to-delivered latency, and the process's CPU
//!   time per message. `-- --throughput-only` runs this part alone; `-- --per-sender N` sends N
//!   messages from each sender instead of 10 (with a receiver for every 20 messages).
//! * A 3 MB message retrieved by one client, the MMSC and the sender running in a child
//!   process: the client's peak RSS above its baseline, against the message size (the budget
//!   is 3x); then the same for a client sending a 3 MB message to the MMSC in a child process
//!   (the draft, which the app holds anyway, is in the baseline). `-- --memory-only` runs this
//!   part alone.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_core::CarrierProfile;
use mms_core::HttpTransport;
use mms_core::spawn_push_receiver;
use mms_core::{Draft, DraftPart, Event, EventListener, MmsClient};
use mms_tests::{free_port, proc_status};
use mock_mmsc::{MockConfig, MockMmsc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SENDERS: usize = 50;
/// Messages each sender sends, unless `--per-sender N` says otherwise.
const PER_SENDER: usize = 10;
/// Messages a receiver gets at most: fewer than the push policy's trusted-origin burst (50),
/// beyond which a phone defers notifications by design (PUSH-6).
const PER_RECEIVER: usize = 20;

/// Records when each subject arrived.
#[derive(Default)]
struct Arrivals(Mutex<HashMap<String, Instant>>);

struct Listener {
    arrivals: Arc<Arrivals>,
}

impl EventListener for Listener {
    fn on_event(&self, e: &Event) {
        if let Event::MessageReceived {
            subject: Some(s), ..
        } = e
        {
            if let Ok(mut m) = self.arrivals.0.lock() {
                m.entry(s.clone()).or_insert_with(Instant::now);
            }
        }
    }
}

fn profile(url: &str, number: &str) -> CarrierProfile {
    CarrierProfile {
        retry_base_ms: 20,
        max_message_size: 8 * 1024 * 1024,
        max_response_size: 8 * 1024 * 1024,
        http_timeout_secs: 30,
        ..mms_tests::harness::profile(url, number)
    }
}

async fn client(
    mmsc: &MockMmsc,
    dir: &std::path::Path,
    number: &str,
    listener: Arc<dyn EventListener>,
    push: bool,
) -> MmsClient {
    let p = profile(&mmsc.url(), number);
    let t = Arc::new(HttpTransport::new(&p).unwrap());
    let c = MmsClient::open(&dir.join(format!("{number}.db")), p, t, listener).unwrap();
    let addr = if push {
        let (a, _task) = spawn_push_receiver(c.clone(), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        std::mem::forget(_task);
        Some(a)
    } else {
        None
    };
    mmsc.register(number, addr);
    c
}

fn draft(to: &str, subject: String, size: usize) -> Draft {
    let mut jpeg = vec![0xff, 0xd8, 0xff, 0xe0];
    jpeg.resize(size, 0x5a);
    Draft {
        to: vec![to.into()],
        subject: Some(subject),
        parts: vec![DraftPart {
            content_type: "image/jpeg".into(),
            name: "p.jpg".into(),
            data: jpeg,
        }],
        ..Draft::default()
    }
}

async fn throughput(dir: &std::path::Path, per_sender: usize) {
    let total = SENDERS * per_sender;
    let receivers_n = total.div_ceil(PER_RECEIVER);
    let mmsc = MockMmsc::start(MockConfig {
        rate_burst: u32::MAX,
        rate_per_minute: u32::MAX,
        ip_rate_burst: u32::MAX,
        ip_rate_per_minute: u32::MAX,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let arrivals = Arc::new(Arrivals::default());
    let mut receivers = Vec::new();
    for r in 0..receivers_n {
        let l = Arc::new(Listener {
            arrivals: arrivals.clone(),
        });
        receivers.push(client(&mmsc, dir, &format!("+1555200{r:04}"), l, true).await);
    }
    let mut senders = Vec::new();
    for s in 0..SENDERS {
        let l = Arc::new(mms_core::NoopListener);
        senders.push(client(&mmsc, dir, &format!("+1555300{s:04}"), l, false).await);
    }
    let started: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let send_calls: Arc<Mutex<Vec<f64>>> = Arc::default();
    let cpu0 = cpu_seconds();
    let t0 = Instant::now();
    let tasks: Vec<_> = senders
        .into_iter()
        .enumerate()
        .map(|(s, c)| {
            let started = started.clone();
            let send_calls = send_calls.clone();
            tokio::spawn(async move {
                for i in 0..per_sender {
                    let subject = format!("s{s}-{i}");
                    let to = format!("+1555200{:04}", (s + i) % receivers_n);
                    started
                        .lock()
                        .unwrap()
                        .insert(subject.clone(), Instant::now());
                    let t = Instant::now();
                    c.send(draft(&to, subject, 30 * 1024)).await.unwrap();
                    send_calls
                        .lock()
                        .unwrap()
                        .push(t.elapsed().as_secs_f64() * 1000.0);
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let sent_at = t0.elapsed().as_secs_f64();
    let deadline = Instant::now() + Duration::from_secs(300);
    while arrivals.0.lock().unwrap().len() < total && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let arrived = arrivals.0.lock().unwrap().clone();
    assert_eq!(arrived.len(), total, "every message delivered");
    let last = arrived.values().max().copied().unwrap();
    let cpu_secs = cpu_seconds() - cpu0;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let secs = (last - t0).as_secs_f64();
    let starts = started.lock().unwrap().clone();
    let mut lat: Vec<f64> = arrived
        .iter()
        .map(|(k, at)| (*at - starts[k]).as_secs_f64() * 1000.0)
        .collect();
    lat.sort_by(|a, b| a.total_cmp(b));
    let p = |q: f64| lat[((lat.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{total} messages of 30 KB from {SENDERS} concurrent senders to {receivers_n} receivers: \
         {:.0} messages/s delivered ({secs:.2} s); send-to-delivered latency p50 {:.1} ms, p99 {:.1} ms",
        total as f64 / secs,
        p(0.5),
        p(0.99)
    );
    let mut calls = send_calls.lock().unwrap().clone();
    calls.sort_by(|a, b| a.total_cmp(b));
    let q = |x: f64| calls[((calls.len() as f64 - 1.0) * x).round() as usize];
    println!(
        "  the senders' send calls: p50 {:.1} ms, p99 {:.1} ms; all sent after {sent_at:.2} s",
        q(0.5),
        q(0.99)
    );
    println!(
        "  CPU (clients, MMSC and kernel): {cpu_secs:.2} s, {:.2} ms per message, {:.0}% of the \
         machine's {} cores while it ran",
        cpu_secs * 1000.0 / total as f64,
        cpu_secs * 100.0 / secs / cores as f64,
        cores
    );
}

/// Runs in a child process (`--serve-mock PORT PUSH_ADDR`): the mock MMSC on `PORT`, the
/// receiving phone registered at `PUSH_ADDR`, and a sender that submits the 3 MB message. Prints
/// `ready` once the message is submitted, then serves until its standard input closes.
async fn serve_mock(port: u16, push: std::net::SocketAddr, dir: &std::path::Path) {
    let mmsc = big_mock(port).await;
    mmsc.register("+15554000002", Some(push));
    let a = client(
        &mmsc,
        dir,
        "+15554000001",
        Arc::new(mms_core::NoopListener),
        false,
    )
    .await;
    a.send(draft("+15554000002", "big".into(), BIG))
        .await
        .unwrap();
    println!("ready");
    until_stdin_closes().await;
}

/// Runs in a child process (`--serve-mmsc PORT`): the mock MMSC alone, knowing the sending and
/// the receiving number. Prints `ready`, then serves until its standard input closes.
async fn serve_mmsc(port: u16) {
    let mmsc = big_mock(port).await;
    mmsc.register("+15554000001", None);
    mmsc.register("+15554000002", None);
    println!("ready");
    until_stdin_closes().await;
}

/// The mock MMSC on `port`, taking messages of up to 8 MiB.
async fn big_mock(port: u16) -> MockMmsc {
    MockMmsc::start(MockConfig {
        bind: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        max_body: 8 * 1024 * 1024,
        max_message_size: 8 * 1024 * 1024,
        ..MockConfig::default()
    })
    .await
    .unwrap()
}

async fn until_stdin_closes() {
    let _ = tokio::task::spawn_blocking(|| {
        let mut sink = String::new();
        let _ = std::io::stdin().read_line(&mut sink);
    })
    .await;
}

/// Starts this binary with `args` and waits for its `ready`.
fn start_child(args: &[&str]) -> std::process::Child {
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
        &mut line,
    )
    .unwrap();
    assert_eq!(line.trim(), "ready");
    child
}

const BIG: usize = 3 * 1024 * 1024;

/// The client's peak memory while retrieving a 3 MB message, with the MMSC (and the sender) in
/// another process so that only the client's own work counts.
async fn memory(dir: &std::path::Path) {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/mms");
    let mut p = profile(&url, "+15554000002");
    p.auto_download = mms_core::AutoDownload::Never;
    p.max_response_size = 8 * 1024 * 1024;
    let t = Arc::new(HttpTransport::new(&p).unwrap());
    let b = MmsClient::open(&dir.join("b3mb.db"), p, t, Arc::new(mms_core::NoopListener)).unwrap();
    let (addr, _task) = spawn_push_receiver(b.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let mut child = start_child(&["--serve-mock", &port.to_string(), &addr.to_string()]);
    let id = loop {
        if let Some(m) = b.messages().unwrap().first() {
            break m.id;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    // Writing 5 to clear_refs resets the peak RSS (VmHWM) to the current RSS.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let base = proc_status("VmRSS:");
    b.download(id).await.unwrap();
    let peak = proc_status("VmHWM:").saturating_sub(base);
    let stored: usize = b
        .message(id)
        .unwrap()
        .parts
        .iter()
        .map(|p| p.data.len())
        .sum();
    assert!(stored >= BIG, "the whole message was stored");
    drop(child.stdin.take());
    let _ = child.wait();
    println!(
        "retrieving a {BIG} byte message (MMSC in another process): the client's peak RSS is \
         {peak} bytes above its baseline, {:.2}x the message (budget 3x)",
        peak as f64 / BIG as f64
    );
}

/// The client's peak memory while sending a 3 MB message (queued, then submitted), with the
/// MMSC in another process.
async fn memory_send(dir: &std::path::Path) {
    let port = free_port();
    let mut child = start_child(&["--serve-mmsc", &port.to_string()]);
    let p = profile(&format!("http://127.0.0.1:{port}/mms"), "+15554000001");
    let t = Arc::new(HttpTransport::new(&p).unwrap());
    let a = MmsClient::open(&dir.join("a3mb.db"), p, t, Arc::new(mms_core::NoopListener)).unwrap();
    let d = draft("+15554000002", "big".into(), BIG);
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let base = proc_status("VmRSS:");
    let id = a.send(d).await.unwrap();
    let peak = proc_status("VmHWM:").saturating_sub(base);
    assert_eq!(a.message(id).unwrap().row.state, mms_core::State::Sent);
    drop(child.stdin.take());
    let _ = child.wait();
    println!(
        "sending a {BIG} byte message (MMSC in another process): the client's peak RSS is \
         {peak} bytes above its baseline (which holds the draft), {:.2}x the message",
        peak as f64 / BIG as f64
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("mms-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--serve-mock") {
        let port = args[i + 1].parse().unwrap();
        let push = args[i + 2].parse().unwrap();
        rt.block_on(serve_mock(port, push, &dir));
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--serve-mmsc") {
        rt.block_on(serve_mmsc(args[i + 1].parse().unwrap()));
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    if !args.iter().any(|a| a == "--memory-only") {
        let per_sender = args
            .iter()
            .position(|a| a == "--per-sender")
            .map_or(PER_SENDER, |i| args[i + 1].parse().unwrap());
        rt.block_on(throughput(&dir, per_sender));
    }
    if !args.iter().any(|a| a == "--throughput-only") {
        rt.block_on(memory(&dir));
        rt.block_on(memory_send(&dir));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// CPU time this process has used, user and system, in seconds (`/proc/self/stat`, in clock
/// ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    (fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap()) / 100.0
}
