//! The limits a careful MMSC keeps: sizes and corrupt PDUs (MMSC-1), rates (MMSC-2), timeouts and
//! re-notification (MMSC-3), sane times (MMSC-5), bounded logs.

use super::*;
#[tokio::test]
async fn mmsc_1_oversized_and_corrupt_submissions_are_refused() {
    let (mmsc, c) = start(MockConfig {
        max_body: 64 * 1024,
        max_message_size: 8 * 1024,
        ..Default::default()
    })
    .await;
    let alice = Phone::new(&mmsc, "+15550001").await;
    // A body over the HTTP limit never reaches the decoder.
    let huge = post(&c, &mmsc.url(), Some(alice.number), vec![0x8c; 100 * 1024]).await;
    assert_eq!(huge.status, 413);
    // A well-formed message over the message size limit gets a proper M-Send.conf error.
    let big = send_req("T-big", "+15550002")
        .part("image/png", "x.png", [PNG, &[0u8; 10_000][..]].concat())
        .build();
    let r = submit(&c, &mmsc, alice.number, &big).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.pdu().response_status(),
        Some(ResponseStatus::PermanentContentNotAccepted)
    );
    assert_eq!(r.pdu().transaction_id().unwrap().to_string(), "T-big");
    // Corrupt PDUs: a typed refusal, nothing stored.
    for garbage in [
        vec![0x8c, 0x80, 0x98],
        vec![0xff; 40],
        b"GET / HTTP/1.1".to_vec(),
    ] {
        let r = post(&c, &mmsc.url(), Some(alice.number), garbage).await;
        assert_eq!(r.status, 400);
        assert_eq!(
            r.pdu().response_status(),
            Some(ResponseStatus::PermanentMessageFormatCorrupt)
        );
    }
    assert_eq!(mmsc.message_count(), 0);
    assert_eq!(mmsc.log_of("message_too_large").len(), 1);
    assert_eq!(mmsc.log_of("corrupt_pdu").len(), 3);
}

#[tokio::test]
async fn mmsc_2_submissions_are_rate_limited_per_subscriber_and_per_ip() {
    let (mmsc, c) = start(MockConfig {
        rate_burst: 3,
        rate_per_minute: 1,
        ..Default::default()
    })
    .await;
    let (alice, bob) = alice_and_bob(&mmsc).await;
    for i in 0..3 {
        let req = send_req(&format!("T-{i}"), bob.number).build();
        let r = submit(&c, &mmsc, alice.number, &req).await;
        assert_eq!(r.status, 200, "submission {i}");
    }
    let req = send_req("T-3", bob.number).build();
    let r = submit(&c, &mmsc, alice.number, &req).await;
    assert_eq!(r.status, 429);
    let wait: u64 = r.retry_after.unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Another subscriber has its own budget.
    let req = send_req("T-b", alice.number).build();
    let r = submit(&c, &mmsc, bob.number, &req).await;
    assert_eq!(r.status, 200);
    assert_eq!(mmsc.message_count(), 4);
    assert_eq!(mmsc.log_of("rate_limited").len(), 1);

    // Per IP: every request from one address counts, whoever it claims to be.
    let (mmsc, c) = start(MockConfig {
        ip_rate_burst: 2,
        ip_rate_per_minute: 1,
        ..Default::default()
    })
    .await;
    let statuses = futures_util::future::join_all((0..4).map(|i| {
        let (c, url) = (c.clone(), mmsc.url());
        async move {
            let req = send_req(&format!("T-{i}"), "+15550002").build();
            post(&c, &url, Some("+15550009"), req.encode().unwrap())
                .await
                .status
        }
    }))
    .await;
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 2);
}

#[tokio::test]
async fn mmsc_3_unanswered_transactions_time_out_and_are_cleaned_up() {
    let (mmsc, c) = start(MockConfig {
        ack_timeout: Duration::from_millis(300),
        sweep: Duration::from_millis(25),
        ..Default::default()
    })
    .await;
    let (alice, bob) = alice_and_bob(&mmsc).await;
    let req = send_req("T-1", bob.number).build();
    submit(&c, &mmsc, alice.number, &req).await;
    let notif = bob.notified().await;
    assert_eq!(mmsc.open_transactions(), 1);
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(mmsc.open_transactions(), 0);
    assert_eq!(mmsc.log_of("transaction_timeout").len(), 1);
    // The location died with the transaction, and a late NotifyResp is refused.
    assert_eq!(get(&c, &location(&notif), bob.number).await.status, 404);
    let late = notify_resp(
        &notif.transaction_id().unwrap().to_string(),
        Status::Retrieved,
        None,
    );
    let r = submit(&c, &mmsc, bob.number, &late).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn mmsc_3_notifications_are_repeated_until_a_notify_resp_arrives() {
    let (mmsc, c) = start(MockConfig {
        renotify: Some(Duration::from_millis(100)),
        max_renotify: 10,
        sweep: Duration::from_millis(20),
        ..Default::default()
    })
    .await;
    let (alice, bob) = alice_and_bob(&mmsc).await;
    let req = send_req("T-1", bob.number).build();
    submit(&c, &mmsc, alice.number, &req).await;
    let first = bob.notified().await;
    let again = bob.notified().await;
    assert_eq!(first.encode().unwrap(), again.encode().unwrap());
    let tid = first.transaction_id().unwrap().to_string();
    let deferred = notify_resp(&tid, Status::Deferred, None);
    assert_eq!(
        post(
            &c,
            &mmsc.url(),
            Some(bob.number),
            deferred.encode().unwrap()
        )
        .await
        .status,
        204
    );
    // Drain anything already in flight, then silence.
    while bob.push(Duration::from_millis(150)).await.is_some() {}
    assert!(bob.push(Duration::from_millis(400)).await.is_none());
    assert!(!mmsc.log_of("renotified").is_empty());
    // Deferred is not closed: the message can still be fetched.
    assert_eq!(get(&c, &location(&first), bob.number).await.status, 200);
}

#[tokio::test]
async fn mmsc_5_expiry_and_delivery_time_are_clamped() {
    let (mmsc, c) = start(MockConfig {
        max_expiry: Duration::from_secs(7 * 86_400),
        sweep: Duration::from_millis(20),
        ..Default::default()
    })
    .await;
    let (alice, bob) = alice_and_bob(&mmsc).await;
    // Ten years is clamped to the maximum.
    let req = send_req("T-1", bob.number)
        .expiry(TimeValue::Relative(10 * 365 * 86_400))
        .build();
    submit(&c, &mmsc, alice.number, &req).await;
    let n = bob.notified().await;
    assert_eq!(n.expiry(), Some(TimeValue::Relative(7 * 86_400)));
    assert_eq!(mmsc.log_of("expiry_clamped").len(), 1);
    // An expiry in the past is not honoured as "already expired": the default applies.
    let req = send_req("T-2", bob.number)
        .expiry(TimeValue::Absolute(1_000_000))
        .build();
    submit(&c, &mmsc, alice.number, &req).await;
    let n = bob.notified().await;
    assert_eq!(n.expiry(), Some(TimeValue::Relative(3 * 86_400)));
    // A delivery time in the past means now; a near one is honoured by the sweeper.
    let mut past = send_req("T-3", bob.number).build();
    past.headers
        .push(mms_codec::pdu::Header::DeliveryTime(TimeValue::Absolute(5)));
    submit(&c, &mmsc, alice.number, &past).await;
    assert!(bob.push(Duration::from_secs(5)).await.is_some());
    assert_eq!(mmsc.log_of("delivery_time_clamped").len(), 1);
    let mut later = send_req("T-4", bob.number).build();
    later
        .headers
        .push(mms_codec::pdu::Header::DeliveryTime(TimeValue::Relative(1)));
    submit(&c, &mmsc, alice.number, &later).await;
    assert!(bob.push(Duration::from_millis(500)).await.is_none());
    assert!(bob.push(Duration::from_secs(5)).await.is_some());
    assert_eq!(mmsc.log_of("notification_scheduled").len(), 1);
    // A delivery time beyond the expiry is pulled in before it.
    let mut beyond = send_req("T-5", bob.number)
        .expiry(TimeValue::Relative(3600))
        .build();
    beyond
        .headers
        .push(mms_codec::pdu::Header::DeliveryTime(TimeValue::Relative(
            7200,
        )));
    post(
        &c,
        &mmsc.url(),
        Some(alice.number),
        beyond.encode().unwrap(),
    )
    .await;
    let last = mmsc.log_of("delivery_time_clamped");
    assert_eq!(last.len(), 2);
    assert!(last[1].detail.ends_with("-> 3540s (MMSC-5)"), "{last:?}");
}

#[tokio::test]
async fn the_decision_log_and_charging_records_stay_bounded() {
    let (mmsc, c) = start(MockConfig {
        log_capacity: 4,
        ..Default::default()
    })
    .await;
    let (alice, bob) = alice_and_bob(&mmsc).await;
    let mut ids = Vec::new();
    for i in 0..6 {
        let r = submit(
            &c,
            &mmsc,
            alice.number,
            &send_req(&format!("T-{i}"), bob.number).build(),
        )
        .await;
        ids.push(r.pdu().message_id().unwrap().to_string());
    }
    // Six submissions log at least twelve decisions; only the newest four are kept, in order.
    let log = mmsc.log();
    assert_eq!(log.len(), 4);
    assert!(log.iter().any(|e| e.detail.contains(&ids[5])), "{log:?}");
    assert!(log.iter().all(|e| !e.detail.contains(&ids[0])), "{log:?}");
    let cdrs = mmsc.cdrs();
    let kept: Vec<&str> = cdrs.iter().map(|c| c.message_id.as_str()).collect();
    assert_eq!(
        kept,
        ids[2..].iter().map(String::as_str).collect::<Vec<_>>()
    );
}
