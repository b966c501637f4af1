//! The proxy front: what a carrier's WAP/MMS proxy does for the client, on loopback. `CONNECT`
//! requests (HTTPS to the MMSC) are tunnelled to the server; absolute-form plain HTTP requests
//! are forwarded to it. Only the MMSC's own address is reachable through it.

use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Most octets of a request head read before giving up.
const MAX_HEAD: usize = 16 * 1024;

/// Starts the proxy front on `bind`, forwarding to `upstream`; returns its address.
pub async fn start(
    bind: SocketAddr,
    upstream: SocketAddr,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind(bind).await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(async move {
                let _ = serve(client, upstream).await;
            });
        }
    });
    Ok((addr, task))
}

async fn serve(mut client: TcpStream, upstream: SocketAddr) -> std::io::Result<()> {
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
        // Absolute-form request: forward as is (the server routes by path).
        server.write_all(&head).await?;
    }
    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
    Ok(())
}
