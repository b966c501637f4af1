//! `mms provision inspect|verify` on documents of our own (OTA-1, OTA-2 from the command line).

use mms_core::provisioning::{
    Credentials, SecMethod, Secret, compute_mac, encode_wbxml, parse_xml,
};

use super::mms;

/// The document's file (in a scratch directory that goes with the first value) and its MAC.
fn doc_file() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let doc = parse_xml(r#"<wap-provisioningdoc><characteristic type="APPLICATION"><parm name="APPID" value="w4"/><parm name="ADDR" value="https://mmsc.op.example/mms"/></characteristic></wap-provisioningdoc>"#).unwrap();
    let body = encode_wbxml(&doc);
    let mac = compute_mac(
        SecMethod::Userpin,
        &body,
        &Credentials {
            imsi: None,
            pin: Some(Secret::new("2580")),
        },
    )
    .unwrap();
    let dir = crate::scratch("prov");
    let f = dir.path().join("doc.wbxml");
    std::fs::write(&f, body).unwrap();
    (dir, f, mac)
}

/// `mms provision verify FILE --sec 1 --mac MAC --pin PIN [--json]`.
fn verify(f: &std::path::Path, mac: &str, pin: &str, json: bool) -> std::process::Output {
    let mut args = vec![
        "provision",
        "verify",
        f.to_str().unwrap(),
        "--sec",
        "1",
        "--mac",
        mac,
        "--pin",
        pin,
    ];
    if json {
        args.push("--json");
    }
    mms(&args)
}

#[test]
fn inspect_shows_the_document_and_settings() {
    let (_dir, f, _) = doc_file();
    let out = mms(&["provision", "inspect", f.to_str().unwrap(), "--sec", "1"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(r#"<parm name="APPID" value="w4"/>"#),
        "{text}"
    );
    assert!(text.contains("MMSC:     https://mmsc.op.example/mms"));
    assert!(text.contains("security: USERPIN (SEC=1)"));
}

#[test]
fn ota_2_verify_accepts_the_right_pin_and_refuses_a_wrong_one() {
    let (_dir, f, mac) = doc_file();
    let out = verify(&f, &mac, "2580", true);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["authentication"]["Ok"]["strength"], "user_pin");
    assert_eq!(v["mms_settings"]["mmsc_url"], "https://mmsc.op.example/mms");
    let out = verify(&f, &mac, "2581", false);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("verified: NO (MAC mismatch)")
    );
    // OTA-1: no SEC at all.
    let out = mms(&["provision", "verify", f.to_str().unwrap(), "--pin", "2580"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("not authenticated")
    );
    // Garbage is a clean error, and a different one: malformed, not refused.
    let out = mms(&["provision", "inspect", "Cargo.toml"]);
    assert_eq!(out.status.code(), Some(3));
}

/// A provisioning push whose content type gives SEC as text (`SEC=USERPIN` or `SEC=1`, as a
/// textual media type writes it) is verified with that method, the same as the binary form.
/// (The CLI kept its own SEC parser, which read only the binary form, so such a push verified
/// as "no security".)
#[test]
fn ota_1_a_sec_given_as_text_in_the_push_is_read() {
    use mms_core::pdu::Text;
    use mms_core::pdu::content_type::{ContentType, MediaType, Param, ParamName, ParamValue};
    let (_dir, f, mac) = doc_file();
    let body = std::fs::read(&f).unwrap();
    for sec_text in ["USERPIN", "1"] {
        let text_param = |name: &'static str, value: &str| Param {
            name: ParamName::Text(Text::from(name)),
            value: ParamValue::Text(Text::from(value).into_owned()),
        };
        let ct = ContentType {
            media: MediaType::Text(Text::from("application/vnd.wap.connectivity-wbxml")),
            params: vec![text_param("SEC", sec_text), text_param("MAC", &mac)],
        };
        let push = mms_core::push::encode_push(1, &ct, None, &body).unwrap();
        let p = f.with_extension(format!("push-{sec_text}"));
        std::fs::write(&p, &push).unwrap();
        let out = mms(&["provision", "verify", p.to_str().unwrap(), "--pin", "2580"]);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(out.status.success(), "SEC={sec_text}: {text}");
        assert!(text.contains("security: USERPIN (SEC=1)"), "{text}");
        assert!(text.contains("verified: yes"), "{text}");
    }
}

/// OTA-6: passwords in a provisioning document (AUTHSECRET, PXAUTH-PW) never appear in the
/// JSON or the text of `mms provision inspect`, though the document carries them.
#[test]
fn ota_6_inspect_never_prints_the_documents_passwords() {
    let doc = parse_xml(r#"<wap-provisioningdoc><characteristic type="NAPDEF"><parm name="NAPID" value="n1"/><parm name="NAME" value="MMS"/><characteristic type="NAPAUTHINFO"><parm name="AUTHTYPE" value="PAP"/><parm name="AUTHNAME" value="mms"/><parm name="AUTHSECRET" value="s3cr3t-nap"/></characteristic></characteristic><characteristic type="PXLOGICAL"><parm name="PROXY-ID" value="p1"/><characteristic type="PXAUTHINFO"><parm name="PXAUTH-TYPE" value="HTTP-BASIC"/><parm name="PXAUTH-PW" value="s3cr3t-proxy"/></characteristic></characteristic></wap-provisioningdoc>"#).unwrap();
    let scratch = crate::scratch("prov-secret");
    let f = scratch.path().join("secret.wbxml");
    std::fs::write(&f, encode_wbxml(&doc)).unwrap();
    for args in [
        vec!["provision", "inspect", f.to_str().unwrap(), "--json"],
        vec!["provision", "inspect", f.to_str().unwrap()],
    ] {
        let out = mms(&args);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("AUTHSECRET") && text.contains("PXAUTH-PW"),
            "{text}"
        );
        assert!(!text.contains("s3cr3t"), "{text}");
    }
    // And not through Debug of the document either.
    assert!(!format!("{doc:?}").contains("s3cr3t"));
}

/// OTA-6: the PIN can be given without the command line (where other users see it in the
/// process table): from the environment or from standard input.
#[test]
fn ota_6_the_pin_comes_from_the_environment_or_standard_input() {
    use std::io::Write;
    let (_dir, f, mac) = doc_file();
    let run = |env: Option<&str>, stdin: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_mms"));
        cmd.args([
            "provision",
            "verify",
            f.to_str().unwrap(),
            "--sec",
            "1",
            "--mac",
            &mac,
        ]);
        if stdin.is_some() {
            cmd.arg("--pin-stdin");
        }
        if let Some(p) = env {
            cmd.env("MMS_PIN", p);
        } else {
            cmd.env_remove("MMS_PIN");
        }
        cmd.stdin(std::process::Stdio::piped());
        cmd.stdout(std::process::Stdio::piped());
        cmd.stderr(std::process::Stdio::null());
        let mut child = cmd.spawn().unwrap();
        if let Some(s) = stdin {
            child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
        } else {
            drop(child.stdin.take());
        }
        child.wait_with_output().unwrap()
    };
    assert!(run(Some("2580"), None).status.success());
    assert!(run(None, Some("2580\n")).status.success());
    let wrong = run(None, Some("0000\n"));
    assert_eq!(wrong.status.code(), Some(1));
}
