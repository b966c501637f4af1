//! Interoperability with an independent implementation, python-messaging (PyPI): it encodes
//! messages that our decoder must read exactly (texts, addresses, part types, byte-exact data),
//! and it decodes send-reqs that our encoder wrote. The README test command installs it; when
//! it is missing and `MMS_REQUIRE_INTEROP` is not set, the test says so and passes.

use mms_core::pdu::builder::SendReqBuilder;
use mms_core::pdu::{FromValue, Pdu, TimeValue};
use mms_tests::python::{available, python, script};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::process::Command;

fn sha(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

fn tempdir(name: &str) -> tempfile::TempDir {
    mms_tests::harness::scratch_dir(&format!("interop-{name}")).unwrap()
}

#[test]
fn our_decoder_reads_what_python_messaging_encodes() {
    if !available("interop test") {
        return;
    }
    let scratch = tempdir("py-encoded");
    let dir = scratch.path();
    let st = Command::new(python())
        .arg(script())
        .arg("encode")
        .arg(dir)
        .status()
        .unwrap();
    assert!(st.success(), "python-messaging encoder failed");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "mms") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let expect: Value =
            serde_json::from_str(&std::fs::read_to_string(path.with_extension("json")).unwrap())
                .unwrap();
        let d = Pdu::decode(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let p = &d.pdu;
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        assert_eq!(p.message_type.label(), expect["message_type"], "{name}");
        assert_eq!(
            p.transaction_id().unwrap().to_string(),
            expect["tid"],
            "{name}"
        );
        assert_eq!(
            p.version().unwrap().to_string(),
            expect["version"],
            "{name}"
        );
        assert_eq!(
            p.subject().unwrap().to_string_lossy(),
            expect["subject"].as_str().unwrap(),
            "{name}"
        );
        let to: Vec<String> = p.to().map(|a| a.to_string_lossy().into_owned()).collect();
        let want_to: Vec<String> = expect["to"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(to, want_to, "{name}");
        if let Some(f) = expect.get("from") {
            match p.from() {
                Some(FromValue::Address(a)) => assert_eq!(a.to_string_lossy(), f.as_str().unwrap()),
                other => panic!("{name}: from {other:?}"),
            }
        }
        assert!(
            p.content_type()
                .unwrap()
                .media
                .is(expect["content_type"].as_str().unwrap())
        );
        let parts = expect["parts"].as_array().unwrap();
        assert_eq!(p.parts().len(), parts.len(), "{name}: part count");
        for (part, want) in p.parts().iter().zip(parts) {
            assert_eq!(
                part.content_type.media.display_name(),
                want["type"],
                "{name}"
            );
            if let Some(h) = want.get("sha256") {
                assert_eq!(
                    sha(part.raw_data()),
                    h.as_str().unwrap(),
                    "{name}: part data"
                );
            }
            if let Some(l) = want.get("len") {
                assert_eq!(part.raw_data().len() as u64, l.as_u64().unwrap(), "{name}");
            }
            if let Some(c) = want.get("contains") {
                let text = String::from_utf8_lossy(part.raw_data());
                assert!(text.contains(c.as_str().unwrap()), "{name}: SMIL content");
            }
            if let Some(loc) = want.get("location") {
                assert_eq!(
                    part.content_location().unwrap(),
                    loc.as_str().unwrap(),
                    "{name}"
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 3, "expected three python-encoded messages");
}

fn python_decode(bytes: &[u8], name: &str) -> Value {
    let dir = tempdir(name);
    let f = dir.path().join("msg.mms");
    std::fs::write(&f, bytes).unwrap();
    let out = Command::new(python())
        .arg(script())
        .arg("decode")
        .arg(&f)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python-messaging failed on our {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn python_messaging_reads_what_our_encoder_writes() {
    if !available("interop test") {
        return;
    }
    let jpeg: Vec<u8> = [0xff, 0xd8, 0xff, 0xe0]
        .into_iter()
        .chain((0..3000u32).map(|i| (i * 31 % 251) as u8))
        .chain([0xff, 0xd9])
        .collect();
    let amr: Vec<u8> = b"#!AMR\n"
        .iter()
        .copied()
        .chain(std::iter::repeat_n(0x3c, 400))
        .collect();
    type Case<'a> = (&'a str, Pdu<'a>, Vec<(&'a str, Vec<u8>)>);
    let cases: Vec<Case<'_>> = vec![
        (
            "text-jpeg-smil",
            SendReqBuilder::new("rs-1")
                .to("+15551230002")
                .subject("Holiday photos")
                .delivery_report(true)
                .read_report(true)
                .expiry(TimeValue::Relative(604_800))
                .part("text/plain", "text.txt", b"Look at this".as_slice())
                .part("image/jpeg", "photo.jpg", jpeg.as_slice())
                .generated_smil()
                .build(),
            vec![
                ("text/plain", b"Look at this".to_vec()),
                ("image/jpeg", jpeg.clone()),
            ],
        ),
        (
            "mixed-amr",
            SendReqBuilder::new("rs-2")
                .to("+4915112345678")
                .subject("Voice")
                .part("audio/amr", "voice.amr", amr.as_slice())
                .build(),
            vec![("audio/amr", amr.clone())],
        ),
    ];
    for (name, pdu, want_parts) in cases {
        let bytes = pdu.encode().unwrap();
        let v = python_decode(&bytes, name);
        let h = &v["headers"];
        assert_eq!(h["Message-Type"], "m-send-req", "{name}");
        assert_eq!(
            h["Transaction-Id"],
            pdu.transaction_id().unwrap().to_string(),
            "{name}"
        );
        assert_eq!(
            h["Subject"],
            pdu.subject().unwrap().to_string_lossy().as_ref(),
            "{name}"
        );
        assert_eq!(
            h["To"],
            pdu.to().next().unwrap().to_string_lossy().as_ref(),
            "{name}"
        );
        assert_eq!(h["MMS-Version"], "1.2", "{name}");
        let parts = v["parts"].as_array().unwrap();
        assert_eq!(parts.len(), pdu.parts().len(), "{name}: part count");
        for (ty, data) in want_parts {
            let found = parts
                .iter()
                .find(|p| p["type"] == ty)
                .unwrap_or_else(|| panic!("{name}: python-messaging lost the {ty} part"));
            assert_eq!(found["sha256"], sha(&data), "{name}: {ty} bytes");
            assert_eq!(found["len"], data.len(), "{name}");
        }
    }
}
