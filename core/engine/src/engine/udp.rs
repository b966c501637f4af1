//! The IP bearer of WAP push: a UDP socket on which WDP datagrams arrive (from the MMSC's push
//! proxy, or the mock MMSC), each handed to the client as a push from the sender's IP address
//! on port 2948.

use super::client::MmsClient;
use std::net::SocketAddr;
use tokio::net::UdpSocket;
use tokio::task::JoinHandle;

/// Largest datagram accepted.
pub const MAX_DATAGRAM: usize = 8 * 1024;

/// Binds `bind` and feeds every datagram to `client`. Returns the bound address and the task
/// (abort it to stop).
pub async fn spawn_push_receiver(
    client: MmsClient,
    bind: SocketAddr,
) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let sock = UdpSocket::bind(bind).await?;
    let addr = sock.local_addr()?;
    let task = tokio::spawn(async move {
        let mut buf = vec![0u8; MAX_DATAGRAM];
        loop {
            let Ok((n, from)) = sock.recv_from(&mut buf).await else {
                break;
            };
            let data = buf.get(..n).unwrap_or(&[]).to_vec();
            let c = client.clone();
            let origin = from.ip().to_string();
            tokio::spawn(async move {
                let _ = c
                    .handle_udp_push(&origin, mms_codec::push::PORT_PUSH, &data)
                    .await;
            });
        }
    });
    Ok((addr, task))
}

/// Binds `bind` and feeds every datagram to `client` as one SMS-DELIVER TPDU with its SMSC
/// address (what a modem or RIL hands over), so the SMS bearer (concatenation, ports, origin
/// checks) runs exactly as on a phone. Returns the bound address and the task.
pub async fn spawn_sms_receiver(
    client: MmsClient,
    bind: SocketAddr,
) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let sock = UdpSocket::bind(bind).await?;
    let addr = sock.local_addr()?;
    let task = tokio::spawn(async move {
        let mut buf = vec![0u8; 512];
        loop {
            let Ok((n, _)) = sock.recv_from(&mut buf).await else {
                break;
            };
            let tpdu = buf.get(..n).unwrap_or(&[]).to_vec();
            let _ = client.handle_sms(&tpdu, true).await;
        }
    });
    Ok((addr, task))
}
