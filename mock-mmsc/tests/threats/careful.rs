//! The mock as an MMSC that cannot be abused (issue #18): one notification per distinct
//! recipient, an admin API apart from the subscribers and behind a token, unguessable
//! transaction ids, the sender's visibility honoured, MM1 bodies that must be MMS PDUs, a
//! storage quota per sender, nothing kept for recipients it does not serve, and a proxy front
//! that asserts the identity it knows. Each test failed on the mock before these changes.

use super::*;
use mms_codec::pdu::{Header, SenderVisibility};

/// MMSC-1, MMSC-2: one submission listing Bob 64 times, in every spelling, pushes him one
/// notification (before: 64, and with the burst allowance a sender could push thousands).
#[tokio::test]
async fn mmsc_1_one_notification_per_distinct_recipient() {
    let (mmsc, c) = start(MockConfig::default()).await;
    let (alice, bob) = alice_and_bob(&mmsc).await;
    let spellings = [
        "+15550002",
        "+1 555 0002",
        "+1-555-0002/TYPE=PLMN",
        "0015550002",
        "5550002",
        "(555) 0002",
        "tel:+15550002",
        "+1.555.0002",
    ];
    let mut b = SendReqBuilder::new("T-dup");
    for i in 0..64 {
        b = b.to(spellings[i % spellings.len()]);
    }
    let req = b.part("text/plain", "t.txt", b"hi".to_vec()).build();
    let r = submit(&c, &mmsc, alice.number, &req).await;
    assert_eq!(r.pdu().response_status(), Some(ResponseStatus::Ok));
    bob.notified().await;
    assert!(
        bob.push(Duration::from_millis(500)).await.is_none(),
        "a second notification"
    );
    let d = mmsc.log_of("recipients_deduplicated");
    assert_eq!(d[0].detail, "64 listed, 1 distinct");
}

/// MMSC-8: the admin API is not on the subscribers' port, and on its own port it wants the
/// run's token; an unknown number cannot register itself, read the charging records or
/// inject faults (before: all three, on the subscriber port, with no credential).
#[tokio::test]
async fn mmsc_8_the_admin_api_is_apart_and_wants_the_token() {
    let (mmsc, c) = start(MockConfig::default()).await;
    let body = serde_json::to_vec(&serde_json::json!({"msisdn": "+15559999"})).unwrap();
    let on_mm1 = c
        .post(format!("http://{}/_admin/subscribers", mmsc.addr()))
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(on_mm1.status().as_u16(), 404);
    for auth in [None, Some("Bearer guess".to_string())] {
        let mut r = c
            .post(format!("{}/subscribers", mmsc.admin_url()))
            .header("content-type", "application/json")
            .body(body.clone());
        if let Some(a) = &auth {
            r = r.header("authorization", a);
        }
        assert_eq!(r.send().await.unwrap().status().as_u16(), 401, "{auth:?}");
        let cdrs = c
            .get(format!("{}/cdrs", mmsc.admin_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(cdrs.status().as_u16(), 401);
    }
    assert!(mmsc.log_of("admin_unauthorized").len() >= 4);
    // The unknown number is still unknown: its submission is refused.
    let req = send_req("T-1", "+15550002").build();
    assert_eq!(submit(&c, &mmsc, "+15559999", &req).await.status, 403);
    let ok = c
        .post(format!("{}/subscribers", mmsc.admin_url()))
        .header("authorization", format!("Bearer {}", mmsc.admin_token()))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status().as_u16(), 204);
    assert!(mmsc.admin_token().len() >= 24);
}

/// MMSC-9: notification transaction ids are unguessable (before: `N000006x0`, `N000008x0`).
#[tokio::test]
async fn mmsc_9_notification_transaction_ids_are_unguessable() {
    let (mmsc, c) = start(MockConfig::default()).await;
    let (alice, bob) = alice_and_bob(&mmsc).await;
    let mut tids = Vec::new();
    for i in 0..2 {
        submit(
            &c,
            &mmsc,
            alice.number,
            &send_req(&format!("T-{i}"), bob.number).build(),
        )
        .await;
        let n = bob.notified().await;
        tids.push(n.transaction_id().unwrap().to_string());
    }
    assert_ne!(tids[0], tids[1]);
    for t in &tids {
        let hex = t.trim_start_matches('N');
        assert!(hex.len() >= 24, "{t}");
        assert!(hex.chars().all(|c| c.is_ascii_hexdigit()), "{t}");
    }
}

/// A sender who asks to be hidden is not shown: no From in the notification or the retrieved
/// message (before: both named the sender). By configuration the MMSC refuses such a
/// submission instead, with error-permanent-service-denied.
#[tokio::test]
async fn a_hidden_sender_is_not_shown_or_is_refused() {
    let hidden = |tid: &str| {
        let mut req = send_req(tid, "+15550002").build();
        req.headers
            .push(Header::SenderVisibility(SenderVisibility::Hide));
        req
    };
    let (mmsc, c) = start(MockConfig::default()).await;
    let (alice, bob) = alice_and_bob(&mmsc).await;
    submit(&c, &mmsc, alice.number, &hidden("T-h")).await;
    let n = bob.notified().await;
    assert!(n.from().is_none(), "{:?}", n.from());
    let conf = get(&c, &location(&n), bob.number).await;
    assert_eq!(conf.status, 200);
    let p = conf.pdu();
    assert!(p.from().is_none());
    assert!(
        !p.headers
            .iter()
            .any(|h| matches!(h, Header::SenderVisibility(_)))
    );
    assert!(!String::from_utf8_lossy(&conf.body).contains("15550001"));

    let (mmsc, c) = start(MockConfig {
        refuse_hidden_sender: true,
        ..MockConfig::default()
    })
    .await;
    let (alice, bob) = alice_and_bob(&mmsc).await;
    let r = submit(&c, &mmsc, alice.number, &hidden("T-r")).await;
    assert_eq!(
        r.pdu().response_status(),
        Some(ResponseStatus::PermanentServiceDenied)
    );
    assert!(bob.push(Duration::from_millis(300)).await.is_none());
}

/// An MM1 POST whose Content-Type is not application/vnd.wap.mms-message is 415 and is not
/// read (before: processed and notified as an MMS).
#[tokio::test]
async fn a_post_that_is_not_an_mms_pdu_is_415() {
    let (mmsc, c) = start(MockConfig::default()).await;
    let (alice, bob) = alice_and_bob(&mmsc).await;
    let body = send_req("T-415", bob.number).build().encode().unwrap();
    for ct in [Some("text/plain"), Some("application/octet-stream"), None] {
        let mut r = c
            .post(mmsc.url())
            .header(SUBSCRIBER_HEADER, alice.number)
            .body(body.clone());
        if let Some(t) = ct {
            r = r.header("content-type", t);
        }
        assert_eq!(r.send().await.unwrap().status().as_u16(), 415, "{ct:?}");
    }
    assert!(bob.push(Duration::from_millis(300)).await.is_none());
    assert_eq!(mmsc.message_count(), 0);
    assert_eq!(mmsc.log_of("wrong_content_type").len(), 3);
}

/// MMSC-1: what one sender may have waiting is bounded; a fetched and acknowledged message
/// frees its octets; a message for nobody this MMSC serves is not kept at all (before: no
/// quota, and such messages held until they expired).
#[tokio::test]
async fn mmsc_1_a_sender_has_a_storage_quota_and_nothing_is_kept_for_nobody() {
    let (mmsc, c) = start(MockConfig {
        quota_per_subscriber: 100 * 1024,
        ..MockConfig::default()
    })
    .await;
    let (alice, bob) = alice_and_bob(&mmsc).await;
    let big = |tid: &str| {
        SendReqBuilder::new(tid)
            .to(bob.number)
            .part("text/plain", "t.txt", vec![b'x'; 40 * 1024])
            .build()
    };
    for tid in ["T-1", "T-2"] {
        let r = submit(&c, &mmsc, alice.number, &big(tid)).await;
        assert_eq!(r.pdu().response_status(), Some(ResponseStatus::Ok), "{tid}");
    }
    let r = submit(&c, &mmsc, alice.number, &big("T-3")).await;
    let p = r.pdu();
    assert_eq!(
        p.response_status(),
        Some(ResponseStatus::TransientNetworkProblem)
    );
    assert_eq!(
        p.response_text()
            .map(|t| t.to_string_lossy().into_owned())
            .as_deref(),
        Some("storage quota reached")
    );
    // Bob fetches and acknowledges the first: its octets leave Alice's quota.
    let n = bob.notified().await;
    assert_eq!(get(&c, &location(&n), bob.number).await.status, 200);
    let tid = n.transaction_id().unwrap().to_string();
    let ack = notify_resp(&tid, Status::Retrieved, None);
    assert_eq!(submit(&c, &mmsc, bob.number, &ack).await.status, 204);
    let r = submit(&c, &mmsc, alice.number, &big("T-4")).await;
    assert_eq!(r.pdu().response_status(), Some(ResponseStatus::Ok));
    // A message for a number this MMSC does not serve is refused, not held.
    let before = mmsc.message_count();
    let r = submit(
        &c,
        &mmsc,
        alice.number,
        &send_req("T-5", "+15559999").build(),
    )
    .await;
    assert_eq!(
        r.pdu().response_status(),
        Some(ResponseStatus::PermanentSendingAddressUnresolved)
    );
    assert_eq!(mmsc.message_count(), before);
}
