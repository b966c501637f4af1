//! The rest of the mock MMSC's fault switches, seen from the client (the engine over real
//! loopback sockets): answers for another transaction or of the wrong type, empty bodies, other
//! MMS versions, slow-drip and chunked downloads, duplicate, reordered, expired and
//! spoofed-looking notifications, reports for messages that do not exist, required
//! User-Agent/UAProf headers, carrier quirks, per-subscriber fault switches and the SMS bearer.

use mms_core::CarrierProfile;
use mms_core::HttpTransport;
use mms_core::pdu::Status;
use mms_core::pdu::builder::delivery_ind;
use mms_core::spawn_sms_receiver;
use mms_core::{Draft, DraftPart, EngineError, MmsClient, State};
use mms_tests::harness::*;
use mock_mmsc::{Fault, FaultOn, FaultRule, MockConfig, MockMmsc, Quirks};
use std::sync::Arc;
use std::time::Duration;

const A: &str = "+15556001";
const B: &str = "+15556002";

fn draft(to: &str, text: &str) -> Draft {
    Draft {
        to: vec![to.into()],
        parts: vec![DraftPart {
            content_type: "text/plain".into(),
            name: "t.txt".into(),
            data: text.as_bytes().to_vec(),
        }],
        ..Draft::default()
    }
}

async fn pair(cfg: MockConfig, tag: &str) -> (MockMmsc, Phone, Phone) {
    let mmsc = MockMmsc::start(cfg).await.unwrap();
    let a = phone(&mmsc, A, tag).await.unwrap();
    let b = phone(&mmsc, B, tag).await.unwrap();
    (mmsc, a, b)
}

async fn send_fails_with(fault: Fault, tag: &str) -> (MockMmsc, String) {
    let (mmsc, a, _b) = pair(MockConfig::default(), tag).await;
    mmsc.inject(FaultOn::Post, fault);
    let r = a.client.send(draft(B, "x")).await;
    assert!(r.is_err(), "{r:?}");
    let m = a.client.messages().unwrap().remove(0);
    assert_eq!(m.state, State::Failed);
    (mmsc, m.error.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_conf_for_another_transaction_is_not_taken_as_ours() {
    let (mmsc, err) = send_fails_with(Fault::WrongTransactionId, "c1").await;
    assert!(err.contains("another transaction"), "{err}");
    assert_eq!(mmsc.log_of("fault_rewritten").len(), 1);
}

/// An M-Send.conf without X-Mms-Transaction-Id (mandatory) is not an answer to our request,
/// so not a success; before, it was taken as sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_conf_without_a_transaction_id_is_not_a_success() {
    let (mmsc, err) = send_fails_with(Fault::NoTransactionId, "c1b").await;
    assert!(err.contains("without X-Mms-Transaction-Id"), "{err}");
    assert_eq!(mmsc.log_of("fault_rewritten").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_of_the_wrong_message_type_fails_the_send() {
    let (_m, err) = send_fails_with(Fault::WrongMessageType, "c2").await;
    assert!(err.contains("answered with"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_send_conf_fails_the_send() {
    let (mmsc, err) = send_fails_with(Fault::Empty, "c3").await;
    assert!(err.contains("M-Send.conf"), "{err}");
    assert_eq!(mmsc.log_of("fault_empty").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_mms_versions_in_answers() {
    // The Response-Status decides a send, whatever version the MMSC speaks: an MMSC that
    // answers 1.0 or 2.0 with Ok has stored the message, and failing it would invite a
    // duplicate resend. A 1.0 retrieve-conf is downloaded normally.
    let (mmsc, a, b) = pair(MockConfig::default(), "c4").await;
    for v in [0x10, 0x20] {
        mmsc.inject(FaultOn::Post, Fault::Version(v));
        a.client.send(draft(B, "v")).await.unwrap();
    }
    assert!(
        a.client
            .messages()
            .unwrap()
            .iter()
            .all(|m| m.state == State::Sent)
    );
    assert_eq!(mmsc.log_of("send_accepted").len(), 2);
    // Let the first two downloads finish, then the third download gets the 1.0 answer.
    eventually("two downloads", || {
        (mmsc.log_of("retrieved").len() == 2).then_some(())
    })
    .await
    .unwrap();
    mmsc.inject(FaultOn::Get, Fault::Version(0x10));
    a.client.send(draft(B, "old")).await.unwrap();
    downloaded(&b, 3).await;
    assert_eq!(mmsc.log_of("fault_rewritten").len(), 3);
}

async fn received(b: &Phone) -> i64 {
    eventually("downloaded", || {
        b.client
            .messages()
            .ok()?
            .into_iter()
            .find(|m| m.state == State::Downloaded)
            .map(|m| m.id)
    })
    .await
    .unwrap()
}

/// Waits until the phone holds `n` downloaded messages.
async fn downloaded(b: &Phone, n: usize) {
    eventually(&format!("{n} downloaded"), || {
        let count = b
            .client
            .messages()
            .ok()?
            .iter()
            .filter(|m| m.state == State::Downloaded)
            .count();
        (count == n).then_some(())
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_drip_and_chunked_downloads_complete() {
    let (mmsc, a, b) = pair(MockConfig::default(), "c5").await;
    for (i, f) in [Fault::SlowDrip(64, 5), Fault::Chunked]
        .into_iter()
        .enumerate()
    {
        mmsc.inject(FaultOn::Get, f);
        a.client.send(draft(B, &format!("drip {i}"))).await.unwrap();
        let id = received(&b).await;
        b.client.confirm_delivered(id).await.unwrap();
        assert_eq!(b.client.message(id).unwrap().row.state, State::Acknowledged);
    }
    assert_eq!(mmsc.log_of("fault_streamed").len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicated_notification_is_downloaded_once() {
    let (mmsc, a, b) = pair(MockConfig::default(), "c6").await;
    mmsc.inject(FaultOn::Notify, Fault::DuplicateNotification);
    a.client.send(draft(B, "twice")).await.unwrap();
    received(&b).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(b.client.messages().unwrap().len(), 1);
    assert_eq!(mmsc.log_of("retrieved").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reordered_notifications_both_arrive() {
    let (mmsc, a, b) = pair(MockConfig::default(), "c7").await;
    mmsc.inject(FaultOn::Notify, Fault::ReorderNotification);
    a.client.send(draft(B, "first")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(b.client.messages().unwrap().is_empty(), "held back");
    a.client.send(draft(B, "second")).await.unwrap();
    downloaded(&b, 2).await;
    // The held one was pushed after the later one.
    let pushed: Vec<String> = mmsc
        .log_of("notification_pushed")
        .into_iter()
        .map(|e| e.detail)
        .collect();
    assert_eq!(pushed.len(), 2);
    // Which location carried which message, from what the phone downloaded (transaction ids
    // are random, so their order says nothing).
    let location_of = |text: &[u8]| {
        b.client
            .messages()
            .unwrap()
            .into_iter()
            .find(|m| {
                b.client
                    .message(m.id)
                    .unwrap()
                    .parts
                    .iter()
                    .any(|p| p.data == text)
            })
            .and_then(|m| m.content_location)
            .unwrap()
    };
    let (first, second) = (location_of(b"first"), location_of(b"second"));
    assert!(
        pushed[0].ends_with(&second) && pushed[1].ends_with(&first),
        "the later message first: {pushed:?}, first at {first}, second at {second}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_and_spoofed_looking_notifications_are_refused() {
    let (mmsc, a, b) = pair(MockConfig::default(), "c8").await;
    mmsc.inject(FaultOn::Notify, Fault::ExpiredNotification);
    a.client.send(draft(B, "late")).await.unwrap();
    mmsc.inject(
        FaultOn::Notify,
        Fault::ForeignLocation("http://mmsc.evil.example/m/x".into()),
    );
    a.client.send(draft(B, "spoof")).await.unwrap();
    let audit = eventually("two refusals", || {
        let rows = b.client.audit_log(None, 20).ok()?;
        (rows.len() >= 2).then_some(rows)
    })
    .await
    .unwrap();
    let threats: Vec<String> = audit.iter().filter_map(|r| r.threat.clone()).collect();
    assert!(threats.contains(&"PUSH-7".to_string()), "{audit:?}");
    assert!(threats.contains(&"PUSH-1".to_string()), "{audit:?}");
    assert!(b.client.messages().unwrap().is_empty());
    assert!(mmsc.log_of("retrieved").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_for_messages_that_do_not_exist_change_nothing() {
    let (mmsc, a, _b) = pair(MockConfig::default(), "c9").await;
    let id = a.client.send(draft(B, "x")).await.unwrap();
    let before = a.client.message(id).unwrap().row;
    let report = delivery_ind("M-never-sent", B, Status::Retrieved, 1);
    assert!(mmsc.push_pdu(A, &report).await);
    let rows = eventually("audit", || {
        let rows = a.client.audit_log(Some("report_unknown_message"), 5).ok()?;
        (!rows.is_empty()).then_some(rows)
    })
    .await
    .unwrap();
    assert!(rows[0].detail.contains("M-never-sent"), "{rows:?}");
    assert_eq!(a.client.message(id).unwrap().row, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_carrier_that_requires_user_agent_and_uaprof() {
    let mmsc = MockMmsc::start(MockConfig {
        required_user_agent: Some("AcmePhone".into()),
        require_uaprof: true,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    mmsc.register(B, None);
    let bare = phone(&mmsc, A, "c10").await.unwrap();
    let r = bare.client.send(draft(B, "x")).await;
    assert!(
        matches!(r, Err(ref e @ EngineError::Mmsc(_)) if e.to_string().contains("403")),
        "{r:?}"
    );
    assert_eq!(mmsc.log_of("missing_user_agent").len(), 1);
    let mut p = profile(&mmsc.url(), "+15556003");
    p.user_agent = "AcmePhone/2.1 mms-core".into();
    p.uaprof_url = Some("http://acme.example/uaprof.xml".into());
    let dressed = phone_with(&mmsc, "+15556003", "c10", p).await.unwrap();
    dressed.client.send(draft(B, "x")).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn carrier_quirks_tid_in_url_and_notify_resp_at_location() {
    let mmsc = MockMmsc::start(MockConfig {
        quirks: Quirks {
            require_tid_in_url: true,
            notify_resp_at_location: true,
        },
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let a = phone(&mmsc, A, "c11").await.unwrap();
    // Without the quirks set in its profile, the message is "not found".
    let plain = phone(&mmsc, "+15556004", "c11").await.unwrap();
    a.client.send(draft("+15556004", "x")).await.unwrap();
    eventually("expired", || {
        plain
            .client
            .messages()
            .ok()?
            .into_iter()
            .find(|m| m.state == State::Expired)
    })
    .await
    .unwrap();
    assert_eq!(mmsc.log_of("quirk_tid_missing_from_url").len(), 1);
    // With them, the whole receive transaction works.
    let mut p = profile(&mmsc.url(), B);
    p.append_transaction_id = true;
    p.notify_resp_to_location = true;
    let b = phone_with(&mmsc, B, "c11", p).await.unwrap();
    a.client.send(draft(B, "quirky")).await.unwrap();
    let id = received(&b).await;
    b.client.confirm_delivered(id).await.unwrap();
    assert_eq!(b.client.message(id).unwrap().row.state, State::Acknowledged);
    assert!(mmsc.log_of("quirk_notify_resp_not_at_location").is_empty());
    assert_eq!(mmsc.log_of("transaction_closed").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_switches_per_subscriber_and_until_cleared() {
    let (mmsc, a, b) = pair(MockConfig::default(), "c12").await;
    mmsc.inject_rule(FaultRule {
        on: FaultOn::Post,
        fault: Fault::SendStatus(
            mms_core::pdu::ResponseStatus::PermanentServiceDenied,
            Some("barred".into()),
        ),
        subscriber: Some(A.into()),
        times: 0,
    });
    for _ in 0..2 {
        assert!(a.client.send(draft(B, "x")).await.is_err());
    }
    b.client.send(draft(A, "y")).await.unwrap();
    mmsc.clear_faults();
    a.client.send(draft(B, "z")).await.unwrap();
    assert_eq!(mmsc.log_of("fault_send_status").len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_over_the_sms_bearer() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, A, "c13").await.unwrap();
    let db = scratch_db("c13-sms").unwrap();
    let mut p: CarrierProfile = profile(&mmsc.url(), B);
    p.push_origins = vec!["+15550100".into()];
    let transport = Arc::new(HttpTransport::new(&p).unwrap());
    let events = Arc::new(Collector::default());
    let b = MmsClient::open(&db.path, p, transport, events).unwrap();
    let (addr, _task) = spawn_sms_receiver(b.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    mmsc.register_sms(B, addr);
    // A long subject makes the notification span several SMS segments.
    let mut d = draft(B, "over SMS");
    d.subject = Some("s".repeat(150));
    a.client.send(d).await.unwrap();
    let id = eventually("downloaded over SMS push", || {
        b.messages()
            .ok()?
            .into_iter()
            .find(|m| m.state == State::Downloaded)
            .map(|m| m.id)
    })
    .await
    .unwrap();
    assert_eq!(
        b.message(id).unwrap().row.subject.as_deref(),
        Some(&*"s".repeat(150))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_group_mms_a_message_to_several_goes_as_a_broadcast() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let mut pa = profile(&mmsc.url(), "+15556101");
    pa.group_mms = false;
    let a = phone_with(&mmsc, "+15556101", "nogroup", pa).await.unwrap();
    let b = phone(&mmsc, "+15556102", "nogroup").await.unwrap();
    let c = phone(&mmsc, "+15556103", "nogroup").await.unwrap();
    let mut d = draft(&b.number, "to both of you, separately");
    d.cc = vec![c.number.clone()];
    let sent = a.client.send(d).await.unwrap();
    // Each recipient sees a one-to-one message from A: nobody learns the other or can reply
    // to all.
    for p in [&b, &c] {
        let id = received(p).await;
        assert_eq!(p.client.participants(id).unwrap(), ["+15556101"]);
        assert_eq!(
            p.client.message(id).unwrap().parts[0].data,
            b"to both of you, separately"
        );
    }
    // A still sees both, and tracks both for reports.
    let mine = a.client.participants(sent).unwrap();
    assert_eq!(mine.len(), 2, "{mine:?}");
    assert_eq!(a.client.message(sent).unwrap().recipients.len(), 2);
    // With group MMS (C's default profile) a draft to two makes a group: B sees C and A.
    let mut d = draft(&b.number, "to the group");
    d.cc = vec![a.number.clone()];
    c.client.send(d).await.unwrap();
    let id = eventually("B gets the group message", || {
        b.events.received().get(1).copied()
    })
    .await
    .unwrap();
    let who = b.client.participants(id).unwrap();
    assert_eq!(who.len(), 2, "{who:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_disposition_filenames_are_used_unless_the_profile_says_no() {
    use mms_core::pdu::builder::SendReqBuilder;
    use mms_core::pdu::content_type::param;
    use mms_core::pdu::{Disposition, ParamName, ParamValue, PartHeader, Text};
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let b = phone(&mmsc, "+15556202", "disposition").await.unwrap();
    let mut pc = profile(&mmsc.url(), "+15556203");
    pc.content_disposition = false;
    let c = phone_with(&mmsc, "+15556203", "disposition", pc)
        .await
        .unwrap();
    mmsc.register("+15556201", None);
    // A part named only by its Content-Disposition filename, as some handsets send them.
    let mut req = SendReqBuilder::new("T-cd")
        .to(&b.number)
        .to(&c.number)
        .part("application/octet-stream", "x", b"\x00\x01\x02".to_vec())
        .build();
    let body = req.body.as_mut().unwrap();
    let mms_core::pdu::BodyData::Multipart(parts) = &mut body.data else {
        panic!("multipart body");
    };
    let part = &mut parts[0];
    part.content_type.params.clear();
    part.headers = vec![PartHeader::ContentDisposition {
        code: 0x45,
        disposition: Disposition::Attachment,
        params: vec![mms_core::pdu::Param {
            name: ParamName::WellKnown(param::FILENAME),
            value: ParamValue::Text(Text::from("report.bin")),
        }],
    }];
    let sender = HttpTransport::new(&profile(&mmsc.url(), "+15556201")).unwrap();
    use mms_core::Mm1Transport;
    let r = sender
        .post(&mmsc.url(), req.encode().unwrap())
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    let name = |p: &Phone| {
        let id = p.events.received().first().copied()?;
        Some(p.client.message(id).ok()?.parts.first()?.name.clone())
    };
    let at_b = eventually("B downloads", || name(&b)).await.unwrap();
    let at_c = eventually("C downloads", || name(&c)).await.unwrap();
    assert_eq!(at_b.as_deref(), Some("report.bin"));
    assert_eq!(
        at_c, None,
        "C's carrier profile ignores Content-Disposition"
    );
}

/// Confirms a message from inside its `MessageReceived` listener, before the listener returns
/// (as an app that shows and confirms at once does), and records the state that leaves.
struct ConfirmAtOnce {
    client: std::sync::OnceLock<MmsClient>,
    states: std::sync::Mutex<Vec<State>>,
}

impl mms_core::EventListener for ConfirmAtOnce {
    fn on_event(&self, e: &mms_core::Event) {
        if let mms_core::Event::MessageReceived { id, .. } = e {
            let c = self.client.get().unwrap().clone();
            let state = tokio::task::block_in_place(|| {
                tokio::runtime::Handle::current().block_on(async {
                    c.confirm_delivered(*id).await.unwrap();
                    c.message(*id).unwrap().row.state
                })
            });
            self.states.lock().unwrap().push(state);
        }
    }
}

/// The event came while the download still held the message, so the acknowledgement was
/// skipped as if another one were under way: the message stayed `DELIVERED` and the MMSC never
/// heard from the phone. The event now comes once the message is released, and an
/// acknowledgement waits for a transaction that holds the message instead of giving up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_confirmed_from_its_received_event_is_acknowledged() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, A, "c9").await.unwrap();
    let db = scratch_db("c9-b").unwrap();
    let p = profile(&mmsc.url(), B);
    let listener = Arc::new(ConfirmAtOnce {
        client: std::sync::OnceLock::new(),
        states: std::sync::Mutex::default(),
    });
    let t = Arc::new(HttpTransport::new(&p).unwrap());
    let b = MmsClient::open(&db.path, p, t, listener.clone()).unwrap();
    listener.client.set(b.clone()).ok().unwrap();
    let (addr, _task) = mms_core::spawn_push_receiver(b.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    mmsc.register(B, Some(addr));
    a.client.send(draft(B, "at once")).await.unwrap();
    let states = eventually("the listener confirmed", || {
        let s = listener.states.lock().unwrap().clone();
        (!s.is_empty()).then_some(s)
    })
    .await
    .unwrap();
    assert_eq!(states, vec![State::Acknowledged]);
    assert_eq!(mmsc.log_of("retrieved").len(), 1);
}
