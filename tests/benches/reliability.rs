//! Load and flood figures for RELIABILITY.md (a bench binary, not run by CI):
//!
//! * `load`: 100 phones (each its own client and SQLite file, in this process) send 100
//!   messages each to random other phones through the mock MMSC on loopback; every message must
//!   end stored exactly once, acknowledged, on its recipient. Reports the wall time, messages
//!   per second and the process's peak RSS.
//! * `flood`: 1,000,000 hostile pushes (spoofed locations, untrusted origins, replays, garbage,
//!   wrong types, SI/SL) handed to one phone as fast as it takes them, while a real sender
//!   sends it 100 messages through the mock MMSC; every legitimate message must arrive. Reports
//!   pushes per second, the verdicts, the audit log size and the peak RSS.
//!
//! `cargo bench -p mms-tests --bench reliability -- load|flood [N]`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_core::CarrierProfile;
use mms_core::HttpTransport;
use mms_core::pdu::builder::{Notification, notification_ind};
use mms_core::pdu::{ClassToken, ContentType, TimeValue};
use mms_core::push::{PORT_PUSH, encode_mms_push, encode_push};
use mms_core::spawn_push_receiver;
use mms_core::{Direction, Draft, DraftPart, MmsClient, NoopListener, State};
use mms_tests::proc_status;
use mock_mmsc::{MockConfig, MockMmsc};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn profile(url: &str, number: &str) -> CarrierProfile {
    CarrierProfile {
        // A load test: the MMSC's own pushes come faster than a phone's default burst.
        trusted_push_burst: 100_000,
        trusted_push_per_hour: 1_000_000,
        max_send_attempts: 50,
        retry_base_ms: 50,
        http_timeout_secs: 30,
        ..mms_tests::harness::profile(url, number)
    }
}

async fn open(mmsc: &MockMmsc, dir: &Path, number: &str) -> MmsClient {
    let p = profile(&mmsc.url(), number);
    let t = Arc::new(HttpTransport::new(&p).unwrap());
    let db = dir.join(format!("{}.db", number.trim_start_matches('+')));
    let c = MmsClient::open(&db, p, t, Arc::new(NoopListener)).unwrap();
    let (addr, _task) = spawn_push_receiver(c.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    mmsc.register(number, Some(addr));
    c
}

fn text(to: &str, tag: String, size: usize) -> Draft {
    Draft {
        to: vec![to.into()],
        subject: Some(tag.clone()),
        parts: vec![DraftPart {
            content_type: "text/plain".into(),
            name: "t.txt".into(),
            data: format!("{tag} {}", "x".repeat(size)).into_bytes(),
        }],
        delivery_report: Some(false),
        ..Draft::default()
    }
}

/// Confirms every downloaded message of `clients` until all `expected` have arrived.
async fn drain(clients: &[MmsClient], expected: usize, deadline: Duration) -> usize {
    let end = Instant::now() + deadline;
    loop {
        let mut done = 0;
        for c in clients {
            for m in c.messages().unwrap() {
                if m.direction != Direction::In {
                    continue;
                }
                match m.state {
                    State::Downloaded => {
                        let _ = c.confirm_delivered(m.id).await;
                    }
                    State::Notified if m.attempts > 0 => {
                        let _ = c.download(m.id).await;
                    }
                    State::Acknowledged => done += 1,
                    _ => {}
                }
            }
        }
        if done >= expected || Instant::now() > end {
            return done;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn load(dir: &Path, phones: usize, per: usize) {
    let mmsc = MockMmsc::start(MockConfig {
        renotify: Some(Duration::from_secs(2)),
        max_renotify: 100,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let numbers: Vec<String> = (0..phones).map(|i| format!("+1555800{i:04}")).collect();
    let mut clients = Vec::new();
    for n in &numbers {
        clients.push(open(&mmsc, dir, n).await);
    }
    let base = proc_status("VmRSS:");
    let start = Instant::now();
    let mut tasks = Vec::new();
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for (i, c) in clients.iter().enumerate() {
        let mut plan = Vec::new();
        for k in 0..per {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let to = (i + 1 + (x % (phones as u64 - 1)) as usize) % phones;
            plan.push((numbers[to].clone(), format!("L{i:03}-{k:03}")));
        }
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            for (to, tag) in plan {
                c.send(text(&to, tag, 1000)).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let total = phones * per;
    let done = drain(&clients, total, Duration::from_secs(600)).await;
    let secs = start.elapsed().as_secs_f64();
    // Exactly once, from the databases.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for c in &clients {
        for m in c.messages().unwrap() {
            if m.direction == Direction::In {
                *seen
                    .entry(m.subject.clone().unwrap_or_default())
                    .or_default() += 1;
            } else {
                assert_eq!(m.state, State::Sent);
            }
        }
        assert!(c.store().integrity_ok().unwrap());
    }
    assert_eq!(done, total, "all acknowledged");
    assert_eq!(seen.len(), total, "every message arrived");
    assert!(seen.values().all(|n| *n == 1), "no message twice");
    println!(
        "load: {phones} phones x {per} messages = {total} delivered exactly once in {secs:.1} s \
         ({:.0} messages/s); peak RSS {} MB above the {} MB baseline with all phones open",
        total as f64 / secs,
        proc_status("VmHWM:").saturating_sub(base) / (1024 * 1024),
        base / (1024 * 1024)
    );
}

/// The hostile pushes of the flood, cycled.
fn hostile(mmsc_url: &str) -> Vec<(String, Vec<u8>)> {
    let note = |tid: &str, loc: &str| {
        encode_mms_push(
            1,
            &notification_ind(&Notification {
                transaction_id: tid,
                from: Some("+15550666"),
                subject: Some("win a prize"),
                size: 1000,
                expiry: TimeValue::Relative(3600),
                content_location: loc,
                class: ClassToken::Personal,
                delivery_report: false,
            })
            .encode()
            .unwrap(),
        )
    };
    vec![
        // PUSH-1: a location off the MMSC, from the trusted origin.
        ("127.0.0.1".into(), note("F1", "http://evil.example/x")),
        // PUSH-5: untrusted origins, a valid-looking location.
        (
            "+15550666".into(),
            note("F2", &format!("{mmsc_url}/m/forged")),
        ),
        (
            "+15550667".into(),
            note("F3", &format!("{mmsc_url}/m/forged2")),
        ),
        // PUSH-8: garbage and truncated pushes.
        ("+15550668".into(), vec![0x01, 0x06, 0xff, 0xff, 0xff]),
        (
            "+15550669".into(),
            note("F4", "http://evil.example/y")[..20].to_vec(),
        ),
        // PUSH-2/3: SL and SI from strangers.
        (
            "+15550670".into(),
            encode_push(
                1,
                &ContentType::named("application/vnd.wap.slc"),
                None,
                &[0x02, 0x06, 0x6a, 0x00, 0x85, 0x0a],
            )
            .unwrap(),
        ),
        (
            "+15550671".into(),
            encode_push(
                2,
                &ContentType::named("application/vnd.wap.sic"),
                None,
                &[0x02, 0x05, 0x6a, 0x00, 0x45, 0x01],
            )
            .unwrap(),
        ),
        // Not for us at all.
        (
            "+15550672".into(),
            encode_push(3, &ContentType::named("text/plain"), None, b"hello").unwrap(),
        ),
    ]
}

async fn flood(dir: &Path, n: usize) {
    let mmsc = MockMmsc::start(MockConfig {
        renotify: Some(Duration::from_secs(1)),
        max_renotify: 1000,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let a = open(&mmsc, dir, "+15559100").await;
    let b = open(&mmsc, dir, "+15559200").await;
    let pushes = hostile(&mmsc.url());
    let base = proc_status("VmRSS:");
    const LEGIT: usize = 100;
    let sender = {
        let a = a.clone();
        tokio::spawn(async move {
            for k in 0..LEGIT {
                a.send(text("+15559200", format!("legit-{k:03}"), 200))
                    .await
                    .unwrap();
                // Spread over the flood (about 12 s for a million pushes here).
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let start = Instant::now();
    let mut verdicts: HashMap<String, usize> = HashMap::new();
    for i in 0..n {
        let (origin, wsp) = &pushes[i % pushes.len()];
        let v = b.handle_push(origin, Some(PORT_PUSH), wsp).await;
        *verdicts
            .entry(format!("{:?}/{}", v.verdict, v.reason.code()))
            .or_default() += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let during = b
        .messages()
        .unwrap()
        .iter()
        .filter(|m| m.direction == Direction::In)
        .count();
    sender.await.unwrap();
    let got = drain(std::slice::from_ref(&b), LEGIT, Duration::from_secs(120)).await;
    let legit = b
        .messages()
        .unwrap()
        .iter()
        .filter(|m| {
            m.subject
                .as_deref()
                .is_some_and(|s| s.starts_with("legit-"))
        })
        .count();
    let audit = b.audit_log(None, i64::MAX).unwrap().len();
    let peak = proc_status("VmHWM:").saturating_sub(base);
    assert_eq!(legit, LEGIT, "every legitimate message arrived");
    assert_eq!(got, LEGIT, "and was acknowledged");
    let mut v: Vec<_> = verdicts.into_iter().collect();
    v.sort();
    println!(
        "flood: {n} hostile pushes in {secs:.1} s ({:.0} pushes/s) while {LEGIT} legitimate \
         messages were sent ({during} notified during the flood), all {legit} stored; audit log {audit} rows (capped); peak RSS {} MB \
         above the {} MB baseline; verdicts {v:?}",
        n as f64 / secs,
        peak / (1024 * 1024),
        base / (1024 * 1024)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("mms-reliability-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mode = args.iter().skip(1).find(|a| !a.starts_with('-')).cloned();
    let num = args
        .iter()
        .skip(1)
        .filter_map(|a| a.parse::<usize>().ok())
        .next();
    match mode.as_deref() {
        Some("load") => rt.block_on(load(&dir, num.unwrap_or(100), 100)),
        Some("flood") => rt.block_on(flood(&dir, num.unwrap_or(1_000_000))),
        _ => {
            rt.block_on(load(&dir, 100, 100));
            rt.block_on(flood(&dir, 1_000_000));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
