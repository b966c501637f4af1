//! The proxy front: what a carrier's WAP/MMS proxy does for the client, on loopback. `CONNECT`
//! requests (HTTPS to the MMSC) are tunnelled to the server; absolute-form plain HTTP requests
//! are forwarded to it, one request per connection. The front asserts the identity it knows:
//! the subscriber attached at the client's address ([`crate::MockMmsc::attach`], a data
//! session in a real network), in the subscriber header, with its own proof header
//! ([`crate::FRONT_HEADER`]) so the server can tell the identity came through the operator's
//! network (MMSC-8). The client's own copies of both headers are removed: a client behind the
//! front cannot claim another number, and one the front does not know has none. Tunnelled
//! HTTPS is opaque to the front and carries no such proof. Only the MMSC's own address is
//! reachable through it.

use crate::state::Shared;
use std::net::SocketAddr;
use std::sync::Weak;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Most octets of a request head read before giving up.
const MAX_HEAD: usize = 16 * 1024;

/// Starts the proxy front on `bind`, forwarding to `upstream` and vouching for requests with
/// `front_token`; returns its address.
pub(crate) async fn start(
    bind: SocketAddr,
    upstream: SocketAddr,
    front_token: String,
    shared: Weak<Shared>,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind(bind).await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        while let Ok((client, peer)) = listener.accept().await {
            let token = front_token.clone();
            let identity = shared.upgrade().and_then(|s| {
                s.data
                    .lock()
                    .ok()
                    .and_then(|d| d.attached.get(&peer.ip()).cloned())
            });
            tokio::spawn(async move {
                let _ = serve(client, upstream, &token, identity.as_deref()).await;
            });
        }
    });
    Ok((addr, task))
}

async fn serve(
    mut client: TcpStream,
    upstream: SocketAddr,
    token: &str,
    identity: Option<&str>,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    let end = loop {
        let n = client.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(buf.get(..n).unwrap_or(&[]));
        if let Some(i) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if head.len() > MAX_HEAD {
            return client
                .write_all(b"HTTP/1.1 431 Request Header Fields Too Large\r\n\r\n")
                .await;
        }
    };
    let text = String::from_utf8_lossy(head.get(..end).unwrap_or(&[])).into_owned();
    let first = text.lines().next().unwrap_or("");
    let mut server = TcpStream::connect(upstream).await?;
    if first.starts_with("CONNECT ") {
        client
            .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            .await?;
        // Anything the client sent after the head belongs to the tunnel.
        server.write_all(head.get(end..).unwrap_or(&[])).await?;
    } else {
        // Absolute-form request: forwarded with the front's header (the server routes by path);
        // one request per connection, so every request passes through here.
        let mut out = String::new();
        for (i, line) in text
            .get(..end.saturating_sub(4))
            .unwrap_or("")
            .split("\r\n")
            .enumerate()
        {
            let name = line.split(':').next().unwrap_or("").trim();
            if i > 0
                && (name.eq_ignore_ascii_case(crate::FRONT_HEADER)
                    || name.eq_ignore_ascii_case(crate::SUBSCRIBER_HEADER)
                    || name.eq_ignore_ascii_case("connection"))
            {
                continue;
            }
            out.push_str(line);
            out.push_str("\r\n");
        }
        if let Some(who) = identity {
            out.push_str(&format!("{}: {who}\r\n", crate::SUBSCRIBER_HEADER));
        }
        out.push_str(&format!(
            "{}: {token}\r\nconnection: close\r\n\r\n",
            crate::FRONT_HEADER
        ));
        server.write_all(out.as_bytes()).await?;
        server.write_all(head.get(end..).unwrap_or(&[])).await?;
    }
    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
    Ok(())
}
