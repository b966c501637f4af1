//! Every transaction runs inside a tracing span that names it and its message, and every
//! journal state change is a tracing event inside that span (so a log line says which
//! transaction moved which message where). Captured from a real send, receive, read, forward,
//! cancel and delete over loopback.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_core::AutoDownload;
use mms_core::{Draft, DraftPart};
use mms_tests::harness::*;
use mock_mmsc::{MockConfig, MockMmsc};
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    fn lines(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .lines()
            .map(str::to_string)
            .collect()
    }
}

/// The captured line with all of `needles`, or a panic listing what was captured.
fn line_with(lines: &[String], needles: &[&str]) -> String {
    lines
        .iter()
        .find(|l| needles.iter().all(|n| l.contains(n)))
        .cloned()
        .unwrap_or_else(|| panic!("no line with {needles:?} in:\n{}", lines.join("\n")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_transaction_has_a_span_and_every_state_change_an_event_inside_it() {
    let cap = Capture::default();
    let sink = cap.clone();
    tracing_subscriber::fmt()
        .with_env_filter("mms_core=info")
        .with_ansi(false)
        .without_time()
        .with_writer(move || sink.clone())
        .init();

    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, "+15553001", "trace").await.unwrap();
    let b = phone(&mmsc, "+15553002", "trace").await.unwrap();
    let mut pc = profile(&mmsc.url(), "+15553003");
    pc.auto_download = AutoDownload::Never;
    let c = phone_with(&mmsc, "+15553003", "trace", pc).await.unwrap();
    let draft = Draft {
        to: vec![b.number.clone(), c.number.clone()],
        read_report: Some(true),
        parts: vec![DraftPart {
            content_type: "text/plain".into(),
            name: "t.txt".into(),
            data: b"traced".to_vec(),
        }],
        ..Draft::default()
    };
    let sent = a.client.send(draft).await.unwrap();
    let got = eventually("B received", || b.events.received().first().copied())
        .await
        .unwrap();
    b.client.confirm_delivered(got).await.unwrap();
    b.client.mark_read(got, true).await.unwrap();
    let held = eventually("C notified", || {
        c.client.messages().unwrap().first().map(|m| m.id)
    })
    .await
    .unwrap();
    c.client
        .forward(held, std::slice::from_ref(&a.number))
        .await
        .unwrap();
    c.client.delete(held).await.unwrap();

    eventually("A has the read report", || {
        a.events
            .find(|e| matches!(e, mms_core::Event::ReadReport { .. }).then_some(()))
    })
    .await
    .unwrap();
    let lines = cap.lines();
    let s = format!("submit{{id={sent}}}");
    line_with(&lines, &[&s, "state=\"SUBMITTING\""]);
    line_with(&lines, &[&s, "state=\"SENT\""]);
    // The push that carried B's notification, and B's download inside it.
    line_with(
        &lines,
        &[
            "push{origin=",
            "kind=Mms",
            "verdict=Accept",
            "state=\"NOTIFIED\"",
        ],
    );
    let d = format!("download{{id={got}}}");
    line_with(&lines, &[&d, "state=\"DOWNLOADING\""]);
    line_with(&lines, &[&d, "state=\"DOWNLOADED\""]);
    let cf = format!("confirm{{id={got}}}");
    line_with(&lines, &[&cf, "state=\"DELIVERED\""]);
    line_with(&lines, &[&cf, "state=\"ACKNOWLEDGED\""]);
    line_with(
        &lines,
        &[
            &format!("mark_read{{id={got} send_report=true}}"),
            "read_report_sent=true",
        ],
    );
    // A's side of B's read report and delivery report.
    line_with(&lines, &["report{octets=", "report recorded", "read=true"]);
    // C: deferred, forwarded without download, then deleted (released on the MMSC).
    line_with(
        &lines,
        &[&format!("defer{{id={held}}}"), "NotifyResp Deferred"],
    );
    line_with(&lines, &[&format!("forward{{id={held}"), "forwarded"]);
    line_with(
        &lines,
        &[&format!("delete{{id={held}"), "state=\"DELETING\""],
    );
    line_with(&lines, &[&format!("delete{{id={held}"), "deleted"]);
}
