//! End to end over real loopback sockets: three clients on their own SQLite files, the mock
//! MMSC over HTTP, pushes over the UDP bearer. A sends text + JPEG + SMIL to B and C; B and C
//! receive the push (real push decode and verdict), download, confirm; A sees SENT, then the
//! delivery reports, then B's read report; all parts arrive byte-exact.

use mms_core::{Draft, DraftPart, Event, State};
use mms_tests::harness::{eventually, phone};
use mock_mmsc::{MockConfig, MockMmsc};

fn jpeg() -> Vec<u8> {
    let mut v = vec![
        0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ];
    v.extend_from_slice(&[
        0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0xf0, 0x01, 0x40, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
    ]);
    v.extend((0..20_000u32).map(|i| (i * 7 % 251) as u8));
    v.extend_from_slice(&[0xff, 0xd9]);
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_receive_acknowledge_and_reports_between_three_phones() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, "+15550001", "e2e").await.unwrap();
    let b = phone(&mmsc, "+15550002", "e2e").await.unwrap();
    let c = phone(&mmsc, "+15550003", "e2e").await.unwrap();
    let text = "Hello from A — with a photo".as_bytes().to_vec();
    let photo = jpeg();
    let draft = Draft {
        to: vec!["+15550002".into()],
        cc: vec!["+15550003".into()],
        subject: Some("Holiday".into()),
        parts: vec![
            DraftPart {
                content_type: "text/plain".into(),
                name: "text.txt".into(),
                data: text.clone(),
            },
            DraftPart {
                content_type: "image/jpeg".into(),
                name: "photo.jpg".into(),
                data: photo.clone(),
            },
        ],
        delivery_report: Some(true),
        read_report: Some(true),
        ..Draft::default()
    };
    let id = a.client.send(draft).await.unwrap();
    let sent = a.client.message(id).unwrap();
    assert_eq!(sent.row.state, State::Sent);
    let message_id = sent
        .row
        .message_id
        .clone()
        .expect("Message-ID from the MMSC");
    assert!(
        a.events
            .find(|e| matches!(e, Event::SendResult { ok: true, .. }).then_some(()))
            .is_some()
    );

    for (p, who) in [(&b, "B"), (&c, "C")] {
        let rid = eventually(&format!("{who} receives"), || {
            p.events.find(|e| match e {
                Event::MessageReceived { id, .. } => Some(*id),
                _ => None,
            })
        })
        .await
        .unwrap();
        let m = p.client.message(rid).unwrap();
        assert_eq!(m.row.state, State::Downloaded);
        assert_eq!(m.row.subject.as_deref(), Some("Holiday"));
        assert_eq!(m.row.message_id.as_deref(), Some(message_id.as_str()));
        assert!(m.row.from_addr.as_deref().unwrap().contains("15550001"));
        let types: Vec<&str> = m.parts.iter().map(|p| p.content_type.as_str()).collect();
        assert_eq!(types, ["application/smil", "text/plain", "image/jpeg"]);
        assert_eq!(m.parts[1].data, text, "text byte-exact");
        assert_eq!(m.parts[2].data, photo, "JPEG byte-exact");
        // The render plan: text and photo auto-render, on a SMIL slide.
        let plan = p.client.render_plan(rid).unwrap();
        assert!(plan.from_smil);
        assert!(
            plan.parts
                .iter()
                .filter(|x| x.declared_type != "application/smil")
                .all(|x| x.decision == mms_core::content::PartDecision::Auto)
        );
        // The app confirms: the MMSC is acknowledged only now.
        assert!(mmsc.log_of("transaction_closed").iter().all(|e| {
            !e.subscriber
                .ends_with(if who == "B" { "15550002" } else { "15550003" })
        }));
        p.client.confirm_delivered(rid).await.unwrap();
        assert_eq!(
            p.client.message(rid).unwrap().row.state,
            State::Acknowledged
        );
    }
    // Delivery reports for both recipients reach A.
    eventually("delivery reports", || {
        let r = a.client.message(id).unwrap().recipients;
        r.iter()
            .all(|x| x.delivery_status.as_deref() == Some("retrieved"))
            .then_some(())
    })
    .await
    .unwrap();
    // B reads the message and sends the read report A asked for.
    let bid = b.client.messages().unwrap()[0].id;
    assert!(b.client.mark_read(bid, true).await.unwrap());
    eventually("read report", || {
        let r = a.client.message(id).unwrap().recipients;
        r.iter()
            .find(|x| x.address == "+15550002")
            .and_then(|x| x.read_status.clone())
    })
    .await
    .unwrap();
    let r = a.client.message(id).unwrap().recipients;
    assert_eq!(
        r.iter()
            .find(|x| x.address == "+15550003")
            .unwrap()
            .read_status,
        None
    );
    eventually("read report event", || {
        a.events
            .find(|e| matches!(e, Event::ReadReport { .. }).then_some(()))
    })
    .await
    .unwrap();
    // The MMSC saw exactly the right acknowledgements and reports.
    assert_eq!(mmsc.log_of("transaction_closed").len(), 2);
    assert_eq!(mmsc.log_of("delivery_report_pushed").len(), 2);
    assert_eq!(mmsc.log_of("read_report_forwarded").len(), 1);
    assert_eq!(mmsc.message_count(), 1);
    assert!(a.client.store().integrity_ok().unwrap());
}
