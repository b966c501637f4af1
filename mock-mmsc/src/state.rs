//! What the mock MMSC holds, behind one lock in [`Shared`]: stored messages, delivery tokens,
//! open transactions, pending notifications, the decision log and the charging records, every
//! list bounded.

use crate::config::MockConfig;
use crate::fault::FaultRule;
use crate::rate::Bucket;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mms_codec::pdu::Pdu;
use serde::Serialize;
use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;
use tokio::net::UdpSocket;

/// One logged decision (the charging record / decision log tests query).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogEntry {
    /// What happened (`send_accepted`, `notification_pushed`, `tid_mismatch`...).
    pub event: String,
    /// The subscriber concerned.
    pub subscriber: String,
    /// Detail.
    pub detail: String,
    /// When, in milliseconds since the Unix epoch (to line the log up with what a test did).
    pub at_ms: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct StoredMessage {
    pub(crate) from: String,
    pub(crate) recipients: Vec<String>,
    pub(crate) pdu: Vec<u8>,
    pub(crate) delivery_report: bool,
    pub(crate) read_report: bool,
    pub(crate) read_reported: HashSet<String>,
    /// When the MMSC drops it (ms since the epoch; MMSC-5).
    pub(crate) expires_ms: u64,
    /// The sender asked to be hidden: recipients are not told who sent it.
    pub(crate) hide_sender: bool,
    /// Recipients whose transaction is still open; the PDU is dropped (and its octets leave
    /// the sender's quota) when none is left.
    pub(crate) open: HashSet<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct DeliveryToken {
    pub(crate) message_id: String,
    pub(crate) recipient: String,
    pub(crate) tid: String,
}

#[derive(Debug, Default)]
pub(crate) struct Data {
    pub(crate) subscribers: HashMap<String, Option<SocketAddr>>,
    /// The number (or address) each subscriber registered with, by subscriber key: the
    /// address other subscribers see (the key keeps only the last nine digits).
    pub(crate) msisdns: HashMap<String, String>,
    pub(crate) messages: HashMap<String, StoredMessage>,
    pub(crate) send_confs: HashMap<(String, String), Vec<u8>>,
    pub(crate) tokens: HashMap<String, DeliveryToken>,
    pub(crate) notified: HashMap<(String, String), String>,
    pub(crate) closed: HashSet<(String, String)>,
    pub(crate) log: VecDeque<LogEntry>,
    pub(crate) faults: Vec<FaultRule>,
    /// Subscribers whose pushes go as SMS-DELIVER TPDUs (one UDP datagram each).
    pub(crate) sms_bearer: HashSet<String>,
    /// Notifications held back by [`Fault::ReorderNotification`], per subscriber.
    pub(crate) held: HashMap<String, Vec<String>>,
    /// Token buckets per subscriber or IP address (MMSC-2).
    pub(crate) buckets: HashMap<String, Bucket>,
    /// Notifications waiting to be pushed, re-pushed or answered (MMSC-3, MMSC-5).
    pub(crate) pending: HashMap<(String, String), Pending>,
    /// Charging records.
    pub(crate) cdrs: VecDeque<Cdr>,
    /// Octets waiting for retrieval, per sender (MMSC-1 quota).
    pub(crate) held_bytes: HashMap<String, usize>,
    /// Octets waiting for retrieval in all.
    pub(crate) held_total: usize,
    /// Who the proxy front knows is behind each client address (a data session's address in
    /// a real network): the identity it asserts (MMSC-8).
    pub(crate) attached: HashMap<std::net::IpAddr, String>,
    /// The order answers and closed transactions were recorded in, so the oldest are dropped
    /// past the log capacity (a long run stays bounded).
    pub(crate) send_conf_order: VecDeque<(String, String)>,
    pub(crate) closed_order: VecDeque<(String, String)>,
}

impl Data {
    /// Keeps the answer to a submission (a resubmission gets it again), the oldest dropped past
    /// `capacity`.
    pub(crate) fn keep_send_conf(&mut self, key: (String, String), conf: Vec<u8>, capacity: usize) {
        while self.send_conf_order.len() >= capacity.max(1) {
            if let Some(old) = self.send_conf_order.pop_front() {
                self.send_confs.remove(&old);
            }
        }
        self.send_conf_order.push_back(key.clone());
        self.send_confs.insert(key, conf);
    }

    /// Remembers a closed transaction (a repeated acknowledgement is answered), the oldest
    /// dropped past `capacity`.
    pub(crate) fn keep_closed(&mut self, key: (String, String), capacity: usize) {
        while self.closed_order.len() >= capacity.max(1) {
            if let Some(old) = self.closed_order.pop_front() {
                self.closed.remove(&old);
            }
        }
        self.closed_order.push_back(key.clone());
        self.closed.insert(key);
    }

    /// A recipient's transaction on a message closed (or timed out, or the message was
    /// cancelled): once no recipient waits, the PDU goes and its octets leave the quota.
    pub(crate) fn release(&mut self, message_id: &str, recipient: &str) {
        let Some(m) = self.messages.get_mut(message_id) else {
            return;
        };
        m.open.remove(recipient);
        if m.open.is_empty() && !m.pdu.is_empty() {
            let n = m.pdu.len();
            m.pdu = Vec::new();
            let from = m.from.clone();
            self.unhold(&from, n);
        }
    }

    /// Takes `n` octets of `sender`'s off what is held.
    pub(crate) fn unhold(&mut self, sender: &str, n: usize) {
        if let Some(h) = self.held_bytes.get_mut(sender) {
            *h = h.saturating_sub(n);
            if *h == 0 {
                self.held_bytes.remove(sender);
            }
        }
        self.held_total = self.held_total.saturating_sub(n);
    }
}

/// Appends `item`, dropping the oldest entries beyond `capacity` (at least one is kept).
pub(crate) fn push_bounded<T>(list: &mut VecDeque<T>, item: T, capacity: usize) {
    while list.len() >= capacity.max(1) {
        list.pop_front();
    }
    list.push_back(item);
}

/// A notification the sweeper looks after.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub(crate) token: String,
    pub(crate) location: String,
    pub(crate) notification: Vec<u8>,
    /// When it is (next) due to be pushed, in ms since the epoch.
    pub(crate) due_ms: u64,
    /// When it was first pushed.
    pub(crate) first_ms: Option<u64>,
    pub(crate) pushes: u32,
    /// A NotifyResp (deferred) arrived: no more re-notification.
    pub(crate) answered: bool,
}

/// A charging record (MMSC-6): what was submitted, with each part's declared type checked
/// against its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cdr {
    /// `submitted` or `retrieved`.
    pub event: String,
    /// Message-ID.
    pub message_id: String,
    /// Sender.
    pub from: String,
    /// Recipients (for `retrieved`: the one who retrieved it).
    pub recipients: Vec<String>,
    /// Size in octets.
    pub size: usize,
    /// Parts as (declared type, sniffed type).
    pub parts: Vec<(String, String)>,
    /// A declared type disagreed with the bytes.
    pub type_mismatch: bool,
}

/// The state every handler shares.
pub(crate) struct Shared {
    pub(crate) front_token: String,
    pub(crate) cfg: MockConfig,
    pub(crate) ca_pem: Option<String>,
    pub(crate) base: String,
    pub(crate) data: Mutex<Data>,
    pub(crate) udp: UdpSocket,
    pub(crate) next: AtomicU64,
    /// How subscriber numbers are read (the configuration's home region).
    pub(crate) numbers: mms_decisions::numbers::NumberPlan,
}

impl Shared {
    pub(crate) fn log(&self, event: &str, subscriber: &str, detail: String) {
        tracing::info!(event, subscriber, %detail, "mmsc");
        if let Ok(mut d) = self.data.lock() {
            let entry = LogEntry {
                event: event.into(),
                subscriber: subscriber.into(),
                detail,
                at_ms: std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_millis() as u64)
                    .unwrap_or(0),
            };
            push_bounded(&mut d.log, entry, self.cfg.log_capacity);
        }
    }
}

/// A random token (delivery tokens, the front's secret).
pub(crate) fn token() -> String {
    let mut b = [0u8; 12];
    let _ = getrandom::fill(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// An MMS PDU as an HTTP answer.
pub(crate) fn pdu_response(status: StatusCode, pdu: &Pdu<'_>) -> Response {
    match pdu.encode() {
        Ok(b) => (
            status,
            [("content-type", "application/vnd.wap.mms-message")],
            b,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Now, in milliseconds since the epoch.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Now, in seconds since the epoch.
pub(crate) fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Shared {
    /// Takes a token from the bucket `key` (MMSC-2); on refusal, the seconds until one is
    /// available.
    pub(crate) fn rate_limit(&self, key: &str, burst: u32, per_minute: u32) -> Result<(), u64> {
        let now = now_ms();
        let Ok(mut d) = self.data.lock() else {
            return Ok(());
        };
        d.buckets
            .entry(key.to_string())
            .or_insert_with(|| Bucket::full(burst, now))
            .take(now, burst, per_minute)
    }
}
