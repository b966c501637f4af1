//! Every file of ../shared/corpus/mms decodes as its category says (PDU-1, PUSH-8):
//! `valid` and `quirk` decode to the values documented in the file's header (transaction id,
//! message id, subject, addresses, content location, part count, part types, byte-exact part
//! data by length and SHA-256); `malformed*` give a typed error (or, for a well-formed PDU that
//! cannot legitimately arrive by push, are refused by the push-context check); `non-mms`
//! pushes are identified as not for us. The corpus is GPL material kept beside the project:
//! when it is absent (a user's fresh clone) the test says so and passes.

use mms_core::pdu::{self, FromValue, Pdu};
use mms_core::push::{PushKind, decode_push};
use mms_tests::{corpus_dir, read_hex_file};
use sha2::{Digest, Sha256};

#[derive(Debug, Default)]
struct Expect {
    message_type: Option<String>,
    tid: Option<String>,
    message_id: Option<String>,
    subject: Option<(String, Option<String>)>,
    from: Option<String>,
    to: Vec<String>,
    cc: Vec<String>,
    content_location: Option<String>,
    part_count: Option<usize>,
    parts: Vec<(String, Option<(usize, String)>)>,
    single_body: Option<(usize, String)>,
}

fn quoted(v: &str) -> Option<(String, Option<String>)> {
    let v = v.trim();
    let start = v.find('"')?;
    let end = v.rfind('"')?;
    if end <= start {
        return None;
    }
    let s = v.get(start + 1..end)?.to_string();
    let rest = v.get(end + 1..)?.trim();
    let cs = rest
        .strip_prefix("[charset ")
        .and_then(|r| r.strip_suffix(']'))
        .map(str::to_string);
    Some((s, cs))
}

fn data_spec(line: &str) -> Option<(usize, String)> {
    // "... 13641 bytes sha256[:16]=5412d7f55d680ff1 ..."
    let i = line.find(" bytes sha256[:16]=")?;
    let n: usize = line.get(..i)?.rsplit([' ', ',']).next()?.parse().ok()?;
    let h = line
        .get(i + " bytes sha256[:16]=".len()..)?
        .get(..16)?
        .to_string();
    Some((n, h))
}

/// Parses the independent decode in the file header. `indent` selects the level: 4 spaces
/// for a bare PDU, 6 for the MMS PDU embedded in a push.
fn parse_expect(text: &str, indent: usize) -> Expect {
    let mut e = Expect::default();
    let mut in_decode = false;
    for raw in text.lines().filter(|l| l.starts_with('#')) {
        let line = &raw[1..];
        if line.starts_with("independent decode") {
            in_decode = true;
            continue;
        }
        if !in_decode {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let l = line.trim();
        if lead == indent {
            if let Some(v) = l.strip_prefix("X-Mms-Message-Type: ") {
                e.message_type = v.split_whitespace().next().map(str::to_string);
            } else if let Some(v) = l.strip_prefix("X-Mms-Transaction-Id: ") {
                e.tid = quoted(v).map(|q| q.0);
            } else if let Some(v) = l.strip_prefix("Message-ID: ") {
                e.message_id = quoted(v).map(|q| q.0);
            } else if let Some(v) = l.strip_prefix("Subject: ") {
                e.subject = quoted(v);
            } else if let Some(v) = l.strip_prefix("From: ") {
                e.from = if v.contains("insert-address") {
                    Some("<insert>".into())
                } else {
                    quoted(v).map(|q| q.0)
                };
            } else if let Some(v) = l.strip_prefix("To: ") {
                if let Some(q) = quoted(v) {
                    e.to.push(q.0);
                }
            } else if let Some(v) = l.strip_prefix("Cc: ") {
                if let Some(q) = quoted(v) {
                    e.cc.push(q.0);
                }
            } else if let Some(v) = l.strip_prefix("X-Mms-Content-Location: ") {
                e.content_location = quoted(v).map(|q| q.0);
            } else if let Some(v) = l.strip_prefix("Body: multipart, ") {
                e.part_count = v.split_whitespace().next().and_then(|n| n.parse().ok());
            } else if l.starts_with("Body: single") {
                e.single_body = data_spec(l);
            }
        } else if lead == indent + 2 && l.starts_with("part[") {
            let ty = l
                .split_once(": ")
                .map(|x| x.1)
                .unwrap_or("")
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            e.parts.push((ty, None));
        } else if lead > indent + 2 && l.starts_with("data: ") {
            if let Some(last) = e.parts.last_mut() {
                last.1 = data_spec(l);
            }
        }
    }
    e
}

fn sha16(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b)).chars().take(16).collect()
}

fn same_text(got: &str, want: &str) -> bool {
    if let Some(i) = want.find("[INVALID") {
        // The reference rendering of invalid octets differs by tool: compare the valid prefix.
        let valid: String = want[..i].chars().take_while(|c| *c != '\u{fffd}').collect();
        return got.starts_with(valid.trim_end());
    }
    got == want
}

fn check_pdu(id: &str, p: &Pdu<'_>, e: &Expect) -> Vec<String> {
    let mut errs = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            errs.push(format!("{id}: {what}"));
        }
    };
    if let Some(t) = &e.message_type {
        check(
            p.message_type.label() == t,
            format!("type {} != {t}", p.message_type),
        );
    }
    if let Some(t) = &e.tid {
        let got = p.transaction_id().map(|t| t.to_string());
        check(
            got.as_deref() == Some(t.as_str()),
            format!("tid {got:?} != {t:?}"),
        );
    }
    if let Some(t) = &e.message_id {
        let got = p.message_id().map(|t| t.to_string());
        check(
            got.as_deref() == Some(t.as_str()),
            format!("message-id {got:?} != {t:?}"),
        );
    }
    if let Some((s, cs)) = &e.subject {
        let got = p
            .subject()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        check(same_text(&got, s), format!("subject {got:?} != {s:?}"));
        let got_cs = p.subject().and_then(|s| s.charset).map(|c| c.to_string());
        check(
            got_cs == *cs,
            format!("subject charset {got_cs:?} != {cs:?}"),
        );
    }
    if let Some(f) = &e.from {
        let got = match p.from() {
            Some(FromValue::Address(a)) => a.to_string_lossy().into_owned(),
            Some(FromValue::InsertAddress) => "<insert>".into(),
            None => "<none>".into(),
        };
        check(&got == f, format!("from {got:?} != {f:?}"));
    }
    let to: Vec<String> = p.to().map(|a| a.to_string_lossy().into_owned()).collect();
    check(to == e.to, format!("to {to:?} != {:?}", e.to));
    let cc: Vec<String> = p.cc().map(|a| a.to_string_lossy().into_owned()).collect();
    check(cc == e.cc, format!("cc {cc:?} != {:?}", e.cc));
    if let Some(cl) = &e.content_location {
        let got = p.content_location().map(|c| c.into_owned());
        check(
            got.as_deref() == Some(cl.trim()),
            format!("content-location {got:?} != {cl:?}"),
        );
    }
    if let Some(n) = e.part_count {
        check(
            p.parts().len() == n,
            format!("{} parts != {n}", p.parts().len()),
        );
        for (i, (ty, data)) in e.parts.iter().enumerate() {
            let Some(part) = p.parts().get(i) else { break };
            let got = part.content_type.media.display_name();
            check(&got == ty, format!("part {i} type {got} != {ty}"));
            if let Some((len, h)) = data {
                let d = part.raw_data();
                check(
                    d.len() == *len,
                    format!("part {i} len {} != {len}", d.len()),
                );
                check(sha16(d) == *h, format!("part {i} sha mismatch"));
            }
        }
    }
    if let Some((len, h)) = &e.single_body {
        match p.body.as_ref().map(|b| &b.data) {
            Some(pdu::BodyData::Single(d)) => check(
                d.len() == *len && sha16(d) == *h,
                "single body mismatch".into(),
            ),
            _ => check(false, "expected a single-part body".into()),
        }
    }
    errs
}

#[test]
fn corpus_mms_decodes_as_documented() {
    let Some(dir) = corpus_dir() else {
        eprintln!("shared corpus not found beside the project: corpus test skipped");
        return;
    };
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("mms/index.json")).unwrap())
            .unwrap();
    let mut errors = Vec::new();
    let mut counted = std::collections::BTreeMap::<String, usize>::new();
    let mut parts_checked = 0usize;
    for item in index.as_array().unwrap() {
        let file = item["file"].as_str().unwrap();
        let id = item["id"].as_str().unwrap();
        let category = item["category"].as_str().unwrap();
        let layer = item["layer"].as_str().unwrap();
        let text = std::fs::read_to_string(dir.join("mms").join(file)).unwrap();
        let bytes = read_hex_file(&text).unwrap();
        assert_eq!(
            bytes.len() as u64,
            item["length"].as_u64().unwrap(),
            "{id}: length"
        );
        *counted.entry(format!("{category}/{layer}")).or_default() += 1;
        match (category, layer) {
            ("valid" | "quirk", "mms") => match Pdu::decode(&bytes) {
                Ok(d) => {
                    let expect = parse_expect(&text, 4);
                    parts_checked += expect.parts.iter().filter(|p| p.1.is_some()).count();
                    errors.extend(check_pdu(id, &d.pdu, &expect));
                    // The decoded model re-encodes and decodes to the same model.
                    let again = d.pdu.encode().map_err(|e| format!("{id}: encode: {e}"));
                    match again {
                        Ok(enc) => match Pdu::decode_lenient(&enc) {
                            Ok(d2)
                                if d2.pdu == {
                                    let mut c = d.pdu.clone();
                                    c.canonicalize();
                                    c
                                } => {}
                            Ok(_) => errors.push(format!("{id}: re-decode differs")),
                            Err(e) => errors.push(format!("{id}: re-decode failed: {e}")),
                        },
                        Err(e) => errors.push(e),
                    }
                }
                Err(e) => errors.push(format!("{id}: decode failed: {e}")),
            },
            ("valid" | "quirk", "push") => match decode_push(&bytes) {
                Ok(push) => {
                    if !push.is_mms() {
                        errors.push(format!("{id}: push not recognised as MMS"));
                    }
                    match Pdu::decode(push.body) {
                        Ok(d) => errors.extend(check_pdu(id, &d.pdu, &parse_expect(&text, 6))),
                        Err(e) => errors.push(format!("{id}: embedded PDU: {e}")),
                    }
                }
                Err(e) => errors.push(format!("{id}: push decode failed: {e}")),
            },
            ("non-mms", "push") => match decode_push(&bytes) {
                Ok(push) => {
                    if push.is_mms() || push.kind() == PushKind::Mms {
                        errors.push(format!("{id}: non-MMS push taken for MMS"));
                    }
                }
                Err(e) => errors.push(format!("{id}: non-MMS push should still decode: {e}")),
            },
            ("malformed", "mms") => match Pdu::decode(&bytes) {
                Err(_) => {}
                // A well-formed PDU of a type no MMSC pushes (e.g. a notifyresp-ind handed in as
                // a push body) is refused by the push-context check.
                Ok(d) if !d.pdu.message_type.is_push_deliverable() && text.contains("push") => {
                    assert!(Pdu::decode_push_body(&bytes).is_err(), "{id}");
                }
                Ok(d) => errors.push(format!(
                    "{id}: malformed PDU decoded: {:?}",
                    d.pdu.message_type
                )),
            },
            ("malformed-fragment", "ctype") | ("fragment", "ctype") => {
                // Lone content-type values: decode without panicking; an unassigned code is
                // kept as a code (the GrapheneOS crash was an out-of-bounds table lookup).
                let ct = pdu::decode_content_type(&bytes).unwrap_or_else(|e| panic!("{id}: {e}"));
                let expect = text
                    .lines()
                    .find_map(|l| l.split_once("fragment -> ").map(|x| x.1.to_string()))
                    .unwrap_or_default();
                let name = expect.split_whitespace().next().unwrap_or("").to_string();
                if !name.is_empty() && ct.media.name().is_some() {
                    assert_eq!(ct.media.display_name(), name, "{id}");
                }
            }
            ("malformed-fragment", "multipart") => {
                let e = pdu::decode_multipart(&bytes).expect_err(id);
                assert!(
                    matches!(e.kind, pdu::DecodeErrorKind::LengthOverrun { .. }),
                    "{id}: {e}"
                );
            }
            ("non-conformant-synthetic", "mms") => {
                // Not positive vectors: they must not panic, and whatever decodes re-encodes.
                if let Ok(d) = Pdu::decode_lenient(&bytes) {
                    assert!(d.pdu.encode().is_ok(), "{id}");
                }
            }
            other => errors.push(format!("{id}: unhandled category {other:?}")),
        }
    }
    eprintln!("corpus categories checked: {counted:?}");
    assert!(
        counted.values().sum::<usize>() >= 100,
        "corpus smaller than expected"
    );
    eprintln!("{parts_checked} parts checked byte-exact");
    assert!(
        parts_checked >= 60,
        "only {parts_checked} parts checked: header parse broken?"
    );
    assert!(
        errors.is_empty(),
        "{} corpus mismatches:\n{}",
        errors.len(),
        errors.join("\n")
    );
}
