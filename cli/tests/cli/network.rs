//! `mms send` and `mms fetch` as a careful client behaves against an MMSC (the mock, on
//! loopback): a fetch capped by the profile, an MMSC's refusal told apart from a network
//! failure, the acknowledgement a real MMSC waits for, no journal left behind, and a retry the
//! MMSC asks for later than a command may wait.

use mock_mmsc::{Fault, FaultOn, MockConfig, MockMmsc};
use std::path::Path;
use std::process::{Command, Output};

const A: &str = "+15550801";
const B: &str = "+15550802";

fn dir(tag: &str) -> tempfile::TempDir {
    crate::scratch(&format!("net-{tag}"))
}

/// Runs `mms` with `args` and `TMPDIR` set to `tmp`.
async fn run(args: Vec<String>, tmp: &Path) -> Output {
    let tmp = tmp.to_path_buf();
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_mms"))
            .args(&args)
            .env("TMPDIR", &tmp)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// A profile file for the mock: the subscriber header, and the given extra TOML lines.
fn profile(d: &Path, name: &str, mmsc: &MockMmsc, extra: &str) -> String {
    let p = d.join(name);
    std::fs::write(
        &p,
        format!(
            "mmsc_url = \"{}\"\nhttp_headers = [\"X-Mms-Subscriber: ##LINE1##\"]\n{extra}\n",
            mmsc.url()
        ),
    )
    .unwrap();
    p.to_string_lossy().into_owned()
}

/// Sends `file` from A to B through the CLI; returns the notification's transaction id and
/// Content-Location from the MMSC's log.
async fn send_via_cli(mmsc: &MockMmsc, d: &Path, prof: &str, file: &Path) -> (String, String) {
    let out = run(
        strings(&[
            "send",
            "--profile",
            prof,
            "--from",
            A,
            "--to",
            B,
            file.to_str().unwrap(),
        ]),
        d,
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let entry = mmsc.log_of("notification_not_pushed").pop().unwrap();
    let mut w = entry.detail.split_whitespace();
    (w.next().unwrap().into(), w.next().unwrap().into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_is_capped_by_the_profile_refusals_have_their_own_code_and_ack_closes_the_transaction()
 {
    let mmsc = MockMmsc::start(MockConfig {
        max_message_size: 2_000_000,
        max_body: 4_000_000,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    mmsc.register(A, None);
    mmsc.register(B, None);
    let scratch = dir("fetch");
    let d = scratch.path();
    let big = profile(
        d,
        "big.toml",
        &mmsc,
        "max_message_size = 2000000\nmax_response_size = 4000000",
    );
    let small = profile(d, "small.toml", &mmsc, "max_message_size = 102400");
    let file = d.join("one-megabyte.txt");
    std::fs::write(&file, "x".repeat(1_000_000)).unwrap();
    let (tid, location) = send_via_cli(&mmsc, d, &big, &file).await;
    let fetch = |prof: &str, extra: &[&str]| {
        let mut v = strings(&["fetch", "--profile", prof, "--from", B]);
        v.extend(strings(extra));
        v.push(location.clone());
        v
    };
    // A profile whose maximum message size is 100 KB does not read a 1 MB message (before,
    // the fetch path raised its cap to 4 MiB).
    let out = run(fetch(&small, &[]), d).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("larger than 160768"), "{err}");
    // The MMSC's Retrieve-Status error is a refusal (exit 5), not a success (before: exit 0).
    mmsc.inject(
        FaultOn::Get,
        Fault::RetrieveStatus(mms_core::pdu::RetrieveStatus::PermanentMessageNotFound),
    );
    let out = run(fetch(&big, &[]), d).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("error-permanent-message-not-found"), "{err}");
    // Fetched and acknowledged: the MMSC closes the transaction (before, `fetch` never
    // acknowledged, and a real MMSC re-notified for good).
    assert_eq!(mmsc.open_transactions(), 1);
    let out = run(fetch(&big, &["--ack", &tid]), d).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(&format!("acknowledged transaction {tid}"))
    );
    assert_eq!(mmsc.open_transactions(), 0);
    let closed = mmsc.log_of("transaction_closed");
    assert!(
        closed.iter().any(|e| e.detail.starts_with(&tid)),
        "{closed:?}"
    );
}

/// `mms send` without --db leaves no journal in the temporary folder (before, one
/// `mms-send-<pid>.db` per run stayed there).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_without_a_journal_leaves_nothing_behind() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    mmsc.register(A, None);
    mmsc.register(B, None);
    let scratch = dir("tmpdb");
    let d = scratch.path();
    let tmp = d.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let prof = profile(d, "p.toml", &mmsc, "");
    let file = d.join("hi.txt");
    std::fs::write(&file, "hi").unwrap();
    let out = run(
        strings(&[
            "send",
            "--profile",
            &prof,
            "--from",
            A,
            "--to",
            B,
            file.to_str().unwrap(),
        ]),
        &tmp,
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// The MMSC asks to try again later than the profile lets a call wait: `send` exits 75 at
/// once with the message kept in the journal, and `--resume` sends it once due.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_for_later_exits_75_and_resume_sends_it() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    mmsc.register(A, None);
    mmsc.register(B, None);
    let scratch = dir("retry");
    let d = scratch.path();
    let prof = profile(d, "p.toml", &mmsc, "max_call_wait_secs = 0");
    let db = d.join("journal.db");
    let file = d.join("hi.txt");
    std::fs::write(&file, "later").unwrap();
    mmsc.inject(FaultOn::Post, Fault::Http(503, Some(1)));
    let args = strings(&[
        "send",
        "--profile",
        &prof,
        "--from",
        A,
        "--to",
        B,
        "--db",
        db.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    let out = run(args, d).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{err}");
    assert!(err.contains("try again in"), "{err}");
    assert_eq!(mmsc.message_count(), 0);
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    let resume = strings(&[
        "send",
        "--profile",
        &prof,
        "--from",
        A,
        "--db",
        db.to_str().unwrap(),
        "--resume",
    ]);
    let out = run(resume, d).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains(": SENT (transaction"), "{text}");
    assert_eq!(mmsc.message_count(), 1);
}
