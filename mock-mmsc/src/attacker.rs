//! The attacker toolkit: crafts what a hostile or careless sender puts on the push channel, for
//! the client's attack tests (PUSH-*, OTA-*), and delivers it over the same bearers the mock
//! MMSC uses: WDP datagrams over UDP, or SMS-DELIVER TPDUs.
//!
//! Every builder returns the bytes of a connectionless WSP push (the WDP payload); [`as_sms`]
//! segments one into TPDUs with a chosen originating address, so a test can pose as a trusted
//! or an untrusted origin.

use mms_codec::pdu::builder::{Notification, notification_ind};
use mms_codec::pdu::content_type::param;
use mms_codec::pdu::{ClassToken, ContentType, MediaType, ParamValue, Text, TimeValue};
use mms_codec::provisioning::{ProvisioningDoc, encode_wbxml};
use mms_codec::push::{build_deliver_tpdus, encode_mms_push, encode_push};
use mms_decisions::provisioning::SecMethod;
use std::net::SocketAddr;
use tokio::net::UdpSocket;

/// Well-known content type code of `application/vnd.wap.sic` (WBXML Service Indication).
const SIC: u8 = 0x2e;
/// Well-known content type code of `application/vnd.wap.slc` (WBXML Service Loading).
const SLC: u8 = 0x30;
/// Well-known content type code of `application/vnd.wap.connectivity-wbxml`.
const CONNECTIVITY_WBXML: u8 = 0x36;

/// An M-Notification.ind naming any content location (a foreign host, an IP literal, a
/// `file:` URL...), as a spoofer sends it (PUSH-1).
pub fn spoofed_notification(tid: &str, location: &str, from: Option<&str>, size: u64) -> Vec<u8> {
    let pdu = notification_ind(&Notification {
        transaction_id: tid,
        from,
        subject: Some("Your photo"),
        size,
        expiry: TimeValue::Relative(86_400),
        content_location: location,
        class: ClassToken::Personal,
        delivery_report: false,
    });
    encode_mms_push(0x01, &pdu.encode().unwrap_or_default())
}

/// The SI `action` attribute values (WBXML attribute start tokens of the SI code page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiAction {
    /// `signal-none`.
    None,
    /// `signal-low`.
    Low,
    /// `signal-medium`.
    Medium,
    /// `signal-high`.
    High,
    /// `delete`.
    Delete,
}

impl SiAction {
    fn token(self) -> u8 {
        match self {
            SiAction::None => 0x05,
            SiAction::Low => 0x06,
            SiAction::Medium => 0x07,
            SiAction::High => 0x08,
            SiAction::Delete => 0x09,
        }
    }
}

/// A Service Indication (WBXML) pointing at `href` with a text to show (PUSH-3).
pub fn si_push(href: &str, text: &str, action: SiAction) -> Vec<u8> {
    // <si><indication action=... href="..." si-id="id-1">text</indication></si>
    let mut b = vec![
        0x02,
        0x05,
        0x6a,
        0x00,
        0x45,
        0xc6,
        action.token(),
        0x0b,
        0x03,
    ];
    b.extend_from_slice(href.as_bytes());
    b.extend_from_slice(&[0x00, 0x11, 0x03]);
    b.extend_from_slice(b"id-1\0");
    b.push(0x01);
    b.push(0x03);
    b.extend_from_slice(text.as_bytes());
    b.push(0x00);
    b.extend_from_slice(&[0x01, 0x01]);
    wsp(SIC, &[], &b)
}

/// A Service Loading push (WBXML) for `href`; `execute_high` asks for immediate loading
/// (PUSH-2).
pub fn sl_push(href: &str, execute_high: bool) -> Vec<u8> {
    // <sl href="..." action="execute-high"/>
    let mut b = vec![0x02, 0x06, 0x6a, 0x00, 0x85];
    if execute_high {
        b.push(0x06);
    }
    b.push(0x08); // href=
    b.push(0x03);
    b.extend_from_slice(href.as_bytes());
    b.push(0x00);
    b.push(0x01);
    wsp(SLC, &[], &b)
}

/// How a provisioning push is (not) authenticated.
#[derive(Debug, Clone)]
pub enum ProvisioningAuth {
    /// No SEC/MAC at all (OTA-1).
    None,
    /// SEC and a MAC given verbatim (a forged or stale MAC).
    Forged(SecMethod, String),
    /// SEC and the MAC a sender who knows `credentials` computes.
    Signed(SecMethod, mms_decisions::provisioning::Credentials),
}

/// An OMA Client Provisioning push of `doc` (WBXML), authenticated as `auth` says.
pub fn provisioning_push(doc: &ProvisioningDoc, auth: &ProvisioningAuth) -> Vec<u8> {
    let body = encode_wbxml(doc);
    let (sec, mac) = match auth {
        ProvisioningAuth::None => return wsp(CONNECTIVITY_WBXML, &[], &body),
        ProvisioningAuth::Forged(m, mac) => (*m, mac.clone()),
        ProvisioningAuth::Signed(m, creds) => (
            *m,
            mms_decisions::provisioning::compute_mac(*m, &body, creds).unwrap_or_default(),
        ),
    };
    wsp(
        CONNECTIVITY_WBXML,
        &[
            (param::SEC, ParamValue::Integer(sec_value(sec))),
            (
                param::MAC,
                ParamValue::Text(Text::from(mac.as_str()).into_owned()),
            ),
        ],
        &body,
    )
}

fn sec_value(m: SecMethod) -> u64 {
    match m {
        SecMethod::Netwpin => 0,
        SecMethod::Userpin => 1,
        SecMethod::Usernetwpin => 2,
        SecMethod::Userpinmac => 3,
    }
}

fn wsp(code: u8, params: &[(u8, ParamValue<'static>)], body: &[u8]) -> Vec<u8> {
    let mut ct = ContentType::new(MediaType::WellKnown(code));
    for (k, v) in params {
        ct = ct.with(*k, v.clone());
    }
    encode_push(0x01, &ct, None, body).unwrap_or_default()
}

/// A flood: `count` notifications with distinct transaction ids, all naming `location`
/// (PUSH-6).
pub fn flood(count: usize, location: &str) -> Vec<Vec<u8>> {
    (0..count)
        .map(|i| spoofed_notification(&format!("flood-{i}"), location, Some("+15550000000"), 1024))
        .collect()
}

/// Segments a push into SMS-DELIVER TPDUs from `origin` (a trusted short code or any number)
/// to the WAP push port.
pub fn as_sms(origin: &str, push: &[u8], reference: u16) -> Vec<Vec<u8>> {
    build_deliver_tpdus(origin, push, mms_codec::push::PORT_PUSH, reference)
}

/// Sends each datagram to `target` over UDP (the IP bearer of WAP push).
pub async fn deliver_udp(target: SocketAddr, datagrams: &[Vec<u8>]) -> std::io::Result<()> {
    let sock = UdpSocket::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    for d in datagrams {
        sock.send_to(d, target).await?;
    }
    Ok(())
}
