//! Randomised crash and fault test: several phones, each a real child process on its own
//! SQLite file, exchange messages through the mock MMSC while the test kills a random phone
//! (SIGKILL) at random moments and restarts it on the same database, and the mock injects
//! random transient faults (HTTP 5xx and 429, dropped connections, stalls, duplicate
//! notifications) and download faults (a garbage body, an empty body, an answer naming another
//! transaction).
//!
//! A phone prints `QUEUED tag` once a send is committed to its database; from then on the send
//! must arrive exactly once, whatever is killed when. At the end, from the databases, the
//! phones' event lines and the MMSC's log:
//! * every send the test was told about is in its sender's database, and every send in any
//!   database is `SENT` and held exactly once by its recipient;
//! * a received message is `ACKNOWLEDGED`, byte-exact, its stored PDU names the sender's
//!   Message-ID, or it is `FAILED` because its download was a garbage or empty answer (the
//!   documented outcome: `NotifyResp(Unrecognised)`, the transaction closed, the sender told
//!   `unrecognised`), and there are no more of those than such faults;
//! * the sender's delivery status says what the recipient did; a report the MMSC pushed while
//!   the sender was up and not about to be killed was recorded;
//! * no phone announced a message or a delivery report twice, in one life or across lives;
//! * every database passes `PRAGMA integrity_check`, and the MMSC has no open transaction;
//! * kills landed inside transactions: the states of the killed phone's unfinished rows are
//!   counted per kill, and the sending and receiving states must each have been hit (two aimed
//!   kills, during a stalled submission and a stalled download, see to that on any machine).
//!
//! CI runs 200 transactions; the full size is
//! `MMS_KILL_TXNS=1000 cargo test -p mms-tests --test suite random_kills -- --nocapture`
//! (`MMS_KILL_SEED` replays a run; the seed is printed).

use mms_core::Store;
use mms_core::pdu::Pdu;
use mms_core::{Direction, State};
use mock_mmsc::{Fault, FaultOn, FaultRule, MockConfig, MockMmsc};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const HELPER: &str = env!("CARGO_BIN_EXE_crash_helper");
const PHONES: usize = 4;

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

struct Phone {
    number: String,
    db: PathBuf,
    port: u16,
    child: Option<Child>,
    /// Every line the phone printed after `READY`, over all its lives.
    lines: Arc<Mutex<Vec<String>>>,
    /// When it was down: (killed at, ready again at), in Unix milliseconds.
    down: Vec<(u64, u64)>,
}

impl Phone {
    /// Starts the phone's process on its push port. Between a kill and the restart another
    /// test may have bound that port: the phone then moves to a fresh one and tells the MMSC.
    fn start(&mut self, mmsc: &MockMmsc) {
        for _ in 0..5 {
            let mut child = Command::new(HELPER)
                .args([
                    "phone",
                    &self.db.to_string_lossy(),
                    &mmsc.url(),
                    &self.number,
                    &self.port.to_string(),
                ])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let mut out = BufReader::new(child.stdout.take().unwrap());
            let mut line = String::new();
            out.read_line(&mut line).unwrap();
            if line.trim() == "READY" {
                let lines = self.lines.clone();
                std::thread::spawn(move || {
                    for l in out.lines().map_while(Result::ok) {
                        lines.lock().unwrap().push(l);
                    }
                });
                if let Some(last) = self.down.last_mut() {
                    last.1 = now_ms();
                }
                self.child = Some(child);
                return;
            }
            let _ = child.kill();
            let _ = child.wait();
            self.port = free_udp_port();
            mmsc.register(&self.number, Some(([127, 0, 0, 1], self.port).into()));
        }
        panic!("phone {} did not start", self.number);
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill(); // SIGKILL
            let _ = c.wait();
            self.down.push((now_ms(), u64::MAX));
        }
    }

    /// Hands a send command to the running process; false when it is down.
    fn send(&mut self, tag: &str, to: &str) -> bool {
        self.command("send", tag, to)
    }

    /// Hands a queue command (queued, not submitted until the next start) to the running
    /// process; false when it is down.
    fn queue(&mut self, tag: &str, to: &str) -> bool {
        self.command("queue", tag, to)
    }

    fn command(&mut self, cmd: &str, tag: &str, to: &str) -> bool {
        match self.child.as_mut().and_then(|c| c.stdin.as_mut()) {
            Some(stdin) => writeln!(stdin, "{cmd} {tag} {to}").is_ok(),
            None => false,
        }
    }

    /// The lines that start with `prefix`, the prefix taken off.
    fn lines_of(&self, prefix: &str) -> Vec<String> {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter_map(|l| l.strip_prefix(prefix).map(str::to_string))
            .collect()
    }

    /// Whether the phone could have missed a push at `at`: it was down, or was killed within
    /// a second after (a datagram waiting in its socket dies with it).
    fn could_miss(&self, at: u64) -> bool {
        self.down
            .iter()
            .any(|&(killed, ready)| at + 1_000 >= killed && at <= ready)
    }
}

fn free_udp_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The download faults, whose outcome the test checks.
#[derive(Default)]
struct DownloadFaults {
    garbage_or_empty: usize,
    wrong_transaction: usize,
}

fn random_fault(rng: &mut Rng, downloads: &mut DownloadFaults) -> FaultRule {
    let (on, fault) = match rng.below(12) {
        0 => (FaultOn::Post, Fault::Http(503, Some(0))),
        1 => (FaultOn::Post, Fault::Http(500, None)),
        2 => (FaultOn::Post, Fault::Http(429, Some(0))),
        3 => (FaultOn::Post, Fault::DropMidBody),
        4 => (FaultOn::Post, Fault::Stall(300)),
        5 => (FaultOn::Get, Fault::Http(503, None)),
        6 => (FaultOn::Get, Fault::DropMidBody),
        7 => (FaultOn::Get, Fault::Stall(300)),
        8 => {
            downloads.garbage_or_empty += 1;
            (FaultOn::Get, Fault::Garbage)
        }
        9 => {
            downloads.garbage_or_empty += 1;
            (FaultOn::Get, Fault::Empty)
        }
        10 => {
            downloads.wrong_transaction += 1;
            (FaultOn::Get, Fault::WrongTransactionId)
        }
        _ => (FaultOn::Notify, Fault::DuplicateNotification),
    };
    FaultRule {
        on,
        fault,
        subscriber: None,
        times: 1,
    }
}

/// A received message as its recipient's database holds it.
struct Incoming {
    tag: String,
    state: State,
    error: Option<String>,
    body: Vec<u8>,
    raw: Option<Vec<u8>>,
}

/// A sent message as its sender's database holds it.
struct Outgoing {
    state: State,
    message_id: Option<String>,
    delivery_status: Option<String>,
}

/// Per phone: outgoing messages by tag, incoming ones.
struct Seen {
    out: HashMap<String, Outgoing>,
    inc: Vec<Incoming>,
}

fn read_db(db: &std::path::Path) -> Seen {
    let store = Store::open(db).unwrap();
    let mut out = HashMap::new();
    let mut inc = Vec::new();
    for m in store.messages("default").unwrap() {
        let tag = m.subject.clone().unwrap_or_default();
        if m.direction == Direction::Out {
            let delivery_status = store
                .recipients(m.id)
                .unwrap()
                .into_iter()
                .find_map(|r| r.delivery_status);
            out.insert(
                tag,
                Outgoing {
                    state: m.state,
                    message_id: m.message_id,
                    delivery_status,
                },
            );
        } else {
            let body = store
                .parts(m.id)
                .unwrap()
                .into_iter()
                .find(|p| p.content_type.starts_with("text/plain"))
                .map(|p| p.data)
                .unwrap_or_default();
            inc.push(Incoming {
                tag,
                state: m.state,
                error: m.error,
                body,
                raw: store.blobs(m.id).unwrap().1,
            });
        }
    }
    Seen { out, inc }
}

/// The documented end of a download whose answer was garbage or empty.
fn unreadable(m: &Incoming) -> bool {
    m.state == State::Failed
        && m.error
            .as_deref()
            .is_some_and(|e| e.contains("M-Retrieve.conf") || e.contains("unreadable"))
}

/// What is not settled yet: outgoing messages not `SENT`, sent ones their recipient has not
/// finished (acknowledged, or failed as unreadable), received ones not finished. Empty once
/// everything is.
fn unsettled(phones: &[Phone]) -> Vec<String> {
    let seen: Vec<Seen> = phones.iter().map(|p| read_db(&p.db)).collect();
    let done = |m: &Incoming| m.state == State::Acknowledged || unreadable(m);
    let mut v = Vec::new();
    for (i, s) in seen.iter().enumerate() {
        for (tag, o) in &s.out {
            if o.state != State::Sent {
                v.push(format!("{tag} {} on its sender {i}", o.state));
            } else if !seen[recipient_of(tag)]
                .inc
                .iter()
                .any(|m| &m.tag == tag && done(m))
            {
                v.push(format!("{tag} not finished by its recipient"));
            }
        }
        for m in s.inc.iter().filter(|m| !done(m)) {
            v.push(format!(
                "{} {} on phone {i} ({})",
                m.tag,
                m.state,
                m.error.as_deref().unwrap_or("")
            ));
        }
    }
    v
}

/// Journal states of a send under way.
const SENDING: [&str; 3] = ["QUEUED", "SUBMITTING", "RETRY_WAIT"];
/// Journal states of a receipt under way.
const RECEIVING: [&str; 4] = ["NOTIFIED", "DOWNLOADING", "DOWNLOADED", "DELIVERED"];

/// The tag names its recipient: `k<n>-<from>-<to>`.
fn recipient_of(tag: &str) -> usize {
    tag.rsplit('-').next().unwrap().parse().unwrap()
}

/// The unfinished journal states of a database (after a kill: where the kill landed).
fn unfinished(db: &std::path::Path) -> Vec<State> {
    let store = Store::open(db).unwrap();
    let mut v: Vec<State> = store
        .messages("default")
        .unwrap()
        .into_iter()
        .map(|m| m.state)
        .filter(|s| {
            !matches!(
                s,
                State::Sent
                    | State::Acknowledged
                    | State::Failed
                    | State::Expired
                    | State::Cancelled
            )
        })
        .collect();
    v.sort_by_key(|s| s.as_str());
    v.dedup();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn randomised_kills_and_faults_lose_and_duplicate_nothing() {
    let txns: usize = std::env::var("MMS_KILL_TXNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let seed: u64 = std::env::var("MMS_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| now_ms().wrapping_mul(0x9e37_79b9) | 1);
    println!("random_kills: {txns} transactions, MMS_KILL_SEED={seed}");
    let mut rng = Rng(seed);
    let mmsc = MockMmsc::start(MockConfig {
        renotify: Some(Duration::from_millis(400)),
        max_renotify: 1_000,
        sweep: Duration::from_millis(100),
        log_capacity: 1_000_000,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let scratch = mms_tests::harness::scratch_dir("kills").unwrap();
    let root = scratch.path();
    let mut phones: Vec<Phone> = (0..PHONES)
        .map(|i| Phone {
            number: format!("+1555700{i:04}"),
            db: root.join(format!("phone{i}.db")),
            port: free_udp_port(),
            child: None,
            lines: Arc::default(),
            down: Vec::new(),
        })
        .collect();
    for p in &mut phones {
        mmsc.register(&p.number, Some(([127, 0, 0, 1], p.port).into()));
        p.start(&mmsc);
    }
    let mut kills = 0;
    let mut faults = 0;
    let mut downloads = DownloadFaults::default();
    // Per unfinished journal state: how many kills found the killed phone with a row in it.
    let mut kill_states: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut kills_mid_transaction = 0;
    for n in 0..txns {
        let from = rng.below(PHONES as u64) as usize;
        let to = (from + 1 + rng.below(PHONES as u64 - 1) as usize) % PHONES;
        let tag = format!("k{n:05}-{from}-{to}");
        let to_number = phones[to].number.clone();
        // Three aimed kills besides the random ones, so that a fast machine cannot finish every
        // transaction between kills: the victim's next requests stall (a send being submitted
        // at a third of the run, a download at two thirds), and the kill comes once its
        // journal shows the transaction under way. Half way, a send is queued and not
        // submitted (as one the phone died before submitting: `QUEUED` lasts a moment only
        // when the disk syncs fast), and the kill comes once the journal shows it.
        let aimed = if n == txns / 3 {
            Some((from, Some(FaultOn::Post), &SENDING[..]))
        } else if n == txns / 2 {
            Some((from, None, &SENDING[..1]))
        } else if n == 2 * txns / 3 {
            Some((to, Some(FaultOn::Get), &RECEIVING[..]))
        } else {
            None
        };
        if let Some((victim, Some(on), _)) = aimed {
            mmsc.inject_rule(FaultRule {
                on,
                fault: Fault::Stall(1_500),
                subscriber: Some(phones[victim].number.clone()),
                times: 2,
            });
            faults += 1;
        }
        if matches!(aimed, Some((_, None, _))) {
            phones[from].queue(&tag, &to_number);
        } else {
            phones[from].send(&tag, &to_number);
        }
        if let Some((victim, _, wanted)) = aimed {
            let deadline = now_ms() + 5_000;
            while now_ms() < deadline
                && !unfinished(&phones[victim].db)
                    .iter()
                    .any(|s| wanted.contains(&s.as_str()))
            {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            phones[victim].kill();
            kills += 1;
            let states = unfinished(&phones[victim].db);
            if !states.is_empty() {
                kills_mid_transaction += 1;
            }
            for s in states {
                *kill_states.entry(s.as_str()).or_default() += 1;
            }
            phones[victim].start(&mmsc);
        }
        if rng.below(4) == 0 {
            mmsc.inject_rule(random_fault(&mut rng, &mut downloads));
            faults += 1;
        }
        if rng.below(6) == 0 {
            // Let some work start, then kill someone mid-flight and bring them back.
            tokio::time::sleep(Duration::from_millis(rng.below(60))).await;
            let victim = if rng.below(2) == 0 { from } else { to };
            phones[victim].kill();
            kills += 1;
            let states = unfinished(&phones[victim].db);
            if !states.is_empty() {
                kills_mid_transaction += 1;
            }
            for s in states {
                *kill_states.entry(s.as_str()).or_default() += 1;
            }
            tokio::time::sleep(Duration::from_millis(rng.below(100))).await;
            phones[victim].start(&mmsc);
        }
        tokio::time::sleep(Duration::from_millis(rng.below(15))).await;
    }
    // Quiet period: no more kills or faults; everything must settle.
    mmsc.clear_faults();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let open = unsettled(&phones);
        if open.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not settled after 120 s (seed {seed}): {open:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Reports still on their way to a sender.
    tokio::time::sleep(Duration::from_millis(500)).await;
    for p in &mut phones {
        p.kill();
    }
    let seen: Vec<Seen> = phones.iter().map(|p| read_db(&p.db)).collect();
    let pushed_reports: Vec<mock_mmsc::LogEntry> = mmsc.log_of("delivery_report_pushed");

    // Durability: every send the test was told about was stored.
    let mut queued = 0;
    for (i, p) in phones.iter().enumerate() {
        for tag in p.lines_of("QUEUED ") {
            assert!(
                seen[i].out.contains_key(&tag),
                "{tag} was reported queued by phone {i} but is not in its database (seed {seed})"
            );
            queued += 1;
        }
    }
    assert!(queued > 0);

    let mut acknowledged = 0;
    let mut failed_unreadable = 0;
    let mut reports_missed_while_down = 0;
    for (i, s) in seen.iter().enumerate() {
        for (tag, o) in &s.out {
            assert_eq!(o.state, State::Sent, "{tag} on phone {i} (seed {seed})");
            let to = recipient_of(tag);
            let copies: Vec<&Incoming> = seen[to].inc.iter().filter(|m| &m.tag == tag).collect();
            assert_eq!(
                copies.len(),
                1,
                "{tag} held {} times (seed {seed})",
                copies.len()
            );
            let m = copies[0];
            let want_report = if m.state == State::Acknowledged {
                acknowledged += 1;
                assert_eq!(m.body, format!("body of {tag}").into_bytes(), "{tag}");
                // The stored PDU is the MMSC's retrieve-conf of this very message.
                let raw = m.raw.as_deref().expect("raw PDU stored");
                let d = Pdu::decode(raw).unwrap();
                assert_eq!(
                    d.pdu.message_id().map(|x| x.to_string()),
                    o.message_id,
                    "{tag}: stored PDU names another message (seed {seed})"
                );
                "retrieved"
            } else {
                assert!(unreadable(m), "{tag} ended {} (seed {seed})", m.state);
                failed_unreadable += 1;
                "unrecognised"
            };
            let mid = o.message_id.clone().unwrap();
            let pushed_while_up = pushed_reports.iter().any(|e| {
                e.detail == mid
                    && e.subscriber.trim_start_matches('+')
                        == phones[i].number.trim_start_matches('+')
                    && !phones[i].could_miss(e.at_ms)
            });
            match o.delivery_status.as_deref() {
                Some(st) => assert_eq!(st, want_report, "{tag}'s delivery report (seed {seed})"),
                None => {
                    assert!(
                        !pushed_while_up,
                        "{tag}: the report was pushed while its sender was up, and lost (seed {seed})"
                    );
                    reports_missed_while_down += 1;
                }
            }
        }
        for m in &s.inc {
            let sender = seen.iter().position(|o| o.out.contains_key(&m.tag));
            assert!(
                sender.is_some(),
                "{} on phone {i} was never sent (seed {seed})",
                m.tag
            );
        }
        let store = Store::open(&phones[i].db).unwrap();
        assert!(
            store.integrity_ok().unwrap(),
            "phone {i} database (seed {seed})"
        );
    }
    let sent: usize = seen.iter().map(|s| s.out.len()).sum();
    assert_eq!(acknowledged + failed_unreadable, sent);
    assert!(
        failed_unreadable <= downloads.garbage_or_empty,
        "{failed_unreadable} unreadable downloads from {} such faults (seed {seed})",
        downloads.garbage_or_empty
    );
    assert_eq!(
        mmsc.open_transactions(),
        0,
        "the MMSC still waits on acknowledgements"
    );

    // Events: none twice, in one life or across lives.
    for (i, p) in phones.iter().enumerate() {
        for kind in ["EVENT received ", "EVENT delivery "] {
            let mut lines = p.lines_of(kind);
            let n = lines.len();
            lines.sort();
            lines.dedup();
            assert_eq!(
                lines.len(),
                n,
                "phone {i} announced a {kind}twice (seed {seed})"
            );
        }
        let received: Vec<String> = p
            .lines_of("EVENT received ")
            .into_iter()
            .map(|l| l.split(' ').nth(1).unwrap_or_default().to_string())
            .collect();
        let mut unique = received.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            received.len(),
            "phone {i}: a message announced twice"
        );
    }

    // The kills landed inside transactions, on both sides.
    let sending = SENDING
        .iter()
        .map(|s| kill_states.get(s).copied().unwrap_or(0))
        .sum::<usize>();
    let receiving = RECEIVING
        .iter()
        .map(|s| kill_states.get(s).copied().unwrap_or(0))
        .sum::<usize>();
    println!(
        "random_kills: {queued} sends reported queued, {sent} stored and sent, each received \
         exactly once ({acknowledged} acknowledged, {failed_unreadable} failed as unreadable \
         after {} garbage or empty downloads, answers naming another transaction: {}); {kills} \
         kills ({kills_mid_transaction} inside transactions; unfinished states found: \
         {kill_states:?}); {faults} faults; {reports_missed_while_down} delivery reports pushed \
         to a sender that was down; the MMSC saw {} resubmissions, {} repeated \
         acknowledgements, {} re-notifications",
        downloads.garbage_or_empty,
        downloads.wrong_transaction,
        mmsc.log_of("duplicate_submission").len(),
        mmsc.log_of("duplicate_ack").len(),
        mmsc.log_of("renotified").len(),
    );
    assert!(
        sending > 0 && receiving > 0,
        "kills never caught a send ({sending}) or a receipt ({receiving}) in flight (seed {seed})"
    );
    if txns >= 1000 {
        for s in [
            "QUEUED",
            "SUBMITTING",
            "NOTIFIED",
            "DOWNLOADING",
            "DOWNLOADED",
        ] {
            assert!(
                kill_states.contains_key(s),
                "no kill landed in {s} (seed {seed}): {kill_states:?}"
            );
        }
    }
}
