//! `mms push-check`: verdicts from the command line for a legitimate, an untrusted and a
//! spoofed notification, and the SMS bearer from the shared corpus when present.

use mms_core::pdu::builder::{Notification, notification_ind};
use mms_core::pdu::{ClassToken, TimeValue};
use std::path::{Path, PathBuf};

use super::mms;

/// A notification's file, in a scratch directory that goes with the first value.
fn notification(location: &str) -> (tempfile::TempDir, PathBuf) {
    let p = notification_ind(&Notification {
        transaction_id: "T-cli",
        from: Some("+15550004"),
        subject: None,
        size: 1000,
        expiry: TimeValue::Relative(3600),
        content_location: location,
        class: ClassToken::Personal,
        delivery_report: false,
    });
    let scratch = crate::scratch("pushcheck");
    let f = scratch.path().join("n.mms");
    std::fs::write(&f, p.encode().unwrap()).unwrap();
    (scratch, f)
}

#[test]
fn push_1_spoofed_notification_is_rejected_with_exit_1() {
    let (_dir, f) = notification("http://mmsc.example@evil.test/m/1");
    let out = mms(&[
        "push-check",
        "--mmsc",
        "http://mmsc.example/m/",
        "--json",
        f.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "reject");
    assert_eq!(v["reason"], "spoofed_content_location");
    assert_eq!(v["threat"], "PUSH-1");
    assert_eq!(v["audit"]["outcome"], "rejected");
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .starts_with("error: push rejected: spoofed_content_location")
    );
}

#[test]
fn trusted_and_untrusted_origins() {
    let (_dir, f) = notification("http://mmsc.example/m/1");
    let out = mms(&[
        "push-check",
        "--mmsc",
        "http://mmsc.example/m/",
        "--origin",
        "+15550100",
        "--trusted",
        "+15550100",
        f.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("verdict:  accept (ok)") && text.contains("download: automatic"),
        "{text}"
    );
    let out = mms(&[
        "push-check",
        "--mmsc",
        "http://mmsc.example/m/",
        "--origin",
        "+15559999",
        f.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("accept_unverified (untrusted_origin) [PUSH-5]")
    );
    let out = mms(&["push-check", "--mmsc", "mmsc.example", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn sms_tpdus_from_the_shared_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/mms/pymessaging/sms_push_notification_ind_1.hex");
    let Ok(text) = std::fs::read_to_string(corpus) else {
        eprintln!("shared corpus absent: skipped");
        return;
    };
    let lines: Vec<&str> = text
        .split("TPDU(hex, incl. SMSC)=")
        .skip(1)
        .map(|s| s.split_whitespace().next().unwrap())
        .collect();
    let scratch = crate::scratch("pushcheck-sms");
    let dir = scratch.path();
    let f = dir.join("tpdus.txt");
    std::fs::write(&f, lines.join("\n")).unwrap();
    let out = mms(&[
        "push-check",
        "--sms",
        "--mmsc",
        "http://promms/servlets/",
        "--trusted",
        "88850100000018",
        "--json",
        f.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "accept");
    assert_eq!(
        v["content"]["transaction_id"],
        "NOK5CiKcoTMYSG4MBSwAAsKv14FUHAAAAAAAA"
    );
}

/// OTA-1, OTA-4: push-check of a provisioning push does not say "Accept": a push with no
/// SEC/MAC from an origin that may not provision is refused whatever the PIN, and says so
/// (exit 1); a signed one from the operator's gateway needs verification.
#[test]
fn ota_4_push_check_says_what_becomes_of_a_provisioning_push() {
    use mms_core::pdu::Text;
    use mms_core::pdu::content_type::{ContentType, MediaType, ParamValue, param};
    let doc = mms_core::provisioning::parse_xml(r#"<wap-provisioningdoc><characteristic type="APPLICATION"><parm name="APPID" value="w4"/><parm name="ADDR" value="http://evil.example/mms"/></characteristic></wap-provisioningdoc>"#).unwrap();
    let body = mms_core::provisioning::encode_wbxml(&doc);
    let scratch = crate::scratch("pushcheck-cp");
    let dir = scratch.path();
    let bare = dir.join("bare.push");
    let cp = ContentType::new(MediaType::WellKnown(0x36));
    std::fs::write(
        &bare,
        mms_core::push::encode_push(1, &cp, None, &body).unwrap(),
    )
    .unwrap();
    let check = |f: &Path, origin: &str| {
        mms(&[
            "push-check",
            "--mmsc",
            "http://mmsc.example/m/",
            "--origin",
            origin,
            "--trusted",
            "+15550100",
            f.to_str().unwrap(),
        ])
    };
    let out = check(&bare, "+15559999");
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(!text.contains("Accept"), "{text}");
    assert!(text.contains("provisioning: refused"), "{text}");
    assert!(text.contains("[OTA-4]"), "{text}");
    // From the trusted gateway but unsigned: refused too (OTA-1).
    let out = check(&bare, "+15550100");
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("[OTA-1]"), "{text}");
    // Signed (USERPIN) from the trusted gateway: it needs the user's PIN.
    let signed = dir.join("signed.push");
    let ct = cp.with(param::SEC, ParamValue::Integer(1)).with(
        param::MAC,
        ParamValue::Text(Text::from("0123456789ABCDEF0123456789ABCDEF01234567")),
    );
    std::fs::write(
        &signed,
        mms_core::push::encode_push(1, &ct, None, &body).unwrap(),
    )
    .unwrap();
    let out = check(&signed, "+15550100");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{text}");
    assert!(text.contains("provisioning: needs_verification"), "{text}");
}
