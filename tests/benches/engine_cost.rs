//! The cost of one message to the client alone: CPU time and disk syncs (`fsync` and
//! `fdatasync` calls, counted by the kernel) per message sent and per message received, at
//! 30 KB and 3 MB. The mock MMSC, and the phone on the other end of each exchange, run in a
//! child process, so that what is counted is the measured client's own work: its journal, its
//! SQLite file, its HTTP, its decoding. A bench binary (not run by CI):
//! `cargo bench -p mms-tests --bench engine_cost` (`-- --count N` messages per measurement,
//! default 100 at 30 KB and a tenth of that at 3 MB).
//!
//! Syncs are counted with `perf stat -e syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync`
//! attached to this process (all its threads, also those started later, which a calibration
//! step proves before the measurements: a thread started after `perf` attached syncs a file
//! five times and must be counted five times). Without `perf` (or without permission to read
//! tracepoints) the sync column says so and the CPU figures stand alone.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_core::{
    AutoDownload, CarrierProfile, Draft, DraftPart, Event, EventListener, HttpTransport, MmsClient,
    State, spawn_push_receiver,
};
use mock_mmsc::{MockConfig, MockMmsc};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const KB30: usize = 30 * 1024;
const MB3: usize = 3 * 1024 * 1024;

fn profile(url: &str, number: &str) -> CarrierProfile {
    CarrierProfile {
        retry_base_ms: 20,
        max_message_size: 8 * 1024 * 1024,
        max_response_size: 8 * 1024 * 1024,
        http_timeout_secs: 60,
        // The MMSC's pushes are the load here, not a flood to hold back (PUSH-6 is tested
        // elsewhere): past the default burst of 50 a phone defers notifications by design.
        trusted_push_burst: 1_000_000,
        trusted_push_per_hour: 1_000_000,
        ..mms_tests::harness::profile(url, number)
    }
}

fn draft(to: &str, size: usize, n: usize) -> Draft {
    let mut jpeg = vec![0xff, 0xd8, 0xff, 0xe0];
    jpeg.resize(size, 0x5a);
    Draft {
        to: vec![to.into()],
        subject: Some(format!("m{n}")),
        parts: vec![DraftPart {
            content_type: "image/jpeg".into(),
            name: "p.jpg".into(),
            data: jpeg,
        }],
        ..Draft::default()
    }
}

/// CPU time of this process (every thread, live or ended), in seconds.
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // Fields after the command name (which is in parentheses): utime is the 14th field.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: f64 = f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap();
    ticks / 100.0
}

/// `perf stat` counting this process's sync calls.
struct SyncCounter(Option<Child>);

impl SyncCounter {
    fn start() -> Self {
        let child = Command::new("perf")
            .args([
                "stat",
                "-x",
                ",",
                "-e",
                "syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync",
                "-p",
                &std::process::id().to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .ok();
        // perf needs a moment to attach.
        std::thread::sleep(Duration::from_millis(400));
        Self(child)
    }

    /// Stops counting; the number of sync calls, or `None` when perf could not count them.
    fn stop(self) -> Option<u64> {
        let child = self.0?;
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .ok()?;
        let out = child.wait_with_output().ok()?;
        let text = String::from_utf8_lossy(&out.stderr);
        let mut total = 0;
        let mut seen = 0;
        for line in text.lines() {
            let mut cols = line.split(',');
            if let (Some(count), Some(_), Some(event)) = (cols.next(), cols.next(), cols.next()) {
                if event.starts_with("syscalls:sys_enter_f") {
                    total += count.trim().parse::<u64>().ok()?;
                    seen += 1;
                }
            }
        }
        (seen == 2).then_some(total)
    }
}

/// Proves the counter sees a thread started after it attached.
fn calibrate(dir: &std::path::Path) -> bool {
    let counter = SyncCounter::start();
    let path = dir.join("calibration");
    std::thread::spawn(move || {
        let mut f = std::fs::File::create(path).unwrap();
        for i in 0..5u8 {
            f.write_all(&[i]).unwrap();
            f.sync_all().unwrap();
        }
    })
    .join()
    .unwrap();
    counter.stop() == Some(5)
}

/// The child process: the mock MMSC and the phones on the other end, driven by lines on
/// standard input (`register NUMBER ADDR|-`, `send FROM TO SIZE COUNT`), answering `ok`.
async fn child(port: u16, dir: &std::path::Path) {
    let mmsc = MockMmsc::start(MockConfig {
        bind: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        max_body: 8 * 1024 * 1024,
        max_message_size: 8 * 1024 * 1024,
        rate_burst: u32::MAX,
        rate_per_minute: u32::MAX,
        ip_rate_burst: u32::MAX,
        ip_rate_per_minute: u32::MAX,
        quota_per_subscriber: usize::MAX / 4,
        max_held: usize::MAX / 4,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let mut senders: std::collections::HashMap<String, MmsClient> = Default::default();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<String>(4);
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            if tx.blocking_send(line).is_err() {
                break;
            }
        }
    });
    println!("ready");
    while let Some(line) = rx.recv().await {
        let w: Vec<&str> = line.split(' ').collect();
        match w[0] {
            "register" => {
                mmsc.register(w[1], w[2].parse().ok());
            }
            "send" => {
                let from = w[1].to_string();
                if !senders.contains_key(&from) {
                    mmsc.register(&from, None);
                    let p = profile(&mmsc.url(), &from);
                    let t = Arc::new(HttpTransport::new(&p).unwrap());
                    let db = dir.join(format!("child-{from}.db"));
                    let c = MmsClient::open(&db, p, t, Arc::new(mms_core::NoopListener)).unwrap();
                    senders.insert(from.clone(), c);
                }
                let c = &senders[&from];
                let size: usize = w[3].parse().unwrap();
                let count: usize = w[4].parse().unwrap();
                for n in 0..count {
                    c.send(draft(w[2], size, n)).await.unwrap();
                }
            }
            other => panic!("unknown command {other}"),
        }
        println!("ok");
    }
}

struct Peer {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    url: String,
}

impl Peer {
    fn start() -> Self {
        let port = mms_tests::free_port();
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--child", &port.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready");
        Self {
            child,
            stdin,
            stdout,
            url: format!("http://127.0.0.1:{port}/mms"),
        }
    }

    /// Sends a command; returns at once.
    fn command(&mut self, cmd: &str) {
        writeln!(self.stdin, "{cmd}").unwrap();
    }

    /// Waits for the answer to the last command.
    fn answered(&mut self) {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ok");
    }
}

/// Hands the ids of received messages to the bench, which confirms them as an app does once
/// it has them (`DELIVERED`, then M-Acknowledge.ind to the MMSC).
struct Received(tokio::sync::mpsc::UnboundedSender<i64>);

impl EventListener for Received {
    fn on_event(&self, e: &Event) {
        if let Event::MessageReceived { id, .. } = e {
            let _ = self.0.send(*id);
        }
    }
}

struct Figures {
    cpu_ms: f64,
    syncs: Option<f64>,
    per_sec: f64,
}

fn show(what: &str, size: usize, count: usize, f: &Figures) {
    let syncs = f
        .syncs
        .map_or("not counted (perf unavailable)".to_string(), |s| {
            format!("{s:.2}")
        });
    println!(
        "{what} {} x {count}: client CPU {:.2} ms per message, syncs per message {syncs}, \
         {:.0} messages/s",
        if size >= MB3 { "3 MB" } else { "30 KB" },
        f.cpu_ms,
        f.per_sec
    );
}

async fn sending(peer: &mut Peer, dir: &std::path::Path, size: usize, count: usize) -> Figures {
    let me = format!("+1555610{size:07}");
    let to = "+15556200000";
    peer.command(&format!("register {me} -"));
    peer.answered();
    peer.command(&format!("register {to} -"));
    peer.answered();
    let p = profile(&peer.url, &me);
    let t = Arc::new(HttpTransport::new(&p).unwrap());
    let db = dir.join(format!("send-{size}.db"));
    let c = MmsClient::open(&db, p, t, Arc::new(mms_core::NoopListener)).unwrap();
    for n in 0..3 {
        c.send(draft(to, size, n)).await.unwrap();
    }
    let drafts: Vec<Draft> = (0..count).map(|n| draft(to, size, n)).collect();
    let counter = SyncCounter::start();
    let (cpu0, t0) = (cpu_secs(), Instant::now());
    for d in drafts {
        c.send(d).await.unwrap();
    }
    let (cpu1, wall) = (cpu_secs(), t0.elapsed().as_secs_f64());
    let syncs = counter.stop();
    Figures {
        cpu_ms: (cpu1 - cpu0) * 1000.0 / count as f64,
        syncs: syncs.map(|s| s as f64 / count as f64),
        per_sec: count as f64 / wall,
    }
}

async fn receiving(peer: &mut Peer, dir: &std::path::Path, size: usize, count: usize) -> Figures {
    let me = format!("+1555630{size:07}");
    let from = format!("+1555640{size:07}");
    let mut p = profile(&peer.url, &me);
    p.auto_download = AutoDownload::Always;
    let t = Arc::new(HttpTransport::new(&p).unwrap());
    let (tx, mut ids) = tokio::sync::mpsc::unbounded_channel();
    let db = dir.join(format!("receive-{size}.db"));
    let c = MmsClient::open(&db, p, t, Arc::new(Received(tx))).unwrap();
    let (addr, task) = spawn_push_receiver(c.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    peer.command(&format!("register {me} {addr}"));
    peer.answered();
    // Warm up (threads, connections, statements).
    peer.command(&format!("send {from} {me} {size} 3"));
    for _ in 0..3 {
        c.confirm_delivered(ids.recv().await.unwrap())
            .await
            .unwrap();
    }
    peer.answered();
    let counter = SyncCounter::start();
    let (cpu0, t0) = (cpu_secs(), Instant::now());
    peer.command(&format!("send {from} {me} {size} {count}"));
    for _ in 0..count {
        c.confirm_delivered(ids.recv().await.unwrap())
            .await
            .unwrap();
    }
    let (cpu1, wall) = (cpu_secs(), t0.elapsed().as_secs_f64());
    let acknowledged = c
        .messages()
        .unwrap()
        .iter()
        .filter(|m| m.state == State::Acknowledged)
        .count();
    assert_eq!(acknowledged, count + 3, "every message acknowledged");
    let syncs = counter.stop();
    peer.answered();
    task.abort();
    Figures {
        cpu_ms: (cpu1 - cpu0) * 1000.0 / count as f64,
        syncs: syncs.map(|s| s as f64 / count as f64),
        per_sec: count as f64 / wall,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::env::temp_dir().join(format!("mms-cost-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        let port = args[i + 1].parse().unwrap();
        rt.block_on(child(port, &dir));
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    let count: usize = args
        .iter()
        .position(|a| a == "--count")
        .map_or(100, |i| args[i + 1].parse().unwrap());
    let counted = calibrate(&dir);
    println!(
        "sync counter: {}",
        if counted {
            "perf counts every thread (calibrated: 5 of 5)"
        } else {
            "unavailable or miscounting; sync figures omitted"
        }
    );
    let mut peer = Peer::start();
    for (size, n) in [(KB30, count), (MB3, (count / 10).max(3))] {
        let mut s = rt.block_on(sending(&mut peer, &dir, size, n));
        let mut r = rt.block_on(receiving(&mut peer, &dir, size, n));
        if !counted {
            s.syncs = None;
            r.syncs = None;
        }
        show("send", size, n, &s);
        show("receive", size, n, &r);
    }
    drop(peer.stdin);
    let _ = peer.child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
