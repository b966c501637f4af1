//! `mms decode` on real files: our fixtures, the shared corpus when present, and bad input
//! (exit codes and the one-line error with a hint).

use std::path::Path;

use super::mms;

#[test]
fn decodes_a_send_req_fixture_as_text() {
    let out = mms(&["decode", "tests/fixtures/send-req-smil.mms"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("X-Mms-Message-Type: m-send-req (0x80)\n"),
        "{text}"
    );
    assert!(text.contains("Subject: Grüße [charset utf-8]"));
    assert!(text.contains("Parts: 3"));
    assert!(text.contains("[2] image/jpeg; name=p.jpg (14 octets)"));
}

#[test]
fn json_output_has_headers_parts_and_warnings() {
    let out = mms(&["inspect", "--json", "tests/fixtures/notification-ind.mms"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["layer"], "mms");
    assert_eq!(v["pdu"]["message_type"], "m-notification-ind");
    let headers = v["pdu"]["headers"].as_array().unwrap();
    let loc = headers
        .iter()
        .find(|h| h["name"] == "X-Mms-Content-Location")
        .unwrap();
    assert_eq!(loc["value"], "http://mmsc.example/m/8");
    assert!(v["pdu"]["warnings"].as_array().unwrap().is_empty());
}

#[test]
fn hex_input_and_push_wrapping() {
    let scratch = crate::scratch("decode");
    let dir = scratch.path();
    // A connectionless WSP push (TID 1, type 6) around our notification fixture.
    let body = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/notification-ind.mms"),
    )
    .unwrap();
    let mut push = vec![0x01, 0x06, 0x03, 0xbe, 0xaf, 0x84];
    push.extend_from_slice(&body);
    let hexfile = dir.join("push.txt");
    std::fs::write(&hexfile, hex_lines(&push)).unwrap();
    let out = mms(&["decode", "--hex", "--json", hexfile.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["layer"], "wsp-push");
    assert_eq!(v["push_content_type"], "application/vnd.wap.mms-message");
    assert_eq!(v["pdu"]["message_type"], "m-notification-ind");
}

fn hex_lines(b: &[u8]) -> String {
    b.chunks(16)
        .map(|c| c.iter().map(|x| format!("{x:02x}")).collect::<String>() + "\n")
        .collect()
}

#[test]
fn garbage_is_rejected_with_offset_and_hint() {
    let scratch = crate::scratch("bad");
    let dir = scratch.path();
    let f = dir.join("bad.bin");
    std::fs::write(&f, b"This is not an MMS").unwrap();
    let out = mms(&["decode", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "malformed input");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: not a valid MMS PDU, WAP push, WBXML document or SMS TPDU list: as an MMS PDU: unterminated string at offset 0"),
        "{err}"
    );
    assert!(err.contains("hint:"));
    assert!(!err.contains("panicked") && !err.contains("backtrace"));
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_file_is_a_usage_error() {
    let out = mms(&["decode", "/no/such/file.mms"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .starts_with("error: cannot read /no/such/file.mms")
    );
}

#[test]
fn every_shared_corpus_pdu_prints_or_fails_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/mms/mmsengine");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("shared corpus absent: skipped");
        return;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let out = mms(&["decode", e.path().to_str().unwrap()]);
        let code = out.status.code();
        assert!(
            code == Some(0) || code == Some(3),
            "{}: {code:?}",
            e.path().display()
        );
        if code == Some(0) {
            assert!(String::from_utf8_lossy(&out.stdout).starts_with("X-Mms-Message-Type: "));
        }
        n += 1;
    }
    assert!(n > 50);
}

#[test]
fn inspect_reads_wbxml_provisioning_pushes_and_sms_tpdus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("shared corpus absent: skipped");
        return;
    }
    let si = corpus.join("push/mozilla/si_wbxml_href_date.sic");
    let out = mms(&["inspect", si.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("WBXML si document:") && text.contains("You have 4 new emails"),
        "{text}"
    );
    let cp = corpus.join("push/derived/kannel_style_netwpin_push_466923103145252.bin");
    let out = mms(&["inspect", "--json", cp.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "provisioning");
    assert!(v["push_content_type"].as_str().unwrap().contains("SEC=0"));
    let hexfile =
        std::fs::read_to_string(corpus.join("mms/pymessaging/sms_push_notification_ind_1.hex"))
            .unwrap();
    let lines: Vec<&str> = hexfile
        .split("TPDU(hex, incl. SMSC)=")
        .skip(1)
        .map(|s| s.split_whitespace().next().unwrap())
        .collect();
    let scratch = crate::scratch("tpdu");
    let dir = scratch.path();
    let f = dir.join("tpdus.txt");
    std::fs::write(&f, lines.join("\n")).unwrap();
    let out = mms(&["inspect", "--json", f.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["layer"], "sms+wsp-push");
    assert_eq!(v["pdu"]["message_type"], "m-notification-ind");
    let out = mms(&["inspect", "tests/fixtures/retrieve-links.mms"]);
    assert!(String::from_utf8(out.stdout).unwrap().contains("Links (7;"));
}
