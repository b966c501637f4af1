//! The ../shared/corpus/push tree decodes or is rejected as its notes say (PUSH-8, OTA-7):
//! Sailfish notification bodies decode, its garbage and unsupported pushes are refused; the AOSP
//! blocked push is rejected; the Mozilla SI/SL documents decode to their documented content; the
//! Kannel-style provisioning push is handed over with SEC/MAC; the libwbxml crash inputs give
//! typed errors; the pymessaging SMS segments reassemble into the documented notification.
//! Skipped (with a message) when the corpus is absent.

use mms_core::audit::MemoryAudit;
use mms_core::clock::ManualClock;
use mms_core::pdu::Pdu;
use mms_core::push::service::{parse_si, parse_sl};
use mms_core::push::*;
use mms_core::wbxml::{self, pages::SiPages};
use mms_tests::{corpus_dir, decode_hex};
use std::sync::Arc;

fn handler(mmsc: &str, trusted: &[&str]) -> PushHandler {
    let audit = Arc::new(MemoryAudit::default());
    let clock = Arc::new(ManualClock::new(1_300_000_000));
    let policy = PushPolicy {
        mmsc_url: Some(mmsc.into()),
        trusted_origins: trusted.iter().map(|s| s.to_string()).collect(),
        ..PushPolicy::default()
    };
    PushHandler::new(
        PushValidator::new(policy, clock.clone(), audit.clone()),
        ReassemblyLimits::default(),
        clock,
        audit,
    )
}

#[test]
fn corpus_push_tree_decodes_or_is_rejected_as_documented() {
    let Some(dir) = corpus_dir() else {
        eprintln!("shared corpus not found beside the project: skipped");
        return;
    };
    let push = dir.join("push");
    // Sailfish: bare M-Notification.ind bodies.
    let mut ok = 0;
    for e in std::fs::read_dir(push.join("sailfish")).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let bytes = std::fs::read(e.path()).unwrap();
        let r = Pdu::decode_push_body(&bytes);
        if name.contains("Garbage") || name.contains("Unsupported") {
            assert!(r.is_err(), "{name} must be refused");
        } else {
            let d = r.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(d.pdu.content_location().is_some(), "{name}");
            ok += 1;
        }
    }
    assert_eq!(ok, 7);
    // AOSP: a push from a blocked number whose notification is malformed and points off-MMSC.
    let h = handler("http://mmsc.example/mms", &[]);
    {
        let f = "WapPushOverSmsTest_blocked_raw.bin";
        let v = h.handle_platform(
            "+16178269168",
            Some(PORT_PUSH),
            &std::fs::read(push.join("aosp").join(f)).unwrap(),
        );
        assert_eq!(v.verdict, Verdict::Reject, "{f}: {v:?}");
    }
    let body = std::fs::read(push.join("aosp/WapPushOverSmsTest_m-notification-ind.bin")).unwrap();
    let v = h.handle_platform("+16178269168", Some(PORT_PUSH), &encode_mms_push(1, &body));
    assert_eq!(v.verdict, Verdict::Reject);
    // Mozilla SI and SL.
    let si =
        parse_si(&std::fs::read(push.join("mozilla/si_wbxml_href_date.sic")).unwrap()).unwrap();
    assert_eq!(
        si.href.as_deref(),
        Some("http://www.xyz.com/email/123/abc.wml")
    );
    assert_eq!(si.text, "You have 4 new emails");
    assert_eq!(si.created, Some(930_324_195)); // 1999-06-25T15:23:15Z
    assert_eq!(si.expires, Some(930_700_800)); // 1999-06-30T00:00:00Z
    let si =
        parse_si(&std::fs::read(push.join("mozilla/si_wbxml_href_reserved_char.sic")).unwrap())
            .unwrap();
    assert_eq!(si.href.as_deref(), Some("http://www.oreilly.com/foo&bar"));
    for f in [
        "sl_wbxml.slc",
        "sl_wbxml_pubid_strtbl.slc",
        "sl_wbxml_strtbl.slc",
    ] {
        let sl = parse_sl(&std::fs::read(push.join("mozilla").join(f)).unwrap()).unwrap();
        assert_eq!(sl.href, "http://www.oreilly.com/", "{f}");
    }
    for f in ["si_wbxml_empty.sic", "si_wbxml_empty_pubid_strtbl.sic"] {
        let bytes = std::fs::read(push.join("mozilla").join(f)).unwrap();
        let d = wbxml::decode(&bytes, &SiPages, &Default::default()).unwrap();
        assert_eq!(d.root.name, "si", "{f}");
    }
    // Kannel-style provisioning push: handed to provisioning with SEC=NETWPIN and the MAC.
    let h = handler("http://mmsc.example/mms", &["+886912345678"]);
    let kannel =
        std::fs::read(push.join("derived/kannel_style_netwpin_push_466923103145252.bin")).unwrap();
    let v = h.handle_platform("+886912345678", Some(PORT_PUSH), &kannel);
    assert_eq!(v.reason, PushReason::HandedToProvisioning);
    let PushContent::Provisioning { sec, mac, body, .. } = v.content else {
        panic!()
    };
    assert_eq!(sec, Some(0));
    assert_eq!(
        mac.as_deref(),
        Some("1AF545FE2823DC9347064450F90FF1BBF957E146")
    );
    assert_eq!(
        body,
        std::fs::read(push.join("mozilla/cp_empty_netwpin_466923103145252.wbxml")).unwrap()
    );
    // libwbxml's XML provisioning samples: each parses into the document model or is refused
    // with a message; one that parses re-encodes to WBXML that decodes to the same model.
    let mut parsed = 0;
    for e in std::fs::read_dir(push.join("libwbxml/prov"))
        .unwrap()
        .flatten()
    {
        let xml = std::fs::read_to_string(e.path()).unwrap();
        if let Ok(doc) = mms_core::provisioning::parse_xml(&xml) {
            let body = mms_core::provisioning::encode_wbxml(&doc);
            let again = mms_core::provisioning::decode_wbxml(&body).unwrap();
            assert_eq!(again, doc, "{:?}", e.path());
            parsed += 1;
        }
    }
    assert!(parsed >= 4, "only {parsed} provisioning samples parsed");
    // libwbxml crash inputs: typed errors, whichever code pages read them.
    for e in std::fs::read_dir(push.join("libwbxml/fuzz"))
        .unwrap()
        .flatten()
    {
        if e.path().extension().is_some_and(|x| x == "wbxml") {
            let b = std::fs::read(e.path()).unwrap();
            assert!(
                wbxml::decode(&b, &SiPages, &Default::default()).is_err(),
                "{:?}",
                e.path()
            );
            assert!(parse_sl(&b).is_err());
        }
    }
}

#[test]
fn pymessaging_sms_segments_reassemble_into_the_notification() {
    let Some(dir) = corpus_dir() else {
        eprintln!("shared corpus not found beside the project: skipped");
        return;
    };
    let text = std::fs::read_to_string(dir.join("mms/pymessaging/sms_push_notification_ind_1.hex"))
        .unwrap();
    let tpdus: Vec<Vec<u8>> = text
        .split("TPDU(hex, incl. SMSC)=")
        .skip(1)
        .map(|s| decode_hex(s.split_whitespace().next().unwrap()).unwrap())
        .collect();
    assert_eq!(tpdus.len(), 2);
    // The operator's push gateway sends from the 14-digit number 88850100000018.
    let h = handler("http://promms/servlets/", &["88850100000018"]);
    // Second segment first: order does not matter.
    assert!(h.handle_sms(&tpdus[1], true).is_none());
    let v = h.handle_sms(&tpdus[0], true).expect("complete");
    let PushContent::Notification(n) = &v.content else {
        panic!("{v:?}")
    };
    assert_eq!(n.transaction_id, "NOK5CiKcoTMYSG4MBSwAAsKv14FUHAAAAAAAA");
    assert_eq!(
        n.content_location,
        "http://promms/servlets/NOK5CiKcoTMYSG4MBSwAAsKv14FUHAAAAAAAA"
    );
    assert_eq!(n.size, Some(29696));
    assert_eq!(n.from.as_deref(), Some("+447785342749/TYPE=PLMN"));
    assert_eq!(v.origin, "88850100000018");
    assert_eq!(v.verdict, Verdict::Accept);
    // The SI push over 2 SMS with 8-bit references is routed as an SI, not an MMS.
    let text =
        std::fs::read_to_string(dir.join("mms/pymessaging/sms_push_si_vodafone_de.hex")).unwrap();
    let tpdus: Vec<Vec<u8>> = text
        .split("TPDU(hex, incl. SMSC)=")
        .skip(1)
        .map(|s| decode_hex(s.split_whitespace().next().unwrap()).unwrap())
        .collect();
    assert!(h.handle_sms(&tpdus[0], true).is_none());
    let v = h.handle_sms(&tpdus[1], true).unwrap();
    assert_eq!(v.kind, PushKind::ServiceIndication);
    let PushContent::ServiceIndication {
        si, action_allowed, ..
    } = &v.content
    else {
        panic!("{v:?}")
    };
    assert!(si.text.starts_with("Zum kostenlosen Portal"), "{}", si.text);
    assert!(!action_allowed);
}
