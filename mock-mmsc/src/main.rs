//! `mock-mmsc`: run the mock MMSC standalone (for the Kotlin tests, UI tests and manual work).
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A careful MMS Relay/Server on loopback for tests, demos and UI tests.
///
/// Prints where it listens (first line), the admin API's URL and token (second line: `admin API
/// on http://127.0.0.1:PORT/_admin token TOKEN`) and the proxy front, when started. The admin
/// API has its own loopback listener and wants `Authorization: Bearer TOKEN`: subscribers are
/// registered at run time with POST /_admin/subscribers {"msisdn": "+1555...", "push":
/// "127.0.0.1:PORT"}; faults queued with POST /_admin/faults {"on": "post"|"get", "fault":
/// {"Http": [503, 5]} | "Garbage" | {"Stall": 2000} | ...}; the decision log and charging
/// records read with GET /_admin/log and GET /_admin/cdrs.
#[derive(Parser, Debug)]
#[command(name = "mock-mmsc", version)]
struct Args {
    /// Address to listen on (port 0 picks a free port, printed at start).
    #[arg(long, default_value = "127.0.0.1:0")]
    bind: SocketAddr,
    /// Path prefix of the MM1 endpoint.
    #[arg(long, default_value = "/mms")]
    prefix: String,
    /// Address of the admin API's own listener (port 0 picks one, printed at start).
    #[arg(long, default_value = "127.0.0.1:0")]
    admin_bind: SocketAddr,
    /// The admin API's token (a random one per run by default). Read from the environment
    /// variable MOCK_MMSC_ADMIN_TOKEN when set, so that it stays out of the process table.
    #[arg(long, env = "MOCK_MMSC_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// The home region (ISO 3166-1 alpha-2) numbers in national form are read in.
    #[arg(long, default_value = "US")]
    home_region: String,
    /// A subscriber, as NUMBER or NUMBER=HOST:PORT (UDP address its pushes go to). Repeatable.
    #[arg(long = "subscriber")]
    subscribers: Vec<String>,
    /// A subscriber whose pushes go as SMS-DELIVER TPDUs, one UDP datagram each, as
    /// NUMBER=HOST:PORT. Repeatable.
    #[arg(long = "sms-subscriber")]
    sms_subscribers: Vec<String>,
    /// Originating address of pushes over the SMS bearer.
    #[arg(long, default_value = "+15550100")]
    sms_origin: String,
    /// Refuse requests whose User-Agent does not contain this (HTTP 403).
    #[arg(long)]
    require_user_agent: Option<String>,
    /// Refuse requests without a UAProf header (x-wap-profile or profile) (HTTP 403).
    #[arg(long)]
    require_uaprof: bool,
    /// Carrier quirk: retrieval needs the transaction id appended to the location (`?TID`).
    #[arg(long)]
    quirk_tid_in_url: bool,
    /// Carrier quirk: NotifyResp must be posted to the content location.
    #[arg(long)]
    quirk_notify_resp_at_location: bool,
    /// Largest request body accepted, in octets (larger: HTTP 413; MMSC-1).
    #[arg(long, default_value_t = 1024 * 1024)]
    max_body: usize,
    /// Largest message accepted for delivery, in octets (larger: content-not-accepted; MMSC-1).
    #[arg(long, default_value_t = 600 * 1024)]
    max_message_size: usize,
    /// Serve HTTPS with a test CA generated at start-up.
    #[arg(long)]
    tls: bool,
    /// Where to write the test CA certificate (PEM) when --tls is given.
    #[arg(long, requires = "tls")]
    ca_out: Option<PathBuf>,
    /// Also start a proxy front (CONNECT and absolute-form requests) on loopback.
    #[arg(long)]
    proxy_front: bool,
    /// Accept the subscriber header only on requests that came through the proxy front (MMSC-8).
    #[arg(long, requires = "proxy_front")]
    identity_only_via_front: bool,
    /// The MMSC URL as clients know it (content locations are built on it).
    #[arg(long)]
    public_base: Option<String>,
    /// Submissions per subscriber in a burst (MMSC-2).
    #[arg(long, default_value_t = 100)]
    rate_burst: u32,
    /// Submissions per subscriber per minute, sustained (MMSC-2).
    #[arg(long, default_value_t = 600)]
    rate_per_minute: u32,
    /// Requests per client IP address in a burst (MMSC-2).
    #[arg(long, default_value_t = 2000)]
    ip_rate_burst: u32,
    /// Requests per client IP address per minute, sustained (MMSC-2).
    #[arg(long, default_value_t = 60_000)]
    ip_rate_per_minute: u32,
    /// Seconds a notified transaction waits for NotifyResp/Acknowledge (MMSC-3).
    #[arg(long, default_value_t = 7 * 86_400)]
    ack_timeout_secs: u64,
    /// Re-notify every this many seconds until a NotifyResp arrives (MMSC-3); 0 disables.
    #[arg(long, default_value_t = 0)]
    renotify_secs: u64,
    /// Expiry given to notifications when the sender asks for none, in seconds.
    #[arg(long, default_value_t = 3 * 86_400)]
    expiry_secs: u64,
    /// Longest expiry or delivery time accepted from a sender, in seconds (MMSC-5).
    #[arg(long, default_value_t = 30 * 86_400)]
    max_expiry_secs: u64,
    /// Most decision-log entries and, separately, charging records kept (oldest dropped).
    #[arg(long, default_value_t = 100_000)]
    log_capacity: usize,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber_init();
    let args = Args::parse();
    let cfg = mock_mmsc::MockConfig {
        bind: args.bind,
        admin_bind: args.admin_bind,
        admin_token: args.admin_token,
        home_region: args.home_region,
        prefix: args.prefix,
        max_body: args.max_body,
        max_message_size: args.max_message_size,
        tls: args.tls,
        proxy_front: args.proxy_front,
        identity_only_via_front: args.identity_only_via_front,
        public_base: args.public_base,
        rate_burst: args.rate_burst,
        rate_per_minute: args.rate_per_minute,
        ip_rate_burst: args.ip_rate_burst,
        ip_rate_per_minute: args.ip_rate_per_minute,
        ack_timeout: Duration::from_secs(args.ack_timeout_secs),
        renotify: (args.renotify_secs > 0).then(|| Duration::from_secs(args.renotify_secs)),
        expiry_secs: args.expiry_secs,
        max_expiry: Duration::from_secs(args.max_expiry_secs),
        sms_origin: args.sms_origin,
        log_capacity: args.log_capacity,
        required_user_agent: args.require_user_agent,
        require_uaprof: args.require_uaprof,
        quirks: mock_mmsc::Quirks {
            require_tid_in_url: args.quirk_tid_in_url,
            notify_resp_at_location: args.quirk_notify_resp_at_location,
        },
        ..Default::default()
    };
    let mmsc = mock_mmsc::MockMmsc::start(cfg).await?;
    for s in &args.subscribers {
        let (num, addr) = match s.split_once('=') {
            Some((n, a)) => (n, a.parse().ok()),
            None => (s.as_str(), None),
        };
        mmsc.register(num, addr);
    }
    for s in &args.sms_subscribers {
        match s
            .split_once('=')
            .and_then(|(n, a)| Some((n, a.parse().ok()?)))
        {
            Some((num, addr)) => mmsc.register_sms(num, addr),
            None => eprintln!("ignored --sms-subscriber {s}: expected NUMBER=HOST:PORT"),
        }
    }
    if let (Some(path), Some(pem)) = (&args.ca_out, mmsc.ca_pem()) {
        std::fs::write(path, pem)?;
        println!("test CA written to {}", path.display());
    }
    println!(
        "mock-mmsc listening on {} (MMSC URL {})",
        mmsc.addr(),
        mmsc.url()
    );
    println!(
        "admin API on {} token {}",
        mmsc.admin_url(),
        mmsc.admin_token()
    );
    if let Some(p) = mmsc.proxy_addr() {
        println!("proxy front on {p}");
    }
    tokio::signal::ctrl_c().await?;
    Ok(())
}

/// Decision log events go to stderr at the level RUST_LOG asks for (`RUST_LOG=info` shows every
/// decision).
fn tracing_subscriber_init() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .try_init();
}
