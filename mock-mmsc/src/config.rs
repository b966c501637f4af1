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
    /// Address of the admin API's own listener (port 0 picks one). It is never served on the
    /// subscribers' port: a subscriber cannot register itself, read the charging records or
    /// inject faults for others.
    pub admin_bind: SocketAddr,
    /// The admin API's bearer token (`Authorization: Bearer TOKEN`); `None` draws a random one
    /// per run ([`crate::MockMmsc::admin_token`]).
    pub admin_token: Option<String>,
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
    /// The home region (ISO 3166-1 alpha-2) numbers written in national form are read in;
    /// subscribers are keyed by their number in E.164.
    pub home_region: String,
    /// Octets of messages one sender may have waiting for retrieval at once (MMSC-1): past
    /// it, submissions are refused as transient (`error-transient-network-problem`, "storage
    /// quota reached") until recipients fetch or messages expire.
    pub quota_per_subscriber: usize,
    /// Octets of messages waiting for retrieval in all (MMSC-1), likewise.
    pub max_held: usize,
    /// Refuse a submission whose sender asks to be hidden (`X-Mms-Sender-Visibility: Hide`)
    /// with `error-permanent-service-denied`, instead of delivering it without the sender.
    pub refuse_hidden_sender: bool,
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
            admin_bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            admin_token: None,
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
            home_region: "US".into(),
            quota_per_subscriber: 8 * 1024 * 1024,
            max_held: 64 * 1024 * 1024,
            refuse_hidden_sender: false,
        }
    }
}
