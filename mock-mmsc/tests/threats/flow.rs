//! The MM1 flow between two simulated subscribers: send, notify, retrieve, acknowledge,
//! reports; forward without retrieval; how senders are shown.

use super::*;
#[tokio::test]
async fn full_mm1_flow_between_two_subscribers() {
    let (mmsc, c) = start(MockConfig::default()).await;
    let (alice, bob) = alice_and_bob(&mmsc).await;
    let req = send_req("T-1", bob.number)
        .delivery_report(true)
        .read_report(true)
        .build();
    let conf = submit(&c, &mmsc, alice.number, &req).await;
    assert_eq!(conf.status, 200);
    let conf = conf.pdu();
    assert_eq!(conf.message_type, MessageType::SendConf);
    assert_eq!(conf.response_status(), Some(ResponseStatus::Ok));
    assert_eq!(conf.transaction_id().unwrap().to_string(), "T-1");
    let message_id = conf.message_id().unwrap().to_string();

    let notif = bob.notified().await;
    assert_eq!(notif.message_type, MessageType::NotificationInd);
    let loc = location(&notif);
    assert!(loc.starts_with(&mmsc.url()), "{loc}");
    let retrieved = get(&c, &loc, bob.number).await;
    assert_eq!(retrieved.status, 200);
    let rc = retrieved.pdu();
    assert_eq!(rc.message_type, MessageType::RetrieveConf);
    assert_eq!(rc.message_id().unwrap().to_string(), message_id);
    assert!(format!("{:?}", rc.from().unwrap()).contains("15550001"));
    assert_eq!(rc.parts()[0].raw_data(), b"Hello there");

    let ntid = notif.transaction_id().unwrap().to_string();
    let ack = notify_resp(&ntid, Status::Retrieved, Some(true));
    assert_eq!(submit(&c, &mmsc, bob.number, &ack).await.status, 204);
    let dr = alice.notified().await;
    assert_eq!(dr.message_type, MessageType::DeliveryInd);
    assert_eq!(dr.message_id().unwrap().to_string(), message_id);
    assert_eq!(dr.status(), Some(Status::Retrieved));

    let rr = read_rec(&message_id, alice.number, ReadStatus::Read, Some(1));
    assert_eq!(submit(&c, &mmsc, bob.number, &rr).await.status, 204);
    let ro = alice.notified().await;
    assert_eq!(ro.message_type, MessageType::ReadOrigInd);
    assert_eq!(ro.read_status(), Some(ReadStatus::Read));

    let cdrs = mmsc.cdrs();
    assert_eq!(
        cdrs.iter().map(|c| c.event.as_str()).collect::<Vec<_>>(),
        ["submitted", "retrieved"]
    );
    assert_eq!(mmsc.open_transactions(), 0);
}

#[tokio::test]
async fn forward_without_retrieval_only_by_a_notified_recipient() {
    let (mmsc, c) = start(MockConfig::default()).await;
    let (alice, bob) = alice_and_bob(&mmsc).await;
    let carol = Phone::new(&mmsc, "+15550003").await;
    let req = send_req("T-1", bob.number).build();
    submit(&c, &mmsc, alice.number, &req).await;
    let loc = location(&bob.notified().await);
    // Carol cannot forward Bob's message.
    let stolen = mms_codec::pdu::builder::forward_req("F-0", &[alice.number], &loc);
    let r = post(
        &c,
        &mmsc.url(),
        Some(carol.number),
        stolen.encode().unwrap(),
    )
    .await;
    assert_eq!(r.pdu().message_type, MessageType::ForwardConf);
    assert_eq!(
        r.pdu().response_status(),
        Some(ResponseStatus::PermanentMessageNotFound)
    );
    // Bob forwards it to Carol without downloading it.
    let fwd = mms_codec::pdu::builder::forward_req("F-1", &[carol.number], &loc);
    let r = submit(&c, &mmsc, bob.number, &fwd).await;
    let conf = r.pdu();
    assert_eq!(conf.message_type, MessageType::ForwardConf);
    assert_eq!(conf.response_status(), Some(ResponseStatus::Ok));
    assert_eq!(conf.transaction_id().unwrap().to_string(), "F-1");
    let new_id = conf.message_id().unwrap().to_string();
    let n = carol.notified().await;
    let rc = get(&c, &location(&n), carol.number).await;
    let rc = rc.pdu();
    assert_eq!(rc.message_id().unwrap().to_string(), new_id);
    assert!(format!("{:?}", rc.from().unwrap()).contains("15550002"));
    assert_eq!(rc.parts()[0].raw_data(), b"Hello there");
    // Only Carol's retrieval happened: Bob never downloaded it.
    assert_eq!(mmsc.log_of("retrieved").len(), 1);
    assert_eq!(mmsc.log_of("forward_refused").len(), 1);
}

#[tokio::test]
async fn recipients_see_the_sender_s_full_number() {
    // Subscribers are keyed by their last nine digits; what others see is the number itself.
    let (mmsc, c) = start(MockConfig::default()).await;
    let alice = Phone::new(&mmsc, "+447700900123").await;
    let bob = Phone::new(&mmsc, "+447700900456").await;
    submit(
        &c,
        &mmsc,
        alice.number,
        &send_req("T-1", bob.number).build(),
    )
    .await;
    let notif = bob.notified().await;
    let shown = |p: &Pdu<'_>| match p.from() {
        Some(mms_codec::pdu::FromValue::Address(a)) => a.to_string_lossy().into_owned(),
        other => format!("{other:?}"),
    };
    assert_eq!(shown(&notif), "+447700900123/TYPE=PLMN");
    let retrieved = get(&c, &location(&notif), bob.number).await;
    assert_eq!(shown(&retrieved.pdu()), "+447700900123/TYPE=PLMN");
}
