//! The demo binary runs end to end and its JSON transcript says every step behaved.

use std::process::Command;

#[test]
fn demo_transcript_is_all_green() {
    let out = Command::new(env!("CARGO_BIN_EXE_mms"))
        .args(["demo", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "demo failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(t["ok"], true);
    let steps = t["steps"].as_array().unwrap();
    assert!(steps.len() >= 15);
    assert!(steps.iter().all(|s| s["ok"] == true));
    let threats: Vec<&str> = steps.iter().filter_map(|s| s["threat"].as_str()).collect();
    for id in ["PUSH-1", "OTA-2", "PUSH-2", "LINK-1", "CONTENT-2", "PUSH-6"] {
        assert!(threats.contains(&id), "no step for {id}");
    }
    // Every attack step left an audit row.
    for s in steps
        .iter()
        .filter(|s| s["name"].as_str().unwrap().starts_with("attack:"))
    {
        assert!(s["audit"].is_string(), "{}", s["name"]);
    }
}
