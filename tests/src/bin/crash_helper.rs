//! A phone in its own process, for the crash-safety tests: the test kills it (SIGKILL) at a
//! journal crash point and starts it again on the same database.
//!
//! Usage:
//!   crash_helper send DB MMSC NUMBER TO
//!   crash_helper receive DB MMSC NUMBER      (prints `PUSHADDR addr`, waits for one message)
//!   crash_helper resume DB MMSC NUMBER       (reconciles, confirms downloaded messages)
//!   crash_helper notified DB MMSC NUMBER     (prints `PUSHADDR addr`, waits until one
//!       notification is stored without downloading it, prints `NOTIFIED id`)
//!   crash_helper download DB MMSC NUMBER     (downloads the stored notification, prints `OK` or
//!       `ERR reason`; the disk-full test runs it with a file size limit)
//!   crash_helper phone DB MMSC NUMBER PORT   (a long-lived phone for the randomised kill test:
//!       push receiver on PORT, reconciles at start, confirms what it downloads, retries what
//!       failed transiently; reads `send TAG TO` lines on standard input, queues each message
//!       with a delivery report requested and prints `QUEUED TAG` once it is durably stored,
//!       then submits it; prints `EVENT received ID TAG` and `EVENT delivery ID STATUS` for
//!       the engine's MessageReceived and DeliveryReport events)
//! With `MMS_CRASH_AT=<point>` the process stops at that point and prints `CRASHPOINT <point>`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_core::HttpTransport;
use mms_core::spawn_push_receiver;
use mms_core::{Draft, DraftPart, Event, EventListener, MmsClient, State};
use mms_tests::harness::{Collector, profile};
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// Prints the events the randomised kill test counts, one line each, as they happen.
struct Printer;

impl EventListener for Printer {
    fn on_event(&self, e: &Event) {
        let line = match e {
            Event::MessageReceived { id, subject, .. } => {
                format!("EVENT received {id} {}", subject.as_deref().unwrap_or("-"))
            }
            Event::DeliveryReport { id, status, .. } => format!("EVENT delivery {id} {status}"),
            _ => return,
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }
}

fn open(db: &str, mmsc: &str, number: &str) -> (MmsClient, Arc<Collector>) {
    open_with(db, mmsc, number, None)
}

fn open_with(
    db: &str,
    mmsc: &str,
    number: &str,
    listener: Option<Arc<dyn EventListener>>,
) -> (MmsClient, Arc<Collector>) {
    let mut p = profile(mmsc, number);
    // The randomised kill test pushes hundreds of messages a minute at each phone and injects
    // faults: the trusted origin may, and sends keep retrying until they get through.
    p.trusted_push_burst = 100_000;
    p.trusted_push_per_hour = 1_000_000;
    p.max_send_attempts = 1_000;
    p.retry_base_ms = 20;
    // The disk-full test downloads a message larger than the WAL space a store reserves.
    p.max_message_size = 8 * 1024 * 1024;
    p.max_response_size = 8 * 1024 * 1024;
    let events = Arc::new(Collector::default());
    let t = Arc::new(HttpTransport::new(&p).unwrap());
    let listener = listener.unwrap_or_else(|| events.clone());
    (
        MmsClient::open(std::path::Path::new(db), p, t, listener).unwrap(),
        events,
    )
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (mode, db, mmsc, number) = (a[1].as_str(), &a[2], &a[3], &a[4]);
    if mode == "phone" {
        let (client, _) = open_with(db, mmsc, number, Some(Arc::new(Printer)));
        return phone(client, &a[5]).await;
    }
    let (client, events) = open(db, mmsc, number);
    match mode {
        "send" => {
            let d = Draft {
                to: vec![a[5].clone()],
                subject: Some("crash test".into()),
                parts: vec![DraftPart {
                    content_type: "text/plain".into(),
                    name: "t.txt".into(),
                    data: b"survives crashes".to_vec(),
                }],
                ..Draft::default()
            };
            let r = client.send(d).await;
            println!("SENT {}", r.is_ok());
        }
        "receive" => {
            let _receiver = announce_push_receiver(&client).await;
            for _ in 0..500 {
                if let Some(id) = events.received().first().copied() {
                    client.confirm_delivered(id).await.unwrap();
                    println!("DONE");
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            println!("TIMEOUT");
        }
        "resume" => {
            let r = client.reconcile().await.unwrap();
            for m in client.messages().unwrap() {
                if m.state == State::Downloaded {
                    client.confirm_delivered(m.id).await.unwrap();
                }
            }
            println!("RESUMED {} {} {}", r.sends, r.downloads, r.acknowledgements);
        }
        "notified" => {
            let mut p = client.profile();
            p.auto_download = mms_core::AutoDownload::Never;
            client.set_profile(p).unwrap();
            let _receiver = announce_push_receiver(&client).await;
            for _ in 0..500 {
                if let Some(m) = client.messages().unwrap().first() {
                    println!("NOTIFIED {}", m.id);
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            println!("TIMEOUT");
        }
        "download" => {
            let id = client.messages().unwrap().first().map(|m| m.id).unwrap();
            match client.download(id).await {
                Ok(()) => println!("OK"),
                Err(e) => println!("ERR {e}"),
            }
        }
        other => panic!("unknown mode {other}"),
    }
    std::io::stdout().flush().unwrap();
}

/// Starts the phone's push receiver on a free loopback port and tells the test where
/// (`PUSHADDR addr`); the receiver runs as long as the returned task is kept.
async fn announce_push_receiver(client: &MmsClient) -> tokio::task::JoinHandle<()> {
    let (addr, task) = spawn_push_receiver(client.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    println!("PUSHADDR {addr}");
    std::io::stdout().flush().unwrap();
    task
}

/// The long-lived phone of the randomised kill test.
async fn phone(client: MmsClient, port: &str) {
    let bind = format!("127.0.0.1:{port}").parse().unwrap();
    let (_addr, _task) = spawn_push_receiver(client.clone(), bind).await.unwrap();
    println!("READY");
    std::io::stdout().flush().unwrap();
    // As an app does: retries scheduled for later are made when due. Without it, a phone killed
    // while a send slept before its next attempt, and started again within the second, found
    // the retry not yet due at its reconcile and never made it (the kill test saw a message
    // stay RETRY_WAIT for good).
    let _retries = mms_core::spawn_retry_scheduler(client.clone());
    let c = client.clone();
    tokio::spawn(async move {
        let _ = c.reconcile().await;
        loop {
            // What a phone app does on its own schedule: confirm what arrived, finish
            // acknowledgements, retry downloads that failed transiently.
            for m in c.messages().unwrap_or_default() {
                let r = match m.state {
                    State::Downloaded | State::Delivered => c.confirm_delivered(m.id).await,
                    State::Notified if m.attempts > 0 && !m.deferred => c.download(m.id).await,
                    _ => Ok(()),
                };
                let _ = r;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::stdin().lock()).map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    while let Some(line) = rx.recv().await {
        let mut w = line.split_whitespace();
        let command = w.next();
        if let (Some(cmd @ ("send" | "queue")), Some(tag), Some(to)) = (command, w.next(), w.next())
        {
            let d = Draft {
                to: vec![to.to_string()],
                subject: Some(tag.to_string()),
                parts: vec![DraftPart {
                    content_type: "text/plain".into(),
                    name: "t.txt".into(),
                    data: format!("body of {tag}").into_bytes(),
                }],
                delivery_report: Some(true),
                ..Draft::default()
            };
            // Durably queued (committed) before the test hears of it; a kill before this line
            // may leave a queued message the test was not told about, never the reverse.
            let Ok(id) = client.queue(d) else { continue };
            {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "QUEUED {tag}");
                let _ = out.flush();
            }
            // `queue`: left queued, as a send the phone died before submitting; start-up
            // reconciliation submits it.
            if cmd == "send" {
                let c = client.clone();
                tokio::spawn(async move {
                    let _ = c.submit(id).await;
                });
            }
        }
    }
}
