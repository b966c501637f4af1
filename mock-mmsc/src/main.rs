//! `mock-mmsc`: run the mock MMSC standalone (for the Kotlin tests, UI tests and manual work).
use clap::Parser;
use std::net::SocketAddr;

/// A careful MMS Relay/Server on loopback for tests, demos and UI tests.
#[derive(Parser, Debug)]
#[command(name = "mock-mmsc", version)]
struct Args {
    /// Address to listen on (port 0 picks a free port, printed at start).
    #[arg(long, default_value = "127.0.0.1:0")]
    bind: SocketAddr,
    /// Path prefix of the MM1 endpoint.
    #[arg(long, default_value = "/mms")]
    prefix: String,
    /// A subscriber, as NUMBER or NUMBER=HOST:PORT (UDP address its pushes go to). Repeatable.
    #[arg(long = "subscriber")]
    subscribers: Vec<String>,
    /// Largest request body accepted, in octets.
    #[arg(long, default_value_t = 1024 * 1024)]
    max_body: usize,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let cfg = mock_mmsc::MockConfig {
        bind: args.bind,
        prefix: args.prefix,
        max_body: args.max_body,
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
    println!(
        "mock-mmsc listening on {} (MMSC URL {})",
        mmsc.addr(),
        mmsc.url()
    );
    tokio::signal::ctrl_c().await?;
    Ok(())
}
