//! `mms decode` (alias `inspect`): an MMS PDU, a WSP push (MMS, SI, SL, provisioning), a WBXML
//! document or SMS TPDUs, printed with every header, part, warning, the render plan and the
//! links.

use crate::failure::{Exit, Failure};
use crate::input::read_input;
use mms_core::pdu::Pdu;
use mms_core::pdu::describe::PduRecord;
use mms_core::push::decode_push;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub(crate) struct DecodeArgs {
    /// The file to read (`-` for standard input).
    pub(crate) file: PathBuf,
    /// The file holds hex text (whitespace and `#` comment lines ignored), not binary.
    #[arg(long)]
    pub(crate) hex: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
    /// Also show where each header and part starts and how long it is (offsets in the input,
    /// as a protocol analyser does).
    #[arg(long)]
    pub(crate) offsets: bool,
}

#[derive(serde::Serialize)]
pub(crate) struct DecodeOutput {
    /// "mms" for a bare PDU, "wsp-push" when a push wrapped it.
    layer: &'static str,
    push_content_type: Option<String>,
    pdu: PduRecord,
    #[serde(skip_serializing_if = "Option::is_none")]
    render_plan: Option<mms_core::content::RenderPlan>,
    links: Vec<String>,
    /// With --offsets: every header and part, where it starts in the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    layout: Option<Vec<mms_core::pdu::layout::Span>>,
}

pub(crate) fn plan_text(plan: &mms_core::content::RenderPlan) -> String {
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
            "  part {}: {} ({}{}) [{}]\n",
            p.index,
            p.decision.code(),
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
pub(crate) struct WbxmlOutput {
    layer: &'static str,
    push_content_type: Option<String>,
    kind: &'static str,
    xml: String,
}

/// A WBXML document as XML, or the error of the code page its public id names.
pub(crate) fn wbxml_decode(body: &[u8]) -> Result<(&'static str, String), String> {
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
    let mut first_error = None;
    for (kind, p) in order {
        match wbxml::decode(body, p, &wbxml::WbxmlLimits::default()) {
            Ok(d) => {
                let xml = if kind == "provisioning" {
                    mms_core::provisioning::decode_wbxml(body)
                        .map(|doc| doc.to_xml())
                        .unwrap_or_else(|_| d.root.to_xml())
                } else {
                    d.root.to_xml()
                };
                return Ok((kind, xml));
            }
            Err(e) => {
                first_error.get_or_insert(format!("{kind}: {e}"));
            }
        }
    }
    Err(first_error.unwrap_or_default())
}

/// SMS-DELIVER TPDUs in hex, one per line, reassembled into the WDP datagram they carry.
pub(crate) fn sms_datagram(raw: &[u8]) -> Option<Vec<u8>> {
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

pub(crate) fn print_pdu(
    args: &DecodeArgs,
    layer: &'static str,
    push_ct: Option<String>,
    decoded: &mms_core::pdu::Decoded<'_>,
    at: (&[u8], usize),
) {
    let layout = args.offsets.then(|| {
        let (mut spans, _) = mms_core::pdu::layout::layout(at.0);
        for sp in &mut spans {
            sp.offset += at.1;
        }
        spans
    });
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
            layout,
        };
        outln!(
            "{}",
            serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        );
    } else {
        if let Some(ct) = push_ct {
            outln!("WSP push: {ct}");
        }
        out!("{}", record.to_text());
        if let Some(plan) = &render_plan {
            out!("{}", plan_text(plan));
        }
        if !links.is_empty() {
            outln!(
                "Links ({}; `mms links` shows what the gate decides):",
                links.len()
            );
            for l in &links {
                outln!("  {l}");
            }
        }
        if let Some(spans) = &layout {
            outln!("Offsets (octet, length):");
            for sp in spans {
                outln!(
                    "  {:>7} {:>7}  {}{}",
                    sp.offset,
                    sp.len,
                    "  ".repeat(usize::from(sp.depth)),
                    sp.what
                );
            }
        }
    }
}

pub(crate) fn print_wbxml(
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
        outln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        if let Some(ct) = push_ct {
            outln!("WSP push: {ct}");
        }
        outln!("WBXML {kind} document:");
        out!("{xml}");
    }
}

pub(crate) fn decode(args: &DecodeArgs) -> Result<(), Failure> {
    let bytes = read_input(&args.file, args.hex)?;
    decode_bytes(args, &bytes, "mms")
}

pub(crate) fn decode_bytes(
    args: &DecodeArgs,
    bytes: &[u8],
    outer: &'static str,
) -> Result<(), Failure> {
    let malformed = |layer: &str, e: String| Failure {
        code: Exit::Malformed,
        message: format!("not a valid {layer}: {e}"),
        hint: "use --hex for hex text; the offset names the first octet that could not be read",
    };
    // 1. A bare MMS PDU.
    let pdu_err = match Pdu::decode_lenient(bytes) {
        Ok(d) => {
            let layer = if outer == "sms" { "sms+mms" } else { "mms" };
            print_pdu(args, layer, None, &d, (bytes, 0));
            return Ok(());
        }
        Err(e) => e.to_string(),
    };
    // 2. A WSP push (MMS, SI, SL, provisioning).
    let push = decode_push(bytes);
    if let Ok(push) = &push {
        let ct = Some(push.content_type.to_string());
        let layer = if outer == "sms" {
            "sms+wsp-push"
        } else {
            "wsp-push"
        };
        let body_at = (push.body.as_ptr() as usize).saturating_sub(bytes.as_ptr() as usize);
        let pdu = Pdu::decode_lenient(push.body);
        if let Ok(d) = &pdu {
            print_pdu(args, layer, ct, d, (push.body, body_at));
            return Ok(());
        }
        let wbxml = wbxml_decode(push.body);
        if let Ok((kind, xml)) = wbxml {
            print_wbxml(args, layer, ct, kind, xml);
            return Ok(());
        }
        // The layer that failed: the body, read as what its content type says it is.
        let (what, err) = if push.content_type.to_string().contains("mms-message") {
            (
                "MMS PDU in the push",
                pdu.err().map(|e| e.to_string()).unwrap_or_default(),
            )
        } else {
            (
                "WBXML document in the push",
                wbxml.err().unwrap_or_default(),
            )
        };
        return Err(Failure {
            code: Exit::Malformed,
            message: format!(
                "WSP push of {} whose body is not a valid {what}: {err}",
                push.content_type
            ),
            hint: "this push is for another application or is malformed",
        });
    }
    // 3. A WBXML document alone (its first octet is the WBXML version, 1.0 to 1.3).
    let looks_wbxml = bytes.first().is_some_and(|v| *v <= 3);
    if looks_wbxml {
        match wbxml_decode(bytes) {
            Ok((kind, xml)) => {
                print_wbxml(args, "wbxml", None, kind, xml);
                return Ok(());
            }
            Err(e) if outer != "sms" && sms_datagram_of(args).is_none() => {
                return Err(malformed("WBXML document", e));
            }
            Err(_) => {}
        }
    }
    // 4. SMS TPDUs in hex, one per line.
    if outer != "sms" {
        if let Some(datagram) = sms_datagram_of(args) {
            return decode_bytes(args, &datagram, "sms");
        }
    }
    // The error of the layer the input looks most like.
    if bytes.first() != Some(&0x8c) {
        if let Err(e) = push {
            if bytes.first().is_some_and(|b| *b < 0x80) && bytes.get(1) == Some(&0x06) {
                return Err(malformed("WSP push", e.to_string()));
            }
        }
    }
    Err(malformed(
        "MMS PDU, WAP push, WBXML document or SMS TPDU list",
        format!("as an MMS PDU: {pdu_err}"),
    ))
}

/// The input file as SMS-DELIVER TPDUs in hex, reassembled.
fn sms_datagram_of(args: &DecodeArgs) -> Option<Vec<u8>> {
    if args.file.as_os_str() == "-" {
        return None;
    }
    std::fs::read(&args.file)
        .ok()
        .and_then(|raw| sms_datagram(&raw))
}
