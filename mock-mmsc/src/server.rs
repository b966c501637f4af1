//! Starting and stopping the mock MMSC ([`MockMmsc`]): the HTTP(S) listener with its routes,
//! the optional proxy front, the sweeper; and the handle's API for tests.

use crate::admin;
use crate::config::MockConfig;
use crate::fault::{Fault, FaultOn, FaultRule};
use crate::mm1;
use crate::notify::cancel_message;
use crate::state::{Cdr, Data, LogEntry, Shared, token};
use crate::{proxy, tls};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use mms_codec::pdu::Pdu;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::UdpSocket;

/// A running mock MMSC.
pub struct MockMmsc {
    shared: Arc<Shared>,
    addr: SocketAddr,
    admin: (SocketAddr, String, tokio::task::JoinHandle<()>),
    task: tokio::task::JoinHandle<()>,
    proxy: Option<(SocketAddr, tokio::task::JoinHandle<()>)>,
    sweeper: tokio::task::JoinHandle<()>,
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
            numbers: mms_decisions::numbers::NumberPlan::new(Some(&cfg.home_region)),
        });
        let app = Router::new()
            .route(&cfg.prefix, post(mm1::mm1_post))
            .route(
                &format!("{}/m/{{token}}", cfg.prefix),
                get(mm1::retrieve).post(mm1::mm1_post),
            )
            .layer(DefaultBodyLimit::max(cfg.max_body))
            .with_state(shared.clone());
        let admin_token = cfg.admin_token.clone().unwrap_or_else(token);
        let (admin_addr, admin_task) =
            admin::serve(cfg.admin_bind, shared.clone(), &admin_token).await?;
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
                    Arc::downgrade(&shared),
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
            admin: (admin_addr, admin_token, admin_task),
            task,
            proxy,
            sweeper,
        })
    }

    /// The proxy front now knows `msisdn` behind client address `ip` (a data session): it
    /// asserts that identity on that address's plain HTTP requests (MMSC-8). `None` forgets
    /// the address.
    pub fn attach(&self, ip: std::net::IpAddr, msisdn: Option<&str>) {
        if let Ok(mut d) = self.shared.data.lock() {
            match msisdn {
                Some(m) => {
                    let key = self.shared.key(m);
                    d.attached.insert(ip, key);
                }
                None => {
                    d.attached.remove(&ip);
                }
            }
        }
    }

    /// The admin API's base URL (`http://127.0.0.1:PORT/_admin`), on its own listener.
    pub fn admin_url(&self) -> String {
        format!("http://{}/_admin", self.admin.0)
    }

    /// The admin API's bearer token: requests carry `Authorization: Bearer TOKEN`.
    pub fn admin_token(&self) -> String {
        self.admin.1.clone()
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
            d.sms_bearer.insert(self.shared.key(msisdn));
        }
    }

    /// Pushes any MMS PDU to a subscriber now (delivery or read reports for messages that do
    /// not exist, stale notifications...); true when it was sent.
    pub async fn push_pdu(&self, subscriber: &str, pdu: &Pdu<'_>) -> bool {
        self.shared.push_to(&self.shared.key(subscriber), pdu).await
    }

    /// Messages stored.
    pub fn message_count(&self) -> usize {
        self.shared
            .data
            .lock()
            .map(|d| d.messages.len())
            .unwrap_or(0)
    }

    /// Withdraws a stored message (as when a VASP cancels it): every recipient that has not
    /// retrieved it loses its pending copy and gets an M-Cancel.req naming the Content-Location
    /// it was notified with; recipients that have it get one naming the Message-ID. Returns how
    /// many M-Cancel.req were pushed.
    pub async fn cancel(&self, message_id: &str) -> usize {
        cancel_message(&self.shared, message_id).await
    }
}

impl Drop for MockMmsc {
    fn drop(&mut self) {
        self.task.abort();
        self.admin.2.abort();
        self.sweeper.abort();
        if let Some((_, t)) = &self.proxy {
            t.abort();
        }
    }
}
