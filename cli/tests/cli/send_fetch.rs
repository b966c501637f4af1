//! `mms send` and `mms fetch` against a running MMSC (the mock, on loopback), and the help of
//! every subcommand.

use super::mms;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_then_fetch_through_the_cli() {
    let mmsc = mock_mmsc::MockMmsc::start(mock_mmsc::MockConfig::default())
        .await
        .unwrap();
    mmsc.register("+15550701", None);
    mmsc.register("+15550702", None);
    let scratch = crate::scratch("send");
    let dir = scratch.path();
    let f = dir.join("note.txt");
    std::fs::write(&f, "sent by the mms command").unwrap();
    let url = mmsc.url();
    let args: Vec<String> = [
        "send",
        "--mmsc",
        &url,
        "--header",
        "X-Mms-Subscriber: ##LINE1##",
        "--from",
        "+15550701",
        "--to",
        "+15550702",
        "--subject",
        "from the CLI",
        f.to_str().unwrap(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let out = tokio::task::spawn_blocking(move || {
        mms(&args.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("sent: SENT")
    );
    // The notification was not pushed (no push address): its location is in the MMSC log.
    let entry = &mmsc.log_of("notification_not_pushed")[0];
    let location = entry.detail.split_whitespace().nth(1).unwrap().to_string();
    let out = tokio::task::spawn_blocking(move || {
        mms(&[
            "fetch",
            &location,
            "--header",
            "X-Mms-Subscriber: +15550702",
        ])
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("X-Mms-Message-Type: m-retrieve-conf (0x84)"),
        "{text}"
    );
    assert!(text.contains("Subject: from the CLI"));
    assert!(text.contains("sent by the mms command"));
    // An unknown subscriber is refused with one line and a hint.
    let url = mmsc.url();
    let out = tokio::task::spawn_blocking(move || {
        mms(&["send", "--mmsc", &url, "--to", "+15550702", "/etc/hostname"])
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(4), "an HTTP error from the MMSC");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: not sent: MMSC: HTTP 403") && err.contains("hint:"),
        "{err}"
    );
}

#[test]
fn every_subcommand_has_help() {
    for sub in [
        "decode",
        "inspect",
        "links",
        "push-check",
        "provision",
        "demo",
        "send",
        "fetch",
        "mock-mmsc",
        "carrier",
    ] {
        let out = mms(&[sub, "--help"]);
        assert!(out.status.success(), "{sub}");
        let help = String::from_utf8(out.stdout).unwrap();
        // Its own name in the usage line (before, `inspect` printed `mms decode`).
        assert!(help.contains(&format!("Usage: mms {sub}")), "{sub}: {help}");
        if sub != "provision" {
            assert!(help.contains("Examples:\n  mms"), "{sub}: {help}");
        }
    }
    for sub in ["inspect", "verify"] {
        let out = mms(&["provision", sub, "--help"]);
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(
            help.contains(&format!("Usage: mms provision {sub}")),
            "{help}"
        );
        assert!(help.contains("Examples:\n  "), "{sub}: {help}");
    }
    let out = mms(&["send", "--mmsc", "not a url", "--to", "1", "x"]);
    assert_eq!(out.status.code(), Some(2));
}
