//! The push validator: judges a decoded push ([`DecodedPush`]) from an origin on a channel and
//! returns a [`PushVerdict`] (PUSH-1 .. PUSH-8, TLS-2). It decodes nothing itself; it keeps
//! bounded state for flood control ([`super::flood`]) and writes an audit row for every verdict
//! that is not a plain accept.

use super::flood::{FloodState, ValidatorStats};
use super::location::{LocationProblem, MmscLocation};
use super::policy::PushPolicy;
use super::verdict::{
    NotificationInfo, PushChannel, PushContent, PushReason, PushVerdict, Verdict,
};
use crate::audit::{AuditArea, AuditEvent, AuditOutcome, AuditSink};
use crate::clock::Clock;
use crate::numbers::{normalise_origin, normalised_origin};
use mms_codec::pdu::error::DecodeError;
use mms_codec::pdu::{ClassToken, FromValue, Header, MessageClass, MessageType, Pdu, TimeValue};
use mms_codec::provisioning::SecParams;
use mms_codec::push::{
    DecodedPush, Payload, PushKind, ServiceIndication, ServiceLoading, SessionInitiation,
};
use std::collections::{BTreeSet, HashSet};
use std::sync::{Arc, Mutex};
use url::Url;

/// The stateful validator. Safe to share between threads.
pub struct PushValidator {
    policy: PushPolicy,
    mmsc: Option<MmscLocation>,
    /// Ordered, not hashed: a handful of entries from the policy, searched without hashing the
    /// (attacker-chosen) origin on every push.
    trusted: BTreeSet<String>,
    gateways: HashSet<String>,
    clock: Arc<dyn Clock>,
    audit: Arc<dyn AuditSink>,
    state: Mutex<FloodState>,
}

impl std::fmt::Debug for PushValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushValidator")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

/// Who sent the push and what it is, for every verdict on it.
struct Ctx<'a> {
    origin: &'a str,
    trusted: bool,
    kind: PushKind,
}

impl PushValidator {
    /// A validator for `policy`.
    pub fn new(policy: PushPolicy, clock: Arc<dyn Clock>, audit: Arc<dyn AuditSink>) -> Self {
        let mmsc = policy
            .mmsc_url
            .as_deref()
            .and_then(|u| Url::parse(u.trim()).ok())
            .map(MmscLocation::new);
        let trusted = policy
            .trusted_origins
            .iter()
            .map(|o| normalise_origin(o))
            .collect();
        let gateways = policy
            .sir_gateways
            .iter()
            .map(|g| g.trim().to_ascii_lowercase())
            .collect();
        Self {
            policy,
            mmsc,
            trusted,
            gateways,
            clock,
            audit,
            state: Mutex::new(FloodState::default()),
        }
    }

    /// The policy in force.
    pub fn policy(&self) -> &PushPolicy {
        &self.policy
    }

    /// Sizes of the bounded state.
    pub fn stats(&self) -> ValidatorStats {
        let now = self.clock.now();
        self.state
            .lock()
            .map(|s| s.stats(now))
            .unwrap_or(ValidatorStats {
                tracked_origins: 0,
                dedupe_entries: 0,
                flooded: false,
            })
    }

    /// True when `origin` is on the whitelist.
    pub fn is_trusted(&self, origin: &str) -> bool {
        self.trusted.contains(normalised_origin(origin).as_ref())
    }

    /// Decodes a connectionless WSP push (as carried by SMS and UDP, or handed over by the
    /// platform) from `origin`, then judges it.
    pub fn check(&self, origin: &str, channel: PushChannel, wsp: &[u8]) -> PushVerdict {
        self.judge(origin, channel, DecodedPush::decode(wsp))
    }

    /// Decodes a connection-oriented WSP push (no TID), then judges it.
    pub fn check_connection_oriented(
        &self,
        origin: &str,
        channel: PushChannel,
        wsp: &[u8],
    ) -> PushVerdict {
        self.judge(
            origin,
            channel,
            DecodedPush::decode_connection_oriented(wsp),
        )
    }

    /// Judges a push already decoded (or the error that decoding it gave).
    pub fn judge(
        &self,
        origin: &str,
        channel: PushChannel,
        push: Result<DecodedPush<'_>, DecodeError>,
    ) -> PushVerdict {
        let now = self.clock.now();
        let origin_key = normalised_origin(origin);
        let trusted = self.trusted.contains(origin_key.as_ref());
        let mut ctx = Ctx {
            origin,
            trusted,
            kind: PushKind::Other,
        };
        let push = match push {
            Ok(p) => p,
            Err(e) => {
                return self.reject(&ctx, PushReason::Malformed, format!("WSP push: {e}"));
            }
        };
        ctx.kind = push.kind;
        if !channel.is_push_port() {
            return self.reject(
                &ctx,
                PushReason::WrongPort,
                format!("WDP port {:?}", channel.dst_port),
            );
        }
        if ctx.kind == PushKind::Other {
            return self.reject(
                &ctx,
                PushReason::NotForUs,
                format!("content type {}", push.push.content_type),
            );
        }
        let admitted = self
            .state
            .lock()
            .is_ok_and(|mut s| s.admit(&self.policy, &origin_key, trusted, now));
        if !admitted {
            return self.reject(&ctx, PushReason::RateLimited, "over the push rate".into());
        }
        match push.payload {
            Payload::Undecodable(e) => {
                let layer = match ctx.kind {
                    PushKind::Mms => "MMS PDU",
                    PushKind::ServiceIndication => "SI",
                    PushKind::ServiceLoading => "SL",
                    PushKind::SessionInitiation => "SIA",
                    PushKind::Provisioning | PushKind::Other => "body",
                };
                self.reject(&ctx, PushReason::Malformed, format!("{layer}: {e}"))
            }
            Payload::Mms(d) => self.mms(&ctx, &d.pdu, push.push.body, now),
            Payload::ServiceIndication(si) => self.si(&ctx, si, now),
            Payload::ServiceLoading(sl) => self.sl(&ctx, sl),
            Payload::SessionInitiation(sia) => self.sia(&ctx, sia),
            Payload::Provisioning { params, body } => {
                self.provisioning(&ctx, params, body, channel)
            }
            Payload::NotForUs => self.reject(&ctx, PushReason::NotForUs, String::new()),
        }
    }

    fn finish(
        &self,
        ctx: &Ctx<'_>,
        verdict: Verdict,
        reason: PushReason,
        detail: String,
        content: PushContent,
    ) -> PushVerdict {
        let audit = match verdict {
            Verdict::Accept if reason == PushReason::Ok => None,
            _ => {
                let e = AuditEvent {
                    at: self.clock.now(),
                    area: AuditArea::Push,
                    outcome: if verdict == Verdict::Reject {
                        AuditOutcome::Rejected
                    } else {
                        AuditOutcome::Flagged
                    },
                    reason: reason.code().to_string(),
                    threat: reason.threat().map(str::to_string),
                    subject: ctx.origin.chars().take(64).collect(),
                    detail: detail.chars().take(300).collect(),
                };
                self.audit.record(e.clone());
                Some(e)
            }
        };
        PushVerdict {
            verdict,
            reason,
            threat: reason.threat(),
            detail,
            kind: ctx.kind,
            origin: ctx.origin.to_string(),
            trusted_origin: ctx.trusted,
            auto_download: verdict == Verdict::Accept
                && matches!(content, PushContent::Notification(_)),
            content,
            audit,
        }
    }

    fn reject(&self, ctx: &Ctx<'_>, reason: PushReason, detail: String) -> PushVerdict {
        self.finish(ctx, Verdict::Reject, reason, detail, PushContent::None)
    }

    /// Trusted origins are accepted, others kept as unverified (reports and cancels are matched
    /// by the engine, which acts on an unverified one only as far as is safe).
    fn by_origin(&self, ctx: &Ctx<'_>, detail: &str, content: PushContent) -> PushVerdict {
        let (v, r) = if ctx.trusted {
            (Verdict::Accept, PushReason::Ok)
        } else {
            (Verdict::AcceptUnverified, PushReason::UntrustedOrigin)
        };
        self.finish(ctx, v, r, detail.into(), content)
    }

    fn provisioning(
        &self,
        ctx: &Ctx<'_>,
        params: SecParams,
        body: &[u8],
        channel: PushChannel,
    ) -> PushVerdict {
        // Unverified until the provisioning module authenticated it (OTA-1, OTA-2) and the user
        // confirmed it (OTA-5): nothing acts on it before.
        self.finish(
            ctx,
            Verdict::AcceptUnverified,
            PushReason::HandedToProvisioning,
            "client provisioning document, refused unless it verifies".into(),
            PushContent::Provisioning {
                sec: params.sec,
                mac: params.mac,
                body: body.to_vec(),
                channel,
            },
        )
    }

    fn mms(&self, ctx: &Ctx<'_>, pdu: &Pdu<'_>, raw: &[u8], now: u64) -> PushVerdict {
        match pdu.message_type {
            MessageType::NotificationInd => self.notification(ctx, pdu, raw, now),
            MessageType::DeliveryInd | MessageType::ReadOrigInd => {
                if let Err(e) = pdu.validate() {
                    return self.reject(ctx, PushReason::Malformed, e.to_string());
                }
                let content = PushContent::Report {
                    message_type: pdu.message_type.label().to_string(),
                    message_id: pdu.message_id().map(|m| m.to_string()),
                    raw: raw.to_vec(),
                };
                self.by_origin(ctx, "report for the engine to match", content)
            }
            MessageType::CancelReq => {
                // Destructive only for a notification not yet downloaded; a retrieved message
                // is never taken back (the engine only reports the cancel). A cancel from an
                // untrusted origin is unverified: the engine answers it but does not apply it.
                let content = PushContent::Cancel {
                    transaction_id: pdu.transaction_id().map(|t| t.to_string()),
                    cancel_id: pdu.headers.iter().find_map(|h| match h {
                        Header::CancelId(t) => Some(t.to_string()),
                        _ => None,
                    }),
                };
                self.by_origin(ctx, "cancel for the engine to match", content)
            }
            other => self.reject(
                ctx,
                PushReason::UnexpectedMessageType,
                format!("{other} by push"),
            ),
        }
    }

    fn notification(&self, ctx: &Ctx<'_>, pdu: &Pdu<'_>, raw: &[u8], now: u64) -> PushVerdict {
        let Some(tid) = pdu
            .transaction_id()
            .map(|t| t.to_str_lossy().into_owned())
            .filter(|t| !t.is_empty())
        else {
            return self.reject(ctx, PushReason::MissingTransactionId, String::new());
        };
        let Some(location) = pdu.content_location().filter(|c| !c.is_empty()) else {
            return self.reject(ctx, PushReason::MissingLocation, format!("tid {tid}"));
        };
        let Some(mmsc) = &self.mmsc else {
            return self.reject(ctx, PushReason::NoMmscProvisioned, location.into_owned());
        };
        let url = match mmsc.check(&location) {
            Ok(u) => u,
            Err(p) => {
                let reason = if p == LocationProblem::Downgrade {
                    PushReason::TlsDowngrade
                } else {
                    PushReason::SpoofedLocation
                };
                let shown: String = location.chars().take(200).collect();
                return self.reject(ctx, reason, format!("{}: {shown}", p.code()));
            }
        };
        let expiry = pdu.expiry();
        let expires_at = expiry.map(|e| e.resolve(now));
        let message_class = pdu.message_class();
        let class = message_class.map(|c| match c {
            MessageClass::Token(t) => t.label().to_string(),
            MessageClass::Text(t) => t.to_string(),
        });
        let info = NotificationInfo {
            transaction_id: tid,
            content_location: url.into_owned(),
            from: pdu.from().and_then(|f| match f {
                FromValue::Address(a) => Some(a.to_string_lossy().into_owned()),
                FromValue::InsertAddress => None,
            }),
            subject: pdu.subject().map(|s| s.to_string_lossy().into_owned()),
            size: pdu.message_size(),
            expires_at,
            class,
            delivery_report: pdu.delivery_report_requested(),
            raw: raw.to_vec(),
        };
        // One lock for both questions the state answers about a notification.
        let (duplicate, flooded) = self.state.lock().map_or((false, false), |mut s| {
            let seen = s.seen_before(
                &info.transaction_id,
                &info.content_location,
                self.policy.dedupe_capacity,
            );
            (seen, s.flooded(now))
        });
        if duplicate {
            // Refused, and carrying what it repeats: an MMSC repeats a notification when it did
            // not hear the answer, and the engine answers again for a message it holds.
            return self.finish(
                ctx,
                Verdict::Reject,
                PushReason::Duplicate,
                format!("tid {}", info.transaction_id),
                PushContent::Notification(info),
            );
        }
        let defer = |reason, detail: String, info| {
            self.finish(
                ctx,
                Verdict::Defer,
                reason,
                detail,
                PushContent::Notification(info),
            )
        };
        if let Some(TimeValue::Absolute(_) | TimeValue::Relative(_)) = expiry {
            let at = expires_at.unwrap_or(u64::MAX);
            if at <= now {
                return self.reject(ctx, PushReason::Expired, format!("expired at {at}"));
            }
            if at.saturating_sub(now) > self.policy.max_expiry_secs {
                let secs = at.saturating_sub(now);
                return defer(
                    PushReason::ExpiryTooFar,
                    format!("expires in {secs}s"),
                    info,
                );
            }
        }
        if let Some(s) = info.size.filter(|s| *s > self.policy.max_message_size) {
            return defer(PushReason::TooLarge, format!("{s} octets"), info);
        }
        match message_class {
            Some(MessageClass::Token(ClassToken::Unknown(b))) => {
                let b = *b;
                return defer(PushReason::UnknownClass, format!("class 0x{b:02x}"), info);
            }
            Some(MessageClass::Text(_)) => {
                return defer(PushReason::UnknownClass, "textual class".into(), info);
            }
            _ => {}
        }
        if !ctx.trusted {
            let detail = format!("origin {}", ctx.origin);
            return if self.policy.reject_untrusted {
                self.reject(ctx, PushReason::UntrustedOrigin, detail)
            } else {
                self.finish(
                    ctx,
                    Verdict::AcceptUnverified,
                    PushReason::UntrustedOrigin,
                    detail,
                    PushContent::Notification(info),
                )
            };
        }
        if flooded {
            let detail = "auto-download paused during a push flood".into();
            return defer(PushReason::FloodPaused, detail, info);
        }
        self.finish(
            ctx,
            Verdict::Accept,
            PushReason::Ok,
            String::new(),
            PushContent::Notification(info),
        )
    }

    fn on_mmsc(&self, href: &str) -> bool {
        self.mmsc.as_ref().is_some_and(|m| m.check(href).is_ok())
    }

    fn si(&self, ctx: &Ctx<'_>, si: ServiceIndication, now: u64) -> PushVerdict {
        // WAP-167 6.2: an SI whose si-expires has passed is deleted, never shown.
        if let Some(at) = si.expires.filter(|at| *at <= now) {
            return self.reject(ctx, PushReason::Expired, format!("SI expired at {at}"));
        }
        let href_on_mmsc = si.href.as_deref().is_some_and(|h| self.on_mmsc(h));
        let content = PushContent::ServiceIndication {
            si,
            action_allowed: ctx.trusted,
            href_on_mmsc,
        };
        if ctx.trusted {
            // Display-only even when trusted: the UI shows it, the user decides.
            self.finish(ctx, Verdict::Accept, PushReason::Ok, String::new(), content)
        } else {
            self.finish(
                ctx,
                Verdict::AcceptUnverified,
                PushReason::ServiceIndicationUntrusted,
                "shown as text, actions ignored".into(),
                content,
            )
        }
    }

    fn sl(&self, ctx: &Ctx<'_>, sl: ServiceLoading) -> PushVerdict {
        if ctx.trusted && self.on_mmsc(&sl.href) {
            // Surfaced to the user only; never loaded automatically.
            return self.finish(
                ctx,
                Verdict::AcceptUnverified,
                PushReason::ServiceLoadingRefused,
                format!("surfaced, not loaded: {}", sl.href),
                PushContent::ServiceLoading(sl),
            );
        }
        let href: String = sl.href.chars().take(200).collect();
        let detail = format!("{href} ({})", sl.action);
        self.reject(ctx, PushReason::ServiceLoadingRefused, detail)
    }

    fn sia(&self, ctx: &Ctx<'_>, sia: SessionInitiation) -> PushVerdict {
        let foreign: Vec<&str> = sia
            .contact_points
            .iter()
            .map(|c| c.address.as_str())
            .filter(|a| !self.gateways.contains(&a.to_ascii_lowercase()))
            .collect();
        if sia.contact_points.is_empty() || !foreign.is_empty() {
            let detail = format!("contact points not whitelisted: {}", foreign.join(", "));
            return self.reject(ctx, PushReason::GatewayNotWhitelisted, detail);
        }
        self.finish(
            ctx,
            Verdict::Accept,
            PushReason::Ok,
            String::new(),
            PushContent::SessionInitiation(sia),
        )
    }
}
