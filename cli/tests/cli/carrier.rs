//! `mms carrier`: the bundled carrier data by MCC-MNC (the suggestion first) or by name.

use super::mms;

#[test]
fn a_network_its_suggestion_and_its_other_candidates() {
    let out = mms(&["carrier", "310260"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("* T-Mobile (us)"), "{text}");
    assert!(text.contains("MMSC  http://mms.msg.eng.t-mobile.com/mms/wapenc"));
    assert!(text.contains("  Mint Mobile (us)"), "{text}");
    let out = mms(&["carrier", "310-260", "--spn", "Mint Mobile", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["provider"], "Mint Mobile");
    assert_eq!(v[0]["suggested"], true);
    assert!(v.as_array().unwrap().len() > 2);
}

#[test]
fn passwords_never_show_and_unknown_networks_fail() {
    let out = mms(&["carrier", "26201", "--json"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v[0]["has_password"], true);
    assert!(!text.contains("\"tm\""), "{text}");
    let out = mms(&["carrier", "00101"]);
    assert_eq!(out.status.code(), Some(1));
    let out = mms(&["carrier", "--search", "vodafone", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().unwrap().len() > 3);
}
