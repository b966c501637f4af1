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
//! identified by a header and must be registered (MMSC-8). Every decision is logged.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use mms_core::pdu::builder::{Notification, delivery_ind, notification_ind, read_orig, send_conf};
use mms_core::pdu::{
    ClassToken, FromValue, Header, MessageType, Pdu, ReadStatus, ResponseStatus, Status, TimeValue,
};
use mms_core::push::encode_mms_push;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::UdpSocket;

pub mod proxy;
pub mod tls;

/// Header carrying the subscriber identity (set by the operator's proxy in a real network).
pub const SUBSCRIBER_HEADER: &str = "x-mms-subscriber";

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
#[derive(Debug, Clone, PartialEq, Eq)]
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
    RetrieveStatus(mms_core::pdu::RetrieveStatus),
}

/// Which requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultOn {
    /// POSTs to the MM1 endpoint.
    Post,
    /// GETs of content locations.
    Get,
}

#[derive(Debug, Clone)]
struct StoredMessage {
    from: String,
    recipients: Vec<String>,
    pdu: Vec<u8>,
    delivery_report: bool,
    read_report: bool,
    read_reported: HashSet<String>,
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
    messages: HashMap<String, StoredMessage>,
    send_confs: HashMap<(String, String), Vec<u8>>,
    tokens: HashMap<String, DeliveryToken>,
    notified: HashMap<(String, String), String>,
    closed: HashSet<(String, String)>,
    log: Vec<LogEntry>,
    faults: Vec<(FaultOn, Fault)>,
}

struct Shared {
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
}

/// The key a subscriber is known by: the last nine digits of a number, or a lowercased e-mail.
pub fn subscriber_key(a: &str) -> String {
    mms_core::engine::reports::address_key(a)
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
                .find(|k| mms_core::engine::reports::same_address(k, addr))
                .cloned()
        });
        found.unwrap_or_else(|| subscriber_key(addr))
    }

    fn log(&self, event: &str, subscriber: &str, detail: String) {
        tracing::info!(event, subscriber, %detail, "mmsc");
        if let Ok(mut d) = self.data.lock() {
            d.log.push(LogEntry {
                event: event.into(),
                subscriber: subscriber.into(),
                detail,
            });
        }
    }

    fn subscriber(&self, headers: &HeaderMap) -> Option<String> {
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
        let addr = self
            .data
            .lock()
            .ok()
            .and_then(|d| d.subscribers.get(subscriber).copied().flatten());
        let Some(addr) = addr else { return false };
        let Ok(body) = pdu.encode() else { return false };
        let datagram = encode_mms_push(
            (self.next.fetch_add(1, Ordering::Relaxed) & 0xff) as u8,
            &body,
        );
        self.udp.send_to(&datagram, addr).await.is_ok()
    }
}

impl Shared {
    fn take_fault(&self, on: FaultOn) -> Option<Fault> {
        let mut d = self.data.lock().ok()?;
        let i = d.faults.iter().position(|(o, _)| *o == on)?;
        Some(d.faults.remove(i).1)
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

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

async fn mm1_post(
    State(s): State<Arc<Shared>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(a) = uri.authority() {
        s.log("via_proxy", "", format!("absolute-form request for {a}"));
    }
    let fault = s.take_fault(FaultOn::Post);
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
    match (pdu.message_type, fault) {
        (MessageType::SendReq, Some(Fault::SendStatus(st, text))) => {
            s.log("fault_send_status", &sub, st.to_string());
            pdu_response(StatusCode::OK, &send_conf(&tid, st, None, text.as_deref()))
        }
        (MessageType::SendReq, Some(Fault::NoMessageId)) => pdu_response(
            StatusCode::OK,
            &send_conf(&tid, ResponseStatus::Ok, None, None),
        ),
        _ => dispatch(&s, &sub, &tid, &pdu, &body).await,
    }
}

async fn dispatch(s: &Arc<Shared>, sub: &str, tid: &str, pdu: &Pdu<'_>, body: &[u8]) -> Response {
    let (s, sub, tid) = (s.clone(), sub.to_string(), tid.to_string());
    match pdu.message_type {
        MessageType::SendReq => handle_send(&s, &sub, &tid, pdu, body).await,
        MessageType::NotifyRespInd | MessageType::AcknowledgeInd => {
            handle_ack(&s, &sub, &tid, pdu).await
        }
        MessageType::ReadRecInd => handle_read_rec(&s, &sub, pdu, body.len()).await,
        other => {
            s.log("unsupported_pdu", &sub, other.to_string());
            StatusCode::BAD_REQUEST.into_response()
        }
    }
}

async fn handle_send(s: &Arc<Shared>, sub: &str, tid: &str, pdu: &Pdu<'_>, raw: &[u8]) -> Response {
    // A resubmission with the same transaction id gets the same answer: never stored twice.
    if let Some(prev) = s.data.lock().ok().and_then(|d| {
        d.send_confs
            .get(&(sub.to_string(), tid.to_string()))
            .cloned()
    }) {
        s.log("duplicate_submission", sub, tid.into());
        return (
            StatusCode::OK,
            [("content-type", "application/vnd.wap.mms-message")],
            prev,
        )
            .into_response();
    }
    let recipients: Vec<String> = pdu
        .to()
        .chain(pdu.cc())
        .chain(pdu.bcc())
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let n = s.next.fetch_add(1, Ordering::Relaxed);
    let message_id = format!("M{n:06}-{}", token().get(..8).unwrap_or(""));
    let stored = StoredMessage {
        from: sub.to_string(),
        recipients: recipients.iter().map(|r| s.resolve(r)).collect(),
        pdu: raw.to_vec(),
        delivery_report: pdu.delivery_report_requested(),
        read_report: pdu.read_report_requested(),
        read_reported: HashSet::new(),
    };
    let conf = send_conf(tid, ResponseStatus::Ok, Some(&message_id), None);
    let conf_bytes = conf.encode().unwrap_or_default();
    if let Ok(mut d) = s.data.lock() {
        d.messages.insert(message_id.clone(), stored.clone());
        d.send_confs
            .insert((sub.to_string(), tid.to_string()), conf_bytes.clone());
    }
    s.log(
        "send_accepted",
        sub,
        format!(
            "{message_id} to {} recipients, {} octets",
            recipients.len(),
            raw.len()
        ),
    );
    let subject = pdu.subject().map(|x| x.to_string_lossy().into_owned());
    for (i, r) in stored.recipients.iter().enumerate() {
        let known = s.data.lock().is_ok_and(|d| d.subscribers.contains_key(r));
        if !known {
            continue;
        }
        let tok = token();
        let ntid = format!("N{n:06}x{i}");
        let location = format!("{}/m/{tok}", s.base);
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
        }
        let notif = notification_ind(&Notification {
            transaction_id: &ntid,
            from: Some(&format!("+{sub}")),
            subject: subject.as_deref(),
            size: raw.len() as u64,
            expiry: TimeValue::Relative(s.cfg.expiry_secs),
            content_location: &location,
            class: ClassToken::Personal,
            delivery_report: stored.delivery_report,
        });
        let pushed = s.push_to(r, &notif).await;
        s.log(
            if pushed {
                "notification_pushed"
            } else {
                "notification_not_pushed"
            },
            r,
            format!("{ntid} {location}"),
        );
    }
    (
        StatusCode::OK,
        [("content-type", "application/vnd.wap.mms-message")],
        conf_bytes,
    )
        .into_response()
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
        s.log("notification_deferred", sub, tid.into());
        return StatusCode::NO_CONTENT.into_response();
    }
    let delivery = s.data.lock().ok().and_then(|mut d| {
        d.notified.remove(&(sub.to_string(), tid.to_string()));
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
            let report = delivery_ind(&t.message_id, &format!("+{}", t.recipient), st, now());
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
                &format!("+{originator}"),
                &format!("+{sub}"),
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
) -> Response {
    let fault = s.take_fault(FaultOn::Get);
    if let Some(f) = &fault {
        if let Some(r) = generic_fault(&s, f).await {
            return r;
        }
    }
    let Some(sub) = s.subscriber(&headers) else {
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
        Header::TransactionId(mms_core::pdu::Text::from(t.tid.as_str())),
    );
    p.headers.push(Header::MessageId(mms_core::pdu::Text::from(
        t.message_id.as_str(),
    )));
    p.headers.push(Header::From(FromValue::Address(
        mms_core::pdu::builder::encoded_text(&format!("+{}/TYPE=PLMN", m.from)),
    )));
    p.headers
        .push(Header::RetrieveStatus(mms_core::pdu::RetrieveStatus::Ok));
    if let Some(Fault::RetrieveStatus(st)) = fault {
        let mut e = Pdu::new(MessageType::RetrieveConf);
        e.headers
            .push(Header::MmsVersion(mms_core::pdu::Version::V1_2));
        e.headers.push(Header::RetrieveStatus(st));
        e.body = Some(mms_core::pdu::Body {
            content_type: mms_core::pdu::ContentType::named("text/plain"),
            data: mms_core::pdu::BodyData::Single(std::borrow::Cow::Borrowed(b"Message not found")),
        });
        return pdu_response(StatusCode::OK, &e);
    }
    s.log("retrieved", &sub, t.message_id.clone());
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
            cfg: cfg.clone(),
            ca_pem: pki.as_ref().map(|p| p.ca_pem.clone()),
            base,
            data: Mutex::new(Data::default()),
            udp,
            next: AtomicU64::new(1),
        });
        let app = Router::new()
            .route(&cfg.prefix, post(mm1_post))
            .route(&format!("{}/m/{{token}}", cfg.prefix), get(retrieve))
            .layer(DefaultBodyLimit::max(cfg.max_body))
            .with_state(shared.clone());
        let task = match pki {
            None => tokio::spawn(async move {
                let _ = axum::serve(listener, app).await;
            }),
            Some(pki) => {
                let acceptor = tokio_rustls::TlsAcceptor::from(pki.server);
                tokio::spawn(async move {
                    while let Ok((tcp, _)) = listener.accept().await {
                        let acceptor = acceptor.clone();
                        let app = app.clone();
                        tokio::spawn(async move {
                            let Ok(stream) = acceptor.accept(tcp).await else {
                                return;
                            };
                            let svc = hyper::service::service_fn(
                                move |req: hyper::Request<hyper::body::Incoming>| {
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
            Some(proxy::start(SocketAddr::from(([127, 0, 0, 1], 0)), addr).await?)
        } else {
            None
        };
        Ok(Self {
            shared,
            addr,
            task,
            proxy,
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
        if let Ok(mut d) = self.shared.data.lock() {
            d.subscribers.insert(subscriber_key(msisdn), push_udp);
        }
    }

    /// The decision log.
    pub fn log(&self) -> Vec<LogEntry> {
        self.shared
            .data
            .lock()
            .map(|d| d.log.clone())
            .unwrap_or_default()
    }

    /// Log entries of one kind.
    pub fn log_of(&self, event: &str) -> Vec<LogEntry> {
        self.log()
            .into_iter()
            .filter(|e| e.event == event)
            .collect()
    }

    /// Queues a fault for the next request of a kind (faults are consumed in order).
    pub fn inject(&self, on: FaultOn, fault: Fault) {
        if let Ok(mut d) = self.shared.data.lock() {
            d.faults.push((on, fault));
        }
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

impl Drop for MockMmsc {
    fn drop(&mut self) {
        self.task.abort();
        if let Some((_, t)) = &self.proxy {
            t.abort();
        }
    }
}
