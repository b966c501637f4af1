//! `mms mock-mmsc`: the mock MMSC until Ctrl-C.

use crate::failure::{Exit, Failure};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub(crate) struct MockArgs {
    /// Address to listen on (port 0 picks one, printed at start).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub(crate) bind: std::net::SocketAddr,
    /// Path prefix of the MM1 endpoint.
    #[arg(long, default_value = "/mms")]
    pub(crate) prefix: String,
    /// A subscriber: NUMBER or NUMBER=HOST:PORT (UDP push address). Repeatable.
    #[arg(long = "subscriber")]
    pub(crate) subscribers: Vec<String>,
    /// Serve HTTPS with a generated test CA (written to --ca-out).
    #[arg(long)]
    pub(crate) tls: bool,
    /// Where to write the test CA (PEM) with --tls.
    #[arg(long)]
    pub(crate) ca_out: Option<PathBuf>,
    /// Also start a proxy front (CONNECT and absolute-form requests).
    #[arg(long)]
    pub(crate) proxy_front: bool,
}

pub(crate) fn mock_cmd(a: &MockArgs) -> Result<(), Failure> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure {
            code: Exit::Usage,
            message: e.to_string(),
            hint: "",
        })?;
    rt.block_on(async {
        let cfg = mock_mmsc::MockConfig {
            bind: a.bind,
            prefix: a.prefix.clone(),
            tls: a.tls,
            proxy_front: a.proxy_front,
            ..Default::default()
        };
        let mmsc = mock_mmsc::MockMmsc::start(cfg).await.map_err(|e| Failure {
            code: Exit::Usage,
            message: format!("cannot start: {e}"),
            hint: "is the address free?",
        })?;
        for s in &a.subscribers {
            let (num, addr) = match s.split_once('=') {
                Some((n, x)) => (n, x.parse().ok()),
                None => (s.as_str(), None),
            };
            mmsc.register(num, addr);
        }
        if let (Some(pem), Some(out)) = (mmsc.ca_pem(), &a.ca_out) {
            std::fs::write(out, pem).map_err(|e| Failure {
                code: Exit::Usage,
                message: format!("cannot write {}: {e}", out.display()),
                hint: "",
            })?;
        }
        outln!(
            "mock-mmsc listening on {} (MMSC URL {})",
            mmsc.addr(),
            mmsc.url()
        );
        outln!(
            "admin API on {} token {}",
            mmsc.admin_url(),
            mmsc.admin_token()
        );
        if let Some(p) = mmsc.proxy_addr() {
            outln!("proxy front on {p}");
        }
        let _ = tokio::signal::ctrl_c().await;
        Ok(())
    })
}
