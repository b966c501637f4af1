//! The mock MMSC's configuration: where it listens, its limits (MMSC-1, MMSC-2, MMSC-3,
//! MMSC-5), how it identifies subscribers (MMSC-8), carrier quirks to imitate, and the bounds
//! of its logs.

use std::net::SocketAddr;
use std::time::Duration;

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
