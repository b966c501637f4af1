//! The mock MMSC: an MMS Relay/Server on real sockets for tests, demos and UI tests.
//!
//! MM1 behaviour: M-Send.req is stored and answered with M-Send.conf and a Message-ID; each
//! registered recipient gets an M-Notification.ind pushed as a WDP datagram over UDP to its
//! registered address; GET of the Content-Location returns the M-Retrieve.conf (locations are
//! always on this server's host and path prefix, with random tokens tied to the recipient:
//! MMSC-9); NotifyResp/Acknowledge close the transaction (their transaction id must be one this
//! server issued to that subscriber: MMSC-4) and trigger the delivery report to a sender that
//! asked; M-Read-Rec.ind is forwarded as M-Read-Orig.ind only for a stored message that asked
//! for one, from one of its recipients, once, to the stored originator (MMSC-7). Subscribers are
//! identified by a header and must be registered (MMSC-8). M-Forward.req forwards a notified
//! message without retrieval. A sweeper times out unanswered transactions (MMSC-3), re-notifies,
//! delivers deferred messages and drops expired ones (MMSC-5). Every decision is logged.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use mms_codec::pdu::builder::{Notification, delivery_ind, notification_ind, read_orig, send_conf};
use mms_codec::pdu::{
    ClassToken, FromValue, Header, MessageType, Pdu, ReadStatus, ResponseStatus, Status, TimeValue,
};
use mms_codec::push::encode_mms_push;
use serde::Serialize;
use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use subtle::ConstantTimeEq;
use tokio::net::UdpSocket;

pub mod attacker;
pub mod proxy;
pub mod tls;

/// Header carrying the subscriber identity (set by the operator's proxy in a real network).
pub const SUBSCRIBER_HEADER: &str = "x-mms-subscriber";
/// Header the proxy front adds to prove a request came through it.
pub const FRONT_HEADER: &str = "x-mock-front";

/// Configuration.
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// Address to listen on (port 0 picks one).
    pub bind: SocketAddr,
    /// Path prefix of the MM1 endpoint and content locations.
    pub prefix: String,
    /// Largest request body accepted (MMSC-1).
    pub max_body: usize,
    /// Expiry given to notifications, in seconds.
    pub expiry_secs: u64,
    /// Serve HTTPS with a CA generated at start-up ([`MockMmsc::ca_pem`]).
    pub tls: bool,
    /// Also start a proxy front (CONNECT tunnels and absolute-form requests) on loopback.
    pub proxy_front: bool,
    /// The MMSC URL as clients know it, when they reach this server through a proxy (e.g.
    /// `http://mmsc.operator.example/mms`); content locations are built on it.
    pub public_base: Option<String>,
    /// Largest message accepted for delivery (MMSC-1: larger ones get a content-not-accepted
    /// M-Send.conf).
    pub max_message_size: usize,
    /// Submissions per subscriber allowed in a burst (MMSC-2).
    pub rate_burst: u32,
    /// Submissions per subscriber per minute, sustained (MMSC-2).
    pub rate_per_minute: u32,
    /// Requests per client IP address allowed in a burst (MMSC-2).
    pub ip_rate_burst: u32,
    /// Requests per client IP address per minute, sustained (MMSC-2).
    pub ip_rate_per_minute: u32,
    /// How long a notified transaction waits for NotifyResp/Acknowledge before its state is
    /// dropped (MMSC-3).
    pub ack_timeout: Duration,
    /// Interval between re-notifications while no NotifyResp arrives (MMSC-3); `None` disables.
    pub renotify: Option<Duration>,
    /// Most re-notifications per transaction.
    pub max_renotify: u32,
    /// Longest expiry or delivery time accepted from a sender (MMSC-5); longer ones are clamped.
    pub max_expiry: Duration,
    /// Subscriber identity is accepted only on requests that came through the proxy front
    /// (MMSC-8): a client cannot claim a number by setting the header itself.
    pub identity_only_via_front: bool,
    /// Sweeper period (timeouts, expiry, re-notification, deferred delivery).
    pub sweep: Duration,
    /// Refuse requests whose User-Agent does not contain this (403), as some carriers do.
    pub required_user_agent: Option<String>,
    /// Refuse requests without a UAProf header (`x-wap-profile` or `profile`) (403).
    pub require_uaprof: bool,
    /// Carrier quirks to imitate.
    pub quirks: Quirks,
    /// The originating address of pushes sent over the SMS bearer.
    pub sms_origin: String,
    /// Most entries kept in the decision log and, separately, in the charging records; the
    /// oldest are dropped beyond it, so a long-running mock stays bounded.
    pub log_capacity: usize,
}

/// Carrier quirks the mock can imitate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Quirks {
    /// Retrieval needs the transaction id appended to the content location (`?TID`); without
    /// it the message is not found.
    pub require_tid_in_url: bool,
    /// NotifyResp must be posted to the content location, not to the MMSC URL.
    pub notify_resp_at_location: bool,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            prefix: "/mms".into(),
            max_body: 1024 * 1024,
            expiry_secs: 3 * 86_400,
            tls: false,
            proxy_front: false,
            public_base: None,
            max_message_size: 600 * 1024,
            rate_burst: 100,
            rate_per_minute: 600,
            ip_rate_burst: 2000,
            ip_rate_per_minute: 60_000,
            ack_timeout: Duration::from_secs(7 * 86_400),
            renotify: None,
            max_renotify: 5,
            max_expiry: Duration::from_secs(30 * 86_400),
            identity_only_via_front: false,
            sweep: Duration::from_millis(200),
            required_user_agent: None,
            require_uaprof: false,
            quirks: Quirks::default(),
            sms_origin: "+15550100".into(),
            log_capacity: 100_000,
        }
    }
}

/// One logged decision (the charging record / decision log tests query).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogEntry {
    /// What happened (`send_accepted`, `notification_pushed`, `tid_mismatch`...).
    pub event: String,
    /// The subscriber concerned.
    pub subscriber: String,
    /// Detail.
    pub detail: String,
}

/// A fault the next matching request gets (the misbehaviour of real carriers, on demand).
/// In the admin API's JSON: `{"Http": [503, 5]}`, `"Garbage"`, `{"Stall": 2000}`...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum Fault {
    /// Answer M-Send.req with this Response-Status (and Response-Text), storing nothing.
    SendStatus(ResponseStatus, Option<String>),
    /// Answer M-Send.req Ok but without a Message-ID.
    NoMessageId,
    /// Answer with this HTTP status and optional Retry-After (seconds), empty body.
    Http(u16, Option<u64>),
    /// Answer 200 with a body that is not an MMS PDU.
    Garbage,
    /// Answer with a redirect to this URL.
    Redirect(String),
    /// Wait this many milliseconds before handling the request.
    Stall(u64),
    /// Start the body, then drop the connection.
    DropMidBody,
    /// Answer 200 with this many octets of padding after the PDU.
    Oversized(usize),
    /// Answer the retrieval with this Retrieve-Status (and a text/plain body).
    RetrieveStatus(mms_codec::pdu::RetrieveStatus),
    /// Answer with the right PDU but a transaction id the client never sent.
    WrongTransactionId,
    /// Answer with a well-formed PDU of the wrong message type.
    WrongMessageType,
    /// Answer 200 with an empty body.
    Empty,
    /// Answer with this MMS-Version octet (e.g. `0x20` for 2.0, `0x10` for 1.0).
    Version(u8),
    /// Send the normal answer this many octets at a time, this many ms apart.
    SlowDrip(usize, u64),
    /// Send the normal answer with chunked transfer encoding (no Content-Length).
    Chunked,
    /// (Notifications) push the notification twice.
    DuplicateNotification,
    /// (Notifications) hold the notification until the next one to the same subscriber has
    /// been pushed.
    ReorderNotification,
    /// (Notifications) give the notification an expiry an hour in the past.
    ExpiredNotification,
    /// (Notifications) name this Content-Location instead of the real one (spoofed-looking).
    ForeignLocation(String),
}

/// Which requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultOn {
    /// POSTs to the MM1 endpoint.
    Post,
    /// GETs of content locations.
    Get,
    /// Notifications as they are created (the notification faults).
    Notify,
}

/// A fault switch: which requests, whose, how many times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FaultRule {
    /// Which requests.
    pub on: FaultOn,
    /// The fault.
    pub fault: Fault,
    /// Only requests of (or notifications to) this subscriber; `None` for everyone.
    #[serde(default)]
    pub subscriber: Option<String>,
    /// How many matching requests get it; 0 for every one until cleared.
    #[serde(default = "one")]
    pub times: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone)]
struct StoredMessage {
    from: String,
    recipients: Vec<String>,
    pdu: Vec<u8>,
    delivery_report: bool,
    read_report: bool,
    read_reported: HashSet<String>,
    /// When the MMSC drops it (ms since the epoch; MMSC-5).
    expires_ms: u64,
}

#[derive(Debug, Clone)]
struct DeliveryToken {
    message_id: String,
    recipient: String,
    tid: String,
}

#[derive(Debug, Default)]
struct Data {
    subscribers: HashMap<String, Option<SocketAddr>>,
    /// The number (or address) each subscriber registered with, by subscriber key: the
    /// address other subscribers see (the key keeps only the last nine digits).
    msisdns: HashMap<String, String>,
    messages: HashMap<String, StoredMessage>,
    send_confs: HashMap<(String, String), Vec<u8>>,
    tokens: HashMap<String, DeliveryToken>,
    notified: HashMap<(String, String), String>,
    closed: HashSet<(String, String)>,
    log: VecDeque<LogEntry>,
    faults: Vec<FaultRule>,
    /// Subscribers whose pushes go as SMS-DELIVER TPDUs (one UDP datagram each).
    sms_bearer: HashSet<String>,
    /// Notifications held back by [`Fault::ReorderNotification`], per subscriber.
    held: HashMap<String, Vec<String>>,
    /// Token buckets per subscriber or IP address (MMSC-2).
    buckets: HashMap<String, Bucket>,
    /// Notifications waiting to be pushed, re-pushed or answered (MMSC-3, MMSC-5).
    pending: HashMap<(String, String), Pending>,
    /// Charging records.
    cdrs: VecDeque<Cdr>,
}

/// Appends `item`, dropping the oldest entries beyond `capacity` (at least one is kept).
fn push_bounded<T>(list: &mut VecDeque<T>, item: T, capacity: usize) {
    while list.len() >= capacity.max(1) {
        list.pop_front();
    }
    list.push_back(item);
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at_ms: u64,
}

/// A notification the sweeper looks after.
#[derive(Debug, Clone)]
struct Pending {
    token: String,
    location: String,
    notification: Vec<u8>,
    /// When it is (next) due to be pushed, in ms since the epoch.
    due_ms: u64,
    /// When it was first pushed.
    first_ms: Option<u64>,
    pushes: u32,
    /// A NotifyResp (deferred) arrived: no more re-notification.
    answered: bool,
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

struct Shared {
    front_token: String,
    cfg: MockConfig,
    ca_pem: Option<String>,
    base: String,
    data: Mutex<Data>,
    udp: UdpSocket,
    next: AtomicU64,
}

/// A running mock MMSC.
pub struct MockMmsc {
    shared: Arc<Shared>,
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
    proxy: Option<(SocketAddr, tokio::task::JoinHandle<()>)>,
    sweeper: tokio::task::JoinHandle<()>,
}

/// The key a subscriber is known by: the last nine digits of a number, or a lowercased e-mail.
pub fn subscriber_key(a: &str) -> String {
    mms_decisions::numbers::address_key(a)
}

fn token() -> String {
    let mut b = [0u8; 12];
    let _ = getrandom::fill(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn pdu_response(status: StatusCode, pdu: &Pdu<'_>) -> Response {
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

impl Shared {
    /// The registered subscriber an address names (national or international form), or the
    /// address's own key when nobody matches.
    fn resolve(&self, addr: &str) -> String {
        let found = self.data.lock().ok().and_then(|d| {
            d.subscribers
                .keys()
                .find(|k| mms_decisions::numbers::same_address(k, addr))
                .cloned()
        });
        found.unwrap_or_else(|| subscriber_key(addr))
    }

    /// The address a subscriber is shown as: the number it registered with, or, for one that
    /// never registered, its key as a number.
    fn address_of(&self, key: &str) -> String {
        let registered = self
            .data
            .lock()
            .ok()
            .and_then(|d| d.msisdns.get(key).cloned());
        match registered {
            Some(a) => a,
            None if key.contains('@') => key.to_string(),
            None => format!("+{key}"),
        }
    }

    /// [`Shared::address_of`] as an MMS address value (`/TYPE=PLMN` for a number).
    fn encoded_address_of(&self, key: &str) -> String {
        let a = self.address_of(key);
        if a.contains('@') {
            a
        } else {
            format!("{a}/TYPE=PLMN")
        }
    }

    fn log(&self, event: &str, subscriber: &str, detail: String) {
        tracing::info!(event, subscriber, %detail, "mmsc");
        if let Ok(mut d) = self.data.lock() {
            let entry = LogEntry {
                event: event.into(),
                subscriber: subscriber.into(),
                detail,
            };
            push_bounded(&mut d.log, entry, self.cfg.log_capacity);
        }
    }

    fn subscriber(&self, headers: &HeaderMap) -> Option<String> {
        if self.cfg.identity_only_via_front {
            let via_front = headers
                .get(FRONT_HEADER)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| bool::from(v.as_bytes().ct_eq(self.front_token.as_bytes())));
            if !via_front {
                self.log(
                    "identity_not_via_front",
                    "",
                    "subscriber header not set by the proxy front (MMSC-8)".into(),
                );
                return None;
            }
        }
        let id = headers
            .get(SUBSCRIBER_HEADER)?
            .to_str()
            .ok()?
            .trim()
            .to_string();
        let key = subscriber_key(&id);
        let known = self.data.lock().ok()?.subscribers.contains_key(&key);
        known.then_some(key)
    }

    async fn push_to(&self, subscriber: &str, pdu: &Pdu<'_>) -> bool {
        let Ok(body) = pdu.encode() else { return false };
        self.push_raw(subscriber, &body).await
    }

    /// Pushes (or re-pushes) a pending notification and schedules the next re-notification.
    async fn push_pending(&self, subscriber: &str, tid: &str) {
        let key = (subscriber.to_string(), tid.to_string());
        let Some(p) = self
            .data
            .lock()
            .ok()
            .and_then(|d| d.pending.get(&key).cloned())
        else {
            return;
        };
        let pushed = self.push_raw(subscriber, &p.notification).await;
        let now = now_ms();
        if let Ok(mut d) = self.data.lock() {
            if let Some(q) = d.pending.get_mut(&key) {
                q.first_ms.get_or_insert(now);
                q.pushes = q.pushes.saturating_add(1);
                q.due_ms = match self.cfg.renotify {
                    Some(every) if q.pushes <= self.cfg.max_renotify => {
                        now.saturating_add(u64::try_from(every.as_millis()).unwrap_or(u64::MAX))
                    }
                    _ => u64::MAX,
                };
            }
        }
        let event = match (pushed, p.pushes) {
            (true, 0) => "notification_pushed",
            (true, _) => "renotified",
            (false, _) => "notification_not_pushed",
        };
        self.log(event, subscriber, format!("{tid} {}", p.location));
    }

    /// One pass of the sweeper: deferred deliveries and re-notifications that are due,
    /// transactions that timed out (MMSC-3) and messages that expired (MMSC-5).
    async fn sweep(&self) {
        let now = now_ms();
        let timeout = u64::try_from(self.cfg.ack_timeout.as_millis()).unwrap_or(u64::MAX);
        let mut due = Vec::new();
        let mut timed_out = Vec::new();
        let mut expired = Vec::new();
        if let Ok(mut d) = self.data.lock() {
            for (key, p) in &d.pending {
                if p.first_ms.is_some_and(|f| now.saturating_sub(f) >= timeout) {
                    timed_out.push((key.clone(), p.token.clone()));
                } else if !p.answered && p.due_ms <= now {
                    due.push(key.clone());
                }
            }
            for (key, tok) in &timed_out {
                d.pending.remove(key);
                d.notified.remove(key);
                d.tokens.remove(tok);
            }
            expired = d
                .messages
                .iter()
                .filter(|(_, m)| m.expires_ms <= now)
                .map(|(id, _)| id.clone())
                .collect();
            for id in &expired {
                d.messages.remove(id);
                let gone: Vec<String> = d
                    .tokens
                    .iter()
                    .filter(|(_, t)| &t.message_id == id)
                    .map(|(k, _)| k.clone())
                    .collect();
                for tok in gone {
                    if let Some(t) = d.tokens.remove(&tok) {
                        let key = (t.recipient, t.tid);
                        d.pending.remove(&key);
                        d.notified.remove(&key);
                    }
                }
            }
        }
        for ((sub, tid), _) in timed_out {
            self.log(
                "transaction_timeout",
                &sub,
                format!("{tid}: no NotifyResp/Acknowledge, state dropped (MMSC-3)"),
            );
        }
        for id in expired {
            self.log("message_expired", "", id);
        }
        for (sub, tid) in due {
            self.push_pending(&sub, &tid).await;
        }
    }

    async fn push_raw(&self, subscriber: &str, body: &[u8]) -> bool {
        let addr = self
            .data
            .lock()
            .ok()
            .and_then(|d| d.subscribers.get(subscriber).copied().flatten());
        let Some(addr) = addr else { return false };
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let datagram = encode_mms_push((n & 0xff) as u8, body);
        let sms = self
            .data
            .lock()
            .is_ok_and(|d| d.sms_bearer.contains(subscriber));
        if !sms {
            return self.udp.send_to(&datagram, addr).await.is_ok();
        }
        let tpdus = mms_codec::push::build_deliver_tpdus(
            &self.cfg.sms_origin,
            &datagram,
            mms_codec::push::PORT_PUSH,
            (n & 0xffff) as u16,
        );
        for t in &tpdus {
            if self.udp.send_to(t, addr).await.is_err() {
                return false;
            }
        }
        !tpdus.is_empty()
    }
}

/// The client's address, when the server knows it (MMSC-2 per-IP limits).
struct Peer(Option<SocketAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

impl Shared {
    /// Takes a token from the bucket `key` (MMSC-2); on refusal, the seconds until one is
    /// available.
    fn rate_limit(&self, key: &str, burst: u32, per_minute: u32) -> Result<(), u64> {
        let now = now_ms();
        let Ok(mut d) = self.data.lock() else {
            return Ok(());
        };
        let burst = f64::from(burst.max(1));
        let per_ms = f64::from(per_minute) / 60_000.0;
        let b = d.buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: burst,
            at_ms: now,
        });
        let elapsed = now.saturating_sub(b.at_ms) as f64;
        b.tokens = (b.tokens + elapsed * per_ms).min(burst);
        b.at_ms = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else if per_ms > 0.0 {
            Err(((1.0 - b.tokens) / per_ms / 1000.0).ceil().max(1.0) as u64)
        } else {
            Err(3600)
        }
    }

    fn take_fault(&self, on: FaultOn, subscriber: Option<&str>) -> Option<Fault> {
        let mut d = self.data.lock().ok()?;
        let i = d.faults.iter().position(|r| {
            r.on == on
                && r.subscriber
                    .as_deref()
                    .is_none_or(|want| subscriber.is_some_and(|s| subscriber_key(want) == s))
        })?;
        let rule = d.faults.get_mut(i)?;
        let fault = rule.fault.clone();
        if rule.times == 1 {
            d.faults.remove(i);
        } else if rule.times > 1 {
            rule.times -= 1;
        }
        Some(fault)
    }
}

/// Applies a generic fault; `None` when the request should be handled normally (after any
/// stall) or the fault is specific to the handler.
async fn generic_fault(s: &Shared, f: &Fault) -> Option<Response> {
    match f {
        Fault::Http(code, retry) => {
            s.log("fault_http", "", code.to_string());
            let mut r = StatusCode::from_u16(*code)
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
                .into_response();
            if let Some(secs) = retry {
                if let Ok(v) = axum::http::HeaderValue::from_str(&secs.to_string()) {
                    r.headers_mut().insert("retry-after", v);
                }
            }
            Some(r)
        }
        Fault::Garbage => Some(
            (
                StatusCode::OK,
                [("content-type", "application/vnd.wap.mms-message")],
                b"<html>Service Unavailable</html>".to_vec(),
            )
                .into_response(),
        ),
        Fault::Empty => {
            s.log("fault_empty", "", String::new());
            Some(
                (
                    StatusCode::OK,
                    [("content-type", "application/vnd.wap.mms-message")],
                )
                    .into_response(),
            )
        }
        Fault::Redirect(to) => {
            Some((StatusCode::FOUND, [("location", to.clone())]).into_response())
        }
        Fault::Stall(ms) => {
            tokio::time::sleep(std::time::Duration::from_millis(*ms)).await;
            None
        }
        Fault::DropMidBody => {
            let stream = futures_util::stream::iter(vec![
                Ok::<_, std::io::Error>(axum::body::Bytes::from_static(&[0x8c, 0x84, 0x98])),
                Err(std::io::Error::other("connection dropped by fault")),
            ]);
            Some(
                (
                    StatusCode::OK,
                    [("content-length", "5000")],
                    axum::body::Body::from_stream(stream),
                )
                    .into_response(),
            )
        }
        _ => None,
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

async fn mm1_post(
    State(s): State<Arc<Shared>>,
    Peer(peer): Peer,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(a) = uri.authority() {
        s.log("via_proxy", "", format!("absolute-form request for {a}"));
    }
    if let Some(refused) = check_client_headers(&s, &headers) {
        return refused;
    }
    if let Some(ip) = peer.map(|p| p.ip()) {
        if let Err(wait) = s.rate_limit(
            &format!("ip:{ip}"),
            s.cfg.ip_rate_burst,
            s.cfg.ip_rate_per_minute,
        ) {
            s.log(
                "rate_limited",
                "",
                format!("ip {ip}, retry in {wait}s (MMSC-2)"),
            );
            return too_many(wait);
        }
    }
    let claimed = claimed_subscriber(&headers);
    let fault = s.take_fault(FaultOn::Post, claimed.as_deref());
    if let Some(f) = &fault {
        if let Some(r) = generic_fault(&s, f).await {
            return r;
        }
    }
    let Some(sub) = s.subscriber(&headers) else {
        s.log("unknown_subscriber", "", "request refused (MMSC-8)".into());
        return pdu_response(
            StatusCode::FORBIDDEN,
            &send_conf(
                "",
                ResponseStatus::PermanentServiceDenied,
                None,
                Some("unknown subscriber"),
            ),
        );
    };
    let decoded = match Pdu::decode(&body) {
        Ok(d) => d,
        Err(e) => {
            s.log("corrupt_pdu", &sub, e.to_string());
            return pdu_response(
                StatusCode::BAD_REQUEST,
                &send_conf(
                    "",
                    ResponseStatus::PermanentMessageFormatCorrupt,
                    None,
                    Some("corrupt PDU"),
                ),
            );
        }
    };
    let pdu = decoded.pdu;
    let tid = pdu
        .transaction_id()
        .map(|t| t.to_string())
        .unwrap_or_default();
    if pdu.message_type == MessageType::SendReq {
        if let Err(wait) = s.rate_limit(
            &format!("sub:{sub}"),
            s.cfg.rate_burst,
            s.cfg.rate_per_minute,
        ) {
            s.log("rate_limited", &sub, format!("retry in {wait}s (MMSC-2)"));
            return too_many(wait);
        }
    }
    if s.cfg.quirks.notify_resp_at_location
        && pdu.message_type == MessageType::NotifyRespInd
        && !uri.path().contains("/m/")
    {
        s.log(
            "quirk_notify_resp_not_at_location",
            &sub,
            "this carrier takes NotifyResp at the content location".into(),
        );
        return StatusCode::BAD_REQUEST.into_response();
    }
    let resp = match (pdu.message_type, &fault) {
        (MessageType::SendReq, Some(Fault::SendStatus(st, text))) => {
            s.log("fault_send_status", &sub, st.to_string());
            pdu_response(StatusCode::OK, &send_conf(&tid, *st, None, text.as_deref()))
        }
        (MessageType::SendReq, Some(Fault::NoMessageId)) => pdu_response(
            StatusCode::OK,
            &send_conf(&tid, ResponseStatus::Ok, None, None),
        ),
        _ => dispatch(&s, &sub, &tid, &pdu, &body).await,
    };
    late_fault(&s, fault.as_ref(), resp).await
}

/// Faults applied to the answer a request would have got: a rewritten PDU or a different way of
/// sending the same bytes.
async fn late_fault(s: &Shared, fault: Option<&Fault>, resp: Response) -> Response {
    let Some(f) = fault else { return resp };
    if !matches!(
        f,
        Fault::WrongTransactionId
            | Fault::WrongMessageType
            | Fault::Version(_)
            | Fault::SlowDrip(..)
            | Fault::Chunked
    ) {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let rewritten = match (f, Pdu::decode(&bytes)) {
        (Fault::WrongTransactionId | Fault::WrongMessageType | Fault::Version(_), Ok(d)) => {
            let mut p = d.pdu;
            match f {
                Fault::WrongTransactionId => {
                    for h in &mut p.headers {
                        if let Header::TransactionId(t) = h {
                            *t = mms_codec::pdu::Text::from("not-your-transaction").into_owned();
                        }
                    }
                }
                Fault::WrongMessageType => {
                    p.message_type = match p.message_type {
                        MessageType::SendConf => MessageType::NotificationInd,
                        _ => MessageType::SendConf,
                    };
                }
                Fault::Version(v) => {
                    for h in &mut p.headers {
                        if let Header::MmsVersion(x) = h {
                            *x = mms_codec::pdu::Version(*v);
                        }
                    }
                }
                _ => {}
            }
            s.log("fault_rewritten", "", format!("{f:?}"));
            Some(p.encode().unwrap_or_default())
        }
        _ => None,
    };
    let bytes = rewritten.map(Bytes::from).unwrap_or(bytes);
    let (chunk, gap) = match f {
        Fault::SlowDrip(n, ms) => ((*n).max(1), *ms),
        Fault::Chunked => (512, 0),
        _ => {
            let mut parts = parts;
            parts.headers.remove("content-length");
            return Response::from_parts(parts, axum::body::Body::from(bytes));
        }
    };
    s.log("fault_streamed", "", format!("{f:?}"));
    let chunks: Vec<Bytes> = bytes.chunks(chunk).map(Bytes::copy_from_slice).collect();
    let stream = futures_util::stream::unfold(chunks.into_iter(), move |mut it| async move {
        let c = it.next()?;
        if gap > 0 {
            tokio::time::sleep(Duration::from_millis(gap)).await;
        }
        Some((Ok::<_, std::io::Error>(c), it))
    });
    let mut parts = parts;
    parts.headers.remove("content-length");
    Response::from_parts(parts, axum::body::Body::from_stream(stream))
}

/// The subscriber a request claims to be (for matching fault rules only; not verified).
fn claimed_subscriber(headers: &HeaderMap) -> Option<String> {
    headers
        .get(SUBSCRIBER_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|v| subscriber_key(v.trim()))
}

fn too_many(retry_after: u64) -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        [("retry-after", retry_after.to_string())],
    )
        .into_response()
}

async fn dispatch(s: &Arc<Shared>, sub: &str, tid: &str, pdu: &Pdu<'_>, body: &[u8]) -> Response {
    let (s, sub, tid) = (s.clone(), sub.to_string(), tid.to_string());
    match pdu.message_type {
        MessageType::SendReq => handle_send(&s, &sub, &tid, pdu, body).await,
        MessageType::NotifyRespInd | MessageType::AcknowledgeInd => {
            handle_ack(&s, &sub, &tid, pdu).await
        }
        MessageType::ReadRecInd => handle_read_rec(&s, &sub, pdu, body.len()).await,
        MessageType::ForwardReq => handle_forward(&s, &sub, &tid, pdu).await,
        MessageType::DeleteReq => handle_delete(&s, &sub, &tid, pdu),
        MessageType::CancelConf => {
            let status = pdu.headers.iter().find_map(|h| match h {
                Header::CancelStatus(c) => Some(c.label()),
                _ => None,
            });
            s.log(
                "cancel_confirmed",
                &sub,
                format!("{tid} {}", status.unwrap_or("no Cancel-Status")),
            );
            StatusCode::NO_CONTENT.into_response()
        }
        other => {
            s.log("unsupported_pdu", &sub, other.to_string());
            StatusCode::BAD_REQUEST.into_response()
        }
    }
}

/// M-Delete.req: drops the subscriber's pending copies named by Content-Location (the token
/// at the end of the location). Answered with M-Delete.conf: Ok when every one was found,
/// otherwise error-permanent-message-not-found.
fn handle_delete(s: &Arc<Shared>, sub: &str, tid: &str, pdu: &Pdu<'_>) -> Response {
    let locations: Vec<String> = pdu
        .headers
        .iter()
        .filter_map(|h| match h {
            Header::ContentLocation(c) => Some(c.uri.to_string()),
            _ => None,
        })
        .collect();
    let mut all = !locations.is_empty();
    for loc in &locations {
        let tok = loc
            .rsplit('/')
            .next()
            .unwrap_or("")
            .split('?')
            .next()
            .unwrap_or("");
        let removed = s.data.lock().ok().and_then(|mut d| {
            let t = d.tokens.get(tok).filter(|t| t.recipient == sub)?.clone();
            d.tokens.remove(tok);
            let key = (sub.to_string(), t.tid.clone());
            d.notified.remove(&key);
            d.pending.remove(&key);
            d.closed.insert(key);
            Some(t)
        });
        match removed {
            Some(t) => s.log("deleted", sub, format!("{} {loc}", t.message_id)),
            None => {
                all = false;
                s.log("delete_unknown", sub, loc.clone());
            }
        }
    }
    let status = if all {
        ResponseStatus::Ok
    } else {
        ResponseStatus::PermanentMessageNotFound
    };
    pdu_response(
        StatusCode::OK,
        &mms_codec::pdu::builder::delete_conf(tid, status),
    )
}

/// M-Forward.req: forwards a message the subscriber was notified of, without retrieving it,
/// to new recipients; answered with M-Forward.conf.
async fn handle_forward(s: &Arc<Shared>, sub: &str, tid: &str, pdu: &Pdu<'_>) -> Response {
    let conf = |status: ResponseStatus, mid: Option<&str>, text: Option<&str>| {
        let mut p = send_conf(tid, status, mid, text);
        p.message_type = MessageType::ForwardConf;
        pdu_response(StatusCode::OK, &p)
    };
    let location = pdu
        .content_location()
        .map(|l| l.into_owned())
        .unwrap_or_default();
    let tok = location
        .strip_prefix(&format!("{}/m/", s.base))
        .map(|t| t.split('?').next().unwrap_or(t).to_string());
    let original = tok.and_then(|t| {
        let d = s.data.lock().ok()?;
        let dt = d.tokens.get(&t)?;
        (dt.recipient == sub).then(|| d.messages.get(&dt.message_id).cloned())?
    });
    let Some(original) = original else {
        s.log(
            "forward_refused",
            sub,
            format!("{location}: not a message notified to this subscriber (MMSC-9)"),
        );
        return conf(
            ResponseStatus::PermanentMessageNotFound,
            None,
            Some("no such message"),
        );
    };
    let Ok(d) = Pdu::decode(&original.pdu) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut fwd = d.pdu;
    fwd.message_type = MessageType::SendReq;
    fwd.headers.retain(|h| {
        !matches!(
            h,
            Header::To(_)
                | Header::Cc(_)
                | Header::Bcc(_)
                | Header::TransactionId(_)
                | Header::DeliveryReport(_)
                | Header::ReadReport(_)
        )
    });
    let ftid = format!("fwd-{tid}");
    fwd.headers.insert(
        0,
        Header::TransactionId(mms_codec::pdu::Text::from(ftid.as_str())),
    );
    fwd.headers
        .extend(pdu.headers.iter().filter_map(|h| match h {
            Header::To(_)
            | Header::Cc(_)
            | Header::Bcc(_)
            | Header::DeliveryReport(_)
            | Header::ReadReport(_) => Some(h.clone()),
            _ => None,
        }));
    let Ok(raw) = fwd.encode() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    s.log("forwarded", sub, format!("from {location}"));
    match submit(s, sub, &ftid, &fwd, &raw).await {
        Submitted::Accepted(message_id) => conf(ResponseStatus::Ok, Some(&message_id), None),
        Submitted::Refused(status, text) => conf(status, None, Some(text)),
        Submitted::Repeated(prev) => match Pdu::decode(&prev) {
            Ok(a) => conf(
                a.pdu
                    .response_status()
                    .unwrap_or(ResponseStatus::PermanentFailure),
                a.pdu.message_id().map(|m| m.to_string()).as_deref(),
                None,
            ),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    }
}

/// The expiry and deferred-delivery delay of a submission, sanity-checked and clamped (MMSC-5):
/// (expiry seconds, delivery delay seconds).
fn clamp_times(s: &Shared, sub: &str, pdu: &Pdu<'_>) -> (u64, u64) {
    let max = s.cfg.max_expiry.as_secs().max(60);
    let t = now();
    let secs = |v: TimeValue| match v {
        TimeValue::Relative(r) => Some(r),
        TimeValue::Absolute(a) if a > t => Some(a - t),
        TimeValue::Absolute(_) => None,
    };
    let expiry = match pdu.expiry() {
        None => s.cfg.expiry_secs.min(max),
        Some(v) => match secs(v) {
            Some(e) if (60..=max).contains(&e) => e,
            other => {
                let e = other.unwrap_or(s.cfg.expiry_secs).clamp(60, max);
                s.log("expiry_clamped", sub, format!("{v:?} -> {e}s (MMSC-5)"));
                e
            }
        },
    };
    let requested = pdu.headers.iter().find_map(|h| match h {
        Header::DeliveryTime(v) => Some(*v),
        _ => None,
    });
    let delay = match requested {
        None => 0,
        Some(v) => match secs(v) {
            Some(d) if d < expiry.saturating_sub(60) => d,
            other => {
                // In the past: deliver now; at or after expiry: a minute before it.
                let d = other.map_or(0, |_| expiry.saturating_sub(60));
                s.log(
                    "delivery_time_clamped",
                    sub,
                    format!("{v:?} -> {d}s (MMSC-5)"),
                );
                d
            }
        },
    };
    (expiry, delay)
}

/// Each part's declared type against what its bytes are (MMSC-6).
fn check_parts(pdu: &Pdu<'_>) -> (Vec<(String, String)>, bool) {
    let mut parts = Vec::new();
    let mut mismatch = false;
    for part in pdu.parts() {
        let declared = part
            .content_type
            .media
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|| "application/octet-stream".into());
        let sniffed = match &part.data {
            mms_codec::pdu::BodyData::Single(b) => mms_decisions::content::sniff::sniff(b).media,
            mms_codec::pdu::BodyData::Multipart(_) => "multipart/mixed",
        };
        let media_declared = ["image/", "audio/", "video/"]
            .iter()
            .any(|p| declared.starts_with(p));
        let bad = if sniffed == "application/octet-stream" {
            media_declared
        } else if sniffed == "multipart/mixed" {
            !declared.starts_with("multipart/")
        } else {
            !mms_decisions::content::policy::compatible(&declared, sniffed)
        };
        mismatch |= bad;
        parts.push((declared, sniffed.to_string()));
    }
    (parts, mismatch)
}

/// What became of a submission (an M-Send.req, or an M-Forward.req rebuilt as one).
enum Submitted {
    /// Stored under this Message-ID, its recipients notified or scheduled.
    Accepted(String),
    /// Refused with this Response-Status and Response-Text.
    Refused(ResponseStatus, &'static str),
    /// A resubmission of a transaction already answered: that answer (an encoded M-Send.conf).
    Repeated(Vec<u8>),
}

/// M-Send.req: stores and notifies, answered with M-Send.conf.
async fn handle_send(s: &Arc<Shared>, sub: &str, tid: &str, pdu: &Pdu<'_>, raw: &[u8]) -> Response {
    let conf = match submit(s, sub, tid, pdu, raw).await {
        Submitted::Repeated(prev) => prev,
        Submitted::Refused(status, text) => {
            return pdu_response(StatusCode::OK, &send_conf(tid, status, None, Some(text)));
        }
        Submitted::Accepted(message_id) => {
            let conf = send_conf(tid, ResponseStatus::Ok, Some(&message_id), None);
            conf.encode().unwrap_or_default()
        }
    };
    (
        StatusCode::OK,
        [("content-type", "application/vnd.wap.mms-message")],
        conf,
    )
        .into_response()
}

/// Accepts a submission: checks it, stores the message with its charging record and pushes
/// (or schedules) a notification to every local recipient.
async fn submit(s: &Arc<Shared>, sub: &str, tid: &str, pdu: &Pdu<'_>, raw: &[u8]) -> Submitted {
    // A resubmission with the same transaction id gets the same answer: never stored twice.
    if let Some(prev) = s.data.lock().ok().and_then(|d| {
        d.send_confs
            .get(&(sub.to_string(), tid.to_string()))
            .cloned()
    }) {
        s.log("duplicate_submission", sub, tid.into());
        return Submitted::Repeated(prev);
    }
    if raw.len() > s.cfg.max_message_size {
        s.log(
            "message_too_large",
            sub,
            format!("{} > {} octets (MMSC-1)", raw.len(), s.cfg.max_message_size),
        );
        return Submitted::Refused(
            ResponseStatus::PermanentContentNotAccepted,
            "message too large",
        );
    }
    let recipients: Vec<String> = pdu
        .to()
        .chain(pdu.cc())
        .chain(pdu.bcc())
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if recipients.is_empty() {
        s.log("no_recipients", sub, tid.into());
        return Submitted::Refused(
            ResponseStatus::PermanentSendingAddressUnresolved,
            "no recipients",
        );
    }
    let (expiry, delay) = clamp_times(s, sub, pdu);
    let n = s.next.fetch_add(1, Ordering::Relaxed);
    let message_id = format!("M{n:06}-{}", token().get(..8).unwrap_or(""));
    let start_ms = now_ms();
    let stored = StoredMessage {
        from: sub.to_string(),
        recipients: recipients.iter().map(|r| s.resolve(r)).collect(),
        pdu: raw.to_vec(),
        delivery_report: pdu.delivery_report_requested(),
        read_report: pdu.read_report_requested(),
        read_reported: HashSet::new(),
        expires_ms: start_ms.saturating_add(expiry.saturating_mul(1000)),
    };
    let (parts, type_mismatch) = check_parts(pdu);
    let cdr = Cdr {
        event: "submitted".into(),
        message_id: message_id.clone(),
        from: sub.to_string(),
        recipients: stored.recipients.clone(),
        size: raw.len(),
        parts,
        type_mismatch,
    };
    if type_mismatch {
        s.log(
            "cdr_type_mismatch",
            sub,
            format!("{message_id}: {:?} (MMSC-6)", cdr.parts),
        );
    }
    let conf = send_conf(tid, ResponseStatus::Ok, Some(&message_id), None);
    let conf_bytes = conf.encode().unwrap_or_default();
    if let Ok(mut d) = s.data.lock() {
        d.messages.insert(message_id.clone(), stored.clone());
        d.send_confs
            .insert((sub.to_string(), tid.to_string()), conf_bytes.clone());
        push_bounded(&mut d.cdrs, cdr, s.cfg.log_capacity);
    }
    s.log(
        "send_accepted",
        sub,
        format!(
            "{message_id} to {} recipients, {} octets, expiry {expiry}s, delivery in {delay}s",
            recipients.len(),
            raw.len()
        ),
    );
    let subject = pdu.subject().map(|x| x.to_string_lossy().into_owned());
    for (i, r) in stored.recipients.iter().enumerate() {
        let known = s.data.lock().is_ok_and(|d| d.subscribers.contains_key(r));
        if !known {
            s.log("recipient_not_local", r, message_id.clone());
            continue;
        }
        let tok = token();
        let ntid = format!("N{n:06}x{i}");
        let fault = s.take_fault(FaultOn::Notify, Some(r));
        let location = match &fault {
            Some(Fault::ForeignLocation(l)) => l.clone(),
            _ => format!("{}/m/{tok}", s.base),
        };
        let notif = notification_ind(&Notification {
            transaction_id: &ntid,
            from: Some(&s.address_of(sub)),
            subject: subject.as_deref(),
            size: raw.len() as u64,
            expiry: match fault {
                Some(Fault::ExpiredNotification) => TimeValue::Absolute(now().saturating_sub(3600)),
                _ => TimeValue::Relative(expiry.saturating_sub(delay)),
            },
            content_location: &location,
            class: ClassToken::Personal,
            delivery_report: stored.delivery_report,
        });
        let pending = Pending {
            token: tok.clone(),
            location: location.clone(),
            notification: notif.encode().unwrap_or_default(),
            due_ms: start_ms.saturating_add(delay.saturating_mul(1000)),
            first_ms: None,
            pushes: 0,
            answered: false,
        };
        if let Ok(mut d) = s.data.lock() {
            d.tokens.insert(
                tok.clone(),
                DeliveryToken {
                    message_id: message_id.clone(),
                    recipient: r.clone(),
                    tid: ntid.clone(),
                },
            );
            d.notified.insert((r.clone(), ntid.clone()), tok.clone());
            d.pending.insert((r.clone(), ntid.clone()), pending);
        }
        if let Some(f) = &fault {
            s.log("fault_notification", r, format!("{ntid} {f:?}"));
        }
        if fault == Some(Fault::ReorderNotification) {
            if let Ok(mut d) = s.data.lock() {
                if let Some(p) = d.pending.get_mut(&(r.clone(), ntid.clone())) {
                    p.due_ms = u64::MAX;
                }
                d.held.entry(r.clone()).or_default().push(ntid.clone());
            }
        } else if delay == 0 {
            s.push_pending(r, &ntid).await;
            if fault == Some(Fault::DuplicateNotification) {
                let bytes = s.data.lock().ok().and_then(|d| {
                    d.pending
                        .get(&(r.clone(), ntid.clone()))
                        .map(|p| p.notification.clone())
                });
                if let Some(b) = bytes {
                    s.push_raw(r, &b).await;
                }
            }
            let held = s
                .data
                .lock()
                .ok()
                .and_then(|mut d| d.held.remove(r))
                .unwrap_or_default();
            for h in held {
                s.push_pending(r, &h).await;
            }
        } else {
            s.log("notification_scheduled", r, format!("{ntid} in {delay}s"));
        }
    }
    Submitted::Accepted(message_id)
}

async fn handle_ack(s: &Arc<Shared>, sub: &str, tid: &str, pdu: &Pdu<'_>) -> Response {
    let tok = s
        .data
        .lock()
        .ok()
        .and_then(|d| d.notified.get(&(sub.to_string(), tid.to_string())).cloned());
    let Some(tok) = tok else {
        if s.data
            .lock()
            .is_ok_and(|d| d.closed.contains(&(sub.to_string(), tid.to_string())))
        {
            // An acknowledgement repeated after a client crash: harmless, answered again.
            s.log("duplicate_ack", sub, tid.into());
            return StatusCode::NO_CONTENT.into_response();
        }
        s.log(
            "tid_mismatch",
            sub,
            format!(
                "{} for unknown transaction {tid} (MMSC-4)",
                pdu.message_type
            ),
        );
        return StatusCode::BAD_REQUEST.into_response();
    };
    let status = pdu.status();
    let closes = pdu.message_type == MessageType::AcknowledgeInd
        || matches!(
            status,
            Some(Status::Retrieved | Status::Rejected | Status::Unrecognised)
        );
    if !closes {
        if let Ok(mut d) = s.data.lock() {
            if let Some(p) = d.pending.get_mut(&(sub.to_string(), tid.to_string())) {
                p.answered = true;
            }
        }
        s.log("notification_deferred", sub, tid.into());
        return StatusCode::NO_CONTENT.into_response();
    }
    let delivery = s.data.lock().ok().and_then(|mut d| {
        d.notified.remove(&(sub.to_string(), tid.to_string()));
        d.pending.remove(&(sub.to_string(), tid.to_string()));
        d.closed.insert((sub.to_string(), tid.to_string()));
        let t = d.tokens.remove(&tok)?;
        let m = d.messages.get(&t.message_id)?.clone();
        Some((t, m))
    });
    s.log("transaction_closed", sub, format!("{tid} {status:?}"));
    if let Some((t, m)) = delivery {
        if m.delivery_report {
            let st = if status == Some(Status::Rejected) {
                Status::Rejected
            } else {
                Status::Retrieved
            };
            let report = delivery_ind(&t.message_id, &s.address_of(&t.recipient), st, now());
            let pushed = s.push_to(&m.from, &report).await;
            s.log(
                if pushed {
                    "delivery_report_pushed"
                } else {
                    "delivery_report_not_pushed"
                },
                &m.from,
                t.message_id.clone(),
            );
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn handle_read_rec(s: &Arc<Shared>, sub: &str, pdu: &Pdu<'_>, size: usize) -> Response {
    let Some(mid) = pdu.message_id().map(|m| m.to_string()) else {
        s.log("read_report_refused", sub, "no Message-ID (MMSC-7)".into());
        return StatusCode::BAD_REQUEST.into_response();
    };
    if size > 2048 {
        s.log(
            "read_report_refused",
            sub,
            format!("{size} octets (MMSC-7)"),
        );
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let decision = s
        .data
        .lock()
        .ok()
        .map(|mut d| match d.messages.get_mut(&mid) {
            None => Err("no such message"),
            Some(m) if !m.read_report => Err("no read report was requested"),
            Some(m) if !m.recipients.iter().any(|r| r == sub) => Err("not a recipient"),
            Some(m) => {
                if m.read_reported.insert(sub.to_string()) {
                    Ok(m.from.clone())
                } else {
                    Err("duplicate")
                }
            }
        });
    match decision {
        Some(Ok(originator)) => {
            let status = pdu.read_status().unwrap_or(ReadStatus::Read);
            // Routed to the stored originator, never to the report's own To.
            let report = read_orig(
                &mid,
                &s.address_of(&originator),
                &s.address_of(sub),
                status,
                now(),
            );
            let pushed = s.push_to(&originator, &report).await;
            s.log(
                if pushed {
                    "read_report_forwarded"
                } else {
                    "read_report_not_pushed"
                },
                &originator,
                mid,
            );
            StatusCode::NO_CONTENT.into_response()
        }
        Some(Err(why)) => {
            s.log("read_report_refused", sub, format!("{mid}: {why} (MMSC-7)"));
            StatusCode::BAD_REQUEST.into_response()
        }
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn retrieve(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(tok): Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    if let Some(refused) = check_client_headers(&s, &headers) {
        return refused;
    }
    let claimed = claimed_subscriber(&headers);
    let fault = s.take_fault(FaultOn::Get, claimed.as_deref());
    let resp = retrieve_inner(&s, &headers, tok, query, fault.clone()).await;
    late_fault(&s, fault.as_ref(), resp).await
}

/// The User-Agent and UAProf a carrier may insist on.
fn check_client_headers(s: &Shared, headers: &HeaderMap) -> Option<Response> {
    let ua = headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Some(want) = &s.cfg.required_user_agent {
        if !ua.contains(want.as_str()) {
            s.log("missing_user_agent", "", format!("got {ua:?}"));
            return Some(StatusCode::FORBIDDEN.into_response());
        }
    }
    if s.cfg.require_uaprof
        && !["x-wap-profile", "profile", "x-wap-profile-diff"]
            .iter()
            .any(|h| headers.contains_key(*h))
    {
        s.log("missing_uaprof", "", String::new());
        return Some(StatusCode::FORBIDDEN.into_response());
    }
    None
}

async fn retrieve_inner(
    s: &Arc<Shared>,
    headers: &HeaderMap,
    tok: String,
    query: Option<String>,
    fault: Option<Fault>,
) -> Response {
    let s = s.clone();
    if let Some(f) = &fault {
        if let Some(r) = generic_fault(&s, f).await {
            return r;
        }
    }
    let Some(sub) = s.subscriber(headers) else {
        s.log("unknown_subscriber", "", "retrieve refused (MMSC-8)".into());
        return StatusCode::FORBIDDEN.into_response();
    };
    let found = s.data.lock().ok().and_then(|d| {
        let t = d.tokens.get(&tok)?.clone();
        let m = d.messages.get(&t.message_id)?.clone();
        Some((t, m))
    });
    let Some((t, m)) = found else {
        s.log("retrieve_unknown_token", &sub, tok);
        return StatusCode::NOT_FOUND.into_response();
    };
    if s.cfg.quirks.require_tid_in_url && query.as_deref() != Some(t.tid.as_str()) {
        s.log(
            "quirk_tid_missing_from_url",
            &sub,
            format!("wanted ?{}, got {query:?}", t.tid),
        );
        return StatusCode::NOT_FOUND.into_response();
    }
    if t.recipient != sub {
        s.log(
            "retrieve_wrong_recipient",
            &sub,
            format!("token of {} (MMSC-9)", t.recipient),
        );
        return StatusCode::NOT_FOUND.into_response();
    }
    let Ok(d) = Pdu::decode(&m.pdu) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut p = d.pdu;
    p.message_type = MessageType::RetrieveConf;
    p.headers.retain(|h| {
        !matches!(
            h,
            Header::Bcc(_) | Header::From(_) | Header::TransactionId(_) | Header::Expiry(_)
        )
    });
    p.headers.insert(
        0,
        Header::TransactionId(mms_codec::pdu::Text::from(t.tid.as_str())),
    );
    p.headers.push(Header::MessageId(mms_codec::pdu::Text::from(
        t.message_id.as_str(),
    )));
    p.headers.push(Header::From(FromValue::Address(
        mms_codec::pdu::builder::encoded_text(&s.encoded_address_of(&m.from)),
    )));
    p.headers
        .push(Header::RetrieveStatus(mms_codec::pdu::RetrieveStatus::Ok));
    if let Some(Fault::RetrieveStatus(st)) = fault {
        let mut e = Pdu::new(MessageType::RetrieveConf);
        e.headers
            .push(Header::MmsVersion(mms_codec::pdu::Version::V1_2));
        e.headers.push(Header::RetrieveStatus(st));
        e.body = Some(mms_codec::pdu::Body {
            content_type: mms_codec::pdu::ContentType::named("text/plain"),
            data: mms_codec::pdu::BodyData::Single(std::borrow::Cow::Borrowed(
                b"Message not found",
            )),
        });
        return pdu_response(StatusCode::OK, &e);
    }
    s.log("retrieved", &sub, t.message_id.clone());
    if let Ok(mut d) = s.data.lock() {
        // Retrieval counts as an answer: no more re-notification.
        if let Some(p) = d.pending.get_mut(&(sub.clone(), t.tid.clone())) {
            p.answered = true;
        }
        let cdr = Cdr {
            event: "retrieved".into(),
            message_id: t.message_id.clone(),
            from: m.from.clone(),
            recipients: vec![sub.clone()],
            size: m.pdu.len(),
            parts: Vec::new(),
            type_mismatch: false,
        };
        push_bounded(&mut d.cdrs, cdr, s.cfg.log_capacity);
    }
    if let Some(Fault::Oversized(n)) = fault {
        let mut b = p.encode().unwrap_or_default();
        b.extend(std::iter::repeat_n(0u8, n));
        return (
            StatusCode::OK,
            [("content-type", "application/vnd.wap.mms-message")],
            b,
        )
            .into_response();
    }
    pdu_response(StatusCode::OK, &p)
}

/// A subscriber registration through the admin API.
#[derive(Debug, Clone, serde::Deserialize)]
struct AdminSubscriber {
    msisdn: String,
    push: Option<SocketAddr>,
    /// Pushes go as SMS-DELIVER TPDUs to `push`.
    #[serde(default)]
    sms: bool,
}

async fn admin_register(
    State(s): State<Arc<Shared>>,
    axum::Json(a): axum::Json<AdminSubscriber>,
) -> StatusCode {
    s.register(&a.msisdn, a.push);
    if a.sms && a.push.is_some() {
        if let Ok(mut d) = s.data.lock() {
            d.sms_bearer.insert(subscriber_key(&a.msisdn));
        }
    }
    StatusCode::NO_CONTENT
}

async fn admin_fault(
    State(s): State<Arc<Shared>>,
    axum::Json(f): axum::Json<FaultRule>,
) -> StatusCode {
    if let Ok(mut d) = s.data.lock() {
        d.faults.push(f);
    }
    StatusCode::NO_CONTENT
}

async fn admin_log(State(s): State<Arc<Shared>>) -> axum::Json<Vec<LogEntry>> {
    axum::Json(
        s.data
            .lock()
            .map(|d| d.log.iter().cloned().collect())
            .unwrap_or_default(),
    )
}

async fn admin_cdrs(State(s): State<Arc<Shared>>) -> axum::Json<Vec<Cdr>> {
    axum::Json(
        s.data
            .lock()
            .map(|d| d.cdrs.iter().cloned().collect())
            .unwrap_or_default(),
    )
}

impl Shared {
    fn register(&self, msisdn: &str, push_udp: Option<SocketAddr>) {
        if let Ok(mut d) = self.data.lock() {
            d.subscribers.insert(subscriber_key(msisdn), push_udp);
            let shown = msisdn.split("/TYPE=").next().unwrap_or(msisdn).trim();
            d.msisdns.insert(subscriber_key(msisdn), shown.to_string());
        }
        self.log(
            "subscriber_registered",
            &subscriber_key(msisdn),
            push_udp.map(|a| a.to_string()).unwrap_or_default(),
        );
    }
}

impl MockMmsc {
    /// Starts the server.
    pub async fn start(cfg: MockConfig) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(cfg.bind).await?;
        let addr = listener.local_addr()?;
        let udp = UdpSocket::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let pki = if cfg.tls {
            Some(tls::generate(&["localhost", "127.0.0.1"]).map_err(std::io::Error::other)?)
        } else {
            None
        };
        let base = match &cfg.public_base {
            Some(b) => b.trim_end_matches('/').to_string(),
            None if cfg.tls => format!("https://localhost:{}{}", addr.port(), cfg.prefix),
            None => format!("http://{addr}{}", cfg.prefix),
        };
        let shared = Arc::new(Shared {
            front_token: token(),
            cfg: cfg.clone(),
            ca_pem: pki.as_ref().map(|p| p.ca_pem.clone()),
            base,
            data: Mutex::new(Data::default()),
            udp,
            next: AtomicU64::new(1),
        });
        let app = Router::new()
            .route(&cfg.prefix, post(mm1_post))
            .route(
                &format!("{}/m/{{token}}", cfg.prefix),
                get(retrieve).post(mm1_post),
            )
            .route("/_admin/subscribers", post(admin_register))
            .route("/_admin/faults", post(admin_fault))
            .route("/_admin/log", get(admin_log))
            .route("/_admin/cdrs", get(admin_cdrs))
            .route("/_admin/cancel/{message_id}", post(admin_cancel))
            .layer(DefaultBodyLimit::max(cfg.max_body))
            .with_state(shared.clone());
        let task = match pki {
            None => tokio::spawn(async move {
                let _ = axum::serve(
                    listener,
                    app.into_make_service_with_connect_info::<SocketAddr>(),
                )
                .await;
            }),
            Some(pki) => {
                let acceptor = tokio_rustls::TlsAcceptor::from(pki.server);
                tokio::spawn(async move {
                    while let Ok((tcp, peer)) = listener.accept().await {
                        let acceptor = acceptor.clone();
                        let app = app.clone();
                        tokio::spawn(async move {
                            let Ok(stream) = acceptor.accept(tcp).await else {
                                return;
                            };
                            let svc = hyper::service::service_fn(
                                move |mut req: hyper::Request<hyper::body::Incoming>| {
                                    req.extensions_mut()
                                        .insert(axum::extract::ConnectInfo(peer));
                                    tower::ServiceExt::oneshot(app.clone(), req)
                                },
                            );
                            let _ = hyper_util::server::conn::auto::Builder::new(
                                hyper_util::rt::TokioExecutor::new(),
                            )
                            .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                            .await;
                        });
                    }
                })
            }
        };
        let proxy = if cfg.proxy_front {
            Some(
                proxy::start(
                    SocketAddr::from(([127, 0, 0, 1], 0)),
                    addr,
                    shared.front_token.clone(),
                )
                .await?,
            )
        } else {
            None
        };
        let weak = Arc::downgrade(&shared);
        let period = cfg.sweep.max(Duration::from_millis(10));
        let sweeper = tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(s) = weak.upgrade() else { return };
                s.sweep().await;
            }
        });
        Ok(Self {
            shared,
            addr,
            task,
            proxy,
            sweeper,
        })
    }

    /// The test CA's certificate (PEM) when serving HTTPS: give it to clients as an operator
    /// trust anchor.
    pub fn ca_pem(&self) -> Option<String> {
        self.shared.ca_pem.clone()
    }

    /// The proxy front's address (`host:port` for a client profile's proxy), when started.
    pub fn proxy_addr(&self) -> Option<SocketAddr> {
        self.proxy.as_ref().map(|p| p.0)
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The MMSC URL clients use.
    pub fn url(&self) -> String {
        self.shared.base.clone()
    }

    /// Registers a subscriber by number, with the UDP address its pushes go to.
    pub fn register(&self, msisdn: &str, push_udp: Option<SocketAddr>) {
        self.shared.register(msisdn, push_udp);
    }

    /// The charging records (MMSC-6), oldest first (the newest `log_capacity`).
    pub fn cdrs(&self) -> Vec<Cdr> {
        self.shared
            .data
            .lock()
            .map(|d| d.cdrs.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Open notified transactions (waiting for NotifyResp/Acknowledge).
    pub fn open_transactions(&self) -> usize {
        self.shared
            .data
            .lock()
            .map(|d| d.notified.len())
            .unwrap_or(0)
    }

    /// Runs one sweeper pass now (timeouts, expiry, due notifications).
    pub async fn sweep_now(&self) {
        self.shared.sweep().await;
    }

    /// The decision log, oldest first (the newest `log_capacity` entries).
    pub fn log(&self) -> Vec<LogEntry> {
        self.shared
            .data
            .lock()
            .map(|d| d.log.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Log entries of one kind.
    pub fn log_of(&self, event: &str) -> Vec<LogEntry> {
        self.shared
            .data
            .lock()
            .map(|d| d.log.iter().filter(|e| e.event == event).cloned().collect())
            .unwrap_or_default()
    }

    /// Queues a fault for the next request of a kind (faults are consumed in order).
    pub fn inject(&self, on: FaultOn, fault: Fault) {
        if let Ok(mut d) = self.shared.data.lock() {
            d.faults.push(FaultRule {
                on,
                fault,
                subscriber: None,
                times: 1,
            });
        }
    }

    /// Adds a fault switch: per request (`times: 1`), per subscriber, or for every request
    /// until [`MockMmsc::clear_faults`] (`times: 0`).
    pub fn inject_rule(&self, rule: FaultRule) {
        if let Ok(mut d) = self.shared.data.lock() {
            d.faults.push(rule);
        }
    }

    /// Removes every fault switch.
    pub fn clear_faults(&self) {
        if let Ok(mut d) = self.shared.data.lock() {
            d.faults.clear();
        }
    }

    /// Registers a subscriber whose pushes arrive as SMS-DELIVER TPDUs (with an SMSC address,
    /// one UDP datagram per TPDU, concatenated with a UDH when long) from
    /// [`MockConfig::sms_origin`]: the client's SMS bearer, exercised over a socket.
    pub fn register_sms(&self, msisdn: &str, tpdu_udp: SocketAddr) {
        self.shared.register(msisdn, Some(tpdu_udp));
        if let Ok(mut d) = self.shared.data.lock() {
            d.sms_bearer.insert(subscriber_key(msisdn));
        }
    }

    /// Pushes any MMS PDU to a subscriber now (delivery or read reports for messages that do
    /// not exist, stale notifications...); true when it was sent.
    pub async fn push_pdu(&self, subscriber: &str, pdu: &Pdu<'_>) -> bool {
        self.shared.push_to(&subscriber_key(subscriber), pdu).await
    }

    /// Messages stored.
    pub fn message_count(&self) -> usize {
        self.shared
            .data
            .lock()
            .map(|d| d.messages.len())
            .unwrap_or(0)
    }
}

impl MockMmsc {
    /// Withdraws a stored message (as when a VASP cancels it): every recipient that has not
    /// retrieved it loses its pending copy and gets an M-Cancel.req naming the Content-Location
    /// it was notified with; recipients that have it get one naming the Message-ID. Returns how
    /// many M-Cancel.req were pushed.
    pub async fn cancel(&self, message_id: &str) -> usize {
        cancel_message(&self.shared, message_id).await
    }
}

async fn cancel_message(s: &Arc<Shared>, message_id: &str) -> usize {
    let targets = s.data.lock().ok().map(|mut d| {
        let Some(m) = d.messages.remove(message_id) else {
            return (Vec::new(), Vec::new());
        };
        let pending: Vec<(String, DeliveryToken)> = d
            .tokens
            .iter()
            .filter(|(_, t)| t.message_id == message_id)
            .map(|(k, t)| (k.clone(), t.clone()))
            .collect();
        let mut out = Vec::new();
        for (tok, t) in &pending {
            d.tokens.remove(tok);
            let key = (t.recipient.clone(), t.tid.clone());
            d.notified.remove(&key);
            let loc = d
                .pending
                .remove(&key)
                .map(|p| p.location)
                .unwrap_or_else(|| format!("{}/m/{tok}", s.base));
            out.push((t.recipient.clone(), loc));
        }
        (out, m.recipients)
    });
    let (mut targets, recipients) = targets.unwrap_or_default();
    for r in &recipients {
        let key = s.resolve(r);
        if !targets.iter().any(|(who, _)| *who == key) {
            targets.push((key, message_id.to_string()));
        }
    }
    let mut n = 0;
    for (who, cancel_id) in targets {
        let tid = format!("c{}", s.next.fetch_add(1, Ordering::Relaxed));
        let pushed = s
            .push_to(&who, &mms_codec::pdu::builder::cancel_req(&tid, &cancel_id))
            .await;
        s.log(
            if pushed {
                "cancel_pushed"
            } else {
                "cancel_not_pushed"
            },
            &who,
            format!("{tid} {cancel_id}"),
        );
        n += usize::from(pushed);
    }
    n
}

async fn admin_cancel(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(mid): axum::extract::Path<String>,
) -> axum::Json<usize> {
    axum::Json(cancel_message(&s, &mid).await)
}

impl Drop for MockMmsc {
    fn drop(&mut self) {
        self.task.abort();
        self.sweeper.abort();
        if let Some((_, t)) = &self.proxy {
            t.abort();
        }
    }
}
