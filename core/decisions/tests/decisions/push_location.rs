//! PUSH-1: the location check's fast path (a location already in serialised form under the
//! MMSC's prefix, answered without a URL parser) never says anything the full check would not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_decisions::push::{MmscLocation, check_location};
use proptest::prelude::*;
use url::Url;

const MMSCS: [&str; 4] = [
    "http://mmsc.op.example:8002/mms/",
    "https://10.1.2.3/",
    "http://[fe80::1]:8080/a/b/",
    "http://mms.example/",
];

#[test]
fn push_1_the_fast_path_takes_the_locations_mmscs_write() {
    let m = MmscLocation::new(Url::parse(MMSCS[0]).unwrap());
    for loc in [
        "http://mmsc.op.example:8002/mms/x",
        "http://mmsc.op.example:8002/mms/x?tid=123&u=1",
        "http://mmsc.op.example:8002/mms/2026/06/01/Ab3-Zx_9.mms",
        " http://mmsc.op.example:8002/mms/%41bc ",
    ] {
        assert_eq!(m.plain(loc), Some(loc.trim()), "{loc}");
        assert_eq!(m.check(loc).unwrap(), loc.trim());
    }
    // Not plain: the full check answers (and here refuses or rewrites).
    for (loc, full) in [
        (
            "http://MMSC.op.example:8002/mms/x",
            Some("http://mmsc.op.example:8002/mms/x"),
        ),
        ("http://mmsc.op.example:8002/mms/../x", None),
        ("http://mmsc.op.example:8002/mms/.%2e/x", None),
        ("http://mmsc.op.example:8002/mms/a b", None),
        (
            "http://mmsc.op.example:8002/mms/x#f",
            Some("http://mmsc.op.example:8002/mms/x#f"),
        ),
        ("http://mmsc.op.example:8002/mmsx", None),
        ("http://mmsc.op.example:8002@evil.test/mms/x", None),
        ("http://mmsc.op.example:80020/mms/x", None),
    ] {
        assert_eq!(m.plain(loc), None, "{loc}");
        assert_eq!(m.check(loc).ok().as_deref(), full, "{loc}");
    }
    // An MMSC whose path does not end with `/` has no fast path at all.
    let m = MmscLocation::new(Url::parse("http://mmsc.op.example/mms").unwrap());
    assert_eq!(m.plain("http://mmsc.op.example/mms/x"), None);
    assert!(m.check("http://mmsc.op.example/mms/x").is_ok());
    assert!(m.check("http://mmsc.op.example/mmsx").is_err());
}

/// Mostly characters the fast path takes (so that it often does), now and then one it must not.
fn tail() -> impl Strategy<Value = String> {
    let plain = prop_oneof![
        "[a-zA-Z0-9]{1,4}",
        Just("/".to_string()),
        Just(".".to_string()),
        Just("..".to_string()),
        Just("%2e".to_string()),
        Just("%2E".to_string()),
        Just("%41".to_string()),
        Just("?".to_string()),
        Just("=".to_string()),
        Just("&".to_string()),
        Just("+".to_string()),
        Just(",".to_string()),
        Just(";".to_string()),
        Just("-".to_string()),
        Just("_".to_string()),
        Just("~".to_string()),
    ];
    let other = prop_oneof![
        Just("%".to_string()),
        Just("%4".to_string()),
        Just("#".to_string()),
        Just("@".to_string()),
        Just(":".to_string()),
        Just("\\".to_string()),
        Just(" ".to_string()),
        Just("\t".to_string()),
        Just("'".to_string()),
        Just("\"".to_string()),
        Just("<".to_string()),
        Just("`".to_string()),
        Just("{".to_string()),
        Just("|".to_string()),
        Just("[".to_string()),
        Just("^".to_string()),
        Just("!".to_string()),
        Just("$".to_string()),
        Just("*".to_string()),
        Just("(".to_string()),
        Just("é".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{0}".to_string()),
    ];
    let atom = prop_oneof![12 => plain, 1 => other];
    prop::collection::vec(atom, 0..12).prop_map(|v| v.concat())
}

fn head(mmsc: &'static str) -> impl Strategy<Value = String> {
    let host_end = mmsc.find("://").unwrap() + 3;
    let path_at = mmsc[host_end..].find('/').unwrap() + host_end;
    prop_oneof![
        Just(mmsc.to_string()),
        Just(mmsc.to_ascii_uppercase()),
        Just(mmsc[..path_at].to_string()),
        Just(format!(
            "{}@evil.test{}",
            &mmsc[..path_at],
            &mmsc[path_at..]
        )),
        Just(format!("{}:80{}", &mmsc[..path_at], &mmsc[path_at..])),
        Just(mmsc.trim_end_matches('/').to_string()),
        Just(format!(" {mmsc}")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// Whatever the fast path accepts, the full check accepts with the same normalised URL.
    #[test]
    fn push_1_fast_path_agrees_with_the_full_check(
        which in 0usize..MMSCS.len(),
        (h, t) in (0usize..MMSCS.len()).prop_flat_map(|k| (head(MMSCS[k]), tail())),
    ) {
        let mmsc = Url::parse(MMSCS[which]).unwrap();
        let m = MmscLocation::new(mmsc.clone());
        let loc = format!("{h}{t}");
        let full = check_location(&loc, &mmsc);
        if let Some(fast) = m.plain(&loc) {
            let full = full.as_ref().map(Url::as_str);
            prop_assert_eq!(full, Ok(fast), "{:?}", loc);
        }
        prop_assert_eq!(m.check(&loc).ok().map(|c| c.into_owned()), full.ok().map(String::from));
    }
}
