//! The push validation policy and its verdicts (PUSH-1 .. PUSH-8, TLS-2). A [`PushValidator`]
//! takes a WSP push with its origin and channel and returns a [`PushVerdict`]: accept,
//! accept-unverified, defer or reject, with a reason code, the threat it counters, what the
//! push carries as plain data, and the audit row it wrote. The validator keeps bounded state
//! for flood control: token buckets per origin and global, and duplicate suppression.

use super::location::{LocationProblem, check_location};
use super::service::{self, ServiceIndication, ServiceLoading, SessionInitiation};
use super::sms::{PORT_PUSH, PORT_SECURE_PUSH};
use super::wsp_push::{PushKind, PushPdu, decode_push, decode_push_connection_oriented};
use crate::audit::{AuditArea, AuditEvent, AuditOutcome, AuditSink};
use crate::clock::Clock;
use crate::pdu::content_type::{ParamValue, param};
use crate::pdu::{ClassToken, FromValue, MessageClass, MessageType, Pdu, TimeValue};
use serde::Serialize;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use url::Url;

/// The verdict on a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Act on it (for an MMS notification: download automatically if the app's policy allows).
    Accept,
    /// Keep it, show it as unverified, never act on it automatically.
    AcceptUnverified,
    /// Keep it, but do not download now (flood, oversize, odd fields): the user or a later
    /// retry decides.
    Defer,
    /// Drop it.
    Reject,
}

/// Why. Serialised as its [`PushReason::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PushReason {
    /// Nothing wrong.
    Ok,
    /// The bytes do not decode at some layer (PUSH-8).
    Malformed,
    /// Not for the MMS stack.
    NotForUs,
    /// Arrived on a WDP port other than 2948/2949.
    WrongPort,
    /// An MMS PDU type no MMSC pushes.
    UnexpectedMessageType,
    /// No MMSC is provisioned, so no location can be trusted.
    NoMmscProvisioned,
    /// Content-Location fails the MMSC check (PUSH-1).
    SpoofedLocation,
    /// https MMSC, http location (TLS-2).
    TlsDowngrade,
    /// Origin not whitelisted (PUSH-5).
    UntrustedOrigin,
    /// Over the per-origin or global rate (PUSH-6).
    RateLimited,
    /// Accepted but auto-download is paused while a flood lasts (PUSH-6).
    FloodPaused,
    /// Same transaction id and location as one seen before (PUSH-6).
    Duplicate,
    /// Expiry in the past (PUSH-7).
    Expired,
    /// Expiry absurdly far in the future (PUSH-7).
    ExpiryTooFar,
    /// Message size above the carrier maximum (PUSH-7).
    TooLarge,
    /// Unknown message class (PUSH-7).
    UnknownClass,
    /// No transaction id (PUSH-7).
    MissingTransactionId,
    /// No Content-Location (PUSH-7).
    MissingLocation,
    /// Service Loading never loads automatically; refused unless trusted and on the MMSC (PUSH-2).
    ServiceLoadingRefused,
    /// Service Indication from an untrusted origin: shown as text, actions stripped (PUSH-3).
    ServiceIndicationUntrusted,
    /// SIR naming a gateway not on the whitelist (PUSH-4).
    GatewayNotWhitelisted,
    /// Client provisioning: handed to the provisioning module, which authenticates it.
    HandedToProvisioning,
}

impl Serialize for PushReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl PushReason {
    /// Stable code for audit rows and UIs.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Malformed => "malformed",
            Self::NotForUs => "not_for_us",
            Self::WrongPort => "wrong_port",
            Self::UnexpectedMessageType => "unexpected_message_type",
            Self::NoMmscProvisioned => "no_mmsc_provisioned",
            Self::SpoofedLocation => "spoofed_content_location",
            Self::TlsDowngrade => "tls_downgrade",
            Self::UntrustedOrigin => "untrusted_origin",
            Self::RateLimited => "rate_limited",
            Self::FloodPaused => "flood_paused",
            Self::Duplicate => "duplicate",
            Self::Expired => "expired",
            Self::ExpiryTooFar => "expiry_too_far",
            Self::TooLarge => "message_too_large",
            Self::UnknownClass => "unknown_class",
            Self::MissingTransactionId => "missing_transaction_id",
            Self::MissingLocation => "missing_content_location",
            Self::ServiceLoadingRefused => "service_loading_refused",
            Self::ServiceIndicationUntrusted => "service_indication_untrusted",
            Self::GatewayNotWhitelisted => "gateway_not_whitelisted",
            Self::HandedToProvisioning => "handed_to_provisioning",
        }
    }

    /// The threat ID the reason counters.
    pub fn threat(self) -> Option<&'static str> {
        Some(match self {
            Self::Malformed | Self::UnexpectedMessageType => "PUSH-8",
            Self::SpoofedLocation | Self::NoMmscProvisioned => "PUSH-1",
            Self::TlsDowngrade => "TLS-2",
            Self::UntrustedOrigin => "PUSH-5",
            Self::RateLimited | Self::FloodPaused | Self::Duplicate => "PUSH-6",
            Self::Expired
            | Self::ExpiryTooFar
            | Self::TooLarge
            | Self::UnknownClass
            | Self::MissingTransactionId
            | Self::MissingLocation => "PUSH-7",
            Self::ServiceLoadingRefused => "PUSH-2",
            Self::ServiceIndicationUntrusted => "PUSH-3",
            Self::GatewayNotWhitelisted => "PUSH-4",
            _ => return None,
        })
    }
}

/// How the push arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bearer {
    /// SMS (WDP over SMS), reassembled by this library.
    Sms,
    /// UDP/IP (WDP datagram).
    Ip,
    /// Handed over already reassembled by the platform (Android's WAP push broadcast, a modem
    /// daemon).
    Platform,
}

/// The channel a push came on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct PushChannel {
    /// Bearer.
    pub bearer: Bearer,
    /// WDP destination port, when known.
    pub dst_port: Option<u16>,
}

impl PushChannel {
    /// True for the WAP push ports 2948 and 2949 (or an unknown port on the platform path,
    /// where the platform already routed by port).
    pub fn is_push_port(&self) -> bool {
        match self.dst_port {
            Some(p) => p == PORT_PUSH || p == PORT_SECURE_PUSH,
            None => self.bearer == Bearer::Platform,
        }
    }
}

/// A notification's facts, as plain data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotificationInfo {
    /// Transaction id.
    pub transaction_id: String,
    /// The checked, normalised URL to fetch.
    pub content_location: String,
    /// From, if shown.
    pub from: Option<String>,
    /// Subject.
    pub subject: Option<String>,
    /// Message size.
    pub size: Option<u64>,
    /// Expiry (seconds since the epoch), resolved against the arrival time.
    pub expires_at: Option<u64>,
    /// Message class.
    pub class: Option<String>,
    /// Whether the sender asked for a delivery report.
    pub delivery_report: bool,
    /// The raw notification PDU (kept so the engine can store it).
    pub raw: Vec<u8>,
}

/// What the push carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PushContent {
    /// Nothing usable.
    None,
    /// An MMS notification.
    Notification(NotificationInfo),
    /// A delivery report or read report for a message we sent (matched by the engine).
    Report {
        /// The MMS PDU type.
        message_type: String,
        /// Message-ID it reports on.
        message_id: Option<String>,
        /// The raw PDU.
        raw: Vec<u8>,
    },
    /// An M-Cancel.req: the MMSC withdraws a message (matched and answered by the engine).
    Cancel {
        /// X-Mms-Transaction-Id, for the M-Cancel.conf.
        transaction_id: Option<String>,
        /// X-Mms-Cancel-ID: the Message-ID, Content-Location or transaction id it withdraws.
        cancel_id: Option<String>,
    },
    /// A Service Indication, actions stripped unless trusted.
    ServiceIndication {
        /// The SI.
        si: ServiceIndication,
        /// Whether its action may be honoured (trusted origin only).
        action_allowed: bool,
        /// Whether its href is on the MMSC (otherwise it is shown only as text).
        href_on_mmsc: bool,
    },
    /// A Service Loading request (never loaded automatically).
    ServiceLoading(ServiceLoading),
    /// A Session Initiation Request.
    SessionInitiation(SessionInitiation),
    /// A provisioning document for the provisioning module.
    Provisioning {
        /// SEC parameter, if any.
        sec: Option<u64>,
        /// MAC parameter, if any.
        mac: Option<String>,
        /// The WBXML body exactly as received.
        body: Vec<u8>,
        /// The channel it came on (OTA-4).
        channel: PushChannel,
    },
}

/// The validator's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PushVerdict {
    /// The verdict.
    pub verdict: Verdict,
    /// Why.
    pub reason: PushReason,
    /// The threat ID countered, if any.
    pub threat: Option<&'static str>,
    /// Detail for humans.
    pub detail: String,
    /// What kind of push it was.
    pub kind: PushKind,
    /// The origin as given.
    pub origin: String,
    /// Whether the origin is on the whitelist.
    pub trusted_origin: bool,
    /// True only for an accepted notification the app may download now.
    pub auto_download: bool,
    /// The content, as plain data.
    pub content: PushContent,
    /// The audit row written, if any.
    pub audit: Option<AuditEvent>,
}

/// The policy's inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PushPolicy {
    /// The provisioned MMSC URL.
    pub mmsc_url: Option<String>,
    /// Trusted push origins (PPG / short codes / SMSC addresses), compared after number
    /// normalisation.
    pub trusted_origins: Vec<String>,
    /// Gateways a SIR may name (PUSH-4).
    pub sir_gateways: Vec<String>,
    /// Reject notifications from untrusted origins instead of marking them unverified.
    pub reject_untrusted: bool,
    /// Carrier maximum message size.
    pub max_message_size: u64,
    /// Longest expiry accepted, in seconds from now.
    pub max_expiry_secs: u64,
    /// Burst allowed per untrusted origin.
    pub origin_burst: u32,
    /// Pushes per hour per untrusted origin, sustained.
    pub origin_per_hour: u32,
    /// Burst allowed per trusted origin.
    pub trusted_burst: u32,
    /// Pushes per hour per trusted origin, sustained.
    pub trusted_per_hour: u32,
    /// Burst allowed from all untrusted origins together.
    pub global_burst: u32,
    /// Pushes per minute from all untrusted origins together, sustained.
    pub global_per_minute: u32,
    /// Seconds auto-download stays paused after the global bucket ran dry.
    pub flood_cooldown_secs: u64,
    /// Origins tracked for rate limiting (the oldest are forgotten beyond).
    pub max_tracked_origins: usize,
    /// Transaction id + location pairs remembered for duplicate suppression.
    pub dedupe_capacity: usize,
}

impl Default for PushPolicy {
    fn default() -> Self {
        Self {
            mmsc_url: None,
            trusted_origins: Vec::new(),
            sir_gateways: Vec::new(),
            reject_untrusted: false,
            max_message_size: 1024 * 1024,
            max_expiry_secs: 90 * 86_400,
            origin_burst: 5,
            origin_per_hour: 30,
            trusted_burst: 50,
            trusted_per_hour: 600,
            global_burst: 30,
            global_per_minute: 20,
            flood_cooldown_secs: 120,
            max_tracked_origins: 256,
            dedupe_capacity: 4096,
        }
    }
}

/// Normalises a phone-number-like origin: separators dropped, `00` prefix as `+`; other
/// addresses (alphanumeric, IP) lowercased.
pub fn normalise_origin(s: &str) -> String {
    let t = s.trim();
    let digits: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let numeric = digits.strip_prefix('+').unwrap_or(&digits);
    if !numeric.is_empty() && numeric.chars().all(|c| c.is_ascii_digit()) {
        if let Some(rest) = numeric.strip_prefix("00") {
            return format!("+{rest}");
        }
        return if digits.starts_with('+') {
            digits
        } else {
            numeric.to_string()
        };
    }
    t.to_ascii_lowercase()
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: u64,
}

impl Bucket {
    fn take(&mut self, now: u64, burst: u32, per_sec: f64) -> bool {
        let elapsed = now.saturating_sub(self.last) as f64;
        self.tokens = (self.tokens + elapsed * per_sec).min(f64::from(burst));
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[derive(Debug, Default)]
struct State {
    origins: HashMap<String, Bucket>,
    origin_order: VecDeque<String>,
    global: Option<Bucket>,
    flooded_until: u64,
    seen: HashSet<(String, String)>,
    seen_order: VecDeque<(String, String)>,
}

/// Sizes of the validator's state, for tests and monitoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ValidatorStats {
    /// Origins tracked.
    pub tracked_origins: usize,
    /// Duplicate-suppression entries.
    pub dedupe_entries: usize,
    /// True while auto-download is paused by a flood.
    pub flooded: bool,
}

/// The stateful validator. Safe to share between threads.
pub struct PushValidator {
    policy: PushPolicy,
    mmsc: Option<Url>,
    trusted: HashSet<String>,
    gateways: HashSet<String>,
    clock: Arc<dyn Clock>,
    audit: Arc<dyn AuditSink>,
    state: Mutex<State>,
}

impl std::fmt::Debug for PushValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushValidator")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

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
            .and_then(|u| Url::parse(u.trim()).ok());
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
            state: Mutex::new(State::default()),
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
            .map(|s| ValidatorStats {
                tracked_origins: s.origins.len(),
                dedupe_entries: s.seen.len(),
                flooded: now < s.flooded_until,
            })
            .unwrap_or(ValidatorStats {
                tracked_origins: 0,
                dedupe_entries: 0,
                flooded: false,
            })
    }

    /// True when `origin` is on the whitelist.
    pub fn is_trusted(&self, origin: &str) -> bool {
        self.trusted.contains(&normalise_origin(origin))
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
            Verdict::Accept
                if reason == PushReason::Ok || reason == PushReason::HandedToProvisioning =>
            {
                None
            }
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

    /// Rate limiting: Ok(()) or the reason to refuse. Also tracks the flood state.
    fn rate(&self, origin: &str, trusted: bool, now: u64) -> Result<(), ()> {
        let p = &self.policy;
        let Ok(mut st) = self.state.lock() else {
            return Err(());
        };
        let key = normalise_origin(origin);
        if !st.origins.contains_key(&key) {
            while st.origins.len() >= p.max_tracked_origins {
                match st.origin_order.pop_front() {
                    Some(old) => {
                        st.origins.remove(&old);
                    }
                    None => break,
                }
            }
            let burst = if trusted {
                p.trusted_burst
            } else {
                p.origin_burst
            };
            st.origins.insert(
                key.clone(),
                Bucket {
                    tokens: f64::from(burst),
                    last: now,
                },
            );
            st.origin_order.push_back(key.clone());
        }
        let (burst, per_hour) = if trusted {
            (p.trusted_burst, p.trusted_per_hour)
        } else {
            (p.origin_burst, p.origin_per_hour)
        };
        let ok_origin = st
            .origins
            .get_mut(&key)
            .is_some_and(|b| b.take(now, burst, f64::from(per_hour) / 3600.0));
        if !ok_origin {
            return Err(());
        }
        if !trusted {
            let g = st.global.get_or_insert(Bucket {
                tokens: f64::from(p.global_burst),
                last: now,
            });
            if !g.take(now, p.global_burst, f64::from(p.global_per_minute) / 60.0) {
                st.flooded_until = now.saturating_add(p.flood_cooldown_secs);
                return Err(());
            }
        }
        Ok(())
    }

    fn flooded(&self, now: u64) -> bool {
        self.state.lock().is_ok_and(|s| now < s.flooded_until)
    }

    /// Remembers (tid, location); true when it was seen before.
    fn seen_before(&self, tid: &str, location: &str) -> bool {
        let Ok(mut st) = self.state.lock() else {
            return false;
        };
        let key = (tid.to_string(), location.to_string());
        if st.seen.contains(&key) {
            return true;
        }
        while st.seen.len() >= self.policy.dedupe_capacity {
            match st.seen_order.pop_front() {
                Some(old) => {
                    st.seen.remove(&old);
                }
                None => break,
            }
        }
        st.seen.insert(key.clone());
        st.seen_order.push_back(key);
        false
    }

    /// Validates a connectionless WSP push (as carried by SMS and UDP, or handed over by the
    /// platform) from `origin`.
    pub fn check(&self, origin: &str, channel: PushChannel, wsp: &[u8]) -> PushVerdict {
        self.check_decoded(origin, channel, decode_push(wsp))
    }

    /// Validates a connection-oriented WSP push (no TID).
    pub fn check_connection_oriented(
        &self,
        origin: &str,
        channel: PushChannel,
        wsp: &[u8],
    ) -> PushVerdict {
        self.check_decoded(origin, channel, decode_push_connection_oriented(wsp))
    }

    fn check_decoded(
        &self,
        origin: &str,
        channel: PushChannel,
        push: Result<PushPdu<'_>, crate::pdu::DecodeError>,
    ) -> PushVerdict {
        let now = self.clock.now();
        let trusted = self.is_trusted(origin);
        let mut ctx = Ctx {
            origin,
            trusted,
            kind: PushKind::Other,
        };
        let push = match push {
            Ok(p) => p,
            Err(e) => {
                return self.finish(
                    &ctx,
                    Verdict::Reject,
                    PushReason::Malformed,
                    format!("WSP push: {e}"),
                    PushContent::None,
                );
            }
        };
        ctx.kind = push.kind();
        if !channel.is_push_port() {
            return self.finish(
                &ctx,
                Verdict::Reject,
                PushReason::WrongPort,
                format!("WDP port {:?}", channel.dst_port),
                PushContent::None,
            );
        }
        if ctx.kind == PushKind::Other {
            return self.finish(
                &ctx,
                Verdict::Reject,
                PushReason::NotForUs,
                format!("content type {}", push.content_type),
                PushContent::None,
            );
        }
        if self.rate(origin, trusted, now).is_err() {
            return self.finish(
                &ctx,
                Verdict::Reject,
                PushReason::RateLimited,
                "over the push rate".into(),
                PushContent::None,
            );
        }
        match ctx.kind {
            PushKind::Mms => self.mms(&ctx, &push, now),
            PushKind::ServiceIndication => self.si(&ctx, push.body),
            PushKind::ServiceLoading => self.sl(&ctx, push.body),
            PushKind::SessionInitiation => self.sia(&ctx, push.body),
            PushKind::Provisioning => {
                let sec = match push.content_type.param(param::SEC) {
                    Some(ParamValue::Integer(i)) => Some(*i),
                    Some(ParamValue::Text(t)) => t.to_str_lossy().trim().parse().ok(),
                    _ => None,
                };
                let mac = match push.content_type.param(param::MAC) {
                    Some(ParamValue::Text(t)) => Some(t.to_string()),
                    _ => None,
                };
                self.finish(
                    &ctx,
                    Verdict::Accept,
                    PushReason::HandedToProvisioning,
                    "client provisioning document".into(),
                    PushContent::Provisioning {
                        sec,
                        mac,
                        body: push.body.to_vec(),
                        channel,
                    },
                )
            }
            PushKind::Other => self.finish(
                &ctx,
                Verdict::Reject,
                PushReason::NotForUs,
                String::new(),
                PushContent::None,
            ),
        }
    }

    fn mms(&self, ctx: &Ctx<'_>, push: &PushPdu<'_>, now: u64) -> PushVerdict {
        let reject = |reason, detail: String| {
            self.finish(ctx, Verdict::Reject, reason, detail, PushContent::None)
        };
        let d = match Pdu::decode_lenient(push.body) {
            Ok(d) => d,
            Err(e) => return reject(PushReason::Malformed, format!("MMS PDU: {e}")),
        };
        let pdu = &d.pdu;
        match pdu.message_type {
            MessageType::NotificationInd => {}
            MessageType::DeliveryInd | MessageType::ReadOrigInd => {
                if let Err(e) = pdu.validate() {
                    return reject(PushReason::Malformed, e.to_string());
                }
                let content = PushContent::Report {
                    message_type: pdu.message_type.label().to_string(),
                    message_id: pdu.message_id().map(|m| m.to_string()),
                    raw: push.body.to_vec(),
                };
                let (v, r) = if ctx.trusted {
                    (Verdict::Accept, PushReason::Ok)
                } else {
                    (Verdict::AcceptUnverified, PushReason::UntrustedOrigin)
                };
                return self.finish(ctx, v, r, "report for the engine to match".into(), content);
            }
            MessageType::CancelReq => {
                // Destructive only for a notification not yet downloaded; a retrieved message
                // is never taken back (the engine only reports the cancel). A cancel from an
                // untrusted origin is unverified: the engine answers it but does not apply it.
                let content = PushContent::Cancel {
                    transaction_id: pdu.transaction_id().map(|t| t.to_string()),
                    cancel_id: pdu.headers.iter().find_map(|h| match h {
                        crate::pdu::Header::CancelId(t) => Some(t.to_string()),
                        _ => None,
                    }),
                };
                let (v, r) = if ctx.trusted {
                    (Verdict::Accept, PushReason::Ok)
                } else {
                    (Verdict::AcceptUnverified, PushReason::UntrustedOrigin)
                };
                return self.finish(ctx, v, r, "cancel for the engine to match".into(), content);
            }
            other => {
                return reject(
                    PushReason::UnexpectedMessageType,
                    format!("{other} by push"),
                );
            }
        }
        let Some(tid) = pdu
            .transaction_id()
            .map(|t| t.to_string())
            .filter(|t| !t.is_empty())
        else {
            return reject(PushReason::MissingTransactionId, String::new());
        };
        let Some(location) = pdu
            .content_location()
            .map(|c| c.into_owned())
            .filter(|c| !c.is_empty())
        else {
            return reject(PushReason::MissingLocation, format!("tid {tid}"));
        };
        let Some(mmsc) = &self.mmsc else {
            return reject(PushReason::NoMmscProvisioned, location);
        };
        let url = match check_location(&location, mmsc) {
            Ok(u) => u,
            Err(p) => {
                let reason = if p == LocationProblem::Downgrade {
                    PushReason::TlsDowngrade
                } else {
                    PushReason::SpoofedLocation
                };
                return reject(
                    reason,
                    format!(
                        "{}: {}",
                        p.code(),
                        location.chars().take(200).collect::<String>()
                    ),
                );
            }
        };
        let expires_at = pdu.expiry().map(|e| e.resolve(now));
        let class = pdu.message_class().map(|c| match c {
            MessageClass::Token(t) => t.label().to_string(),
            MessageClass::Text(t) => t.to_string(),
        });
        let info = NotificationInfo {
            transaction_id: tid.clone(),
            content_location: url.to_string(),
            from: pdu.from().and_then(|f| match f {
                FromValue::Address(a) => Some(a.to_string_lossy().into_owned()),
                FromValue::InsertAddress => None,
            }),
            subject: pdu.subject().map(|s| s.to_string_lossy().into_owned()),
            size: pdu.message_size(),
            expires_at,
            class,
            delivery_report: pdu.delivery_report_requested(),
            raw: push.body.to_vec(),
        };
        if self.seen_before(&tid, &info.content_location) {
            return reject(PushReason::Duplicate, format!("tid {tid}"));
        }
        if let Some(TimeValue::Absolute(_) | TimeValue::Relative(_)) = pdu.expiry() {
            let at = expires_at.unwrap_or(u64::MAX);
            if at <= now {
                return reject(PushReason::Expired, format!("expired at {at}"));
            }
            if at.saturating_sub(now) > self.policy.max_expiry_secs {
                return self.finish(
                    ctx,
                    Verdict::Defer,
                    PushReason::ExpiryTooFar,
                    format!("expires in {}s", at - now),
                    PushContent::Notification(info),
                );
            }
        }
        if info.size.is_some_and(|s| s > self.policy.max_message_size) {
            let s = info.size.unwrap_or(0);
            return self.finish(
                ctx,
                Verdict::Defer,
                PushReason::TooLarge,
                format!("{s} octets"),
                PushContent::Notification(info),
            );
        }
        if let Some(MessageClass::Token(ClassToken::Unknown(b))) = pdu.message_class() {
            let b = *b;
            return self.finish(
                ctx,
                Verdict::Defer,
                PushReason::UnknownClass,
                format!("class 0x{b:02x}"),
                PushContent::Notification(info),
            );
        }
        if let Some(MessageClass::Text(_)) = pdu.message_class() {
            return self.finish(
                ctx,
                Verdict::Defer,
                PushReason::UnknownClass,
                "textual class".into(),
                PushContent::Notification(info),
            );
        }
        if !ctx.trusted {
            let v = if self.policy.reject_untrusted {
                Verdict::Reject
            } else {
                Verdict::AcceptUnverified
            };
            let content = if v == Verdict::Reject {
                PushContent::None
            } else {
                PushContent::Notification(info)
            };
            return self.finish(
                ctx,
                v,
                PushReason::UntrustedOrigin,
                format!("origin {}", ctx.origin),
                content,
            );
        }
        if self.flooded(now) {
            return self.finish(
                ctx,
                Verdict::Defer,
                PushReason::FloodPaused,
                "auto-download paused during a push flood".into(),
                PushContent::Notification(info),
            );
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
        self.mmsc
            .as_ref()
            .is_some_and(|m| check_location(href, m).is_ok())
    }

    fn si(&self, ctx: &Ctx<'_>, body: &[u8]) -> PushVerdict {
        let si = match service::parse_si(body) {
            Ok(s) => s,
            Err(e) => {
                return self.finish(
                    ctx,
                    Verdict::Reject,
                    PushReason::Malformed,
                    format!("SI: {e}"),
                    PushContent::None,
                );
            }
        };
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

    fn sl(&self, ctx: &Ctx<'_>, body: &[u8]) -> PushVerdict {
        let sl = match service::parse_sl(body) {
            Ok(s) => s,
            Err(e) => {
                return self.finish(
                    ctx,
                    Verdict::Reject,
                    PushReason::Malformed,
                    format!("SL: {e}"),
                    PushContent::None,
                );
            }
        };
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
        let detail = format!(
            "{} ({})",
            sl.href.chars().take(200).collect::<String>(),
            sl.action
        );
        self.finish(
            ctx,
            Verdict::Reject,
            PushReason::ServiceLoadingRefused,
            detail,
            PushContent::None,
        )
    }

    fn sia(&self, ctx: &Ctx<'_>, body: &[u8]) -> PushVerdict {
        let sia = match service::parse_sia(body) {
            Ok(s) => s,
            Err(e) => {
                return self.finish(
                    ctx,
                    Verdict::Reject,
                    PushReason::Malformed,
                    format!("SIA: {e}"),
                    PushContent::None,
                );
            }
        };
        let foreign: Vec<&str> = sia
            .contact_points
            .iter()
            .map(|c| c.address.as_str())
            .filter(|a| !self.gateways.contains(&a.to_ascii_lowercase()))
            .collect();
        if sia.contact_points.is_empty() || !foreign.is_empty() {
            let detail = format!("contact points not whitelisted: {}", foreign.join(", "));
            return self.finish(
                ctx,
                Verdict::Reject,
                PushReason::GatewayNotWhitelisted,
                detail,
                PushContent::None,
            );
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
