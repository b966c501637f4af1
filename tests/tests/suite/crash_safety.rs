//! Crash safety: the phone runs in its own process and is killed with SIGKILL at every journal
//! state of send and receive, then restarted on the same database. Every message ends stored
//! exactly once, and the MMSC saw the right submissions and acknowledgements, no more.

use mms_core::State;
use mms_core::Store;
use mms_tests::harness::*;
use mock_mmsc::{MockConfig, MockMmsc};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const HELPER: &str = env!("CARGO_BIN_EXE_crash_helper");

/// Spawns the helper; returns the child and a channel of its output lines.
fn spawn(args: &[&str], crash_at: Option<&str>) -> (Child, mpsc::Receiver<String>) {
    let mut cmd = Command::new(HELPER);
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::null());
    match crash_at {
        Some(p) => cmd.env("MMS_CRASH_AT", p),
        None => cmd.env_remove("MMS_CRASH_AT"),
    };
    let mut child = cmd.spawn().unwrap();
    let out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

async fn wait_line(rx: &mpsc::Receiver<String>, prefix: &str) -> String {
    for _ in 0..1000 {
        match rx.try_recv() {
            Ok(l) if l.starts_with(prefix) => return l,
            Ok(_) => {}
            Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
    panic!("no {prefix} line");
}

async fn run_to_end(args: &[&str]) -> String {
    let (mut child, rx) = spawn(args, None);
    let l = wait_line(
        &rx,
        if args[0] == "resume" {
            "RESUMED"
        } else {
            "SENT"
        },
    )
    .await;
    let _ = child.wait();
    l
}

/// A database path for the helper's command line, and the scratch directory holding it.
fn tmpdb(tag: &str) -> (String, mms_tests::harness::ScratchDb) {
    let db = mms_tests::harness::scratch_db(&format!("crash-{tag}")).unwrap();
    (db.path.to_string_lossy().into_owned(), db)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_every_send_state_the_message_is_sent_exactly_once() {
    for point in ["queued", "submitting", "submitted"] {
        let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
        mmsc.register("+15558002", None);
        mmsc.register("+15558001", None);
        let (db, _scratch) = tmpdb(&format!("send-{point}"));
        let url = mmsc.url();
        let (mut child, rx) = spawn(&["send", &db, &url, "+15558001", "+15558002"], Some(point));
        wait_line(&rx, &format!("CRASHPOINT {point}")).await;
        child.kill().unwrap(); // SIGKILL
        let _ = child.wait();
        let resumed = run_to_end(&["resume", &db, &url, "+15558001"]).await;
        assert!(resumed.starts_with("RESUMED 1"), "{point}: {resumed}");
        let store = Store::open(std::path::Path::new(&db)).unwrap();
        let rows = store.messages("default").unwrap();
        assert_eq!(rows.len(), 1, "{point}");
        assert_eq!(rows[0].state, State::Sent, "{point}");
        assert!(store.integrity_ok().unwrap());
        assert_eq!(mmsc.message_count(), 1, "{point}: stored once at the MMSC");
        let dup = mmsc.log_of("duplicate_submission").len();
        assert_eq!(
            dup,
            usize::from(point == "submitted"),
            "{point}: a resubmission only when the first POST got through"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_every_receive_state_the_message_is_stored_and_acknowledged_once() {
    for point in [
        "notified",
        "downloading",
        "fetched",
        "downloaded",
        "delivered",
        "acked",
    ] {
        let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
        let a = phone(&mmsc, "+15559001", &format!("crash-a-{point}"))
            .await
            .unwrap();
        let (db, _scratch) = tmpdb(&format!("recv-{point}"));
        let url = mmsc.url();
        let (mut child, rx) = spawn(&["receive", &db, &url, "+15559002"], Some(point));
        let line = wait_line(&rx, "PUSHADDR ").await;
        mmsc.register(
            "+15559002",
            Some(line.trim_start_matches("PUSHADDR ").parse().unwrap()),
        );
        let d = mms_core::Draft {
            to: vec!["+15559002".into()],
            parts: vec![mms_core::DraftPart {
                content_type: "text/plain".into(),
                name: "t.txt".into(),
                data: format!("kill at {point}").into_bytes(),
            }],
            ..Default::default()
        };
        a.client.send(d).await.unwrap();
        wait_line(&rx, &format!("CRASHPOINT {point}")).await;
        child.kill().unwrap(); // SIGKILL
        let _ = child.wait();
        let resumed = run_to_end(&["resume", &db, &url, "+15559002"]).await;
        let store = Store::open(std::path::Path::new(&db)).unwrap();
        let rows = store.messages("default").unwrap();
        assert_eq!(rows.len(), 1, "{point}: {resumed}");
        assert_eq!(
            rows[0].state,
            State::Acknowledged,
            "{point}: {resumed} {:?}",
            rows[0]
        );
        let parts = store.parts(rows[0].id).unwrap();
        assert_eq!(
            parts[0].data,
            format!("kill at {point}").into_bytes(),
            "{point}"
        );
        assert!(store.integrity_ok().unwrap());
        assert_eq!(
            mmsc.log_of("transaction_closed").len(),
            1,
            "{point}: closed once"
        );
        assert!(mmsc.log_of("tid_mismatch").is_empty(), "{point}");
        // The sender gets exactly one delivery report.
        assert_eq!(mmsc.log_of("delivery_report_pushed").len(), 1, "{point}");
    }
}

/// Killed after an unreadable download was journalled `FAILED` and before the MMSC was told
/// (crash point `refusing`): after the restart the MMSC's repeated notification is answered
/// with the refusal, so the transaction closes once, as `Unrecognised`, and the message stays
/// `FAILED`, stored once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_between_an_unreadable_download_and_its_refusal_the_refusal_still_arrives() {
    let mmsc = MockMmsc::start(MockConfig {
        renotify: Some(Duration::from_millis(300)),
        sweep: Duration::from_millis(100),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let a = phone(&mmsc, "+15559011", "crash-a-refusing").await.unwrap();
    let (db, _scratch) = tmpdb("recv-refusing");
    let url = mmsc.url();
    let register = |line: String| {
        mmsc.register(
            "+15559012",
            Some(line.trim_start_matches("PUSHADDR ").parse().unwrap()),
        );
    };
    let (mut child, rx) = spawn(&["receive", &db, &url, "+15559012"], Some("refusing"));
    register(wait_line(&rx, "PUSHADDR ").await);
    mmsc.inject(mock_mmsc::FaultOn::Get, mock_mmsc::Fault::Garbage);
    a.client
        .send(text_draft("+15559012", None, b"x"))
        .await
        .unwrap();
    wait_line(&rx, "CRASHPOINT refusing").await;
    child.kill().unwrap(); // SIGKILL
    let _ = child.wait();
    assert!(mmsc.log_of("transaction_closed").is_empty());
    let (mut child, rx) = spawn(&["receive", &db, &url, "+15559012"], None);
    register(wait_line(&rx, "PUSHADDR ").await);
    let closed = eventually("the refusal", || {
        mmsc.log_of("transaction_closed").into_iter().next()
    })
    .await
    .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(closed.detail.contains("Unrecognised"), "{closed:?}");
    assert_eq!(mmsc.log_of("transaction_closed").len(), 1);
    let store = Store::open(std::path::Path::new(&db)).unwrap();
    let rows = store.messages("default").unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, State::Failed);
    assert!(store.integrity_ok().unwrap());
}
