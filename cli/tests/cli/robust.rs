//! The command as a tool in a pipeline: a closed pipe ends it quietly, an oversized input is
//! refused before it is read, exit codes tell malformed input from a policy's refusal, an error
//! names the layer that failed, and `--offsets` shows where everything is.

use super::mms;
use std::process::{Command, Stdio};

/// A path for `name` in a scratch directory, which goes when the first value is dropped.
fn tmp(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = crate::scratch("robust");
    let path = dir.path().join(name);
    (dir, path)
}

/// `mms decode FILE | head -1`: the reader goes away; before, the write panicked (exit 101).
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    for args in [
        vec!["decode", "--offsets", "tests/fixtures/retrieve-links.mms"],
        vec!["links", "tests/fixtures/retrieve-links.mms"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mms"))
            .args(&args)
            .current_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the read end before the command writes a line.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// A 1 GiB input is refused by its size before it is read (it used to be read whole, 2.1 GB of
/// memory, before a decoder limit refused it). The file is sparse: it costs no disk.
#[test]
fn an_oversized_input_is_refused_before_it_is_read() {
    let (_dir, f) = tmp("huge.mms");
    let file = std::fs::File::create(&f).unwrap();
    file.set_len(1 << 30).unwrap();
    let out = mms(&["decode", f.to_str().unwrap()]);
    let _ = std::fs::remove_file(&f);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("is larger than 16 MiB"), "{err}");
    // Standard input is read to one octet past the limit, no further.
    let mut child = Command::new(env!("CARGO_BIN_EXE_mms"))
        .args(["decode", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..64 {
            if std::io::Write::write_all(&mut stdin, &chunk).is_err() {
                break;
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is larger than 16 MiB"));
}

/// Exit code 3 for input that does not decode, 1 for a well-formed push the policy refuses.
#[test]
fn malformed_input_and_a_policy_refusal_have_different_exit_codes() {
    let (_dir, garbage) = tmp("garbage.push");
    std::fs::write(&garbage, [0x01, 0x06, 0x7f, 0xff, 0x00]).unwrap();
    let out = mms(&[
        "push-check",
        "--mmsc",
        "http://mmsc.example/mms",
        garbage.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // A well-formed notification whose location is not on the MMSC (PUSH-1).
    let out = mms(&[
        "push-check",
        "--mmsc",
        "http://mmsc.elsewhere.example/mms",
        "tests/fixtures/notification-ind.mms",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("verdict:  reject (spoofed_content_location)"),
        "{text}"
    );
}

/// A WBXML document that does not decode is reported at the WBXML layer; before, the error
/// was the MMS decoder's ("not an MMS PDU ...: unterminated string").
#[test]
fn a_bad_wbxml_document_is_reported_at_the_wbxml_layer() {
    let (_dir, f) = tmp("bad.wbxml");
    // WBXML 1.3, SI public id, UTF-8, no string table, <si><indication href= ... cut short.
    std::fs::write(&f, [0x03, 0x05, 0x6a, 0x00, 0x45, 0xc6, 0x0c, 0x03, b'x']).unwrap();
    let out = mms(&["decode", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: not a valid WBXML document: si: "),
        "{err}"
    );
    assert!(!err.contains("MMS PDU"), "{err}");
}

/// `--offsets`: every header and part with where it starts, in text and JSON; the spans tile
/// the input.
#[test]
fn offsets_show_where_each_header_and_part_starts() {
    let file = "tests/fixtures/send-req-smil.mms";
    let out = mms(&["decode", "--offsets", file]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Offsets (octet, length):"), "{text}");
    assert!(text.contains("X-Mms-Transaction-Id"), "{text}");
    assert!(text.contains("part 1 data"), "{text}");
    let out = mms(&["decode", "--offsets", "--json", file]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let spans = v["layout"].as_array().unwrap();
    let len = std::fs::metadata(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(file),
    )
    .unwrap()
    .len();
    // The top-level spans (headers, the body's content type, the entry count, each part)
    // tile the input from octet 0 to its end.
    let top: Vec<(u64, u64)> = spans
        .iter()
        .filter(|s| s["depth"] == 0)
        .map(|s| (s["offset"].as_u64().unwrap(), s["len"].as_u64().unwrap()))
        .collect();
    assert_eq!(spans[0]["what"], "X-Mms-Message-Type");
    assert_eq!(top[0], (0, 2), "{top:?}");
    for w in top.windows(2) {
        assert_eq!(w[0].0 + w[0].1, w[1].0, "{top:?}");
    }
    let last = top.last().unwrap();
    assert_eq!(last.0 + last.1, len, "{top:?}");
    let parts: Vec<&serde_json::Value> = spans
        .iter()
        .filter(|s| s["what"].as_str().unwrap().ends_with(" data"))
        .collect();
    assert!(parts.len() >= 2, "{spans:?}");
    for p in parts {
        assert!(p["offset"].as_u64().unwrap() + p["len"].as_u64().unwrap() <= len);
    }
}
