//! `mms provision inspect|verify` on documents of our own (OTA-1, OTA-2 from the command line).

use mms_core::provisioning::{
    Credentials, SecMethod, Secret, compute_mac, encode_wbxml, parse_xml,
};

use super::mms;

fn doc_file() -> (std::path::PathBuf, String) {
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
    let dir = std::env::temp_dir().join(format!("mms-prov-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("doc.wbxml");
    std::fs::write(&f, body).unwrap();
    (f, mac)
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
    let (f, _) = doc_file();
    let out = mms(&["provision", "inspect", f.to_str().unwrap(), "--sec", "1"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(r#"<parm name="APPID" value="w4"/>"#),
        "{text}"
    );
    assert!(text.contains("MMSC:     https://mmsc.op.example/mms"));
    assert!(text.contains("security: Userpin (SEC=1)"));
}

#[test]
fn ota_2_verify_accepts_the_right_pin_and_refuses_a_wrong_one() {
    let (f, mac) = doc_file();
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
    // Garbage is a clean error.
    let out = mms(&["provision", "inspect", "Cargo.toml"]);
    assert_eq!(out.status.code(), Some(1));
}

/// A provisioning push whose content type gives SEC as text (`SEC=USERPIN` or `SEC=1`, as a
/// textual media type writes it) is verified with that method, the same as the binary form.
/// (The CLI kept its own SEC parser, which read only the binary form, so such a push verified
/// as "no security".)
#[test]
fn ota_1_a_sec_given_as_text_in_the_push_is_read() {
    use mms_core::pdu::Text;
    use mms_core::pdu::content_type::{ContentType, MediaType, Param, ParamName, ParamValue};
    let (f, mac) = doc_file();
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
        assert!(text.contains("security: Userpin (SEC=1)"), "{text}");
        assert!(text.contains("verified: yes"), "{text}");
    }
}
