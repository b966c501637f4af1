//! A phone in its own process, for the crash-safety tests: the test kills it (SIGKILL) at a
//! journal crash point and starts it again on the same database.
//!
//! Usage:
//!   crash_helper send DB MMSC NUMBER TO
//!   crash_helper receive DB MMSC NUMBER      (prints `PUSHADDR addr`, waits for one message)
//!   crash_helper resume DB MMSC NUMBER       (reconciles, confirms downloaded messages)
//! With `MMS_CRASH_AT=<point>` the process stops at that point and prints `CRASHPOINT <point>`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_core::engine::udp::spawn_push_receiver;
use mms_core::engine::{Draft, DraftPart, MmsClient, state};
use mms_core::transport::HttpTransport;
use mms_tests::harness::{Collector, profile};
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

fn open(db: &str, mmsc: &str, number: &str) -> (MmsClient, Arc<Collector>) {
    let p = profile(mmsc, number);
    let events = Arc::new(Collector::default());
    let t = Arc::new(HttpTransport::new(&p).unwrap());
    (
        MmsClient::open(std::path::Path::new(db), p, t, events.clone()).unwrap(),
        events,
    )
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (mode, db, mmsc, number) = (a[1].as_str(), &a[2], &a[3], &a[4]);
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
            let (addr, _t) = spawn_push_receiver(client.clone(), "127.0.0.1:0".parse().unwrap())
                .await
                .unwrap();
            println!("PUSHADDR {addr}");
            std::io::stdout().flush().unwrap();
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
                if m.state == state::DOWNLOADED {
                    client.confirm_delivered(m.id).await.unwrap();
                }
            }
            println!("RESUMED {} {} {}", r.sends, r.downloads, r.acknowledgements);
        }
        other => panic!("unknown mode {other}"),
    }
    std::io::stdout().flush().unwrap();
}
