//! An app-supplied transport (the stand-in for Android's network-bound connection written in
//! Kotlin) carrying a full send and receive; group conversations that leave the user out in any
//! number spelling; two subscriptions (dual SIM) sharing one database file.

use mms_core::CarrierProfile;
use mms_core::participants;
use mms_core::spawn_push_receiver;
use mms_core::{BoxFuture, HttpResponse, HttpTransport, Mm1Transport, TransportError};
use mms_core::{ClientOptions, Draft, DraftPart, MmsClient, State};
use mms_tests::harness::*;
use mock_mmsc::{MockConfig, MockMmsc};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What an Android app does: its own HTTP stack bound to the MMS network. Here it wraps the
/// default transport and counts what it carries.
struct AppTransport {
    inner: HttpTransport,
    posts: AtomicUsize,
    gets: AtomicUsize,
}

impl Mm1Transport for AppTransport {
    fn post<'a>(
        &'a self,
        url: &'a str,
        pdu: Vec<u8>,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        self.posts.fetch_add(1, Ordering::SeqCst);
        self.inner.post(url, pdu)
    }
    fn get<'a>(&'a self, url: &'a str) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        self.gets.fetch_add(1, Ordering::SeqCst);
        self.inner.get(url)
    }
}

async fn app_phone(
    mmsc: &MockMmsc,
    number: &str,
    db: &std::path::Path,
    subscription: &str,
) -> (MmsClient, Arc<AppTransport>, Arc<Collector>) {
    let p = profile(&mmsc.url(), number);
    let t = Arc::new(AppTransport {
        inner: HttpTransport::new(&p).unwrap(),
        posts: AtomicUsize::new(0),
        gets: AtomicUsize::new(0),
    });
    let events = Arc::new(Collector::default());
    let c = MmsClient::open_with(
        db,
        p,
        t.clone(),
        events.clone(),
        ClientOptions {
            subscription: subscription.into(),
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let (addr, _) = spawn_push_receiver(c.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    mmsc.register(number, Some(addr));
    (c, t, events)
}

fn db(tag: &str) -> ScratchDb {
    scratch_db(&format!("platform-{tag}")).unwrap()
}

fn msg(to: &[&str], cc: &[&str]) -> Draft {
    Draft {
        to: to.iter().map(|s| s.to_string()).collect(),
        cc: cc.iter().map(|s| s.to_string()).collect(),
        parts: vec![DraftPart {
            content_type: "text/plain".into(),
            name: "t.txt".into(),
            data: b"group".to_vec(),
        }],
        ..Draft::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_transport_carries_a_full_send_and_receive() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let (da, db_b) = (db("a"), db("b"));
    let (a, ta, _) = app_phone(&mmsc, "+15560001", &da.path, "default").await;
    let (b, tb, eb) = app_phone(&mmsc, "+15560002", &db_b.path, "default").await;
    a.send(msg(&["+15560002"], &[])).await.unwrap();
    let id = eventually("B receives", || eb.received().first().copied())
        .await
        .unwrap();
    b.confirm_delivered(id).await.unwrap();
    assert_eq!(b.message(id).unwrap().row.state, State::Acknowledged);
    assert_eq!(
        ta.posts.load(Ordering::SeqCst),
        1,
        "A's M-Send.req went through the app's transport"
    );
    assert_eq!(
        tb.gets.load(Ordering::SeqCst),
        1,
        "B's download went through the app's transport"
    );
    assert_eq!(
        tb.posts.load(Ordering::SeqCst),
        1,
        "B's NotifyResp went through the app's transport"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_conversations_leave_the_user_out_in_any_spelling() {
    // Pure function: national and international forms of the own number are recognised.
    let p = participants(
        Some("+15560101/TYPE=PLMN"),
        &[
            "5560102/TYPE=PLMN".into(),
            "+1 556-010-2".into(),
            "001556010103/TYPE=PLMN".into(),
        ],
        &["alice@example.com".into(), "ALICE@example.com".into()],
        &["+1556010103".into()],
        &|a, b| mms_core::numbers::NumberPlan::new(Some("US")).same(a, b),
    );
    assert_eq!(p, ["+15560101", "5560102", "alice@example.com"]);
    // End to end: B's view of A's group message to B and C.
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let (da, db_b) = (db("ga"), db("gb"));
    let (a, _, _) = app_phone(&mmsc, "+15560201", &da.path, "default").await;
    let (b, _, eb) = app_phone(&mmsc, "+15560202", &db_b.path, "default").await;
    mmsc.register("+15560203", None);
    a.send(msg(&["5560202", "+15560203"], &[])).await.unwrap();
    let id = eventually("B receives", || eb.received().first().copied())
        .await
        .unwrap();
    let who = b.participants(id).unwrap();
    assert_eq!(who.len(), 2, "{who:?}");
    assert!(
        who.iter().any(|w| w.ends_with("15560201")) && who.iter().any(|w| w.ends_with("15560203"))
    );
    assert!(
        !who.iter().any(|w| w.ends_with("5560202")),
        "B is not a participant of its own conversation"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dual_sim_subscriptions_share_one_database() {
    let shared = db("dual");
    let op1 = MockMmsc::start(MockConfig::default()).await.unwrap();
    let op2 = MockMmsc::start(MockConfig::default()).await.unwrap();
    let (sim1, _, e1) = app_phone(&op1, "+15560301", &shared.path, "sim1").await;
    let (sim2, _, e2) = app_phone(&op2, "+15560302", &shared.path, "sim2").await;
    let (d1, d2) = (db("s1"), db("s2"));
    let (s1, _, _) = app_phone(&op1, "+15560311", &d1.path, "default").await;
    let (s2, _, _) = app_phone(&op2, "+15560312", &d2.path, "default").await;
    s1.send(msg(&["+15560301"], &[])).await.unwrap();
    s2.send(msg(&["+15560302"], &[])).await.unwrap();
    let id1 = eventually("SIM 1 receives", || e1.received().first().copied())
        .await
        .unwrap();
    let id2 = eventually("SIM 2 receives", || e2.received().first().copied())
        .await
        .unwrap();
    assert_ne!(id1, id2);
    assert_eq!(
        sim1.messages().unwrap().len(),
        1,
        "each subscription sees its own messages"
    );
    assert_eq!(sim2.messages().unwrap().len(), 1);
    assert_eq!(sim1.message(id1).unwrap().row.subscription, "sim1");
    assert_eq!(sim2.message(id2).unwrap().row.subscription, "sim2");
    sim1.confirm_delivered(id1).await.unwrap();
    sim2.confirm_delivered(id2).await.unwrap();
    assert_eq!(op1.log_of("transaction_closed").len(), 1);
    assert_eq!(op2.log_of("transaction_closed").len(), 1);
    // Each subscription's profile (and MMSC) is its own.
    assert_ne!(sim1.profile().mmsc_url, sim2.profile().mmsc_url);
    let _ = CarrierProfile::default();
}

/// The app's answers for the auto-download policy.
struct FakePlatform {
    roaming: bool,
    contacts: Vec<&'static str>,
}

impl mms_core::Platform for FakePlatform {
    fn is_roaming(&self) -> bool {
        self.roaming
    }
    fn is_known_contact(&self, address: &str) -> bool {
        self.contacts
            .iter()
            .any(|c| mms_core::numbers::NumberPlan::new(Some("US")).same(c, address))
    }
}

async fn platform_phone(
    mmsc: &MockMmsc,
    number: &str,
    policy: mms_core::AutoDownload,
    platform: FakePlatform,
) -> (MmsClient, ScratchDb) {
    let mut p = profile(&mmsc.url(), number);
    let db = db(number.trim_start_matches('+'));
    p.auto_download = policy;
    let transport = Arc::new(HttpTransport::new(&p).unwrap());
    let c = MmsClient::open_with(
        &db.path,
        p,
        transport,
        Arc::new(Collector::default()),
        ClientOptions {
            platform: Arc::new(platform),
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let (addr, _t) = spawn_push_receiver(c.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    mmsc.register(number, Some(addr));
    (c, db)
}

async fn settled_state(c: &MmsClient) -> State {
    eventually("notification handled", || {
        c.messages()
            .ok()?
            .first()
            .filter(|m| m.state != State::Downloading && (m.state != State::Notified || m.deferred))
            .map(|m| m.state)
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_download_asks_the_app_about_roaming_and_contacts() {
    use mms_core::AutoDownload::{KnownContactsOnly, NotWhenRoaming};
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, "+15560401", "auto").await.unwrap();
    let knows_a = FakePlatform {
        roaming: false,
        contacts: vec!["0015560401"],
    };
    let stranger = FakePlatform {
        roaming: false,
        contacts: vec!["+15569999"],
    };
    let roaming = FakePlatform {
        roaming: true,
        contacts: vec![],
    };
    let home = FakePlatform {
        roaming: false,
        contacts: vec![],
    };
    let (b, _b_db) = platform_phone(&mmsc, "+15560402", KnownContactsOnly, knows_a).await;
    let (c, _c_db) = platform_phone(&mmsc, "+15560403", KnownContactsOnly, stranger).await;
    let (d, _d_db) = platform_phone(&mmsc, "+15560404", NotWhenRoaming, roaming).await;
    let (e, _e_db) = platform_phone(&mmsc, "+15560405", NotWhenRoaming, home).await;
    for to in ["+15560402", "+15560403", "+15560404", "+15560405"] {
        a.client.send(msg(&[to], &[])).await.unwrap();
    }
    assert_eq!(settled_state(&b).await, State::Downloaded, "known contact");
    assert_eq!(settled_state(&c).await, State::Notified, "unknown sender");
    assert_eq!(settled_state(&d).await, State::Notified, "roaming");
    assert_eq!(settled_state(&e).await, State::Downloaded, "at home");
    // What was not downloaded was deferred at the MMSC, and can still be fetched.
    let id = c.messages().unwrap()[0].id;
    assert!(c.message(id).unwrap().row.deferred);
    c.download(id).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forward_without_download() {
    use mms_core::AutoDownload::Never;
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, "+15560501", "fwd").await.unwrap();
    let none = || FakePlatform {
        roaming: false,
        contacts: vec![],
    };
    let (b, _b_db) = platform_phone(&mmsc, "+15560502", Never, none()).await;
    let c = phone(&mmsc, "+15560503", "fwd").await.unwrap();
    a.client.send(msg(&["+15560502"], &[])).await.unwrap();
    assert_eq!(settled_state(&b).await, State::Notified);
    let id = b.messages().unwrap()[0].id;
    let mid = b.forward(id, &["+15560503".to_string()]).await.unwrap();
    assert!(mid.starts_with('M'), "{mid}");
    let got = eventually("C receives the forward", || {
        c.events.received().first().copied()
    })
    .await
    .unwrap();
    let view = c.client.message(got).unwrap();
    assert_eq!(view.row.message_id.as_deref(), Some(mid.as_str()));
    assert_eq!(view.parts[0].data, b"group");
    assert!(view.row.from_addr.unwrap().contains("15560502"));
    // B never downloaded it; an empty recipient list and a sent message cannot be forwarded.
    assert_eq!(mmsc.log_of("retrieved").len(), 1);
    assert!(b.forward(id, &[]).await.is_err());
    let sent = a.client.messages().unwrap()[0].id;
    assert!(a.client.forward(sent, &["+15560503".into()]).await.is_err());
}

/// The app's filter: drops notifications whose subject says "WIN".
struct SpamFilter;

impl mms_core::Platform for SpamFilter {
    fn keep_notification(&self, n: &mms_core::push::NotificationInfo) -> bool {
        !n.subject.as_deref().unwrap_or("").contains("WIN")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filter_1_blocked_senders_and_the_app_filter_drop_notifications() {
    use mms_core::SenderRule;
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let spammer = phone(&mmsc, "+15560601", "filter").await.unwrap();
    let friend = phone(&mmsc, "+15560602", "filter").await.unwrap();
    let mut p = profile(&mmsc.url(), "+15560603");
    p.auto_download = mms_core::AutoDownload::KnownContactsOnly;
    let transport = Arc::new(HttpTransport::new(&p).unwrap());
    let me_db = db("filter-me");
    let me = MmsClient::open_with(
        &me_db.path,
        p,
        transport,
        Arc::new(Collector::default()),
        ClientOptions {
            platform: Arc::new(SpamFilter),
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let (addr, _t) = spawn_push_receiver(me.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    mmsc.register("+15560603", Some(addr));
    // Rules match any spelling of the number.
    me.set_sender_rule("tel:+1 556 0601", SenderRule::Block)
        .unwrap();
    me.set_sender_rule("+1 556-0602", SenderRule::Allow)
        .unwrap();
    assert_eq!(
        me.sender_rule("+15560601").unwrap(),
        Some(SenderRule::Block)
    );
    spammer.client.send(msg(&["+15560603"], &[])).await.unwrap();
    let mut win = msg(&["+15560603"], &[]);
    win.subject = Some("YOU WIN a prize".into());
    friend.client.send(win).await.unwrap();
    friend.client.send(msg(&["+15560603"], &[])).await.unwrap();
    // Only the friend's ordinary message arrives, downloaded automatically (allowed sender).
    assert_eq!(settled_state(&me).await, State::Downloaded);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let msgs = me.messages().unwrap();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(msgs[0].from_addr.as_deref().unwrap().contains("15560602"));
    let blocked = me.audit_log(Some("blocked_sender"), 5).unwrap();
    let filtered = me.audit_log(Some("filtered_by_app"), 5).unwrap();
    assert_eq!((blocked.len(), filtered.len()), (1, 1));
    assert_eq!(blocked[0].threat.as_deref(), Some("FILTER-1"));
    // Nothing was fetched for the dropped ones; unblocking lets the sender through again.
    assert_eq!(mmsc.log_of("retrieved").len(), 1);
    me.clear_sender_rule("+15560601").unwrap();
    assert_eq!(me.sender_rule("+15560601").unwrap(), None);
}

#[test]
fn audit_1_the_security_log_is_bounded_and_queryable() {
    use mms_core::audit::{AuditArea, AuditEvent, AuditOutcome, AuditSink};
    let audit_db = db("audit");
    let store = mms_core::Store::open(&audit_db.path).unwrap();
    let cap = mms_core::AUDIT_CAPACITY;
    for i in 0..cap + 50 {
        store.record(AuditEvent {
            at: 1_000 + i as u64,
            area: AuditArea::Push,
            outcome: AuditOutcome::Rejected,
            reason: if i % 2 == 0 { "even" } else { "odd" }.into(),
            threat: Some("PUSH-1".into()),
            subject: format!("row {i}"),
            detail: String::new(),
        });
    }
    let all = store.audit_rows(None, cap * 2).unwrap();
    assert_eq!(all.len() as i64, cap, "bounded");
    assert_eq!(all[0].subject, format!("row {}", cap + 49), "newest first");
    assert_eq!(
        all.last().unwrap().subject,
        "row 50",
        "the oldest were dropped"
    );
    let odd = store.audit_rows(Some("odd"), 3).unwrap();
    assert_eq!(odd.len(), 3);
    assert!(odd.iter().all(|r| r.reason == "odd"));
}
