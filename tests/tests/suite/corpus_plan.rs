//! The retrieve-confs and send-reqs of ../shared/corpus/mms produce sensible render plans
//! (CONTENT-1, CONTENT-2): their images and text auto-render, their SMIL references resolve to
//! parts of the same message. Skipped (with a message) when the corpus is absent.

use mms_core::content::{MediaPolicy, PartDecision, plan_message};
use mms_core::pdu::{MessageType, Pdu};
use mms_tests::{corpus_dir, read_hex_file};

#[test]
fn corpus_messages_produce_sensible_plans() {
    let Some(dir) = corpus_dir() else {
        eprintln!("shared corpus not found beside the project: skipped");
        return;
    };
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("mms/index.json")).unwrap())
            .unwrap();
    let (mut plans, mut smil_plans, mut auto_parts, mut resolved) = (0, 0, 0, 0);
    let mut report = Vec::new();
    for item in index.as_array().unwrap() {
        let cat = item["category"].as_str().unwrap();
        if !matches!(cat, "valid" | "quirk") || item["layer"] != "mms" {
            continue;
        }
        let id = item["id"].as_str().unwrap();
        let bytes = read_hex_file(
            &std::fs::read_to_string(dir.join("mms").join(item["file"].as_str().unwrap())).unwrap(),
        )
        .unwrap();
        let d = Pdu::decode(&bytes).unwrap();
        if !matches!(
            d.pdu.message_type,
            MessageType::RetrieveConf | MessageType::SendReq
        ) || d.pdu.parts().is_empty()
        {
            continue;
        }
        let plan = plan_message(&d.pdu, &MediaPolicy::default());
        plans += 1;
        let has_smil = d
            .pdu
            .parts()
            .iter()
            .any(|p| p.content_type.media.is("application/smil"));
        if has_smil {
            assert!(plan.from_smil || plan.smil_fallback.is_some(), "{id}");
            if plan.from_smil {
                smil_plans += 1;
            }
        }
        for p in &plan.parts {
            let media = p.declared_type.as_str();
            let is_basic = matches!(
                media,
                "text/plain" | "image/jpeg" | "image/gif" | "image/png"
            );
            let mismatch = p
                .reasons
                .iter()
                .any(|r| r.code() == "content_type_mismatch");
            if is_basic && !mismatch && p.size < 300 * 1024 {
                assert_eq!(
                    p.decision,
                    PartDecision::Auto,
                    "{id}: part {} {media} should auto-render: {:?}",
                    p.index,
                    p.reasons
                );
                auto_parts += 1;
            }
            if mismatch {
                report.push(format!(
                    "{id}: part {} declared {} is {}",
                    p.index, p.declared_type, p.sniffed_type
                ));
            }
        }
        for s in &plan.slides {
            resolved += s.items.len();
        }
        let missing: Vec<_> = plan
            .dropped
            .iter()
            .filter(|d| d.reason == "missing")
            .collect();
        if !missing.is_empty() {
            report.push(format!("{id}: unresolved SMIL refs {missing:?}"));
        }
        assert!(
            plan.dropped.iter().all(|d| d.reason != "remote"),
            "{id}: corpus has no remote refs"
        );
        assert!(plan.total_ms <= 300_000);
    }
    eprintln!(
        "{plans} plans, {smil_plans} from SMIL, {auto_parts} auto parts, {resolved} slide items"
    );
    for r in &report {
        eprintln!("note: {r}");
    }
    assert!(plans >= 25 && smil_plans >= 15 && auto_parts >= 40 && resolved >= 40);
    // Unresolved references are rare quirks, not the rule.
    assert!(
        report.iter().filter(|r| r.contains("unresolved")).count() <= 3,
        "{report:#?}"
    );
}
