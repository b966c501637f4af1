//! Exactly once under races: the app, the auto-download policy and start-up reconciliation can
//! all act on one message at the same time (a retry button pressed twice, `reconcile()` while a
//! download runs). Every journal transition is a compare-and-set naming the state it leaves, and
//! a transaction claims its message before any network traffic, so the MMSC sees one retrieval
//! and one acknowledgement, the app one `MessageReceived`, the store one row.

use mms_core::{AutoDownload, Direction, Event, State};
use mms_tests::harness::*;
use mock_mmsc::{MockConfig, MockMmsc};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_downloads_confirms_and_reconciles_act_once() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, "+15556001", "races").await.unwrap();
    let mut p = profile(&mmsc.url(), "+15556002");
    p.auto_download = AutoDownload::Never;
    let b = phone_with(&mmsc, "+15556002", "races", p).await.unwrap();
    a.client
        .send(text_draft(&b.number, Some("once"), b"exactly once"))
        .await
        .unwrap();
    let id = eventually("notification stored", || {
        b.client
            .messages()
            .unwrap()
            .into_iter()
            .find(|m| m.direction == Direction::In && m.state == State::Notified && m.deferred)
            .map(|m| m.id)
    })
    .await
    .unwrap();
    // Auto-download on again, so that reconcile() downloads too.
    let mut p = b.client.profile();
    p.auto_download = AutoDownload::Always;
    b.client.set_profile(p).unwrap();

    let mut tasks = Vec::new();
    for i in 0..24 {
        let c = b.client.clone();
        tasks.push(tokio::spawn(async move {
            match i % 3 {
                0 => c.download(id).await.map(|_| ()),
                1 => c.reconcile().await.map(|_| ()),
                _ => c.confirm_delivered(id).await,
            }
        }));
    }
    for t in tasks {
        let _ = t.await.unwrap();
    }
    // Whatever the interleaving, the message ends acknowledged once the racers are done.
    let _ = b.client.confirm_delivered(id).await;
    let _ = b.client.reconcile().await;

    let rows: Vec<_> = b
        .client
        .messages()
        .unwrap()
        .into_iter()
        .filter(|m| m.direction == Direction::In)
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].state, State::Acknowledged);
    let received = b
        .events
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|e| matches!(e, Event::MessageReceived { id: i, .. } if *i == id))
        .count();
    assert_eq!(received, 1, "MessageReceived events");
    assert_eq!(mmsc.log_of("retrieved").len(), 1, "retrievals at the MMSC");
    assert_eq!(
        mmsc.log_of("transaction_closed").len(),
        1,
        "acknowledgements at the MMSC"
    );
    assert!(mmsc.log_of("duplicate_ack").is_empty());
}
