//! OTA provisioning against the OTA-* threats, with real push bytes through the same entry
//! points the app uses (push handler -> provisioner), asserting verdicts, stored settings before
//! and after, and audit rows. MACs of our own vectors are computed by Python's hmac module, a
//! second, independent implementation.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_codec::pdu::Text;
use mms_codec::pdu::content_type::{ContentType, MediaType, ParamValue, param};
use mms_codec::provisioning::*;
use mms_codec::push::*;
use mms_decisions::audit::{AuditOutcome, MemoryAudit};
use mms_decisions::clock::ManualClock;
use mms_decisions::provisioning::*;
use mms_decisions::push::*;
use std::process::Command;
use std::sync::Arc;
use zeroize::Zeroize;

const PPG: &str = "+886935000000";
const IMSI: &str = "466923103145252";

fn mms_doc(mmsc: &str, proxy: Option<(&str, &str)>, apn: &str) -> ProvisioningDoc<'static> {
    let xml = format!(
        r#"<wap-provisioningdoc version="1.1">
  <characteristic type="BOOTSTRAP"><parm name="NAME" value="Operator MMS"/></characteristic>
  <characteristic type="APPLICATION">
    <parm name="APPID" value="w4"/>
    {}
    <parm name="ADDR" value="{mmsc}"/>
    <parm name="TO-NAPID" value="NAP_MMS"/>
  </characteristic>
  {}
  <characteristic type="NAPDEF">
    <parm name="NAPID" value="NAP_MMS"/>
    <parm name="NAP-ADDRESS" value="{apn}"/>
    <parm name="NAP-ADDRTYPE" value="APN"/>
    <characteristic type="NAPAUTHINFO">
      <parm name="AUTHTYPE" value="PAP"/><parm name="AUTHNAME" value="mms"/><parm name="AUTHSECRET" value="s3cr3t-nap-pw"/>
    </characteristic>
  </characteristic>
</wap-provisioningdoc>"#,
        if proxy.is_some() { r#"<parm name="TO-PROXY" value="MPROXY"/>"# } else { "" },
        proxy
            .map(|(h, p)| format!(
                r#"<characteristic type="PXLOGICAL"><parm name="PROXY-ID" value="MPROXY"/>
                   <characteristic type="PXPHYSICAL"><parm name="PXADDR" value="{h}"/>
                   <characteristic type="PORT"><parm name="PORTNBR" value="{p}"/></characteristic></characteristic></characteristic>"#
            ))
            .unwrap_or_default()
    );
    parse_xml(&xml).unwrap()
}

fn push_bytes(sec: Option<u64>, mac: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut ct = ContentType::new(MediaType::WellKnown(0x36));
    if let Some(s) = sec {
        ct = ct.with(param::SEC, ParamValue::Integer(s));
    }
    if let Some(m) = mac {
        ct = ct.with(param::MAC, ParamValue::Text(Text::from(m)));
    }
    encode_push(1, &ct, None, body).unwrap()
}

struct Rig {
    handler: PushHandler,
    prov: Provisioner,
    store: Arc<MemorySettings>,
    audit: Arc<MemoryAudit>,
    clock: Arc<ManualClock>,
}

fn rig_with(initial: Option<MmsSettings>, attempts: Arc<dyn AttemptStore>) -> Rig {
    let audit = Arc::new(MemoryAudit::default());
    let clock = Arc::new(ManualClock::new(1_750_000_000));
    let store = Arc::new(MemorySettings::with(initial));
    let policy = PushPolicy {
        mmsc_url: Some("http://old.example/mms".into()),
        trusted_origins: vec![PPG.into()],
        ..PushPolicy::default()
    };
    let handler = PushHandler::new(
        PushValidator::new(policy, clock.clone(), audit.clone()),
        ReassemblyLimits::default(),
        clock.clone(),
        audit.clone(),
    );
    let prov = Provisioner::new(
        ProvisioningPolicy {
            trusted_origins: vec![PPG.into()],
            ..ProvisioningPolicy::default()
        },
        store.clone(),
        attempts,
        clock.clone(),
        audit.clone(),
    );
    Rig {
        handler,
        prov,
        store,
        audit,
        clock,
    }
}

fn rig() -> Rig {
    rig_with(old_settings(), Arc::new(MemoryAttempts::default()))
}

fn old_settings() -> Option<MmsSettings> {
    Some(MmsSettings {
        mmsc_url: "https://mmsc.operator.example/mms".into(),
        proxy: None,
        apn: Some("mms".into()),
        apn_auth: None,
        name: None,
    })
}

fn creds(imsi: Option<&str>, pin: Option<&str>) -> Credentials {
    Credentials {
        imsi: imsi.map(Secret::new),
        pin: pin.map(Secret::new),
    }
}

/// The push travels over SMS, is validated, and the provisioning input is what the verdict
/// hands over: the app's real path.
fn receive(r: &Rig, origin: &str, push: &[u8], port: u16) -> ProvisioningInput {
    let mut last = None;
    for t in build_deliver_tpdus(origin, push, port, 9) {
        last = r.handler.handle_sms(&t, true);
    }
    let v = last.unwrap();
    ProvisioningInput::from_verdict(&v).unwrap_or_else(|| panic!("not handed over: {v:?}"))
}

/// HMAC-SHA1 by Python's hmac module, the key given in hex.
fn python_hmac(key_hex: &str, body: &[u8]) -> String {
    let out = Command::new("python3")
        .args(["-c", "import hmac,hashlib,sys; k=bytes.fromhex(sys.argv[1]); b=bytes.fromhex(sys.argv[2]); print(hmac.new(k,b,hashlib.sha1).hexdigest().upper())", key_hex, &hex::encode(body)])
        .output()
        .expect("python3 runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn imsi_keys_for_odd_and_even_digit_counts() {
    assert_eq!(hex::encode(&*imsi_key(IMSI).unwrap()), "4966291330412525");
    // 14 digits: first nibble 1, padded with F.
    assert_eq!(
        hex::encode(&*imsi_key("46692310314525").unwrap()),
        "41662913304125f5"
    );
    assert_eq!(hex::encode(&*imsi_key("123456").unwrap()), "113254f6");
    assert_eq!(imsi_key("12345a").unwrap_err(), AuthError::MalformedImsi);
}

#[test]
fn own_vectors_match_an_independent_hmac() {
    let body = encode_wbxml(&mms_doc(
        "http://mmsc.new.example:8002/mms",
        Some(("10.1.1.1", "8080")),
        "mms.new",
    ));
    // NETWPIN, 15 and 14 digit IMSIs.
    for imsi in [IMSI, "46692310314525"] {
        let key = hex::encode(&*imsi_key(imsi).unwrap());
        let want = python_hmac(&key, &body);
        assert_eq!(
            compute_mac(SecMethod::Netwpin, &body, &creds(Some(imsi), None)).unwrap(),
            want
        );
        assert!(verify(Some(0), Some(&want), &body, &creds(Some(imsi), None)).is_ok());
    }
    // USERNETWPIN: IMSI key followed by the ASCII PIN.
    let key = format!(
        "{}{}",
        hex::encode(&*imsi_key(IMSI).unwrap()),
        hex::encode("4711")
    );
    let want = python_hmac(&key, &body);
    assert_eq!(
        compute_mac(
            SecMethod::Usernetwpin,
            &body,
            &creds(Some(IMSI), Some("4711"))
        )
        .unwrap(),
        want
    );
    let ok = verify(
        Some(2),
        Some(&want),
        &body,
        &creds(Some(IMSI), Some("4711")),
    )
    .unwrap();
    assert_eq!(
        (ok.method, ok.strength),
        (SecMethod::Usernetwpin, AuthStrength::UserPinAndNetwork)
    );
    assert_eq!(
        verify(
            Some(2),
            Some(&want),
            &body,
            &creds(Some(IMSI), Some("4712"))
        ),
        Err(AuthError::MacMismatch)
    );
    // USERPINMAC: PIN = K || D with D[i] = HMAC(K, body)[i] mod 10.
    let k = "13579";
    let h = hex::decode(python_hmac(&hex::encode(k), &body)).unwrap();
    let d: String = h
        .iter()
        .take(k.len())
        .map(|b| char::from(b'0' + b % 10))
        .collect();
    let pin = format!("{k}{d}");
    let ok = verify(Some(3), None, &body, &creds(None, Some(&pin))).unwrap();
    assert_eq!(
        (ok.method, ok.strength),
        (SecMethod::Userpinmac, AuthStrength::UserPin)
    );
    let mut wrong = pin.clone().into_bytes();
    wrong[9] = if wrong[9] == b'9' { b'0' } else { wrong[9] + 1 };
    assert_eq!(
        verify(
            Some(3),
            None,
            &body,
            &creds(None, Some(std::str::from_utf8(&wrong).unwrap()))
        ),
        Err(AuthError::MacMismatch)
    );
    assert_eq!(
        verify(Some(3), None, &body, &creds(None, Some("1234"))),
        Err(AuthError::MalformedPin)
    );
}

#[test]
fn ota_1_unauthenticated_documents_are_rejected() {
    let r = rig();
    let body = encode_wbxml(&mms_doc(
        "http://evil.test/mms",
        Some(("6.6.6.6", "8080")),
        "evil",
    ));
    let input = receive(&r, PPG, &push_bytes(None, None, &body), PORT_PUSH);
    let e = r.prov.verify(&input, &creds(Some(IMSI), None)).unwrap_err();
    assert_eq!(e, ProvisioningError::Auth(AuthError::Unauthenticated));
    assert_eq!(r.store.current(), old_settings(), "settings unchanged");
    let rows = r.audit.with_reason("unauthenticated");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].threat.as_deref(), Some("OTA-1"));
    // SEC without MAC is as bad.
    let input = receive(&r, PPG, &push_bytes(Some(0), None, &body), PORT_PUSH);
    assert_eq!(
        r.prov.verify(&input, &creds(Some(IMSI), None)).unwrap_err(),
        ProvisioningError::Auth(AuthError::Unauthenticated)
    );
}

#[test]
fn ota_2_forged_or_altered_documents_are_rejected() {
    let r = rig();
    let body = encode_wbxml(&mms_doc("http://mmsc.new.example/mms", None, "mms"));
    let good = compute_mac(SecMethod::Netwpin, &body, &creds(Some(IMSI), None)).unwrap();
    // Altered body, same MAC.
    let mut altered = encode_wbxml(&mms_doc("http://evil.test/mms", None, "mms"));
    let input = receive(
        &r,
        PPG,
        &push_bytes(Some(0), Some(&good), &altered),
        PORT_PUSH,
    );
    assert_eq!(
        r.prov.verify(&input, &creds(Some(IMSI), None)).unwrap_err(),
        ProvisioningError::Auth(AuthError::MacMismatch)
    );
    // Wrong IMSI.
    let input = receive(&r, PPG, &push_bytes(Some(0), Some(&good), &body), PORT_PUSH);
    assert_eq!(
        r.prov
            .verify(&input, &creds(Some("466923103145253"), None))
            .unwrap_err(),
        ProvisioningError::Auth(AuthError::MacMismatch)
    );
    // Unknown SEC, malformed MACs.
    let input = receive(&r, PPG, &push_bytes(Some(7), Some(&good), &body), PORT_PUSH);
    assert_eq!(
        r.prov.verify(&input, &creds(Some(IMSI), None)).unwrap_err(),
        ProvisioningError::Auth(AuthError::UnknownMethod)
    );
    for bad in [&good[..39], "ZZ45FE2823DC9347064450F90FF1BBF957E14600", ""] {
        let input = receive(&r, PPG, &push_bytes(Some(0), Some(bad), &body), PORT_PUSH);
        assert_eq!(
            r.prov.verify(&input, &creds(Some(IMSI), None)).unwrap_err(),
            ProvisioningError::Auth(AuthError::MalformedMac),
            "{bad:?}"
        );
    }
    altered.clear();
    assert_eq!(r.store.current(), old_settings());
    assert_eq!(
        r.audit
            .rows()
            .iter()
            .filter(|a| a.threat.as_deref() == Some("OTA-2"))
            .count(),
        6
    );
}

#[test]
fn ota_3_pin_attempts_lock_out_and_the_count_outlives_the_provisioner() {
    // The counter is the attempt store's, not the provisioner's: a new provisioner on the same
    // store (what a restart builds; the engine keeps the store in its database, proved in the
    // suite's `ota_3_lockout_survives_a_restart`) is still locked.
    let counter = Arc::new(MemoryAttempts::default());
    let body = encode_wbxml(&mms_doc("http://mmsc.new.example/mms", None, "mms"));
    let mac = compute_mac(SecMethod::Userpin, &body, &creds(None, Some("2468"))).unwrap();
    let push = push_bytes(Some(1), Some(&mac), &body);
    {
        let r = rig_with(old_settings(), counter.clone());
        for pin in ["0000", "1111", "2222"] {
            let input = receive(&r, PPG, &push, PORT_PUSH);
            assert_eq!(
                r.prov.verify(&input, &creds(None, Some(pin))).unwrap_err(),
                ProvisioningError::Auth(AuthError::MacMismatch)
            );
        }
        assert_eq!(r.prov.failed_attempts(), 3);
        let input = receive(&r, PPG, &push, PORT_PUSH);
        assert_eq!(
            r.prov
                .verify(&input, &creds(None, Some("2468")))
                .unwrap_err(),
            ProvisioningError::Auth(AuthError::LockedOut)
        );
        assert_eq!(
            r.audit.with_reason("pin_locked_out")[0].threat.as_deref(),
            Some("OTA-3")
        );
    }
    let r = rig_with(old_settings(), counter);
    let input = receive(&r, PPG, &push, PORT_PUSH);
    assert_eq!(
        r.prov
            .verify(&input, &creds(None, Some("2468")))
            .unwrap_err(),
        ProvisioningError::Auth(AuthError::LockedOut)
    );
    r.prov.reset_attempts();
    assert!(r.prov.verify(&input, &creds(None, Some("2468"))).is_ok());
    assert_eq!(r.prov.failed_attempts(), 0, "a success resets the count");
}

#[test]
fn ota_4_only_the_provisioning_channel_and_a_trusted_origin() {
    let r = rig();
    let body = encode_wbxml(&mms_doc("http://mmsc.new.example/mms", None, "mms"));
    let mac = compute_mac(SecMethod::Netwpin, &body, &creds(Some(IMSI), None)).unwrap();
    let push = push_bytes(Some(0), Some(&mac), &body);
    // From a mobile terminal / GSM modem: an untrusted originating address.
    let input = receive(&r, "+15557654321", &push, PORT_PUSH);
    assert!(matches!(
        r.prov.verify(&input, &creds(Some(IMSI), None)),
        Err(ProvisioningError::UntrustedOrigin(_))
    ));
    // Arriving as an ordinary message (an MMS part, a file): never applied.
    let as_message = ProvisioningInput {
        source: ProvisioningSource::Message,
        ..input.clone()
    };
    assert_eq!(
        r.prov
            .verify(&as_message, &creds(Some(IMSI), None))
            .unwrap_err(),
        ProvisioningError::WrongChannel
    );
    // On another WDP port the push layer already refuses it, and the provisioner would too.
    let v = r.handler.handle_platform(PPG, Some(9200), &push);
    assert_eq!(v.reason, PushReason::WrongPort);
    let wrong_port = ProvisioningInput {
        source: ProvisioningSource::Push(PushChannel {
            bearer: Bearer::Sms,
            dst_port: Some(9200),
        }),
        ..input
    };
    assert_eq!(
        r.prov
            .verify(&wrong_port, &creds(Some(IMSI), None))
            .unwrap_err(),
        ProvisioningError::WrongChannel
    );
    assert_eq!(r.store.current(), old_settings());
    assert_eq!(
        r.audit
            .rows()
            .iter()
            .filter(|a| a.threat.as_deref() == Some("OTA-4"))
            .count(),
        3
    );
}

#[test]
fn ota_5_confirmed_atomic_application_with_downgrade_flag_and_replay_detection() {
    let r = rig();
    let doc = mms_doc(
        "http://mmsc.new.example:8002/mms",
        Some(("10.9.9.9", "8080")),
        "mms.new",
    );
    let body = encode_wbxml(&doc);
    let mac = compute_mac(SecMethod::Userpin, &body, &creds(None, Some("8642"))).unwrap();
    let push = push_bytes(Some(1), Some(&mac), &body);
    let input = receive(&r, PPG, &push, PORT_PUSH);
    let p = r.prov.verify(&input, &creds(None, Some("8642"))).unwrap();
    assert_eq!(p.strength, AuthStrength::UserPin);
    assert!(p.downgrade, "https MMSC replaced by http is flagged");
    assert!(p.warnings.iter().any(|w| w.contains("insecure")));
    let fields: Vec<&str> = p.changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["mmsc_url", "proxy", "apn", "apn_user"]);
    assert_eq!(
        p.changes[0].old.as_deref(),
        Some("https://mmsc.operator.example/mms")
    );
    // Nothing applied before the user confirms.
    assert_eq!(r.store.current(), old_settings());
    // Reject: old settings stay, token spent.
    r.prov.reject(&p.token);
    assert_eq!(
        r.prov.confirm(&p.token),
        Err(ProvisioningError::UnknownToken)
    );
    assert_eq!(r.store.current(), old_settings());
    // Timeout: old settings stay.
    let p = r.prov.verify(&input, &creds(None, Some("8642"))).unwrap();
    r.clock.advance(601);
    assert_eq!(r.prov.confirm(&p.token), Err(ProvisioningError::Expired));
    assert_eq!(r.store.current(), old_settings());
    // Confirm: all values at once.
    let p = r.prov.verify(&input, &creds(None, Some("8642"))).unwrap();
    let applied = r.prov.confirm(&p.token).unwrap();
    let now = r.store.current().unwrap();
    assert_eq!(applied, now);
    assert_eq!(now.mmsc_url, "http://mmsc.new.example:8002/mms");
    assert_eq!(
        now.proxy,
        Some(ProxySettings {
            host: "10.9.9.9".into(),
            port: 8080
        })
    );
    assert_eq!(now.apn.as_deref(), Some("mms.new"));
    assert_eq!(
        now.apn_auth
            .as_ref()
            .unwrap()
            .password
            .as_ref()
            .unwrap()
            .expose(),
        "s3cr3t-nap-pw"
    );
    assert!(
        r.audit
            .rows()
            .iter()
            .any(|a| a.reason == "settings_applied" && a.outcome == AuditOutcome::Confirmed)
    );
    // Replay of the applied document.
    let again = receive(&r, PPG, &push, PORT_PUSH);
    assert_eq!(
        r.prov
            .verify(&again, &creds(None, Some("8642")))
            .unwrap_err(),
        ProvisioningError::Replay
    );
    assert_eq!(r.store.current().unwrap(), now);
    // NETWPIN-only: verified but honestly weak.
    let doc2 = encode_wbxml(&mms_doc("https://mmsc.third.example/mms", None, "mms3"));
    let mac2 = compute_mac(SecMethod::Netwpin, &doc2, &creds(Some(IMSI), None)).unwrap();
    let input2 = receive(&r, PPG, &push_bytes(Some(0), Some(&mac2), &doc2), PORT_PUSH);
    let p2 = r.prov.verify(&input2, &creds(Some(IMSI), None)).unwrap();
    assert_eq!(p2.strength, AuthStrength::Weak);
    assert!(p2.warnings[0].contains("not secret"));
    assert!(!p2.downgrade);
}

#[test]
fn ota_6_secrets_never_show_and_are_zeroized() {
    let c = creds(Some(IMSI), Some("8642"));
    let dbg = format!("{c:?}");
    assert!(!dbg.contains(IMSI) && !dbg.contains("8642"), "{dbg}");
    let s = Secret::new("8642");
    assert_eq!(format!("{s:?} {s}"), "Secret(<redacted>) <redacted>");
    let settings = mms_settings(&mms_doc("http://m.example/mms", None, "apn")).unwrap();
    let dbg = format!("{settings:?}");
    assert!(!dbg.contains("s3cr3t-nap-pw"), "{dbg}");
    let json = serde_json::to_string(&settings).unwrap();
    assert!(!json.contains("s3cr3t-nap-pw"), "{json}");
    let doc = mms_doc("http://m.example/mms", None, "apn");
    assert!(!format!("{doc:?}").contains("s3cr3t-nap-pw"));
    assert!(!doc.to_xml().contains("s3cr3t-nap-pw"));
    // The whole flow writes no secret into the audit log.
    let r = rig();
    let body = encode_wbxml(&doc);
    let mac = compute_mac(SecMethod::Usernetwpin, &body, &c).unwrap();
    let input = receive(&r, PPG, &push_bytes(Some(2), Some(&mac), &body), PORT_PUSH);
    let p = r.prov.verify(&input, &c).unwrap();
    assert!(!format!("{p:?}").contains("s3cr3t-nap-pw"));
    r.prov.confirm(&p.token).unwrap();
    let _ = r.prov.verify(&input, &creds(Some(IMSI), Some("7391")));
    let all = format!("{:?}", r.audit.rows());
    for secret in [IMSI, "8642", "s3cr3t-nap-pw", "7391"] {
        assert!(!all.contains(secret), "{secret} leaked into the audit log");
    }
    // Zeroize contract: key buffers and secrets are wiped.
    let mut key = imsi_key(IMSI).unwrap();
    key.zeroize();
    assert!(key.is_empty());
    let mut s = Secret::new("8642");
    s.zeroize();
    assert_eq!(s.expose(), "");
}

#[test]
fn ota_7_malformed_wbxml_is_a_typed_error() {
    let r = rig();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "string table offset past its end",
            vec![
                0x03, 0x0b, 0x6a, 0x02, b'a', 0x00, 0x45, 0xc6, 0x50, 0x83, 0x7f, 0x01, 0x01, 0x01,
            ],
        ),
        ("deep nesting", {
            let mut b = vec![0x03, 0x0b, 0x6a, 0x00, 0x45];
            b.extend(std::iter::repeat_n([0xc6, 0x50, 0x03, b'X', 0x00, 0x01], 100).flatten());
            b
        }),
        ("huge opaque", {
            let mut b = vec![
                0x03, 0x0b, 0x6a, 0x00, 0x45, 0xc6, 0x50, 0xc3, 0x8f, 0xff, 0xff, 0x7f,
            ];
            b.extend_from_slice(&[0u8; 10]);
            b
        }),
        (
            "missing END",
            vec![
                0x03, 0x0b, 0x6a, 0x00, 0x45, 0xc6, 0x50, 0x03, b'A', 0x00, 0x01,
            ],
        ),
        (
            "characteristic without type",
            vec![0x03, 0x0b, 0x6a, 0x00, 0x45, 0x46, 0x01, 0x01],
        ),
    ];
    for (what, body) in cases {
        // Authenticated, so that decoding is what fails.
        let mac = compute_mac(SecMethod::Userpin, &body, &creds(None, Some("1357"))).unwrap();
        let input = receive(&r, PPG, &push_bytes(Some(1), Some(&mac), &body), PORT_PUSH);
        let e = r
            .prov
            .verify(&input, &creds(None, Some("1357")))
            .unwrap_err();
        assert!(
            matches!(e, ProvisioningError::Malformed(_)),
            "{what}: {e:?}"
        );
        assert_eq!(e.threat(), "OTA-7");
        assert!(inspect(Some(1), &body).is_err(), "{what}");
    }
    assert_eq!(r.store.current(), old_settings());
}

/// OTA-2: a MAC is exactly 40 hexadecimal digits. `u8::from_str_radix` accepts a sign, so a
/// MAC whose pairs `0X` were written `+X` (the same octets, 40 characters) used to verify; it is
/// malformed.
#[test]
fn ota_2_a_mac_with_signs_between_digit_pairs_is_malformed() {
    let r = rig();
    // A document whose real MAC has an octet below 0x10 (so that a pair can carry a sign).
    let (body, good) = (0..)
        .map(|i| {
            let body = encode_wbxml(&mms_doc(
                &format!("http://mmsc{i}.example/mms"),
                None,
                "mms",
            ));
            let mac = compute_mac(SecMethod::Netwpin, &body, &creds(Some(IMSI), None)).unwrap();
            (body, mac)
        })
        .find(|(_, mac)| mac.as_bytes().chunks(2).any(|p| p[0] == b'0'))
        .unwrap();
    let signed: String = good
        .as_bytes()
        .chunks(2)
        .map(|p| match p {
            [b'0', d] => format!("+{}", *d as char),
            _ => String::from_utf8(p.to_vec()).unwrap(),
        })
        .collect();
    assert_eq!(signed.len(), 40);
    assert_ne!(signed, good);
    let input = receive(
        &r,
        PPG,
        &push_bytes(Some(0), Some(&signed), &body),
        PORT_PUSH,
    );
    assert_eq!(
        r.prov.verify(&input, &creds(Some(IMSI), None)).unwrap_err(),
        ProvisioningError::Auth(AuthError::MalformedMac)
    );
    assert_eq!(r.store.current(), old_settings());
}
