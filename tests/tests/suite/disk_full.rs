//! Disk full while storing a download, two ways: the receiving phone (a child process) on a
//! small tmpfs shrunk to what its database already uses, so that writes fail with ENOSPC as on
//! a real full disk; and, where mounting is not allowed, a file size limit (`prlimit --fsize`,
//! SIGXFSZ ignored so that the write fails with an error instead of killing the process). The
//! download fails cleanly: an error, no acknowledgement to the MMSC, the database intact and
//! the message still owed. With space again, the phone resumes and stores it byte-exact, once.
//! The message is larger than the WAL space a store writes when it opens, and the store of the
//! download step opens on the full disk, where it cannot write that space and opens without it.

use mms_core::Store;
use mms_core::{Draft, DraftPart, State};
use mms_tests::harness::*;
use mock_mmsc::{MockConfig, MockMmsc};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const HELPER: &str = env!("CARGO_BIN_EXE_crash_helper");
/// The message's size: more than the WAL space a store writes when it opens (4 MiB on Linux),
/// which a download fills without asking the file system for more.
const BODY: u32 = 4_800_000;
/// The tmpfs: room for the database, its reserved WAL and the message.
const TMPFS_KIB: u64 = 16 * 1024;

/// Runs the helper (optionally under a file size limit) and returns its output lines; with
/// `until`, returns as soon as a line starts with it (the process is left to finish).
fn run(
    args: &[&str],
    fsize: Option<u64>,
    until: Option<&str>,
) -> (std::process::Child, Vec<String>) {
    let mut cmd = match fsize {
        Some(limit) => {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg(format!(
                    "trap '' XFSZ; exec prlimit --fsize={limit} \"$0\" \"$@\""
                ))
                .arg(HELPER)
                .args(args);
            c
        }
        None => {
            let mut c = Command::new(HELPER);
            c.args(args);
            c
        }
    };
    let mut child = cmd
        .env_remove("MMS_CRASH_AT")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for l in out.lines().map_while(Result::ok) {
        let stop = until.is_some_and(|u| l.starts_with(u));
        lines.push(l);
        if stop {
            break;
        }
    }
    (child, lines)
}

fn file_len(p: &std::path::Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

/// How the disk fills up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Squeeze {
    /// The database directory is a tmpfs, shrunk to its use before the download (ENOSPC).
    Tmpfs,
    /// The phone's files may not grow past a limit (EFBIG).
    FileSizeLimit,
}

/// A tmpfs mounted on a directory for the length of a test (unmounted on drop).
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    /// Mounts a tmpfs of `kib` KiB on `dir`; `None` where mounting is not permitted.
    fn mount(dir: &std::path::Path, kib: u64) -> Option<Tmpfs> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }

    /// Resizes it (a tmpfs cannot shrink below what it holds).
    fn resize(&self, kib: u64) {
        let st = Command::new("mount")
            .args(["-o", &format!("remount,size={kib}k")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(st.success(), "remount to {kib} KiB");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazily: detached now, released when the last open file on it closes.
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// KiB used by the files in `dir`, rounded up per file to whole pages.
fn used_kib(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map_while(Result::ok)
        .map(|e| file_len(&e.path()).div_ceil(4096) * 4)
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disk_full_on_a_full_tmpfs_fails_cleanly_and_resumes() {
    disk_full(Squeeze::Tmpfs, "+15556011").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disk_full_under_a_file_size_limit_fails_cleanly_and_resumes() {
    if Command::new("prlimit").arg("--version").output().is_err() {
        panic!("prlimit (util-linux) is needed for the disk-full test");
    }
    disk_full(Squeeze::FileSizeLimit, "+15556001").await;
}

async fn disk_full(squeeze: Squeeze, sender: &str) {
    let mmsc = MockMmsc::start(MockConfig {
        max_message_size: 8 * 1024 * 1024,
        max_body: 8 * 1024 * 1024,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let mut p = profile(&mmsc.url(), sender);
    p.max_message_size = 8 * 1024 * 1024;
    let a = phone_with(&mmsc, sender, "diskfull", p).await.unwrap();
    // Declared before the mount, so that it is unmounted before the directory goes.
    let scratch = scratch_dir(&format!("diskfull-{squeeze:?}")).unwrap();
    let dir = scratch.path().to_path_buf();
    let tmpfs = match squeeze {
        Squeeze::Tmpfs => match Tmpfs::mount(&dir, TMPFS_KIB) {
            Some(t) => Some(t),
            None => {
                println!("disk full on tmpfs: not run, mounting is not permitted here");
                return;
            }
        },
        Squeeze::FileSizeLimit => None,
    };
    let db = dir.join("mms.db");
    let dbs = db.to_string_lossy().into_owned();
    let url = mmsc.url();
    let number = "+15556002";

    // 1. The notification arrives and is stored (no download yet).
    let (mut child, first) = {
        let mut cmd = Command::new(HELPER);
        cmd.args(["notified", &dbs, &url, number])
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        mmsc.register(
            number,
            Some(line.trim().trim_start_matches("PUSHADDR ").parse().unwrap()),
        );
        let body: Vec<u8> = (0..BODY).map(|i| (i % 251) as u8).collect();
        a.client
            .send(Draft {
                to: vec![number.into()],
                subject: Some("big".into()),
                parts: vec![DraftPart {
                    content_type: "application/octet-stream".into(),
                    name: "blob.bin".into(),
                    data: body,
                }],
                ..Draft::default()
            })
            .await
            .unwrap();
        let mut rest = Vec::new();
        for l in out.lines().map_while(Result::ok) {
            rest.push(l);
        }
        (child, rest)
    };
    let _ = child.wait();
    assert!(first[0].starts_with("NOTIFIED"), "{first:?}");

    // 2. The download with the disk (or the files) a little larger than what is stored.
    let wal = dir.join("mms.db-wal");
    let fsize = match &tmpfs {
        Some(t) => {
            t.resize(used_kib(&dir) + 64);
            None
        }
        None => Some(file_len(&db).max(file_len(&wal)) + 64 * 1024),
    };
    let (mut child, out) = run(&["download", &dbs, &url, number], fsize, None);
    let status = child.wait().unwrap();
    assert!(
        status.success(),
        "the phone did not survive the full disk: {status:?} {out:?}"
    );
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(out[0].starts_with("ERR "), "{out:?}");
    println!("{squeeze:?}: the download failed with: {}", out[0]);
    assert!(
        out[0].contains("full") || out[0].contains("disk I/O") || out[0].contains("database"),
        "{out:?}"
    );
    {
        let store = Store::open(&db).unwrap();
        assert!(store.integrity_ok().unwrap());
        let rows = store.messages("default").unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].state, State::Downloading, "still owed");
        assert!(
            store.parts(rows[0].id).unwrap().is_empty(),
            "nothing half-stored"
        );
    }
    assert!(
        mmsc.log_of("transaction_closed").is_empty(),
        "the MMSC was not told the message arrived"
    );

    // 3. Space again: start-up reconciliation finishes the download and acknowledges it once.
    if let Some(t) = &tmpfs {
        t.resize(TMPFS_KIB);
    }
    let (mut child, out) = run(&["resume", &dbs, &url, number], None, Some("RESUMED"));
    let _ = child.wait();
    assert!(out.last().unwrap().starts_with("RESUMED"), "{out:?}");
    let store = Store::open(&db).unwrap();
    assert!(store.integrity_ok().unwrap());
    let rows = store.messages("default").unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, State::Acknowledged);
    let parts = store.parts(rows[0].id).unwrap();
    let want: Vec<u8> = (0..BODY).map(|i| (i % 251) as u8).collect();
    assert!(
        parts.iter().any(|p| p.data == want),
        "byte-exact after resuming"
    );
    assert_eq!(mmsc.log_of("transaction_closed").len(), 1);
    drop(store);
    drop(tmpfs);
}
