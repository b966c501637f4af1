//! `mms links` on a message full of hostile links (LINK-1 .. LINK-4 from the command line).

use super::mms;

#[test]
fn links_lists_every_link_with_the_gate_decision() {
    let out = mms(&["links", "--json", "tests/fixtures/retrieve-links.mms"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    let find = |uri: &str| {
        rows.iter()
            .find(|r| r["uri"] == uri)
            .unwrap_or_else(|| panic!("{uri} missing"))
    };
    assert_eq!(
        find("wtai://wp/ap;+15550100;Bank")["decision"]["blocked"]["reason"],
        "address_book_access"
    );
    assert_eq!(
        find("tel:*21*5550100#")["decision"]["blocked"]["reason"],
        "supplementary_service_code"
    );
    assert_eq!(
        find("javascript:alert(1)")["decision"]["blocked"]["reason"],
        "dangerous_scheme"
    );
    let premium = find("tel:+19005550100");
    assert_eq!(premium["decision"]["decision"], "needs_confirmation");
    assert_eq!(premium["decision"]["cost"], "premium");
    let mail = rows
        .iter()
        .find(|r| r["uri"].as_str().unwrap().starts_with("mailto:"))
        .unwrap();
    assert_eq!(
        mail["decision"]["action"]["dropped_headers"],
        serde_json::json!(["bcc", "from"])
    );
    assert_eq!(rows.len(), 7);
}

#[test]
fn links_text_output_and_bad_input() {
    let out = mms(&["links", "tests/fixtures/retrieve-links.mms"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("BLOCKED (ussd_code)")
            || text.contains("BLOCKED (supplementary_service_code)")
    );
    assert!(text.contains("NEEDS CONFIRMATION (premium): Place a call to +19005550100"));
    let out = mms(&["links", "Cargo.toml"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .starts_with("error: not a valid MMS PDU")
    );
}
