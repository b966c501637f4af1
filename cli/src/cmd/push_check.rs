//! `mms push-check`: a WAP push through the push policy, and its verdict.

use crate::failure::{Exit, Failure};
use crate::input::read_input;
use crate::net::url_check;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub(crate) struct PushCheckArgs {
    /// The file to read (`-` for standard input).
    pub(crate) file: PathBuf,
    /// The provisioned MMSC URL the Content-Location must be on.
    #[arg(long)]
    pub(crate) mmsc: String,
    /// The push origin (originating address); taken from the TPDUs with --sms.
    #[arg(long, default_value = "unknown")]
    pub(crate) origin: String,
    /// Trusted push origins (repeatable).
    #[arg(long = "trusted")]
    pub(crate) trusted: Vec<String>,
    /// Whitelisted SIR gateways (repeatable).
    #[arg(long = "gateway")]
    pub(crate) gateways: Vec<String>,
    /// The file holds SMS-DELIVER TPDUs in hex, one per line, with the SMSC prefix.
    #[arg(long)]
    pub(crate) sms: bool,
    /// The file holds hex text, not binary.
    #[arg(long)]
    pub(crate) hex: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

pub(crate) fn push_check(args: &PushCheckArgs) -> Result<(), Failure> {
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
                code: Exit::Usage,
                message: format!("a TPDU line is not hex: {e}"),
                hint: "--sms expects one SMS-DELIVER TPDU (with SMSC prefix) in hex per line",
            })?;
            last = handler.handle_sms(&tpdu, true);
        }
        last.ok_or(Failure {
            code: Exit::Malformed,
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
    // A provisioning push is only handed on: say what the provisioning module will do with it.
    let provisioning =
        mms_core::provisioning::ProvisioningInput::from_verdict(&verdict).map(|input| {
            let trusted = mms_core::provisioning::trusted_set(&args.trusted);
            match mms_core::provisioning::admission(&input, &trusted) {
                Ok(method) => ProvisioningOutlook {
                    outcome: "needs_verification",
                    method: Some(method.name()),
                    reason: None,
                    threat: None,
                    detail: format!(
                        "applied only if it verifies with the {} and the user confirms it",
                        if method.needs_pin() {
                            "user's PIN"
                        } else {
                            "IMSI"
                        }
                    ),
                },
                Err(e) => ProvisioningOutlook {
                    outcome: "refused",
                    method: None,
                    reason: Some(e.code()),
                    threat: Some(e.threat()),
                    detail: e.to_string(),
                },
            }
        });
    if args.json {
        let out = PushCheckOutput {
            verdict: &verdict,
            provisioning: provisioning.as_ref(),
        };
        outln!(
            "{}",
            serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        );
    } else {
        outln!(
            "origin:   {} ({})",
            verdict.origin,
            if verdict.trusted_origin {
                "trusted"
            } else {
                "not on the whitelist"
            }
        );
        outln!("kind:     {}", verdict.kind.code());
        outln!(
            "verdict:  {} ({}){}",
            verdict.verdict.code(),
            verdict.reason.code(),
            verdict
                .threat
                .map(|t| format!(" [{t}]"))
                .unwrap_or_default()
        );
        if !verdict.detail.is_empty() {
            outln!("detail:   {}", verdict.detail);
        }
        outln!(
            "download: {}",
            if verdict.auto_download {
                "automatic"
            } else {
                "not automatic"
            }
        );
        match &verdict.content {
            PushContent::Notification(n) => {
                outln!("transaction id: {}", n.transaction_id);
                outln!("location:       {}", n.content_location);
                if let Some(f) = &n.from {
                    outln!("from:           {f}");
                }
                if let Some(s) = n.size {
                    outln!("size:           {s}");
                }
            }
            PushContent::ServiceIndication {
                si, action_allowed, ..
            } => {
                outln!("SI text:  {}", si.text);
                outln!(
                    "SI href:  {} (shown as text only)",
                    si.href.as_deref().unwrap_or("-")
                );
                outln!(
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
                outln!("SL href:  {} (never loaded automatically)", sl.href)
            }
            PushContent::Provisioning { sec, mac, body, .. } => {
                outln!(
                    "provisioning document: {} octets, SEC {}, MAC {}",
                    body.len(),
                    sec.map_or("(none)".into(), |s| s.to_string()),
                    mac.as_deref().unwrap_or("(none)")
                );
                if let Some(p) = &provisioning {
                    outln!(
                        "provisioning: {}: {}{}",
                        p.outcome,
                        p.detail,
                        p.threat.map(|t| format!(" [{t}]")).unwrap_or_default()
                    );
                }
            }
            _ => {}
        }
        if let Some(a) = &verdict.audit {
            outln!(
                "audit:    {} {} {}",
                a.outcome.code(),
                a.reason,
                a.threat.as_deref().unwrap_or("")
            );
        }
    }
    if let Some(p) = provisioning.as_ref().filter(|p| p.outcome == "refused") {
        return Err(Failure {
            code: Exit::Rejected,
            message: format!("provisioning push refused: {}", p.detail),
            hint: "SECURITY.md lists the threat IDs (OTA-1 .. OTA-7) and their countermeasures",
        });
    }
    if verdict.verdict == Verdict::Reject {
        return Err(Failure {
            code: if verdict.reason == PushReason::Malformed {
                Exit::Malformed
            } else {
                Exit::Rejected
            },
            message: format!(
                "push rejected: {} {}",
                verdict.reason.code(),
                verdict.detail
            ),
            hint: "the verdict above says why; SECURITY.md lists the threat IDs and their countermeasures",
        });
    }
    Ok(())
}

/// What the provisioning module will do with a provisioning push, shown by push-check.
#[derive(serde::Serialize)]
struct ProvisioningOutlook {
    /// `refused` (whatever the credentials) or `needs_verification`.
    outcome: &'static str,
    /// The SEC method whose credentials it will ask for.
    method: Option<&'static str>,
    /// The refusal's reason code.
    reason: Option<&'static str>,
    /// The refusal's threat ID.
    threat: Option<&'static str>,
    /// In words.
    detail: String,
}

#[derive(serde::Serialize)]
struct PushCheckOutput<'a> {
    #[serde(flatten)]
    verdict: &'a mms_core::push::PushVerdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    provisioning: Option<&'a ProvisioningOutlook>,
}
