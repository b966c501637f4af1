//! `mms`: the command-line face of mms-core. Decode and inspect MMS PDUs and WAP pushes.
//!
//! Exit codes: 0 success, 1 the input was rejected (decode error), 2 usage or I/O error.

mod demo;

use clap::{Parser, Subcommand};
use mms_core::pdu::Pdu;
use mms_core::pdu::describe::PduRecord;
use mms_core::push::decode_push;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "mms",
    version,
    about = "Inspect MMS PDUs and WAP pushes with mms-core"
)]
struct Cli {
    /// More log output on standard error (-v info, -vv debug, -vvv trace).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Decode an MMS PDU (or a WSP push carrying one) and print every header, part and warning.
    #[command(alias = "inspect")]
    Decode(DecodeArgs),
    /// List the links in a message (text, XHTML, SMIL) and what the confirmation gate decides
    /// for each: blocked with its reason, or the action that would need the user's consent.
    Links(DecodeArgs),
    /// Decode a WAP push (WSP push, SMS TPDUs or a bare MMS notification) and print the verdict
    /// of the push policy: accept, accept-unverified, defer or reject, with the reason.
    /// Exit code 1 when the push is rejected.
    PushCheck(PushCheckArgs),
    /// Inspect or verify an OMA Client Provisioning document (a WSP push carrying one, or the
    /// WBXML alone): the document, the authentication result and the MMS settings it would set.
    #[command(subcommand)]
    Provision(ProvisionCommand),
    /// Run the end-to-end demo: the mock MMSC on loopback, three phones, provisioning, a
    /// message with delivery and read reports, then the attacks, each blocked or gated. Exit
    /// code 0 only if every step behaved as expected.
    Demo(DemoArgs),
    /// Send an MMS through any MMSC (a carrier's, or the mock) with the library's engine.
    Send(SendArgs),
    /// Fetch a message from a Content-Location URL and print it.
    Fetch(FetchArgs),
    /// Run the mock MMSC (the network side for UI tests and manual work) until Ctrl-C.
    MockMmsc(MockArgs),
}

/// Options shared by `send` and `fetch`: where the MMSC is and how to reach it.
#[derive(clap::Args, Debug)]
struct NetArgs {
    /// The MMSC URL (overrides the profile's).
    #[arg(long)]
    mmsc: Option<String>,
    /// The carrier proxy, HOST:PORT.
    #[arg(long)]
    proxy: Option<String>,
    /// An extra HTTP header, `Name: value` (repeatable; ##LINE1## expands to --from).
    #[arg(long = "header")]
    headers: Vec<String>,
    /// A carrier profile (TOML with the keys of CarrierProfile).
    #[arg(long)]
    profile: Option<PathBuf>,
    /// PEM file of operator trust anchors for an https MMSC.
    #[arg(long)]
    anchor: Option<PathBuf>,
    /// Your own number (for ##LINE1## and subscriber identification).
    #[arg(long)]
    from: Option<String>,
}

#[derive(clap::Args, Debug)]
struct SendArgs {
    #[command(flatten)]
    net: NetArgs,
    /// Recipient (repeatable).
    #[arg(long = "to", required = true)]
    to: Vec<String>,
    /// Subject.
    #[arg(long)]
    subject: Option<String>,
    /// The SQLite file to journal in (a temporary one by default).
    #[arg(long)]
    db: Option<PathBuf>,
    /// Files to attach (type from the extension, checked against the bytes).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(clap::Args, Debug)]
struct FetchArgs {
    #[command(flatten)]
    net: NetArgs,
    /// The Content-Location to fetch.
    url: String,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
struct MockArgs {
    /// Address to listen on (port 0 picks one, printed at start).
    #[arg(long, default_value = "127.0.0.1:0")]
    bind: std::net::SocketAddr,
    /// Path prefix of the MM1 endpoint.
    #[arg(long, default_value = "/mms")]
    prefix: String,
    /// A subscriber: NUMBER or NUMBER=HOST:PORT (UDP push address). Repeatable.
    #[arg(long = "subscriber")]
    subscribers: Vec<String>,
    /// Serve HTTPS with a generated test CA (written to --ca-out).
    #[arg(long)]
    tls: bool,
    /// Where to write the test CA (PEM) with --tls.
    #[arg(long)]
    ca_out: Option<PathBuf>,
    /// Also start a proxy front (CONNECT and absolute-form requests).
    #[arg(long)]
    proxy_front: bool,
}

#[derive(clap::Args, Debug)]
struct DemoArgs {
    /// Write the transcript as JSON to standard output (instead of progress lines).
    #[arg(long)]
    json: bool,
}

fn run_demo(args: &DemoArgs) -> Result<(), Failure> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure {
            code: 2,
            message: format!("cannot start the runtime: {e}"),
            hint: "check the machine's resources",
        })?;
    if !args.json {
        println!("mms-core demo: mock MMSC on loopback, phones A, B, C\n");
    }
    let t = rt.block_on(demo::run(!args.json)).map_err(|e| Failure {
        code: 2,
        message: format!("the demo could not run: {e}"),
        hint: "it needs loopback networking and a writable temporary directory",
    })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&t).unwrap_or_default());
    } else {
        let failed = t.steps.iter().filter(|s| !s.ok).count();
        println!(
            "\n{} steps, {} as expected, {} not, in {} ms",
            t.steps.len(),
            t.steps.len() - failed,
            failed,
            t.total_ms
        );
    }
    if t.ok {
        Ok(())
    } else {
        Err(Failure {
            code: 1,
            message: "some demo steps did not behave as expected".into(),
            hint: "see the steps marked FAIL above",
        })
    }
}

#[derive(Subcommand, Debug)]
enum ProvisionCommand {
    /// Print the document and the MMS settings it would set, without verifying it.
    Inspect(ProvisionArgs),
    /// Verify SEC/MAC with the IMSI and/or PIN; exit code 1 when it does not verify.
    Verify(ProvisionArgs),
}

#[derive(clap::Args, Debug)]
struct ProvisionArgs {
    /// A WSP push with the provisioning content type, or the WBXML document alone.
    file: PathBuf,
    /// SEC method (0 NETWPIN, 1 USERPIN, 2 USERNETWPIN, 3 USERPINMAC); taken from the push when
    /// the file is one.
    #[arg(long)]
    sec: Option<u64>,
    /// MAC (40 hex digits); taken from the push when the file is one.
    #[arg(long)]
    mac: Option<String>,
    /// The subscriber's IMSI (NETWPIN, USERNETWPIN).
    #[arg(long)]
    imsi: Option<String>,
    /// The PIN the user was given (USERPIN, USERNETWPIN, USERPINMAC).
    #[arg(long)]
    pin: Option<String>,
    /// The file holds hex text.
    #[arg(long)]
    hex: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
struct PushCheckArgs {
    /// The file to read (`-` for standard input).
    file: PathBuf,
    /// The provisioned MMSC URL the Content-Location must be on.
    #[arg(long)]
    mmsc: String,
    /// The push origin (originating address); taken from the TPDUs with --sms.
    #[arg(long, default_value = "unknown")]
    origin: String,
    /// Trusted push origins (repeatable).
    #[arg(long = "trusted")]
    trusted: Vec<String>,
    /// Whitelisted SIR gateways (repeatable).
    #[arg(long = "gateway")]
    gateways: Vec<String>,
    /// The file holds SMS-DELIVER TPDUs in hex, one per line, with the SMSC prefix.
    #[arg(long)]
    sms: bool,
    /// The file holds hex text, not binary.
    #[arg(long)]
    hex: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
struct DecodeArgs {
    /// The file to read (`-` for standard input).
    file: PathBuf,
    /// The file holds hex text (whitespace and `#` comment lines ignored), not binary.
    #[arg(long)]
    hex: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// A failure with the one-line message and hint the user sees.
struct Failure {
    code: u8,
    message: String,
    hint: &'static str,
}

/// The single-threaded runtime the network commands run on.
fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure {
            code: 2,
            message: e.to_string(),
            hint: "",
        })
}

/// The default MM1 transport for `profile` (proxy, operator anchors, carrier headers).
fn http_transport(profile: &mms_core::CarrierProfile) -> Result<mms_core::HttpTransport, Failure> {
    mms_core::HttpTransport::new(profile).map_err(|e| Failure {
        code: 2,
        message: e.to_string(),
        hint: "check --proxy and --anchor",
    })
}

fn read_input(path: &PathBuf, hex: bool) -> Result<Vec<u8>, Failure> {
    let raw = if path.as_os_str() == "-" {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut v).map(|_| v)
    } else {
        std::fs::read(path)
    }
    .map_err(|e| Failure {
        code: 2,
        message: format!("cannot read {}: {e}", path.display()),
        hint: "check the path (use - for standard input)",
    })?;
    let looks_hex = raw
        .iter()
        .all(|b| b.is_ascii_hexdigit() || b.is_ascii_whitespace())
        && !raw.is_empty();
    if hex || (looks_hex && path.extension().is_some_and(|e| e == "hex")) || is_annotated_hex(&raw)
    {
        let text = String::from_utf8_lossy(&raw);
        let digits: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
            .collect();
        return hex::decode(&digits).map_err(|e| Failure {
            code: 2,
            message: format!("{} is not valid hex: {e}", path.display()),
            hint: "drop --hex for binary files",
        });
    }
    Ok(raw)
}

fn is_annotated_hex(raw: &[u8]) -> bool {
    raw.first() == Some(&b'#')
        && raw
            .split(|b| *b == b'\n')
            .filter(|l| !l.starts_with(b"#"))
            .all(|l| {
                l.iter()
                    .all(|b| b.is_ascii_hexdigit() || b.is_ascii_whitespace())
            })
}

#[derive(serde::Serialize)]
struct DecodeOutput {
    /// "mms" for a bare PDU, "wsp-push" when a push wrapped it.
    layer: &'static str,
    push_content_type: Option<String>,
    pdu: PduRecord,
    #[serde(skip_serializing_if = "Option::is_none")]
    render_plan: Option<mms_core::content::RenderPlan>,
    links: Vec<String>,
}

fn plan_text(plan: &mms_core::content::RenderPlan) -> String {
    let mut s = format!(
        "Render plan: {} slides, {} ms total, root {}x{}{}\n",
        plan.slides.len(),
        plan.total_ms,
        plan.root.0,
        plan.root.1,
        if plan.from_smil {
            ", from SMIL".to_string()
        } else {
            format!(
                ", sequential ({})",
                plan.smil_fallback.as_deref().unwrap_or("")
            )
        }
    );
    for p in &plan.parts {
        let reasons: Vec<&str> = p.reasons.iter().map(|r| r.code()).collect();
        s.push_str(&format!(
            "  part {}: {:?} ({}{}) [{}]\n",
            p.index,
            p.decision,
            p.declared_type,
            if p.sniffed_type != p.declared_type {
                format!(", bytes are {}", p.sniffed_type)
            } else {
                String::new()
            },
            reasons.join(", ")
        ));
    }
    for sl in &plan.slides {
        let items: Vec<String> = sl
            .items
            .iter()
            .map(|i| match i.region {
                Some(r) => format!(
                    "part {} @{},{} {}x{}",
                    i.part, r.left, r.top, r.width, r.height
                ),
                None => format!("part {}", i.part),
            })
            .collect();
        s.push_str(&format!(
            "  slide {}: {} ms: {}\n",
            sl.index,
            sl.duration_ms,
            items.join("; ")
        ));
    }
    for d in &plan.dropped {
        s.push_str(&format!("  dropped {} reference: {}\n", d.reason, d.src));
    }
    for a in &plan.adjustments {
        s.push_str(&format!(
            "  adjusted {}: {} -> {}\n",
            a.what, a.requested, a.applied
        ));
    }
    s
}

/// A WBXML document (SI, SL or provisioning) rendered as XML.
#[derive(serde::Serialize)]
struct WbxmlOutput {
    layer: &'static str,
    push_content_type: Option<String>,
    kind: &'static str,
    xml: String,
}

fn wbxml_xml(body: &[u8]) -> Option<(&'static str, String)> {
    use mms_core::wbxml::{self, pages};
    let public_id = body.get(1).copied().unwrap_or(0);
    let order: [(&'static str, &dyn wbxml::CodePages); 3] = match public_id {
        0x05 => [
            ("si", &pages::SiPages),
            ("sl", &pages::SlPages),
            ("provisioning", &mms_core::provisioning::pages::ProvPages),
        ],
        0x06 => [
            ("sl", &pages::SlPages),
            ("si", &pages::SiPages),
            ("provisioning", &mms_core::provisioning::pages::ProvPages),
        ],
        _ => [
            ("provisioning", &mms_core::provisioning::pages::ProvPages),
            ("si", &pages::SiPages),
            ("sl", &pages::SlPages),
        ],
    };
    order.into_iter().find_map(|(kind, p)| {
        wbxml::decode(body, p, &wbxml::WbxmlLimits::default())
            .ok()
            .map(|d| {
                let xml = if kind == "provisioning" {
                    mms_core::provisioning::decode_wbxml(body)
                        .map(|doc| doc.to_xml())
                        .unwrap_or_else(|_| d.root.to_xml())
                } else {
                    d.root.to_xml()
                };
                (kind, xml)
            })
    })
}

/// SMS-DELIVER TPDUs in hex, one per line, reassembled into the WDP datagram they carry.
fn sms_datagram(raw: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(raw).ok()?;
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    if lines.is_empty() {
        return None;
    }
    let mut r = mms_core::push::Reassembler::new(Default::default());
    for l in lines {
        let tpdu = hex::decode(l).ok()?;
        let seg = mms_core::push::parse_deliver(&tpdu, true)
            .or_else(|_| mms_core::push::parse_deliver(&tpdu, false))
            .ok()?;
        if let mms_core::push::Reassembly::Complete { datagram, .. } = r.push(seg, 0) {
            return Some(datagram);
        }
    }
    None
}

fn print_pdu(
    args: &DecodeArgs,
    layer: &'static str,
    push_ct: Option<String>,
    decoded: &mms_core::pdu::Decoded<'_>,
) {
    let record = PduRecord::from_decoded(decoded);
    let render_plan = (!decoded.pdu.parts().is_empty()).then(|| {
        mms_core::content::plan_message(&decoded.pdu, &mms_core::content::MediaPolicy::default())
    });
    let links: Vec<String> = mms_core::links::extract_from_pdu(&decoded.pdu)
        .into_iter()
        .map(|l| l.uri)
        .collect();
    if args.json {
        let out = DecodeOutput {
            layer,
            push_content_type: push_ct,
            pdu: record,
            render_plan,
            links,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        );
    } else {
        if let Some(ct) = push_ct {
            println!("WSP push: {ct}");
        }
        print!("{}", record.to_text());
        if let Some(plan) = &render_plan {
            print!("{}", plan_text(plan));
        }
        if !links.is_empty() {
            println!(
                "Links ({}; `mms links` shows what the gate decides):",
                links.len()
            );
            for l in &links {
                println!("  {l}");
            }
        }
    }
}

fn print_wbxml(
    args: &DecodeArgs,
    layer: &'static str,
    push_ct: Option<String>,
    kind: &'static str,
    xml: String,
) {
    if args.json {
        let out = WbxmlOutput {
            layer,
            push_content_type: push_ct,
            kind,
            xml,
        };
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        if let Some(ct) = push_ct {
            println!("WSP push: {ct}");
        }
        println!("WBXML {kind} document:");
        print!("{xml}");
    }
}

fn decode(args: &DecodeArgs) -> Result<(), Failure> {
    let bytes = read_input(&args.file, args.hex)?;
    decode_bytes(args, &bytes, "mms")
}

fn decode_bytes(args: &DecodeArgs, bytes: &[u8], outer: &'static str) -> Result<(), Failure> {
    let reject = |e: String| Failure {
        code: 1,
        message: format!("not an MMS PDU, WAP push, WBXML document or SMS TPDU: {e}"),
        hint: "use --hex for hex text; the offset names the first octet that could not be read",
    };
    // 1. A bare MMS PDU.
    let pdu_err = match Pdu::decode_lenient(bytes) {
        Ok(d) => {
            print_pdu(
                args,
                if outer == "sms" { "sms+mms" } else { "mms" },
                None,
                &d,
            );
            return Ok(());
        }
        Err(e) => e.to_string(),
    };
    // 2. A WSP push (MMS, SI, SL, provisioning).
    if let Ok(push) = decode_push(bytes) {
        let ct = Some(push.content_type.to_string());
        let layer = if outer == "sms" {
            "sms+wsp-push"
        } else {
            "wsp-push"
        };
        if let Ok(d) = Pdu::decode_lenient(push.body) {
            print_pdu(args, layer, ct, &d);
            return Ok(());
        }
        if let Some((kind, xml)) = wbxml_xml(push.body) {
            print_wbxml(args, layer, ct, kind, xml);
            return Ok(());
        }
        return Err(Failure {
            code: 1,
            message: format!(
                "WSP push of {} with a body that does not decode",
                push.content_type
            ),
            hint: "this push is for another application or is malformed",
        });
    }
    // 3. A WBXML document alone.
    if bytes.first().is_some_and(|v| *v <= 3) {
        if let Some((kind, xml)) = wbxml_xml(bytes) {
            print_wbxml(args, "wbxml", None, kind, xml);
            return Ok(());
        }
    }
    // 4. SMS TPDUs in hex, one per line.
    if outer != "sms" {
        if let Ok(raw) = std::fs::read(&args.file) {
            if let Some(datagram) = sms_datagram(&raw) {
                return decode_bytes(args, &datagram, "sms");
            }
        }
    }
    Err(reject(pdu_err))
}

#[derive(serde::Serialize)]
struct LinkRow {
    uri: String,
    part: usize,
    offset: usize,
    origin: mms_core::links::LinkOrigin,
    decision: mms_core::links::LinkDecision,
}

fn links(args: &DecodeArgs) -> Result<(), Failure> {
    use mms_core::links::{LinkDecision, LinkGate, LinkSource, extract_from_pdu};
    let bytes = read_input(&args.file, args.hex)?;
    let decoded = Pdu::decode_lenient(&bytes).map_err(|e| Failure {
        code: 1,
        message: format!("not a valid MMS PDU: {e}"),
        hint: "mms links reads a retrieve-conf or send-req (use --hex for hex text)",
    })?;
    let message_id = decoded
        .pdu
        .message_id()
        .or(decoded.pdu.transaction_id())
        .map(|t| t.to_string())
        .unwrap_or_else(|| "(no id)".into());
    let audit = std::sync::Arc::new(mms_core::audit::MemoryAudit::default());
    let gate = LinkGate::new(
        std::sync::Arc::new(mms_core::clock::SystemClock),
        audit,
        300,
    );
    let rows: Vec<LinkRow> = extract_from_pdu(&decoded.pdu)
        .into_iter()
        .map(|l| {
            let decision = gate.request_action(
                &l.uri,
                LinkSource {
                    message_id: message_id.clone(),
                    part: Some(l.part),
                    offset: Some(l.offset),
                },
            );
            LinkRow {
                uri: l.uri,
                part: l.part,
                offset: l.offset,
                origin: l.origin,
                decision,
            }
        })
        .collect();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&rows)
                .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        );
        return Ok(());
    }
    if rows.is_empty() {
        println!("no links");
    }
    for r in &rows {
        match &r.decision {
            LinkDecision::Blocked { blocked, .. } => println!(
                "[part {} @{}] {}\n    BLOCKED ({}): {}",
                r.part,
                r.offset,
                r.uri,
                blocked.reason.code(),
                blocked.detail
            ),
            LinkDecision::NeedsConfirmation(p) => println!(
                "[part {} @{}] {}\n    NEEDS CONFIRMATION ({:?}): {}",
                r.part, r.offset, r.uri, p.cost, p.description
            ),
        }
    }
    Ok(())
}

fn push_check(args: &PushCheckArgs) -> Result<(), Failure> {
    use mms_core::push::*;
    use std::sync::Arc;
    url_check(&args.mmsc)?;
    let audit = Arc::new(mms_core::audit::MemoryAudit::default());
    let clock = Arc::new(mms_core::clock::SystemClock);
    let policy = PushPolicy {
        mmsc_url: Some(args.mmsc.clone()),
        trusted_origins: args.trusted.clone(),
        sir_gateways: args.gateways.clone(),
        ..PushPolicy::default()
    };
    let handler = PushHandler::new(
        PushValidator::new(policy, clock.clone(), audit.clone()),
        ReassemblyLimits::default(),
        clock,
        audit,
    );
    let verdict = if args.sms {
        let raw = read_input(&args.file, false)?;
        let text = String::from_utf8_lossy(&raw);
        let mut last = None;
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let tpdu = hex::decode(line).map_err(|e| Failure {
                code: 2,
                message: format!("a TPDU line is not hex: {e}"),
                hint: "--sms expects one SMS-DELIVER TPDU (with SMSC prefix) in hex per line",
            })?;
            last = handler.handle_sms(&tpdu, true);
        }
        last.ok_or(Failure {
            code: 1,
            message: "the SMS segments do not complete a push".into(),
            hint: "give every segment of the concatenated message",
        })?
    } else {
        let bytes = read_input(&args.file, args.hex)?;
        // A bare MMS PDU (starting with X-Mms-Message-Type) is wrapped as the MMS UA's push.
        let wsp = if bytes.first() == Some(&0x8c) {
            encode_mms_push(0, &bytes)
        } else {
            bytes
        };
        handler.handle_platform(&args.origin, Some(PORT_PUSH), &wsp)
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&verdict)
                .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        );
    } else {
        println!(
            "origin:   {} ({})",
            verdict.origin,
            if verdict.trusted_origin {
                "trusted"
            } else {
                "not on the whitelist"
            }
        );
        println!("kind:     {:?}", verdict.kind);
        println!(
            "verdict:  {:?} ({}){}",
            verdict.verdict,
            verdict.reason.code(),
            verdict
                .threat
                .map(|t| format!(" [{t}]"))
                .unwrap_or_default()
        );
        if !verdict.detail.is_empty() {
            println!("detail:   {}", verdict.detail);
        }
        println!(
            "download: {}",
            if verdict.auto_download {
                "automatic"
            } else {
                "not automatic"
            }
        );
        match &verdict.content {
            PushContent::Notification(n) => {
                println!("transaction id: {}", n.transaction_id);
                println!("location:       {}", n.content_location);
                if let Some(f) = &n.from {
                    println!("from:           {f}");
                }
                if let Some(s) = n.size {
                    println!("size:           {s}");
                }
            }
            PushContent::ServiceIndication {
                si, action_allowed, ..
            } => {
                println!("SI text:  {}", si.text);
                println!(
                    "SI href:  {} (shown as text only)",
                    si.href.as_deref().unwrap_or("-")
                );
                println!(
                    "SI action {} {}",
                    si.action,
                    if *action_allowed {
                        "allowed"
                    } else {
                        "ignored"
                    }
                );
            }
            PushContent::ServiceLoading(sl) => {
                println!("SL href:  {} (never loaded automatically)", sl.href)
            }
            PushContent::Provisioning { sec, mac, body, .. } => {
                println!(
                    "provisioning document: {} octets, SEC {sec:?}, MAC {}",
                    body.len(),
                    mac.as_deref().unwrap_or("(none)")
                )
            }
            _ => {}
        }
        if let Some(a) = &verdict.audit {
            println!(
                "audit:    {:?} {} {}",
                a.outcome,
                a.reason,
                a.threat.as_deref().unwrap_or("")
            );
        }
    }
    if verdict.verdict == Verdict::Reject {
        return Err(Failure {
            code: 1,
            message: format!(
                "push rejected: {} {}",
                verdict.reason.code(),
                verdict.detail
            ),
            hint: "the verdict above says why; see ../shared/THREATS.md for the threat ID",
        });
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct ProvisionOutput {
    sec: Option<u64>,
    method: Option<mms_core::provisioning::SecMethod>,
    authentication:
        Option<Result<mms_core::provisioning::AuthResult, mms_core::provisioning::AuthError>>,
    document: mms_core::provisioning::ProvisioningDoc,
    mms_settings: Option<mms_core::provisioning::MmsSettings>,
    settings_error: Option<String>,
}

fn provision(cmd: &ProvisionCommand) -> Result<(), Failure> {
    use mms_core::pdu::ParamValue;
    use mms_core::provisioning::{self as prov, Credentials, Secret};
    let (args, verifying) = match cmd {
        ProvisionCommand::Inspect(a) => (a, false),
        ProvisionCommand::Verify(a) => (a, true),
    };
    let bytes = read_input(&args.file, args.hex)?;
    let (mut sec, mut mac, body) = match mms_core::push::decode_push(&bytes) {
        Ok(p) if p.kind() == mms_core::push::PushKind::Provisioning => {
            let sec = match p
                .content_type
                .param(mms_core::pdu::content_type::param::SEC)
            {
                Some(ParamValue::Integer(i)) => Some(*i),
                _ => None,
            };
            let mac = match p
                .content_type
                .param(mms_core::pdu::content_type::param::MAC)
            {
                Some(ParamValue::Text(t)) => Some(t.to_string()),
                _ => None,
            };
            (sec, mac, p.body.to_vec())
        }
        _ => (None, None, bytes),
    };
    sec = args.sec.or(sec);
    mac = args.mac.clone().or(mac);
    let inspection = prov::inspect(sec, &body).map_err(|e| Failure {
        code: 1,
        message: format!("not a valid provisioning document: {e}"),
        hint: "give the WBXML document or the WSP push that carried it (use --hex for hex text)",
    })?;
    let authentication = verifying.then(|| {
        let creds = Credentials {
            imsi: args.imsi.clone().map(Secret::new),
            pin: args.pin.clone().map(Secret::new),
        };
        prov::verify(sec, mac.as_deref(), &body, &creds)
    });
    let (mms_settings, settings_error) = match &inspection.settings {
        Ok(s) => (Some(s.clone()), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let out = ProvisionOutput {
        sec,
        method: inspection.method,
        authentication,
        document: inspection.document,
        mms_settings,
        settings_error,
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        );
    } else {
        print!("{}", out.document.to_xml());
        match out.method {
            Some(m) => println!(
                "security: {m:?} (SEC={}){}",
                sec.unwrap_or(0),
                if m == prov::SecMethod::Netwpin {
                    " - weak: the IMSI is not secret"
                } else {
                    ""
                }
            ),
            None => println!("security: none (the document is not authenticated)"),
        }
        if let Some(a) = &out.authentication {
            match a {
                Ok(r) => println!("verified: yes ({:?} strength)", r.strength),
                Err(e) => println!("verified: NO ({e})"),
            }
        }
        match (&out.mms_settings, &out.settings_error) {
            (Some(s), _) => {
                println!("MMSC:     {}", s.mmsc_url);
                if let Some(p) = &s.proxy {
                    println!("proxy:    {}:{}", p.host, p.port);
                }
                if let Some(a) = &s.apn {
                    println!("APN:      {a}");
                }
            }
            (None, Some(e)) => println!("MMS settings: none ({e})"),
            _ => {}
        }
    }
    if let Some(Err(e)) = &out.authentication {
        return Err(Failure {
            code: 1,
            message: format!("the document does not verify: {e}"),
            hint: "check the IMSI/PIN; a document that does not verify must never be applied",
        });
    }
    Ok(())
}

fn url_check(u: &str) -> Result<(), Failure> {
    match u.split_once("://") {
        Some((s, rest)) if (s == "http" || s == "https") && !rest.is_empty() => Ok(()),
        _ => Err(Failure {
            code: 2,
            message: format!("--mmsc {u:?} is not an http(s) URL"),
            hint: "give the provisioned MMSC URL, e.g. --mmsc http://mmsc.operator.example:8002/mms",
        }),
    }
}

fn net_profile(n: &NetArgs) -> Result<mms_core::CarrierProfile, Failure> {
    let mut p = match &n.profile {
        Some(f) => {
            let text = std::fs::read_to_string(f).map_err(|e| Failure {
                code: 2,
                message: format!("cannot read {}: {e}", f.display()),
                hint: "give a TOML carrier profile",
            })?;
            mms_core::CarrierProfile::from_toml(&text).map_err(|e| Failure {
                code: 2,
                message: format!("bad profile {}: {e}", f.display()),
                hint: "keys are those of CarrierProfile (mmsc_url, proxy, http_headers, ...)",
            })?
        }
        None => mms_core::CarrierProfile::default(),
    };
    if let Some(m) = &n.mmsc {
        p.mmsc_url = m.clone();
    }
    if n.proxy.is_some() {
        p.proxy = n.proxy.clone();
    }
    p.http_headers.extend(n.headers.iter().cloned());
    if n.from.is_some() {
        p.line1 = n.from.clone();
    }
    if let Some(a) = &n.anchor {
        p.operator_anchors_pem = Some(std::fs::read_to_string(a).map_err(|e| Failure {
            code: 2,
            message: format!("cannot read {}: {e}", a.display()),
            hint: "give a PEM file",
        })?);
    }
    url_check(&p.mmsc_url)?;
    Ok(p)
}

fn media_type_of(path: &std::path::Path, data: &[u8]) -> String {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let by_ext = match ext.as_str() {
        "txt" => "text/plain",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "amr" => "audio/amr",
        "mp3" => "audio/mpeg",
        "3gp" => "video/3gpp",
        "mp4" => "video/mp4",
        "smil" => "application/smil",
        "vcf" => "text/x-vcard",
        _ => "",
    };
    if by_ext.is_empty() {
        mms_core::content::sniff(data).media.to_string()
    } else {
        by_ext.to_string()
    }
}

fn send_cmd(a: &SendArgs) -> Result<(), Failure> {
    use mms_core::{Draft, DraftPart, MmsClient, NoopListener};
    let profile = net_profile(&a.net)?;
    let mut parts = Vec::new();
    for f in &a.files {
        let data = std::fs::read(f).map_err(|e| Failure {
            code: 2,
            message: format!("cannot read {}: {e}", f.display()),
            hint: "check the file paths",
        })?;
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("part")
            .to_string();
        parts.push(DraftPart {
            content_type: media_type_of(f, &data),
            name,
            data,
        });
    }
    let db = a.db.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("mms-send-{}.db", std::process::id()))
    });
    let rt = runtime()?;
    let transport = std::sync::Arc::new(http_transport(&profile)?);
    let client = MmsClient::open(&db, profile, transport, std::sync::Arc::new(NoopListener))
        .map_err(|e| Failure {
            code: 2,
            message: e.to_string(),
            hint: "check --db",
        })?;
    let draft = Draft {
        to: a.to.clone(),
        subject: a.subject.clone(),
        parts,
        ..Draft::default()
    };
    let r = rt.block_on(client.send(draft));
    let row = client.messages().ok().and_then(|m| m.into_iter().next());
    match (r, row) {
        (Ok(_), Some(m)) => {
            println!(
                "sent: {} (transaction {}, Message-ID {}, {} octets)",
                m.state,
                m.transaction_id,
                m.message_id.unwrap_or_default(),
                m.size.unwrap_or(0)
            );
            Ok(())
        }
        (Err(e), _) => Err(Failure {
            code: 1,
            message: format!("not sent: {e}"),
            hint: "see the MMSC's answer above; -v shows the exchange",
        }),
        (Ok(_), None) => Err(Failure {
            code: 1,
            message: "sent, but the journal is empty".into(),
            hint: "",
        }),
    }
}

fn fetch_cmd(a: &FetchArgs) -> Result<(), Failure> {
    use mms_core::Mm1Transport;
    let mut profile = net_profile(&NetArgs {
        mmsc: Some(a.net.mmsc.clone().unwrap_or_else(|| a.url.clone())),
        proxy: a.net.proxy.clone(),
        headers: a.net.headers.clone(),
        profile: a.net.profile.clone(),
        anchor: a.net.anchor.clone(),
        from: a.net.from.clone(),
    })?;
    profile.max_response_size = profile.max_response_size.max(4 * 1024 * 1024);
    let t = http_transport(&profile)?;
    let rt = runtime()?;
    let resp = rt.block_on(t.get(&a.url)).map_err(|e| Failure {
        code: 1,
        message: format!("fetch failed: {e}"),
        hint: "is the URL reachable (through --proxy)?",
    })?;
    if !(200..300).contains(&resp.status) {
        return Err(Failure {
            code: 1,
            message: format!("HTTP {}", resp.status),
            hint: "the MMSC refused or no longer has the message",
        });
    }
    let d = Pdu::decode_lenient(&resp.body).map_err(|e| Failure {
        code: 1,
        message: format!("not an MMS PDU: {e}"),
        hint: "the server answered with something else",
    })?;
    let record = PduRecord::from_decoded(&d);
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&record).unwrap_or_default()
        );
    } else {
        print!("{}", record.to_text());
    }
    Ok(())
}

fn mock_cmd(a: &MockArgs) -> Result<(), Failure> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure {
            code: 2,
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
            code: 2,
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
                code: 2,
                message: format!("cannot write {}: {e}", out.display()),
                hint: "",
            })?;
        }
        println!(
            "mock-mmsc listening on {} (MMSC URL {})",
            mmsc.addr(),
            mmsc.url()
        );
        if let Some(p) = mmsc.proxy_addr() {
            println!("proxy front on {p}");
        }
        let _ = tokio::signal::ctrl_c().await;
        Ok(())
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = match cli.verbose {
        0 => "error",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level)),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let result = match &cli.command {
        Command::Decode(a) => decode(a),
        Command::Links(a) => links(a),
        Command::PushCheck(a) => push_check(a),
        Command::Provision(c) => provision(c),
        Command::Demo(a) => run_demo(a),
        Command::Send(a) => send_cmd(a),
        Command::Fetch(a) => fetch_cmd(a),
        Command::MockMmsc(a) => mock_cmd(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}\n  hint: {}", f.message, f.hint);
            ExitCode::from(f.code)
        }
    }
}
