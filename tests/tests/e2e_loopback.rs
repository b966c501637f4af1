//! End to end over real loopback sockets: three clients on their own SQLite files, the mock
//! MMSC over HTTP, pushes over the UDP bearer. A sends text + JPEG + SMIL to B and C; B and C
//! receive the push (real push decode and verdict), download, confirm; A sees SENT, then the
//! delivery reports, then B's read report; all parts arrive byte-exact.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_core::config::CarrierProfile;
use mms_core::engine::udp::spawn_push_receiver;
use mms_core::engine::{Draft, DraftPart, Event, EventListener, MmsClient, state};
use mms_core::transport::HttpTransport;
use mock_mmsc::{MockConfig, MockMmsc};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Default)]
struct Collector(Mutex<Vec<Event>>);

impl EventListener for Collector {
    fn on_event(&self, e: &Event) {
        self.0.lock().unwrap().push(e.clone());
    }
}

impl Collector {
    fn find<T>(&self, f: impl Fn(&Event) -> Option<T>) -> Option<T> {
        self.0.lock().unwrap().iter().find_map(f)
    }
}

async fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    for _ in 0..500 {
        if let Some(v) = f() {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}

struct Phone {
    client: MmsClient,
    events: Arc<Collector>,
    _dir: std::path::PathBuf,
}

async fn phone(mmsc: &MockMmsc, number: &str) -> Phone {
    let dir = std::env::temp_dir().join(format!(
        "mms-e2e-{}-{}",
        std::process::id(),
        number.trim_start_matches('+')
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let profile = CarrierProfile {
        mmsc_url: mmsc.url(),
        http_headers: vec!["X-Mms-Subscriber: ##LINE1##".into()],
        line1: Some(number.into()),
        push_origins: vec!["127.0.0.1".into()],
        retry_base_ms: 50,
        max_message_size: 1024 * 1024,
        ..CarrierProfile::default()
    };
    let events = Arc::new(Collector::default());
    let transport = Arc::new(HttpTransport::new(&profile).unwrap());
    let client = MmsClient::open(&dir.join("mms.db"), profile, transport, events.clone()).unwrap();
    let (addr, _task) = spawn_push_receiver(client.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    mmsc.register(number, Some(addr));
    Phone {
        client,
        events,
        _dir: dir,
    }
}

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
    let a = phone(&mmsc, "+15550001").await;
    let b = phone(&mmsc, "+15550002").await;
    let c = phone(&mmsc, "+15550003").await;
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
    assert_eq!(sent.row.state, state::SENT);
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
        .await;
        let m = p.client.message(rid).unwrap();
        assert_eq!(m.row.state, state::DOWNLOADED);
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
            state::ACKNOWLEDGED
        );
    }
    // Delivery reports for both recipients reach A.
    eventually("delivery reports", || {
        let r = a.client.message(id).unwrap().recipients;
        r.iter()
            .all(|x| x.delivery_status.as_deref() == Some("retrieved"))
            .then_some(())
    })
    .await;
    // B reads the message and sends the read report A asked for.
    let bid = b.client.messages().unwrap()[0].id;
    assert!(b.client.mark_read(bid, true).await.unwrap());
    eventually("read report", || {
        let r = a.client.message(id).unwrap().recipients;
        r.iter()
            .find(|x| x.address == "+15550002")
            .and_then(|x| x.read_status.clone())
    })
    .await;
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
    .await;
    // The MMSC saw exactly the right acknowledgements and reports.
    assert_eq!(mmsc.log_of("transaction_closed").len(), 2);
    assert_eq!(mmsc.log_of("delivery_report_pushed").len(), 2);
    assert_eq!(mmsc.log_of("read_report_forwarded").len(), 1);
    assert_eq!(mmsc.message_count(), 1);
    assert!(a.client.store().integrity_ok().unwrap());
}
