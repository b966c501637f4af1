//! The push entry point the app uses: raw SMS TPDUs (reassembled here), WDP datagrams from
//! UDP, or pushes the platform already reassembled, all ending in the same validator.

use super::validator::PushValidator;
use super::verdict::{Bearer, PushChannel, PushContent, PushReason, PushVerdict, Verdict};
use crate::audit::{AuditArea, AuditEvent, AuditOutcome, AuditSink};
use crate::clock::Clock;
use mms_codec::push::{PushKind, Reassembler, Reassembly, ReassemblyLimits, parse_deliver};
use std::sync::{Arc, Mutex};

/// Reassembles and validates pushes.
pub struct PushHandler {
    validator: PushValidator,
    reassembler: Mutex<Reassembler>,
    clock: Arc<dyn Clock>,
    audit: Arc<dyn AuditSink>,
}

impl std::fmt::Debug for PushHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushHandler")
            .field("validator", &self.validator)
            .finish_non_exhaustive()
    }
}

impl PushHandler {
    /// A handler around `validator`.
    pub fn new(
        validator: PushValidator,
        limits: ReassemblyLimits,
        clock: Arc<dyn Clock>,
        audit: Arc<dyn AuditSink>,
    ) -> Self {
        Self {
            validator,
            reassembler: Mutex::new(Reassembler::new(limits)),
            clock,
            audit,
        }
    }

    /// The validator.
    pub fn validator(&self) -> &PushValidator {
        &self.validator
    }

    /// Messages waiting for more segments.
    pub fn pending_reassemblies(&self) -> usize {
        self.reassembler.lock().map(|r| r.pending()).unwrap_or(0)
    }

    /// Octets held by the reassembler.
    pub fn held_bytes(&self) -> usize {
        self.reassembler.lock().map(|r| r.held_bytes()).unwrap_or(0)
    }

    fn rejected(&self, origin: &str, reason: PushReason, detail: String) -> PushVerdict {
        let e = AuditEvent {
            at: self.clock.now(),
            area: AuditArea::Push,
            outcome: AuditOutcome::Rejected,
            reason: reason.code().into(),
            threat: reason.threat().map(str::to_string),
            subject: origin.chars().take(64).collect(),
            detail,
        };
        self.audit.record(e.clone());
        PushVerdict {
            verdict: Verdict::Reject,
            reason,
            threat: reason.threat(),
            detail: e.detail.clone(),
            kind: PushKind::Other,
            origin: origin.to_string(),
            trusted_origin: self.validator.is_trusted(origin),
            auto_download: false,
            content: PushContent::None,
            audit: Some(e),
        }
    }

    /// Handles one SMS-DELIVER TPDU. Returns `None` while more segments are awaited.
    pub fn handle_sms(&self, tpdu: &[u8], with_smsc: bool) -> Option<PushVerdict> {
        let seg = match parse_deliver(tpdu, with_smsc) {
            Ok(s) => s,
            Err(e) => {
                return Some(self.rejected(
                    "(unknown)",
                    PushReason::Malformed,
                    format!("SMS TPDU: {e}"),
                ));
            }
        };
        let origin = seg.origin.clone();
        let port = seg.dst_port;
        if port.is_none() {
            return Some(self.rejected(
                &origin,
                PushReason::NotForUs,
                "SMS without WDP port addressing".into(),
            ));
        }
        let outcome = match self.reassembler.lock() {
            Ok(mut r) => r.push(seg, self.clock.now()),
            Err(_) => Reassembly::Refused("internal"),
        };
        match outcome {
            Reassembly::Complete {
                origin,
                dst_port,
                datagram,
            } => Some(self.validator.check(
                &origin,
                PushChannel {
                    bearer: Bearer::Sms,
                    dst_port,
                },
                &datagram,
            )),
            Reassembly::Waiting => None,
            Reassembly::Duplicate => None,
            Reassembly::Refused(why) => {
                Some(self.rejected(&origin, PushReason::Malformed, format!("reassembly: {why}")))
            }
        }
    }

    /// Handles a WDP datagram received over UDP/IP on `dst_port` from `origin`.
    pub fn handle_udp(&self, origin: &str, dst_port: u16, datagram: &[u8]) -> PushVerdict {
        self.validator.check(
            origin,
            PushChannel {
                bearer: Bearer::Ip,
                dst_port: Some(dst_port),
            },
            datagram,
        )
    }

    /// Handles a push the platform already reassembled (Android's WAP_PUSH_DELIVER, a modem
    /// daemon), with the port if the platform reports it.
    pub fn handle_platform(&self, origin: &str, dst_port: Option<u16>, wsp: &[u8]) -> PushVerdict {
        self.validator.check(
            origin,
            PushChannel {
                bearer: Bearer::Platform,
                dst_port,
            },
            wsp,
        )
    }
}
