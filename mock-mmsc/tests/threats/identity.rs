//! Who may do what: transaction ids issued per subscriber (MMSC-4), charging records with
//! checked part types (MMSC-6), read reports (MMSC-7), identity from the proxy front (MMSC-8),
//! locations on the MMSC host (MMSC-9).

use super::*;
#[tokio::test]
async fn mmsc_4_transaction_ids_must_be_ones_issued_to_that_subscriber() {
    let (mmsc, c) = start(MockConfig::default()).await;
    let (alice, bob) = alice_and_bob(&mmsc).await;
    let carol = Phone::new(&mmsc, "+15550003").await;
    let req = send_req("T-1", bob.number).build();
    submit(&c, &mmsc, alice.number, &req).await;
    let tid = bob.notified().await.transaction_id().unwrap().to_string();
    for (who, t) in [(bob.number, "made-up"), (carol.number, tid.as_str())] {
        let ack = notify_resp(t, Status::Retrieved, None);
        let r = submit(&c, &mmsc, who, &ack).await;
        assert_eq!(r.status, 400, "{who} {t}");
    }
    assert_eq!(mmsc.log_of("tid_mismatch").len(), 2);
    assert_eq!(mmsc.open_transactions(), 1);
    let ack = notify_resp(&tid, Status::Retrieved, None);
    let r = submit(&c, &mmsc, bob.number, &ack).await;
    assert_eq!(r.status, 204);
    assert_eq!(mmsc.open_transactions(), 0);
}

#[tokio::test]
async fn mmsc_6_declared_part_types_are_checked_in_the_cdr() {
    let (mmsc, c) = start(MockConfig::default()).await;
    let alice = Phone::new(&mmsc, "+15550001").await;
    mmsc.register("+15550002", None);
    let honest = send_req("T-1", "+15550002")
        .part("image/png", "a.png", PNG.to_vec())
        .build();
    let lying = send_req("T-2", "+15550002")
        .part("image/jpeg", "b.jpg", PNG.to_vec())
        .build();
    for req in [honest, lying] {
        let r = submit(&c, &mmsc, alice.number, &req).await;
        assert_eq!(r.pdu().response_status(), Some(ResponseStatus::Ok));
    }
    let cdrs = mmsc.cdrs();
    assert_eq!(cdrs.len(), 2);
    assert!(!cdrs[0].type_mismatch, "{:?}", cdrs[0]);
    assert!(cdrs[1].type_mismatch);
    assert!(
        cdrs[1]
            .parts
            .contains(&("image/jpeg".to_string(), "image/png".to_string()))
    );
    assert_eq!(mmsc.log_of("cdr_type_mismatch").len(), 1);
}

#[tokio::test]
async fn mmsc_7_read_reports_only_from_recipients_once_to_the_stored_originator() {
    let (mmsc, c) = start(MockConfig::default()).await;
    let (alice, bob) = alice_and_bob(&mmsc).await;
    let mallory = Phone::new(&mmsc, "+15550666").await;
    let asked = send_req("T-1", bob.number).read_report(true).build();
    let not_asked = send_req("T-2", bob.number).build();
    let mut ids = Vec::new();
    for req in [asked, not_asked] {
        let r = submit(&c, &mmsc, alice.number, &req).await;
        ids.push(r.pdu().message_id().unwrap().to_string());
    }
    let rr = |id: &str, to: &str| read_rec(id, to, ReadStatus::Read, None).encode().unwrap();
    // Not a recipient; unknown message; no report asked for; oversized.
    assert_eq!(
        post(
            &c,
            &mmsc.url(),
            Some(mallory.number),
            rr(&ids[0], alice.number)
        )
        .await
        .status,
        400
    );
    assert_eq!(
        post(
            &c,
            &mmsc.url(),
            Some(bob.number),
            rr("M-nope", alice.number)
        )
        .await
        .status,
        400
    );
    assert_eq!(
        post(&c, &mmsc.url(), Some(bob.number), rr(&ids[1], alice.number))
            .await
            .status,
        400
    );
    let mut big = read_rec(&ids[0], alice.number, ReadStatus::Read, None);
    big.headers.push(mms_codec::pdu::Header::Subject(
        mms_codec::pdu::builder::encoded_text(&"x".repeat(4000)),
    ));
    assert_eq!(submit(&c, &mmsc, bob.number, &big).await.status, 413);
    // A real one naming Mallory in its To still goes to Alice, the stored originator.
    assert_eq!(
        post(
            &c,
            &mmsc.url(),
            Some(bob.number),
            rr(&ids[0], mallory.number)
        )
        .await
        .status,
        204
    );
    // Drain Bob's notifications; Alice gets the report, Mallory nothing.
    let ro = alice.notified().await;
    assert_eq!(ro.message_type, MessageType::ReadOrigInd);
    assert!(mallory.push(Duration::from_millis(300)).await.is_none());
    // Once.
    assert_eq!(
        post(&c, &mmsc.url(), Some(bob.number), rr(&ids[0], alice.number))
            .await
            .status,
        400
    );
    assert_eq!(mmsc.log_of("read_report_refused").len(), 5);
    assert_eq!(mmsc.log_of("read_report_forwarded").len(), 1);
}

#[tokio::test]
async fn mmsc_8_identity_comes_only_from_the_proxy_front() {
    // Unknown subscribers are refused outright.
    let (mmsc, c) = start(MockConfig::default()).await;
    let req = send_req("T-1", "+15550002").build();
    let r = post(&c, &mmsc.url(), Some("+15559999"), req.encode().unwrap()).await;
    assert_eq!(r.status, 403);
    let r = post(&c, &mmsc.url(), None, req.encode().unwrap()).await;
    assert_eq!(r.status, 403);
    assert_eq!(mmsc.log_of("unknown_subscriber").len(), 2);

    // With identity_only_via_front, a client that sets the header itself is refused, even with
    // a made-up front header; through the front it is accepted.
    let (mmsc, c) = start(MockConfig {
        proxy_front: true,
        identity_only_via_front: true,
        ..Default::default()
    })
    .await;
    mmsc.register("+15550001", None);
    let direct = post(&c, &mmsc.url(), Some("+15550001"), req.encode().unwrap()).await;
    assert_eq!(direct.status, 403);
    let forged = c
        .post(mmsc.url())
        .header(SUBSCRIBER_HEADER, "+15550001")
        .header(FRONT_HEADER, "guess")
        .header("content-type", "application/vnd.wap.mms-message")
        .body(req.encode().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 403);
    assert_eq!(mmsc.log_of("identity_not_via_front").len(), 2);
    mmsc.register("+15550002", None);
    mmsc.register("+15550003", None);
    let via = client(mmsc.proxy_addr());
    // The front does not know who is behind this address: the number the client claims is
    // dropped, not passed through (before, the front vouched for whatever the client said).
    let r = post(&via, &mmsc.url(), Some("+15550001"), req.encode().unwrap()).await;
    assert_eq!(r.status, 403);
    // Once the front knows the address's subscriber, it asserts that number, whatever the
    // client claims.
    mmsc.attach("127.0.0.1".parse().unwrap(), Some("+15550001"));
    for i in 0..3 {
        // Each request through the front is vouched for, not only a connection's first.
        let req = send_req(&format!("T-{i}"), "+15550002").build();
        let r = post(&via, &mmsc.url(), Some("+15550003"), req.encode().unwrap()).await;
        assert_eq!(r.status, 200, "request {i}");
        assert_eq!(r.pdu().response_status(), Some(ResponseStatus::Ok));
    }
    let cdrs = mmsc.cdrs();
    assert_eq!(cdrs.len(), 3);
    assert!(cdrs.iter().all(|c| c.from == "+15550001"), "{cdrs:?}");
    // A client at another address the front does not know has no identity at all.
    let elsewhere = reqwest::Client::builder()
        .no_proxy()
        .proxy(reqwest::Proxy::http(format!("http://{}", mmsc.proxy_addr().unwrap())).unwrap())
        .local_address("127.0.0.2".parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap();
    let r = post(
        &elsewhere,
        &mmsc.url(),
        Some("+15550001"),
        req.encode().unwrap(),
    )
    .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn mmsc_9_locations_are_single_recipient_tokens_on_the_mmsc_host() {
    let (mmsc, c) = start(MockConfig::default()).await;
    let (alice, bob) = alice_and_bob(&mmsc).await;
    let carol = Phone::new(&mmsc, "+15550003").await;
    let req = SendReqBuilder::new("T-1")
        .to(bob.number)
        .to(carol.number)
        .part("text/plain", "t.txt", b"hi".to_vec())
        .build();
    submit(&c, &mmsc, alice.number, &req).await;
    let nb = location(&bob.notified().await);
    let nc = location(&carol.notified().await);
    assert_ne!(nb, nc);
    for l in [&nb, &nc] {
        assert!(l.starts_with(&format!("{}/m/", mmsc.url())), "{l}");
        assert!(l.len() > mmsc.url().len() + 3 + 20, "token too short: {l}");
    }
    // Carol cannot use Bob's token, nor Alice; a guessed token finds nothing.
    assert_eq!(get(&c, &nb, carol.number).await.status, 404);
    assert_eq!(get(&c, &nb, alice.number).await.status, 404);
    let guessed = format!("{}/m/000000000000000000000000", mmsc.url());
    assert_eq!(get(&c, &guessed, bob.number).await.status, 404);
    assert_eq!(mmsc.log_of("retrieve_wrong_recipient").len(), 2);
    assert_eq!(get(&c, &nb, bob.number).await.status, 200);
}
