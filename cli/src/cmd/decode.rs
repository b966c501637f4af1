//! `mms decode` (alias `inspect`): an MMS PDU, a WSP push (MMS, SI, SL, provisioning), a WBXML
//! document or SMS TPDUs, printed with every header, part, warning, the render plan and the
//! links.

use crate::failure::Failure;
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
pub(crate) struct WbxmlOutput {
    layer: &'static str,
    push_content_type: Option<String>,
    kind: &'static str,
    xml: String,
}

pub(crate) fn wbxml_xml(body: &[u8]) -> Option<(&'static str, String)> {
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
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        if let Some(ct) = push_ct {
            println!("WSP push: {ct}");
        }
        println!("WBXML {kind} document:");
        print!("{xml}");
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
