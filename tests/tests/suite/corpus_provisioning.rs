//! The Mozilla provisioning vectors in ../shared/corpus/push verify and decode to their
//! documented structure; the Kannel-style push verifies end to end from raw push bytes; the
//! truncated vendor-config document is rejected (OTA-2, OTA-7). Skipped (with a message) when
//! the corpus is absent.

use mms_core::audit::MemoryAudit;
use mms_core::clock::ManualClock;
use mms_core::provisioning::*;
use mms_core::push::*;
use mms_tests::corpus_dir;
use std::sync::Arc;

const IMSI: &str = "466923103145252";

#[test]
fn mozilla_vectors_verify_and_decode() {
    let Some(dir) = corpus_dir() else {
        eprintln!("shared corpus not found beside the project: skipped");
        return;
    };
    let m = dir.join("push/mozilla");
    assert_eq!(hex::encode(&*imsi_key(IMSI).unwrap()), "4966291330412525");
    let empty = std::fs::read(m.join("cp_empty_netwpin_466923103145252.wbxml")).unwrap();
    let c = Credentials {
        imsi: Some(Secret::new(IMSI)),
        pin: None,
    };
    let ok = verify(
        Some(0),
        Some("1AF545FE2823DC9347064450F90FF1BBF957E146"),
        &empty,
        &c,
    )
    .unwrap();
    assert_eq!(
        (ok.method, ok.strength),
        (SecMethod::Netwpin, AuthStrength::Weak)
    );
    assert_eq!(
        compute_mac(SecMethod::Netwpin, &empty, &c).unwrap(),
        "1AF545FE2823DC9347064450F90FF1BBF957E146"
    );
    assert!(decode_wbxml(&empty).unwrap().characteristics.is_empty());

    let cht = std::fs::read(m.join("cp_cht_codepage_userpin0000.wbxml")).unwrap();
    let c = Credentials {
        imsi: None,
        pin: Some(Secret::new("0000")),
    };
    let ok = verify(
        Some(1),
        Some("AA2DC41FC48AEEF3FED7351B1EE704461A8894D4"),
        &cht,
        &c,
    )
    .unwrap();
    assert_eq!(ok.method, SecMethod::Userpin);
    let wrong = Credentials {
        imsi: None,
        pin: Some(Secret::new("0001")),
    };
    assert_eq!(
        verify(
            Some(1),
            Some("AA2DC41FC48AEEF3FED7351B1EE704461A8894D4"),
            &cht,
            &wrong
        ),
        Err(AuthError::MacMismatch)
    );
    let doc = decode_wbxml(&cht).unwrap();
    let kinds: Vec<&str> = doc
        .characteristics
        .iter()
        .map(|c| c.kind.as_ref())
        .collect();
    assert_eq!(
        kinds,
        [
            "BOOTSTRAP",
            "APPLICATION",
            "APPLICATION",
            "PXLOGICAL",
            "PXLOGICAL",
            "NAPDEF",
            "NAPDEF"
        ]
    );
    let apps: Vec<&str> = doc
        .of_kind("APPLICATION")
        .filter_map(|a| a.parm("APPID"))
        .collect();
    assert_eq!(apps, ["w2", "w4"]);
    let s = mms_settings(&doc).unwrap();
    assert_eq!(s.mmsc_url, "http://mms:8002/");
    assert_eq!(
        s.proxy,
        Some(ProxySettings {
            host: "10.1.1.1".into(),
            port: 8080
        })
    );
    assert_eq!(s.apn.as_deref(), Some("emome"));

    let appc_body = std::fs::read(m.join("cp_omacp11_appendixC.wbxml")).unwrap();
    let appc = decode_wbxml(&appc_body).unwrap();
    assert_eq!(appc.version.as_deref(), Some("1.0"));
    let nap = appc.of_kind("NAPDEF").next().unwrap();
    assert_eq!(nap.parm("NAP-ADDRESS"), Some("+35808124002"));
    assert_eq!(
        nap.children_of("NAPAUTHINFO")
            .next()
            .unwrap()
            .parm("AUTHNAME"),
        Some("wwwmmmuser")
    );
    assert_eq!(mms_settings(&appc), Err(SettingsError::NoMmsApplication));

    let vendor = std::fs::read(m.join("cp_wbxml_vendorconfig.wbxml")).unwrap();
    assert!(
        decode_wbxml(&vendor).is_err(),
        "truncated document must be rejected"
    );
    assert!(inspect(Some(0), &vendor).is_err());
}

#[test]
fn kannel_style_push_verifies_end_to_end_from_raw_bytes() {
    let Some(dir) = corpus_dir() else {
        eprintln!("shared corpus not found beside the project: skipped");
        return;
    };
    let raw = std::fs::read(dir.join("push/derived/kannel_style_netwpin_push_466923103145252.bin"))
        .unwrap();
    let audit = Arc::new(MemoryAudit::default());
    let clock = Arc::new(ManualClock::new(1_750_000_000));
    let ppg = "+886935000000";
    let policy = PushPolicy {
        mmsc_url: Some("http://mms:8002/".into()),
        trusted_origins: vec![ppg.into()],
        ..PushPolicy::default()
    };
    let handler = PushHandler::new(
        PushValidator::new(policy, clock.clone(), audit.clone()),
        ReassemblyLimits::default(),
        clock.clone(),
        audit.clone(),
    );
    // Over SMS, as an operator would send it.
    let mut verdict = None;
    for t in build_deliver_tpdus(ppg, &raw, PORT_PUSH, 1) {
        verdict = handler.handle_sms(&t, true);
    }
    let input = ProvisioningInput::from_verdict(&verdict.unwrap()).unwrap();
    let prov = Provisioner::new(
        ProvisioningPolicy {
            trusted_origins: vec![ppg.into()],
            ..ProvisioningPolicy::default()
        },
        Arc::new(MemorySettings::default()),
        Arc::new(MemoryAttempts::default()),
        clock,
        audit.clone(),
    );
    let c = Credentials {
        imsi: Some(Secret::new(IMSI)),
        pin: None,
    };
    // Authentication passes; the empty document carries no MMS settings to apply.
    assert_eq!(
        prov.verify(&input, &c).unwrap_err(),
        ProvisioningError::Settings(SettingsError::NoMmsApplication)
    );
    let wrong = Credentials {
        imsi: Some(Secret::new("466923103145253")),
        pin: None,
    };
    assert_eq!(
        prov.verify(&input, &wrong).unwrap_err(),
        ProvisioningError::Auth(AuthError::MacMismatch)
    );
}
