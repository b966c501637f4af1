//! The demo's world: the mock MMSC, three phones on their own databases with their push
//! receivers, and the fixtures the steps send (a JPEG, an AMR clip, provisioning pushes).

use super::Run;
use mms_core::audit::AuditEvent;
use mms_core::pdu::Text;
use mms_core::pdu::content_type::{ContentType, MediaType, ParamValue, param};
use mms_core::provisioning::{self as prov, Credentials, ProvisioningInput, SecMethod};
use mms_core::push::{PORT_PUSH, build_deliver_tpdus, encode_push};
use mms_core::{
    CarrierProfile, Event, EventListener, HttpTransport, MmsClient, spawn_push_receiver,
};
use mock_mmsc::{MockConfig, MockMmsc};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The operator's push gateway, trusted by every phone.
pub(super) const PPG: &str = "+15550100";
/// Phone B's IMSI (its NETWPIN key).
pub(super) const IMSI_B: &str = "310150123456789";

#[derive(Default)]
pub(super) struct Collector(Mutex<Vec<Event>>);

impl EventListener for Collector {
    fn on_event(&self, e: &Event) {
        if let Ok(mut v) = self.0.lock() {
            v.push(e.clone());
        }
    }
}

impl Collector {
    pub(super) fn received(&self) -> Vec<i64> {
        self.0
            .lock()
            .map(|v| {
                v.iter()
                    .filter_map(|e| {
                        if let Event::MessageReceived { id, .. } = e {
                            Some(*id)
                        } else {
                            None
                        }
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A phone: its number, its client and the events it received.
pub(super) struct Phone {
    pub(super) number: String,
    pub(super) client: MmsClient,
    pub(super) events: Arc<Collector>,
}

/// Polls `f` for up to ten seconds.
pub(super) async fn wait<T>(mut f: impl FnMut() -> Option<T>) -> Option<T> {
    for _ in 0..400 {
        if let Some(v) = f() {
            return Some(v);
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    None
}

/// An audit row on one line, for the transcript.
pub(super) fn audit_line(e: &AuditEvent) -> String {
    format!(
        "{} {} {} ({})",
        e.outcome.code(),
        e.reason,
        e.threat.as_deref().unwrap_or("-"),
        e.detail.chars().take(80).collect::<String>()
    )
}

/// A small JPEG header of `w` x `h` with `filler` octets of scan data.
pub(super) fn jpeg(w: u16, h: u16, filler: usize) -> Vec<u8> {
    let mut v = vec![
        0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ];
    v.extend_from_slice(&[0xff, 0xc0, 0x00, 0x11, 0x08]);
    v.extend_from_slice(&h.to_be_bytes());
    v.extend_from_slice(&w.to_be_bytes());
    v.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    v.extend((0..filler).map(|i| (i * 13 % 251) as u8));
    v.extend_from_slice(&[0xff, 0xd9]);
    v
}

/// An AMR clip of 50 frames.
pub(super) fn amr() -> Vec<u8> {
    let mut v = b"#!AMR\n".to_vec();
    for _ in 0..50 {
        v.push(0x3c);
        v.extend_from_slice(&[0x55; 31]);
    }
    v
}

/// A provisioning push setting `mmsc`, authenticated with `method` (a wrong MAC when
/// `forge`).
pub(super) fn cp_push(mmsc: &str, method: SecMethod, creds: &Credentials, forge: bool) -> Vec<u8> {
    let xml = format!(
        r#"<wap-provisioningdoc version="1.1"><characteristic type="BOOTSTRAP"><parm name="NAME" value="Demo Operator"/></characteristic><characteristic type="APPLICATION"><parm name="APPID" value="w4"/><parm name="NAME" value="Demo MMS"/><parm name="ADDR" value="{mmsc}"/></characteristic></wap-provisioningdoc>"#
    );
    let doc = prov::parse_xml(&xml).unwrap_or(prov::ProvisioningDoc {
        version: None,
        characteristics: Vec::new(),
    });
    let body = prov::encode_wbxml(&doc);
    let mut mac = prov::compute_mac(method, &body, creds).unwrap_or_default();
    if forge {
        mac = "0123456789ABCDEF0123456789ABCDEF01234567".into();
    }
    let sec = match method {
        SecMethod::Netwpin => 0,
        SecMethod::Userpin => 1,
        SecMethod::Usernetwpin => 2,
        SecMethod::Userpinmac => 3,
    };
    let ct = ContentType::new(MediaType::WellKnown(0x36))
        .with(param::SEC, ParamValue::Integer(sec))
        .with(param::MAC, ParamValue::Text(Text::from(mac)));
    encode_push(1, &ct, None, &body).unwrap_or_default()
}

/// The demo's world.
pub(super) struct World {
    pub(super) mmsc: MockMmsc,
    pub(super) dir: std::path::PathBuf,
    pub(super) a: Phone,
    pub(super) b: Phone,
    pub(super) c: Phone,
}

/// Opens a phone on its own database, with its push receiver registered at the MMSC.
pub(super) async fn phone(
    mmsc: &MockMmsc,
    dir: &std::path::Path,
    number: &str,
    provisioned: bool,
) -> Result<Phone, String> {
    let profile = CarrierProfile {
        proxy: mmsc.proxy_addr().map(|a| a.to_string()),
        operator_anchors_pem: mmsc.ca_pem(),
        mmsc_url: if provisioned {
            mmsc.url()
        } else {
            "https://unprovisioned.invalid/".into()
        },
        http_headers: vec!["X-Mms-Subscriber: ##LINE1##".into()],
        line1: Some(number.into()),
        push_origins: vec!["127.0.0.1".into(), PPG.into()],
        retry_base_ms: 50,
        max_message_size: 1024 * 1024,
        ..CarrierProfile::default()
    };
    let events = Arc::new(Collector::default());
    let transport = Arc::new(HttpTransport::new(&profile).map_err(|e| e.to_string())?);
    let db = dir.join(format!("{}.db", number.trim_start_matches('+')));
    let client =
        MmsClient::open(&db, profile, transport, events.clone()).map_err(|e| e.to_string())?;
    let (addr, _task) =
        spawn_push_receiver(client.clone(), "127.0.0.1:0".parse().map_err(|_| "addr")?)
            .await
            .map_err(|e| e.to_string())?;
    mmsc.register(number, Some(addr));
    Ok(Phone {
        number: number.into(),
        client,
        events,
    })
}

/// Hands a provisioning push to a phone over SMS and confirms the change, as the user would.
pub(super) async fn provision(
    p: &Phone,
    push: &[u8],
    creds: &Credentials,
) -> Result<(prov::PendingChange, String), String> {
    let mut verdict = None;
    for t in build_deliver_tpdus(PPG, push, PORT_PUSH, 42) {
        verdict = p.client.handle_sms(&t, true).await;
    }
    let v = verdict.ok_or("push incomplete")?;
    let input = ProvisioningInput::from_verdict(&v)
        .ok_or_else(|| format!("not handed to provisioning: {}", v.reason.code()))?;
    let provisioner = p.client.provisioner();
    let pending = provisioner
        .verify(&input, creds)
        .map_err(|e| e.to_string())?;
    let applied = provisioner
        .confirm(&pending.token)
        .map_err(|e| e.to_string())?;
    Ok((pending, applied.mmsc_url))
}

impl World {
    /// Steps 1 and 2: the MMSC on loopback (TLS, proxy front) and the three phones.
    pub(super) async fn start(run: &mut Run) -> Result<World, String> {
        let dir = std::env::temp_dir().join(format!("mms-demo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let t = Instant::now();
        let mmsc = MockMmsc::start(MockConfig {
            tls: true,
            proxy_front: true,
            ..MockConfig::default()
        })
        .await
        .map_err(|e| e.to_string())?;
        let front = mmsc.proxy_addr().map(|a| a.to_string()).unwrap_or_default();
        run.record(
            "start the mock MMSC on loopback (TLS, proxy front)",
            "listening",
            t,
            mmsc.ca_pem().is_some() && !front.is_empty(),
            format!(
                "MMSC at {} via proxy {front}; test CA generated",
                mmsc.url()
            ),
            None,
            None,
        );

        let t = Instant::now();
        let a = phone(&mmsc, &dir, "+15550001", false).await?;
        let b = phone(&mmsc, &dir, "+15550002", false).await?;
        let c = phone(&mmsc, &dir, "+15550003", true).await?;
        run.record(
            "three phones: A and B unprovisioned, C configured",
            "clients open on SQLite",
            t,
            true,
            format!("databases in {}", dir.display()),
            None,
            None,
        );

        Ok(World { mmsc, dir, a, b, c })
    }
}
