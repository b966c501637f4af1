//! Cancel and delete over real loopback sockets: the MMSC withdraws a message (M-Cancel.req,
//! answered with M-Cancel.conf) before and after retrieval; the user deletes a notified message
//! (M-Delete.req where the MMSC supports it, NotifyResp Rejected where not), a downloaded one,
//! and withdraws a queued send; a crash in `DELETING` finishes at start-up.

use mms_core::AutoDownload;
use mms_core::pdu::builder::cancel_req;
use mms_core::push::{PORT_PUSH, encode_mms_push};
use mms_core::{DeleteOutcome, Direction, Draft, Event, State};
use mms_tests::harness::*;
use mock_mmsc::{Fault, FaultOn, MockConfig, MockMmsc};

fn draft(to: &str) -> Draft {
    text_draft(to, Some("withdraw me"), b"hello")
}

async fn deferred_phone(mmsc: &MockMmsc, number: &str, tag: &str, mmsc_delete: bool) -> Phone {
    let mut p = profile(&mmsc.url(), number);
    p.auto_download = AutoDownload::Never;
    p.mmsc_delete = mmsc_delete;
    phone_with(mmsc, number, tag, p).await.unwrap()
}

/// The Content-Location of the phone's message `id`.
fn location_of(p: &Phone, id: i64) -> String {
    p.client.message(id).unwrap().row.content_location.unwrap()
}

/// Waits until the phone holds one notified (deferred) message and returns its row id.
async fn notified(p: &Phone) -> i64 {
    eventually("notification stored and deferred", || {
        p.client
            .messages()
            .unwrap()
            .into_iter()
            .find(|m| m.direction == Direction::In && m.state == State::Notified && m.deferred)
            .map(|m| m.id)
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mmsc_cancel_drops_a_pending_notification_and_keeps_a_retrieved_message() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, "+15552001", "cancel").await.unwrap();
    let b = deferred_phone(&mmsc, "+15552002", "cancel", false).await;
    let c = phone(&mmsc, "+15552003", "cancel").await.unwrap();
    let mut d = draft(&b.number);
    d.cc = vec![c.number.clone()];
    let id = a.client.send(d).await.unwrap();
    let mid = a.client.message(id).unwrap().row.message_id.unwrap();
    let b_id = notified(&b).await;
    let c_id = eventually("C received", || c.events.received().first().copied())
        .await
        .unwrap();
    c.client.confirm_delivered(c_id).await.unwrap();

    assert_eq!(mmsc.cancel(&mid).await, 2);
    // B had not retrieved it: the notification is dropped and the MMSC told.
    let (cancelled, retrieved) = eventually("B cancelled", || {
        b.events.find(|e| match e {
            Event::MessageCancelled { id, retrieved } => Some((*id, *retrieved)),
            _ => None,
        })
    })
    .await
    .unwrap();
    assert_eq!((cancelled, retrieved), (b_id, false));
    assert_eq!(b.client.message(b_id).unwrap().row.state, State::Cancelled);
    assert!(
        b.client.download(b_id).await.is_err(),
        "a cancelled message is not downloaded"
    );
    // C had it: C keeps every byte, and is told.
    let kept = eventually("C told", || {
        c.events.find(|e| match e {
            Event::MessageCancelled { id, retrieved } => Some((*id, *retrieved)),
            _ => None,
        })
    })
    .await
    .unwrap();
    assert_eq!(kept, (c_id, true));
    let view = c.client.message(c_id).unwrap();
    assert_eq!(view.row.state, State::Acknowledged);
    assert_eq!(view.parts[0].data, b"hello");
    // Both answered with M-Cancel.conf (cancel-request-received).
    let confs = eventually("two M-Cancel.conf", || {
        let l = mmsc.log_of("cancel_confirmed");
        (l.len() == 2).then_some(l)
    })
    .await
    .unwrap();
    assert!(
        confs
            .iter()
            .all(|e| e.detail.ends_with("cancel-request-received"))
    );
    let who: Vec<&str> = confs.iter().map(|e| e.subscriber.as_str()).collect();
    assert!(who.contains(&"155552002") || who.iter().any(|w| w.ends_with("5552002")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_5_a_cancel_from_an_untrusted_origin_keeps_the_notification() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, "+15552021", "cancel3").await.unwrap();
    let b = deferred_phone(&mmsc, "+15552022", "cancel3", false).await;
    let id = a.client.send(draft(&b.number)).await.unwrap();
    let mid = a.client.message(id).unwrap().row.message_id.unwrap();
    let b_id = notified(&b).await;
    let location = location_of(&b, b_id);
    // A spoofed cancel naming the pending notification by its location, from an origin the
    // profile does not trust: answered, not applied, audited.
    let spoof = encode_mms_push(4, &cancel_req("x9", &location).encode().unwrap());
    let v = b
        .client
        .handle_push("198.51.100.7", Some(PORT_PUSH), &spoof)
        .await;
    assert_eq!(v.verdict, mms_core::push::Verdict::AcceptUnverified);
    let row = eventually("the refusal audited", || {
        b.client
            .audit_log(Some("cancel_unverified"), 10)
            .unwrap()
            .into_iter()
            .next()
    })
    .await
    .unwrap();
    assert_eq!(row.threat.as_deref(), Some("PUSH-5"));
    assert_eq!(b.client.message(b_id).unwrap().row.state, State::Notified);
    assert!(
        b.events
            .find(|e| matches!(e, Event::MessageCancelled { .. }).then_some(()))
            .is_none()
    );
    // The MMSC's own cancel, from the trusted origin, still withdraws it.
    assert_eq!(mmsc.cancel(&mid).await, 1);
    eventually("B cancelled by the MMSC", || {
        (b.client.message(b_id).unwrap().row.state == State::Cancelled).then_some(())
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrupt_or_unknown_cancels_are_answered_and_change_nothing() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, "+15552011", "cancel2").await.unwrap();
    let b = deferred_phone(&mmsc, "+15552012", "cancel2", false).await;
    a.client.send(draft(&b.number)).await.unwrap();
    let b_id = notified(&b).await;
    // A cancel naming nothing we hold: answered as received, nothing changes.
    let push = |pdu: mms_core::pdu::Pdu<'static>| encode_mms_push(3, &pdu.encode().unwrap());
    b.client
        .handle_push(
            "127.0.0.1",
            Some(PORT_PUSH),
            &push(cancel_req("x1", "M-nothing")),
        )
        .await;
    // A cancel without a Cancel-ID: answered as corrupted.
    let mut bare = cancel_req("x2", "-");
    bare.headers
        .retain(|h| !matches!(h, mms_core::pdu::Header::CancelId(_)));
    let v = b
        .client
        .handle_push("127.0.0.1", Some(PORT_PUSH), &push(bare))
        .await;
    assert_eq!(v.verdict, mms_core::push::Verdict::Accept);
    let confs = eventually("two confs", || {
        let l = mmsc.log_of("cancel_confirmed");
        (l.len() == 2).then_some(l)
    })
    .await
    .unwrap();
    assert!(confs[0].detail.starts_with("x1 cancel-request-received"));
    assert!(confs[1].detail.starts_with("x2 cancel-request-corrupted"));
    assert_eq!(b.client.message(b_id).unwrap().row.state, State::Notified);
    b.client.download(b_id).await.unwrap();
    assert_eq!(b.client.message(b_id).unwrap().parts[0].data, b"hello");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_notified_message_releases_it_on_the_mmsc() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, "+15552021", "delete").await.unwrap();
    // B's MMSC supports M-Delete.req; C's profile says it does not.
    let b = deferred_phone(&mmsc, "+15552022", "delete", true).await;
    let c = deferred_phone(&mmsc, "+15552023", "delete", false).await;
    let mut d = draft(&b.number);
    d.to.push(c.number.clone());
    a.client.send(d).await.unwrap();
    let b_id = notified(&b).await;
    let c_id = notified(&c).await;
    let location = location_of(&b, b_id);

    assert_eq!(
        b.client.delete(b_id).await.unwrap(),
        DeleteOutcome::DeletedOnMmsc
    );
    assert!(b.client.message(b_id).is_err());
    let deleted = mmsc.log_of("deleted");
    assert_eq!(deleted.len(), 1);
    assert!(deleted[0].detail.ends_with(&location));
    // The MMSC no longer serves it.
    let gone = get_status(&mmsc, &location, &b.number).await;
    assert_eq!(gone, 404);

    assert_eq!(
        c.client.delete(c_id).await.unwrap(),
        DeleteOutcome::RejectedAtMmsc
    );
    assert!(c.client.messages().unwrap().is_empty());
    let closed = eventually("C's transaction closed as rejected", || {
        mmsc.log_of("transaction_closed")
            .into_iter()
            .find(|e| e.detail.contains("Rejected"))
    })
    .await
    .unwrap();
    assert!(closed.subscriber.ends_with("5552023"));
    // Every location B named was found.
    assert!(mmsc.log_of("delete_unknown").is_empty());
}

/// The HTTP status the MMSC answers a GET of `url` by `number` with.
async fn get_status(mmsc: &MockMmsc, url: &str, number: &str) -> u16 {
    use mms_core::{HttpTransport, Mm1Transport};
    let t = HttpTransport::new(&profile(&mmsc.url(), number)).unwrap();
    t.get(url).await.unwrap().status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_survives_a_failed_attempt_and_finishes_at_reconcile() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, "+15552031", "delete2").await.unwrap();
    let b = deferred_phone(&mmsc, "+15552032", "delete2", true).await;
    a.client.send(draft(&b.number)).await.unwrap();
    let b_id = notified(&b).await;
    mmsc.inject(FaultOn::Post, Fault::Http(503, None));
    assert!(b.client.delete(b_id).await.is_err());
    assert_eq!(b.client.message(b_id).unwrap().row.state, State::Deleting);
    // A retry after the fault clears finishes it (as start-up reconciliation does).
    let r = b.client.reconcile().await.unwrap();
    assert_eq!(r.deletions, 1);
    assert!(b.client.messages().unwrap().is_empty());
    assert_eq!(mmsc.log_of("deleted").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_downloaded_and_sent_messages_and_cancelling_a_queued_send() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, "+15552041", "delete3").await.unwrap();
    let b = phone(&mmsc, "+15552042", "delete3").await.unwrap();
    let sent = a.client.send(draft(&b.number)).await.unwrap();
    let got = eventually("B received", || b.events.received().first().copied())
        .await
        .unwrap();
    // Downloaded but not confirmed: the MMSC is acknowledged before the copy goes.
    assert_eq!(b.client.delete(got).await.unwrap(), DeleteOutcome::Local);
    assert!(b.client.messages().unwrap().is_empty());
    eventually("acknowledged", || {
        mmsc.log_of("transaction_closed")
            .into_iter()
            .find(|e| e.detail.contains("Retrieved"))
    })
    .await
    .unwrap();
    assert_eq!(a.client.delete(sent).await.unwrap(), DeleteOutcome::Local);
    assert!(a.client.message(sent).is_err());

    // A queued send withdrawn before it goes out is never submitted.
    let queued = a.client.queue(draft(&b.number)).unwrap();
    a.client.cancel_send(queued).await.unwrap();
    assert_eq!(
        a.client.message(queued).unwrap().row.state,
        State::Cancelled
    );
    let before = mmsc.cdrs().len();
    a.client.reconcile().await.unwrap();
    assert_eq!(mmsc.cdrs().len(), before);
    assert_eq!(
        a.client.message(queued).unwrap().row.state,
        State::Cancelled
    );
    // A sent message cannot be withdrawn.
    let again = a.client.send(draft(&b.number)).await.unwrap();
    assert!(a.client.cancel_send(again).await.is_err());
}
