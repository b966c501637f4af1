//! `mms demo`: the whole mission on this machine with nothing to set up. The mock MMSC runs
//! in-process on loopback; three phones (A, B, C) run real clients on their own SQLite files;
//! pushes travel over SMS TPDUs (provisioning) and the UDP bearer (notifications and reports).
//! Then the attacks, each blocked or gated with its reason and audit row.

use mms_core::CarrierProfile;
use mms_core::HttpTransport;
use mms_core::audit::AuditEvent;
use mms_core::links::{LinkDecision, LinkGate, LinkSource};
use mms_core::pdu::builder::{Notification, notification_ind};
use mms_core::pdu::content_type::{ContentType, MediaType, ParamValue, param};
use mms_core::pdu::{ClassToken, Text, TimeValue};
use mms_core::provisioning::{self as prov, Credentials, ProvisioningInput, SecMethod, Secret};
use mms_core::push::{
    PORT_PUSH, PushContent, Verdict, build_deliver_tpdus, encode_mms_push, encode_push,
};
use mms_core::spawn_push_receiver;
use mms_core::{Draft, DraftPart, Event, EventListener, MmsClient, State};
use mock_mmsc::{MockConfig, MockMmsc};
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PPG: &str = "+15550100";
const IMSI_B: &str = "310150123456789";

/// One step of the transcript.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Step number.
    pub n: usize,
    /// What the step does.
    pub name: String,
    /// What must happen.
    pub expected: String,
    /// What happened.
    pub outcome: String,
    /// Whether it behaved as expected.
    pub ok: bool,
    /// Milliseconds taken.
    pub ms: u128,
    /// The threat ID the step exercises, for attack steps.
    pub threat: Option<String>,
    /// The audit row the step produced, for attack steps.
    pub audit: Option<String>,
}

/// The transcript.
#[derive(Debug, Clone, Serialize)]
pub struct Transcript {
    /// Steps in order.
    pub steps: Vec<Step>,
    /// All steps behaved as expected.
    pub ok: bool,
    /// Total milliseconds.
    pub total_ms: u128,
}

#[derive(Default)]
struct Collector(Mutex<Vec<Event>>);

impl EventListener for Collector {
    fn on_event(&self, e: &Event) {
        if let Ok(mut v) = self.0.lock() {
            v.push(e.clone());
        }
    }
}

impl Collector {
    fn received(&self) -> Vec<i64> {
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

struct Phone {
    number: String,
    client: MmsClient,
    events: Arc<Collector>,
}

async fn wait<T>(mut f: impl FnMut() -> Option<T>) -> Option<T> {
    for _ in 0..400 {
        if let Some(v) = f() {
            return Some(v);
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    None
}

fn audit_line(e: &AuditEvent) -> String {
    format!(
        "{:?} {} {} ({})",
        e.outcome,
        e.reason,
        e.threat.as_deref().unwrap_or("-"),
        e.detail.chars().take(80).collect::<String>()
    )
}

struct Run {
    steps: Vec<Step>,
    started: Instant,
    verbose: bool,
}

impl Run {
    // One call per transcript line keeps the steps readable; the arguments are its columns.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        name: &str,
        expected: &str,
        t0: Instant,
        ok: bool,
        outcome: String,
        threat: Option<&str>,
        audit: Option<String>,
    ) {
        let step = Step {
            n: self.steps.len() + 1,
            name: name.into(),
            expected: expected.into(),
            outcome,
            ok,
            ms: t0.elapsed().as_millis(),
            threat: threat.map(str::to_string),
            audit,
        };
        if self.verbose {
            println!(
                "[{}] {:>2}. {:<52} {:>5} ms  {}",
                if step.ok { " ok " } else { "FAIL" },
                step.n,
                step.name,
                step.ms,
                step.outcome
            );
            if let Some(a) = &step.audit {
                println!("{:>14}audit: {a}", "");
            }
        }
        self.steps.push(step);
    }
}

fn jpeg(w: u16, h: u16, filler: usize) -> Vec<u8> {
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

fn amr() -> Vec<u8> {
    let mut v = b"#!AMR\n".to_vec();
    for _ in 0..50 {
        v.push(0x3c);
        v.extend_from_slice(&[0x55; 31]);
    }
    v
}

fn cp_push(mmsc: &str, method: SecMethod, creds: &Credentials, forge: bool) -> Vec<u8> {
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

async fn phone(
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

async fn provision(
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
        .ok_or_else(|| format!("not handed to provisioning: {:?}", v.reason))?;
    let provisioner = p.client.provisioner();
    let pending = provisioner
        .verify(&input, creds)
        .map_err(|e| e.to_string())?;
    let applied = provisioner
        .confirm(&pending.token)
        .map_err(|e| e.to_string())?;
    Ok((pending, applied.mmsc_url))
}

/// Runs the demo; prints a progress line per step when `verbose`.
pub async fn run(verbose: bool) -> Result<Transcript, String> {
    let started = Instant::now();
    let mut run = Run {
        steps: Vec::new(),
        started,
        verbose,
    };
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

    let t = Instant::now();
    let pin = Credentials {
        imsi: None,
        pin: Some(Secret::new("4711")),
    };
    let r = provision(
        &a,
        &cp_push(&mmsc.url(), SecMethod::Userpin, &pin, false),
        &pin,
    )
    .await;
    let ok = matches!(&r, Ok((p, url)) if p.strength == prov::AuthStrength::UserPin && *url == mmsc.url());
    run.record(
        "provision A over SMS (USERPIN), user confirms",
        "verified with the user's PIN, applied",
        t,
        ok,
        match &r {
            Ok((p, url)) => format!("{:?} strength {:?}; MMSC now {url}", p.method, p.strength),
            Err(e) => e.clone(),
        },
        Some("OTA-2"),
        None,
    );

    let t = Instant::now();
    let imsi = Credentials {
        imsi: Some(Secret::new(IMSI_B)),
        pin: None,
    };
    let r = provision(
        &b,
        &cp_push(&mmsc.url(), SecMethod::Netwpin, &imsi, false),
        &imsi,
    )
    .await;
    let ok = matches!(&r, Ok((p, _)) if p.strength == prov::AuthStrength::Weak && !p.warnings.is_empty());
    run.record(
        "provision B over SMS (NETWPIN), shown as weaker",
        "verified, flagged weak, user confirms",
        t,
        ok,
        match &r {
            Ok((p, _)) => format!(
                "{:?} strength {:?}: {}",
                p.method,
                p.strength,
                p.warnings
                    .first()
                    .cloned()
                    .unwrap_or_default()
                    .chars()
                    .take(60)
                    .collect::<String>()
            ),
            Err(e) => e.clone(),
        },
        Some("OTA-2"),
        None,
    );

    // A sends text + JPEG + AMR + SMIL to B and C.
    let t = Instant::now();
    let photo = jpeg(640, 480, 30_000);
    let clip = amr();
    let text = "Greetings from the demo! Photo and voice attached."
        .as_bytes()
        .to_vec();
    let draft = Draft {
        to: vec![b.number.clone(), c.number.clone()],
        subject: Some("Demo postcard".into()),
        parts: vec![
            DraftPart {
                content_type: "text/plain".into(),
                name: "text.txt".into(),
                data: text.clone(),
            },
            DraftPart {
                content_type: "image/jpeg".into(),
                name: "photo.jpg".into(),
                data: photo.clone(),
            },
            DraftPart {
                content_type: "audio/amr".into(),
                name: "voice.amr".into(),
                data: clip.clone(),
            },
        ],
        delivery_report: Some(true),
        read_report: Some(true),
        ..Draft::default()
    };
    let sent = a.client.send(draft).await;
    let sent_id = sent.as_ref().ok().copied();
    let row = sent_id.and_then(|id| a.client.message(id).ok());
    let ok = row
        .as_ref()
        .is_some_and(|m| m.row.state == State::Sent && m.row.message_id.is_some());
    run.record(
        "A sends text + JPEG + AMR + SMIL to B and C",
        "M-Send.conf Ok with a Message-ID",
        t,
        ok,
        match &row {
            Some(m) => format!(
                "{} with Message-ID {}",
                m.row.state,
                m.row.message_id.clone().unwrap_or_default()
            ),
            None => format!("{:?}", sent.err()),
        },
        None,
        None,
    );

    let t = Instant::now();
    let got = wait(|| {
        let (rb, rc) = (b.events.received(), c.events.received());
        (!rb.is_empty() && !rc.is_empty()).then(|| (rb[0], rc[0]))
    })
    .await;
    let (bid, cid) = got.unwrap_or((-1, -1));
    let bm = b.client.message(bid).ok();
    let exact = bm.as_ref().is_some_and(|m| {
        m.parts.iter().any(|p| p.data == photo)
            && m.parts.iter().any(|p| p.data == clip)
            && m.parts.iter().any(|p| p.data == text)
    });
    run.record(
        "pushes over UDP; B and C download",
        "parts byte-exact",
        t,
        got.is_some() && exact,
        format!(
            "B got {} parts, all byte-exact: {exact}",
            bm.as_ref().map(|m| m.parts.len()).unwrap_or(0)
        ),
        None,
        None,
    );

    let t = Instant::now();
    let plan = b.client.render_plan(bid);
    let ok = plan.as_ref().is_ok_and(|p| {
        p.from_smil
            && p.parts
                .iter()
                .filter(|x| x.declared_type != "application/smil")
                .all(|x| x.decision == mms_core::content::PartDecision::Auto)
    });
    run.record(
        "B's render plan",
        "text, photo and voice auto-render on SMIL slides",
        t,
        ok,
        match &plan {
            Ok(p) => format!(
                "{} slides, {} ms; {}",
                p.slides.len(),
                p.total_ms,
                p.parts
                    .iter()
                    .map(|x| format!("{} {:?}", x.declared_type, x.decision))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Err(e) => e.to_string(),
        },
        Some("CONTENT-1"),
        None,
    );

    let t = Instant::now();
    let acked = b.client.confirm_delivered(bid).await.is_ok()
        && c.client.confirm_delivered(cid).await.is_ok();
    let reports = match sent_id {
        Some(id) => {
            wait(|| {
                let r = a.client.message(id).ok()?.recipients;
                r.iter()
                    .all(|x| x.delivery_status.as_deref() == Some("retrieved"))
                    .then_some(r.len())
            })
            .await
        }
        None => None,
    };
    run.record(
        "B and C confirm; delivery reports reach A",
        "2 delivery reports, status retrieved",
        t,
        acked && reports == Some(2),
        format!(
            "acknowledged: {acked}; delivery reports: {}",
            reports.unwrap_or(0)
        ),
        None,
        None,
    );

    let t = Instant::now();
    let sent_rr = b.client.mark_read(bid, true).await.unwrap_or(false);
    let rr = match sent_id {
        Some(id) => {
            wait(|| {
                a.client
                    .message(id)
                    .ok()?
                    .recipients
                    .iter()
                    .find(|x| x.address == b.number)?
                    .read_status
                    .clone()
            })
            .await
        }
        None => None,
    };
    run.record(
        "B reads; the read report reaches A",
        "A sees B's read status",
        t,
        sent_rr && rr.as_deref() == Some("read"),
        format!("read report sent: {sent_rr}; A sees {:?}", rr),
        None,
        None,
    );

    // The attacks, all against B.
    let audit_of = |p: &Phone, reason: &str| {
        p.client
            .audit_log(Some(reason), 1)
            .ok()
            .and_then(|v| v.into_iter().next())
    };

    let t = Instant::now();
    let spoof = notification_ind(&Notification {
        transaction_id: "EVIL1",
        from: Some("+15559999"),
        subject: Some("You have a new MMS"),
        size: 10_000,
        expiry: TimeValue::Relative(86_400),
        content_location: "https://evil.example/m/1",
        class: ClassToken::Personal,
        delivery_report: false,
    })
    .encode()
    .unwrap_or_default();
    let v = b
        .client
        .handle_push("+15559999", Some(PORT_PUSH), &encode_mms_push(9, &spoof))
        .await;
    let a1 = audit_of(&b, "spoofed_content_location");
    run.record(
        "attack: spoofed notification to a foreign host",
        "rejected, nothing fetched",
        t,
        v.verdict == Verdict::Reject
            && a1.is_some()
            && mmsc.log_of("retrieve_unknown_token").is_empty(),
        format!(
            "{:?} {}: {}",
            v.verdict,
            v.reason.code(),
            v.detail.chars().take(70).collect::<String>()
        ),
        Some("PUSH-1"),
        a1.as_ref().map(audit_line),
    );

    let t = Instant::now();
    let before = b.client.profile().mmsc_url;
    let forged = cp_push("https://evil.example/mms", SecMethod::Netwpin, &imsi, true);
    let r = provision(&b, &forged, &imsi).await;
    let a2 = audit_of(&b, "mac_mismatch");
    let unchanged = b.client.profile().mmsc_url == before;
    run.record(
        "attack: forged provisioning push",
        "MAC mismatch, settings unchanged",
        t,
        r.is_err() && unchanged && a2.is_some(),
        format!("{}; MMSC still {before}", r.err().unwrap_or_default()),
        Some("OTA-2"),
        a2.as_ref().map(audit_line),
    );

    let t = Instant::now();
    let mut sl = vec![0x02, 0x06, 0x6a, 0x00, 0x85, 0x06, 0x09, 0x03];
    sl.extend_from_slice(b"evil.example/update.apk\0");
    sl.push(0x01);
    let v = b
        .client
        .handle_push(
            "+15559999",
            Some(PORT_PUSH),
            &encode_push(3, &ContentType::new(MediaType::WellKnown(0x30)), None, &sl)
                .unwrap_or_default(),
        )
        .await;
    let a3 = audit_of(&b, "service_loading_refused");
    run.record(
        "attack: Service Loading push (execute-high)",
        "never loaded",
        t,
        v.verdict == Verdict::Reject && a3.is_some(),
        format!("{:?} {}: {}", v.verdict, v.reason.code(), v.detail),
        Some("PUSH-2"),
        a3.as_ref().map(audit_line),
    );

    let t = Instant::now();
    let gate = LinkGate::new(
        Arc::new(mms_core::clock::SystemClock),
        Arc::new(mms_core::audit::MemoryAudit::default()),
        120,
    );
    let d = gate.request_action("tel:+1-900-555-0100", LinkSource::message("demo"));
    let ok = matches!(&d, LinkDecision::NeedsConfirmation(p) if p.cost == mms_core::links::CostRisk::Premium);
    let outcome = match &d {
        LinkDecision::NeedsConfirmation(p) => format!("needs confirmation: {}", p.description),
        LinkDecision::Blocked { blocked, .. } => format!("blocked: {}", blocked.detail),
    };
    let d2 = gate.request_action("tel:*21*+15559999#", LinkSource::message("demo"));
    let ok = ok && mms_core::links::gate::is_blocked(&d2);
    run.record(
        "attack: tel: premium link and a call-forwarding code",
        "premium gated, forwarding blocked",
        t,
        ok,
        outcome,
        Some("LINK-1"),
        Some("forwarding code: blocked supplementary_service_code".into()),
    );

    let t = Instant::now();
    let lie = Draft {
        to: vec![b.number.clone()],
        subject: Some("just text".into()),
        parts: vec![DraftPart {
            content_type: "text/plain".into(),
            name: "note.txt".into(),
            data: jpeg(64, 64, 500),
        }],
        ..Draft::default()
    };
    let _ = a.client.send(lie).await;
    let lie_id = wait(|| b.events.received().into_iter().find(|id| *id != bid)).await;
    let plan = lie_id.map(|id| b.client.render_plan(id));
    let a4 = audit_of(&b, "content_type_mismatch");
    let ok = matches!(&plan, Some(Ok(p)) if p.parts.iter().any(|x| x.sniffed_type == "image/jpeg" && x.decision != mms_core::content::PartDecision::Auto));
    run.record(
        "attack: text/plain part carrying a JPEG",
        "flagged, not auto-rendered",
        t,
        ok && a4.is_some(),
        match &plan {
            Some(Ok(p)) => p
                .parts
                .iter()
                .map(|x| {
                    format!(
                        "declared {} is {} -> {:?}",
                        x.declared_type, x.sniffed_type, x.decision
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
            _ => "message not received".into(),
        },
        Some("CONTENT-2"),
        a4.as_ref().map(audit_line),
    );

    let t = Instant::now();
    let mut rejected = 0;
    for i in 0..2000u32 {
        let origin = format!("+1666{:07}", i % 200);
        let n = notification_ind(&Notification {
            transaction_id: &format!("FLOOD{i}"),
            from: Some(&origin),
            subject: None,
            size: 1000,
            expiry: TimeValue::Relative(3600),
            content_location: &format!("{}/m/flood{i}", mmsc.url()),
            class: ClassToken::Advertisement,
            delivery_report: false,
        })
        .encode()
        .unwrap_or_default();
        let v = b
            .client
            .handle_push(&origin, Some(PORT_PUSH), &encode_mms_push(1, &n))
            .await;
        if v.verdict == Verdict::Reject {
            rejected += 1;
        }
    }
    let stored_flood = b
        .client
        .messages()
        .map(|m| {
            m.iter()
                .filter(|r| r.transaction_id.starts_with("FLOOD"))
                .count()
        })
        .unwrap_or(0);
    let a5 = audit_of(&b, "rate_limited");
    run.record(
        "attack: notification flood, 2000 pushes from 200 origins",
        "rate limited, nothing auto-downloaded",
        t,
        rejected > 1500 && a5.is_some() && mmsc.log_of("retrieve_unknown_token").is_empty(),
        format!("{rejected} rejected; {stored_flood} kept as unverified, none downloaded"),
        Some("PUSH-6"),
        a5.as_ref().map(audit_line),
    );

    let ok = run.steps.iter().all(|s| s.ok);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = PushContent::None;
    Ok(Transcript {
        steps: run.steps,
        ok,
        total_ms: run.started.elapsed().as_millis(),
    })
}
