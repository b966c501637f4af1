//! The mock MMSC's own tests: the full MM1 flow between simulated subscribers using only its
//! own encoder and real HTTP/UDP on loopback, one test per MMSC-* threat showing the
//! countermeasure with real requests, the admin API and the attacker toolkit. The helpers below
//! are shared by the modules.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod careful;
mod flow;
mod identity;
mod limits;
mod tools;

pub(crate) use mms_codec::pdu::builder::{SendReqBuilder, notify_resp, read_rec};
pub(crate) use mms_codec::pdu::{MessageType, Pdu, ReadStatus, ResponseStatus, Status, TimeValue};
pub(crate) use mms_codec::push::{PushKind, decode_push};
pub(crate) use mock_mmsc::{FRONT_HEADER, MockConfig, MockMmsc, SUBSCRIBER_HEADER, attacker};
pub(crate) use std::net::SocketAddr;
pub(crate) use std::time::Duration;
pub(crate) use tokio::net::UdpSocket;

const MMS: &str = "application/vnd.wap.mms-message";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0";

fn client(proxy: Option<SocketAddr>) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut b = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy();
    if let Some(p) = proxy {
        b = b.proxy(reqwest::Proxy::http(format!("http://{p}")).unwrap());
    }
    b.build().unwrap()
}

/// A simulated handset: a number and the UDP socket its WAP pushes arrive on.
struct Phone {
    number: &'static str,
    udp: UdpSocket,
}

impl Phone {
    async fn new(mmsc: &MockMmsc, number: &'static str) -> Phone {
        let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        mmsc.register(number, Some(udp.local_addr().unwrap()));
        Phone { number, udp }
    }

    /// The next pushed MMS PDU, which must arrive within five seconds.
    async fn notified(&self) -> Pdu<'static> {
        self.push(Duration::from_secs(5))
            .await
            .expect("a push within five seconds")
    }

    /// The next pushed MMS PDU, or `None` when nothing arrives within `wait`.
    async fn push(&self, wait: Duration) -> Option<Pdu<'static>> {
        let mut buf = vec![0u8; 65_536];
        let (n, _) = tokio::time::timeout(wait, self.udp.recv_from(&mut buf))
            .await
            .ok()?
            .ok()?;
        let push = decode_push(&buf[..n]).unwrap();
        assert_eq!(push.kind(), PushKind::Mms);
        Some(Pdu::decode(push.body).unwrap().pdu.into_owned())
    }
}

struct Reply {
    status: u16,
    retry_after: Option<String>,
    body: Vec<u8>,
}

impl Reply {
    fn pdu(&self) -> Pdu<'_> {
        Pdu::decode(&self.body).unwrap().pdu
    }
}

async fn post(c: &reqwest::Client, url: &str, who: Option<&str>, body: Vec<u8>) -> Reply {
    let mut r = c.post(url).header("content-type", MMS).body(body);
    if let Some(w) = who {
        r = r.header(SUBSCRIBER_HEADER, w);
    }
    reply(r.send().await.unwrap()).await
}

async fn get(c: &reqwest::Client, url: &str, who: &str) -> Reply {
    reply(
        c.get(url)
            .header(SUBSCRIBER_HEADER, who)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn reply(r: reqwest::Response) -> Reply {
    Reply {
        status: r.status().as_u16(),
        retry_after: r
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string()),
        body: r.bytes().await.unwrap().to_vec(),
    }
}

fn send_req(tid: &str, to: &str) -> SendReqBuilder<'static> {
    SendReqBuilder::new(tid).to(to).subject("hello").part(
        "text/plain",
        "t.txt",
        b"Hello there".to_vec(),
    )
}

/// Alice (+15550001) and Bob (+15550002), registered with `mmsc`.
async fn alice_and_bob(mmsc: &MockMmsc) -> (Phone, Phone) {
    (
        Phone::new(mmsc, "+15550001").await,
        Phone::new(mmsc, "+15550002").await,
    )
}

/// POSTs `pdu` to the MMSC as the subscriber `who` (the identity header the gateway adds).
async fn submit(c: &reqwest::Client, mmsc: &MockMmsc, who: &str, pdu: &Pdu<'_>) -> Reply {
    post(c, &mmsc.url(), Some(who), pdu.encode().unwrap()).await
}

async fn start(cfg: MockConfig) -> (MockMmsc, reqwest::Client) {
    (MockMmsc::start(cfg).await.unwrap(), client(None))
}

fn location(n: &Pdu<'_>) -> String {
    n.content_location().unwrap().to_string()
}
