//! The work budget against real documents: every WBXML document of the shared corpus (SI, SL,
//! OMA CP from Mozilla's and Kannel-style pushes) decodes within its allowance, and its
//! expansion (text handed on per input octet) is printed, so the allowance in
//! `mms_codec::budget` rests on measured ratios:
//! `cargo test -p mms-codec --test codec budget -- --nocapture`.

use mms_codec::budget::{InputKind, Limit};
use mms_codec::pdu::DecodeErrorKind;
use mms_codec::wbxml::{self, Element, Node, Value, WbxmlLimits, pages};
use std::path::PathBuf;

fn corpus() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/push");
    p.is_dir().then_some(p)
}

/// The octets of text a decoded tree hands on: names, attribute values, content.
fn text_size(e: &Element<'_>) -> usize {
    let mut n = e.name.len();
    for a in &e.attributes {
        n += a.name.len() + a.text().len();
    }
    for c in &e.children {
        n += match c {
            Node::Element(k) => text_size(k),
            Node::Value(Value::Text(t)) => t.len(),
            Node::Value(Value::Opaque(o)) => o.len(),
        };
    }
    n
}

#[test]
fn real_documents_fit_their_allowance() {
    let Some(dir) = corpus() else {
        eprintln!("../shared/corpus absent: the real-document ratios are not measured");
        return;
    };
    let mut worst = (0.0f64, String::new());
    let mut n = 0;
    for entry in std::fs::read_dir(dir.join("mozilla")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let body = std::fs::read(&path).unwrap();
        let (pages, kind): (&dyn wbxml::CodePages, _) = match name.split('_').next() {
            Some("si") => (&pages::SiPages, InputKind::Push),
            Some("sl") => (&pages::SlPages, InputKind::Push),
            _ => (
                &mms_codec::provisioning::pages::ProvPages,
                InputKind::Provisioning,
            ),
        };
        let doc = match wbxml::decode(&body, pages, &WbxmlLimits::of(kind)) {
            Ok(d) => d,
            // The corpus's truncated vendor document must fail, but not on the budget.
            Err(e) => {
                assert!(
                    !matches!(e.kind, DecodeErrorKind::OverBudget { .. }),
                    "{name}: {e}"
                );
                continue;
            }
        };
        let ratio = text_size(&doc.root) as f64 / body.len() as f64;
        println!(
            "{name}: {} octets -> {} octets of text, {ratio:.2}x",
            body.len(),
            text_size(&doc.root)
        );
        if ratio > worst.0 {
            worst = (ratio, name);
        }
        n += 1;
    }
    println!("worst real expansion: {:.2}x ({})", worst.0, worst.1);
    assert!(n >= 10, "only {n} documents decoded");
    let rate = InputKind::Push.allowance().per_octet_16ths.output as f64 / 16.0;
    assert!(
        worst.0 * 2.0 <= rate,
        "allowance {rate}x leaves no room over {:.2}x",
        worst.0
    );
    let _ = Limit::Output;
}
