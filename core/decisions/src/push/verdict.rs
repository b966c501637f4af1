//! What the push validator answers: the [`Verdict`], its [`PushReason`] code and threat ID,
//! the channel a push came on, and what the push carries as plain data ([`PushContent`]).

use crate::audit::AuditEvent;
use mms_codec::push::{
    PORT_PUSH, PORT_SECURE_PUSH, PushKind, ServiceIndication, ServiceLoading, SessionInitiation,
};
use serde::Serialize;

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

impl Verdict {
    /// The stable code (as serialised).
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::AcceptUnverified => "accept_unverified",
            Verdict::Defer => "defer",
            Verdict::Reject => "reject",
        }
    }
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
    /// Client provisioning: handed, unverified, to the provisioning module, which
    /// authenticates it (OTA-1 .. OTA-4) and applies nothing the user did not confirm (OTA-5).
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

impl PushVerdict {
    /// A rejection that is not a judgement of the push (the validator could not run, e.g. a
    /// poisoned lock): nothing is kept and nothing is acted on.
    pub fn internal_reject(origin: &str, detail: &str) -> PushVerdict {
        PushVerdict {
            verdict: Verdict::Reject,
            reason: PushReason::Malformed,
            threat: None,
            detail: detail.to_string(),
            kind: PushKind::Other,
            origin: origin.to_string(),
            trusted_origin: false,
            auto_download: false,
            content: PushContent::None,
            audit: None,
        }
    }
}
