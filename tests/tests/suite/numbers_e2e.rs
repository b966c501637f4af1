//! Numbers of different countries that share their last nine digits, end to end over loopback
//! (FILTER-1, REPORT-1): the MMSC notifies each, the sender's delivery report names the one who
//! retrieved the message, and a sender rule for one leaves the other alone. Before, every layer
//! keyed numbers by their last nine digits, so the two were one subscriber.

use mms_core::{AutoDownload, Draft, DraftPart, SenderRule, State};
use mms_tests::harness::*;
use mock_mmsc::{MockConfig, MockMmsc};

const US: &str = "+12025550143";
const UK: &str = "+447700900123";
const FR: &str = "+33700900123";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filter_1_report_1_colliding_numbers_are_different_subscribers() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, US, "n9").await.unwrap();
    let uk = phone(&mmsc, UK, "n9").await.unwrap();
    let mut p = profile(&mmsc.url(), FR);
    p.auto_download = AutoDownload::Never;
    let fr = phone_with(&mmsc, FR, "n9", p).await.unwrap();
    let draft = Draft {
        to: vec![FR.into(), UK.into()],
        subject: Some("to both".into()),
        parts: vec![DraftPart {
            content_type: "text/plain".into(),
            name: "t.txt".into(),
            data: b"hello".to_vec(),
        }],
        delivery_report: Some(true),
        ..Draft::default()
    };
    let sent = a.client.send(draft).await.unwrap();
    // Each is notified: two notifications, one per subscriber.
    let uk_id = eventually("UK's download", || {
        let m = uk.client.messages().ok()?.into_iter().next()?;
        (m.state == State::Downloaded).then_some(m.id)
    })
    .await
    .unwrap();
    let fr_row = eventually("FR's notification", || {
        fr.client.messages().ok()?.into_iter().next()
    })
    .await
    .unwrap();
    assert_eq!(fr_row.state, State::Notified);
    // Only UK takes the message: the report names UK, and A records it for UK alone.
    uk.client.confirm_delivered(uk_id).await.unwrap();
    let status = |who: &str| {
        a.client
            .store()
            .recipients(sent)
            .unwrap()
            .into_iter()
            .find(|r| r.address.starts_with(who))
            .and_then(|r| r.delivery_status)
    };
    eventually("A's delivery report", || status(UK))
        .await
        .unwrap();
    assert_eq!(status(UK).as_deref(), Some("retrieved"));
    assert_eq!(status(FR), None, "FR never retrieved it");
    // A rule for one is not a rule for the other.
    a.client.set_sender_rule(FR, SenderRule::Block).unwrap();
    assert_eq!(a.client.sender_rule(FR).unwrap(), Some(SenderRule::Block));
    assert_eq!(a.client.sender_rule(UK).unwrap(), None);
    assert_eq!(
        a.client.sender_rule("0033 7 00 90 01 23").unwrap(),
        Some(SenderRule::Block)
    );
}
