//! The records that cross the boundary, and their conversions from the core's types. Nothing
//! here decides anything: each `From` copies what the core decided.

use crate::events::{Direction, MessageState};

/// One part of a message to send.
#[derive(Debug, Clone, uniffi::Record)]
pub struct OutgoingPart {
    /// Media type (`text/plain`, `image/jpeg`...).
    pub content_type: String,
    /// File name.
    pub name: String,
    /// The bytes.
    pub data: Vec<u8>,
}

/// A message to send.
#[derive(Debug, Clone, uniffi::Record)]
pub struct OutgoingMessage {
    /// Recipients (numbers or e-mail addresses).
    pub to: Vec<String>,
    /// Subject.
    pub subject: Option<String>,
    /// Parts.
    pub parts: Vec<OutgoingPart>,
    /// Ask for a delivery report (the profile decides when `None`).
    pub delivery_report: Option<bool>,
    /// Ask for a read report (the profile decides when `None`).
    pub read_report: Option<bool>,
}

/// A message as the app lists it.
#[derive(Debug, Clone, uniffi::Record)]
pub struct MessageSummary {
    /// Row id.
    pub id: i64,
    /// Received or sent.
    pub direction: Direction,
    /// Journal state.
    pub state: MessageState,
    /// Sender (received messages).
    pub from: Option<String>,
    /// Subject.
    pub subject: Option<String>,
    /// The MMSC's Message-ID.
    pub message_id: Option<String>,
    /// The last error, if any.
    pub error: Option<String>,
    /// Read by the user.
    pub read: bool,
}

/// A stored part.
#[derive(Debug, Clone, uniffi::Record)]
pub struct MessagePart {
    /// Media type as declared.
    pub content_type: String,
    /// File name.
    pub name: Option<String>,
    /// The bytes.
    pub data: Vec<u8>,
}

/// What the push policy decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum Verdict {
    /// Act on it.
    Accept,
    /// Keep it, show it as unverified, never act on it automatically.
    AcceptUnverified,
    /// Keep it, but do not download now.
    Defer,
    /// Drop it.
    Reject,
}

impl From<mms_core::push::Verdict> for Verdict {
    fn from(v: mms_core::push::Verdict) -> Self {
        use mms_core::push::Verdict as V;
        match v {
            V::Accept => Self::Accept,
            V::AcceptUnverified => Self::AcceptUnverified,
            V::Defer => Self::Defer,
            V::Reject => Self::Reject,
        }
    }
}

/// What a push carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum PushKind {
    /// An MMS PDU (notification, delivery or read report, cancel).
    Mms,
    /// A Service Indication.
    ServiceIndication,
    /// A Service Loading.
    ServiceLoading,
    /// An OMA Client Provisioning document.
    Provisioning,
    /// A Session Initiation Request.
    SessionInitiation,
    /// Anything else.
    Other,
}

impl From<mms_core::push::PushKind> for PushKind {
    fn from(k: mms_core::push::PushKind) -> Self {
        use mms_core::push::PushKind as K;
        match k {
            K::Mms => Self::Mms,
            K::ServiceIndication => Self::ServiceIndication,
            K::ServiceLoading => Self::ServiceLoading,
            K::Provisioning => Self::Provisioning,
            K::SessionInitiation => Self::SessionInitiation,
            K::Other => Self::Other,
        }
    }
}

/// A push verdict: what the core decided about a push and why.
#[derive(Debug, Clone, uniffi::Record)]
pub struct PushDecision {
    /// The verdict.
    pub verdict: Verdict,
    /// What the push carried.
    pub kind: PushKind,
    /// Reason code (`spoofed_content_location`, `accepted`...).
    pub reason: String,
    /// The threat countered (`PUSH-1`...), if any.
    pub threat: Option<String>,
    /// Detail for humans.
    pub detail: String,
    /// True only for an accepted notification that may be downloaded now.
    pub auto_download: bool,
}

/// Which part of the library decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum AuditArea {
    /// Push validation.
    Push,
    /// OTA provisioning.
    Provisioning,
    /// Content and rendering.
    Content,
    /// Link gating.
    Link,
    /// Delivery and read reports.
    Report,
    /// The message filter.
    Filter,
    /// The network.
    Transport,
    /// PDU decoding.
    Pdu,
}

/// What the decision was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum AuditOutcome {
    /// Refused.
    Rejected,
    /// Let through, but marked (unverified, clamped, dropped references).
    Flagged,
    /// Confirmed by the user.
    Confirmed,
    /// Accepted.
    Accepted,
}

/// A security audit row.
#[derive(Debug, Clone, uniffi::Record)]
pub struct AuditRow {
    /// When, in milliseconds since the epoch.
    pub at_ms: u64,
    /// Which part of the library decided.
    pub area: AuditArea,
    /// What it decided.
    pub outcome: AuditOutcome,
    /// Reason code.
    pub reason: String,
    /// Threat ID, if any.
    pub threat: Option<String>,
    /// What it was about.
    pub subject: String,
    /// Detail.
    pub detail: String,
}

/// A decoded PDU, readable.
#[derive(Debug, Clone, uniffi::Record)]
pub struct PduSummary {
    /// Message type (`m-send-req`...).
    pub message_type: String,
    /// Transaction id.
    pub transaction_id: Option<String>,
    /// Subject.
    pub subject: Option<String>,
    /// Content-Location.
    pub content_location: Option<String>,
    /// Parts as `type (n octets)`.
    pub parts: Vec<String>,
    /// The full readable description.
    pub text: String,
}

impl From<&mms_core::push::PushVerdict> for PushDecision {
    fn from(v: &mms_core::push::PushVerdict) -> Self {
        PushDecision {
            verdict: v.verdict.into(),
            kind: v.kind.into(),
            reason: v.reason.code().to_string(),
            threat: v.threat.map(str::to_string),
            detail: v.detail.clone(),
            auto_download: v.auto_download,
        }
    }
}

/// What a provisioning push says, before any authentication: for the screen that asks the user
/// for the PIN and shows what would change. Nothing here is trusted until verified.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ProvisioningInspection {
    /// The SEC method (`NETWPIN`, `USERPIN`, `USERNETWPIN`, `USERPINMAC`), if given.
    pub method: Option<String>,
    /// The method needs a PIN from the user (all but NETWPIN).
    pub needs_pin: bool,
    /// The MMSC URL the document would set, if it holds MMS settings.
    pub mmsc_url: Option<String>,
    /// The MMS proxy as `host:port`, if any.
    pub proxy: Option<String>,
    /// The access point name, if any.
    pub apn: Option<String>,
    /// Why the document holds no usable MMS settings, if it does not.
    pub problem: Option<String>,
    /// The document as XML (for a details view).
    pub xml: String,
}

/// One HTTP header.
#[derive(Debug, Clone, uniffi::Record)]
pub struct HttpHeader {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
}

/// What the app's transport got back.
#[derive(Debug, Clone, uniffi::Record)]
pub struct HttpReply {
    /// HTTP status.
    pub status: u16,
    /// Body.
    pub body: Vec<u8>,
    /// Retry-After in seconds, if the server sent one.
    pub retry_after_secs: Option<u64>,
}

/// What the link gate decided about a tapped link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum LinkDecisionKind {
    /// Ask the user (with `description`), then `confirmLink` with the token.
    NeedsConfirmation,
    /// Never followed; `reason` and `threat` say why.
    Blocked,
}

/// The link gate's answer to "the user tapped this link".
#[derive(Debug, Clone, uniffi::Record)]
pub struct LinkRequest {
    /// Confirm or blocked.
    pub decision: LinkDecisionKind,
    /// For a confirmation: the one-shot token to pass to `confirm_link`.
    pub token: Option<String>,
    /// What would happen, in plain words, for the dialog (or why it is blocked).
    pub description: String,
    /// Block reason code, when blocked.
    pub reason: Option<String>,
    /// Threat ID, when blocked.
    pub threat: Option<String>,
}

/// The action a confirmed link releases, sanitised (what the app then does: dial, compose,
/// open).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum LinkAction {
    /// Place a call.
    Call {
        /// The digits to dial.
        number: String,
        /// Characters sent after the call connects.
        post_dial: String,
        /// A premium-rate number or short code.
        premium: bool,
        /// A video call.
        video: bool,
    },
    /// Send DTMF tones on the current call.
    SendTones {
        /// The tones.
        tones: String,
    },
    /// Compose an SMS.
    Sms {
        /// Recipients.
        recipients: Vec<String>,
        /// Pre-filled body.
        body: Option<String>,
    },
    /// Compose an MMS.
    Mms {
        /// Recipients.
        recipients: Vec<String>,
        /// Subject.
        subject: Option<String>,
        /// Body.
        body: Option<String>,
    },
    /// Compose an e-mail.
    Email {
        /// To.
        to: Vec<String>,
        /// Cc.
        cc: Vec<String>,
        /// Subject.
        subject: Option<String>,
        /// Body.
        body: Option<String>,
        /// Header fields the link tried to set, dropped (LINK-2).
        dropped_headers: Vec<String>,
    },
    /// Open a web page.
    OpenWeb {
        /// The URL.
        url: String,
    },
    /// Open a stream.
    OpenStream {
        /// The URL.
        url: String,
    },
}

impl From<mms_core::links::LinkAction> for LinkAction {
    fn from(a: mms_core::links::LinkAction) -> Self {
        use mms_core::links::LinkAction as A;
        match a {
            A::Call { number, video } => Self::Call {
                number: number.dial,
                post_dial: number.post_dial,
                premium: number.premium,
                video,
            },
            A::SendTones { tones } => Self::SendTones { tones },
            A::Sms { recipients, body } => Self::Sms {
                recipients: recipients.into_iter().map(|n| n.dial).collect(),
                body,
            },
            A::Mms {
                recipients,
                subject,
                body,
            } => Self::Mms {
                recipients,
                subject,
                body,
            },
            A::Email {
                to,
                cc,
                subject,
                body,
                dropped_headers,
            } => Self::Email {
                to,
                cc,
                subject,
                body,
                dropped_headers,
            },
            A::OpenWeb { url } => Self::OpenWeb { url },
            A::OpenStream { url } => Self::OpenStream { url },
        }
    }
}

/// How a deletion ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum DeleteOutcome {
    /// Removed from the phone only (the MMSC no longer held it).
    Local,
    /// The MMSC deleted its copy, then the phone's.
    DeletedOnMmsc,
    /// The MMSC was told the message is refused, then the phone's copy was removed.
    RejectedAtMmsc,
}

impl From<mms_core::DeleteOutcome> for DeleteOutcome {
    fn from(o: mms_core::DeleteOutcome) -> Self {
        match o {
            mms_core::DeleteOutcome::Local => Self::Local,
            mms_core::DeleteOutcome::DeletedOnMmsc => Self::DeletedOnMmsc,
            mms_core::DeleteOutcome::RejectedAtMmsc => Self::RejectedAtMmsc,
        }
    }
}

/// What start-up reconciliation resumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Reconciled {
    /// Sends resumed.
    pub sends: u32,
    /// Downloads resumed.
    pub downloads: u32,
    /// Acknowledgements sent.
    pub acknowledgements: u32,
    /// Deletions on the MMSC finished.
    pub deletions: u32,
}

impl From<mms_core::Reconciled> for Reconciled {
    fn from(r: mms_core::Reconciled) -> Self {
        let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            sends: small(r.sends),
            downloads: small(r.downloads),
            acknowledgements: small(r.acknowledgements),
            deletions: small(r.deletions),
        }
    }
}

/// One setting a provisioning document changes.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SettingChange {
    /// The setting (`mmsc_url`, `proxy`, `apn`...).
    pub field: String,
    /// Its value now.
    pub old: Option<String>,
    /// Its value once confirmed.
    pub new: Option<String>,
}

/// A provisioning change waiting for the user's confirmation.
#[derive(Debug, Clone, uniffi::Record)]
pub struct PendingSettings {
    /// The token for `confirm_provisioning` / `reject_provisioning`.
    pub token: String,
    /// The new MMSC URL.
    pub mmsc_url: String,
    /// What changes.
    pub changes: Vec<SettingChange>,
    /// The change weakens security (e.g. HTTPS to HTTP).
    pub downgrade: bool,
}

impl From<mms_core::MessageRow> for MessageSummary {
    fn from(m: mms_core::MessageRow) -> Self {
        MessageSummary {
            id: m.id,
            direction: m.direction.into(),
            state: m.state.into(),
            from: m.from_addr,
            subject: m.subject,
            message_id: m.message_id,
            error: m.error,
            read: m.read,
        }
    }
}

impl From<mms_core::PartRow> for MessagePart {
    fn from(p: mms_core::PartRow) -> Self {
        MessagePart {
            content_type: p.content_type,
            name: p.name,
            data: p.data,
        }
    }
}

impl From<mms_core::audit::AuditEvent> for AuditRow {
    fn from(a: mms_core::audit::AuditEvent) -> Self {
        use mms_core::audit::{AuditArea as A, AuditOutcome as O};
        AuditRow {
            at_ms: a.at.saturating_mul(1000),
            area: match a.area {
                A::Push => AuditArea::Push,
                A::Provisioning => AuditArea::Provisioning,
                A::Content => AuditArea::Content,
                A::Link => AuditArea::Link,
                A::Report => AuditArea::Report,
                A::Filter => AuditArea::Filter,
                A::Transport => AuditArea::Transport,
                A::Pdu => AuditArea::Pdu,
            },
            outcome: match a.outcome {
                O::Rejected => AuditOutcome::Rejected,
                O::Flagged => AuditOutcome::Flagged,
                O::Confirmed => AuditOutcome::Confirmed,
                O::Accepted => AuditOutcome::Accepted,
            },
            reason: a.reason,
            threat: a.threat,
            subject: a.subject,
            detail: a.detail,
        }
    }
}

impl From<mms_core::links::LinkDecision> for LinkRequest {
    fn from(d: mms_core::links::LinkDecision) -> Self {
        match d {
            mms_core::links::LinkDecision::Blocked { blocked, .. } => LinkRequest {
                decision: LinkDecisionKind::Blocked,
                token: None,
                description: blocked.detail.clone(),
                reason: Some(blocked.reason.code().into()),
                threat: Some(blocked.reason.threat().into()),
            },
            mms_core::links::LinkDecision::NeedsConfirmation(p) => LinkRequest {
                decision: LinkDecisionKind::NeedsConfirmation,
                token: Some(p.token),
                description: p.description,
                reason: None,
                threat: None,
            },
        }
    }
}

impl From<mms_core::provisioning::PendingChange> for PendingSettings {
    fn from(p: mms_core::provisioning::PendingChange) -> Self {
        PendingSettings {
            token: p.token.clone(),
            mmsc_url: p.new.mmsc_url.clone(),
            changes: p
                .changes
                .iter()
                .map(|c| SettingChange {
                    field: c.field.to_string(),
                    old: c.old.clone(),
                    new: c.new.clone(),
                })
                .collect(),
            downgrade: p.downgrade,
        }
    }
}

impl From<OutgoingMessage> for mms_core::Draft {
    fn from(message: OutgoingMessage) -> Self {
        mms_core::Draft {
            to: message.to,
            subject: message.subject,
            parts: message
                .parts
                .into_iter()
                .map(|p| mms_core::DraftPart {
                    content_type: p.content_type,
                    name: p.name,
                    data: p.data,
                })
                .collect(),
            delivery_report: message.delivery_report,
            read_report: message.read_report,
            ..mms_core::Draft::default()
        }
    }
}

/// The MMS settings of one APN of one provider, from the carrier data (the APN password is
/// never carried across: `has_password` says whether there is one).
#[derive(Debug, Clone, uniffi::Record)]
pub struct CarrierSettings {
    /// The entry a client for this SIM is configured with.
    pub suggested: bool,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// The provider.
    pub provider: String,
    /// The networks it serves, as `MCC-MNC`.
    pub networks: Vec<String>,
    /// The APN.
    pub apn: String,
    /// The APN's display name.
    pub name: Option<String>,
    /// The MMSC URL.
    pub mmsc_url: String,
    /// The MMS proxy, `host:port`.
    pub mms_proxy: Option<String>,
    /// The APN user name.
    pub username: Option<String>,
    /// Whether the APN has a password.
    pub has_password: bool,
    /// `postpaid` or `prepaid`, when the data says.
    pub plan: Option<String>,
}

impl CarrierSettings {
    pub(crate) fn of(e: &mms_core::carriers::CarrierEntry, suggested: bool) -> Self {
        Self {
            suggested,
            country: e.country.clone(),
            provider: e.provider.clone(),
            networks: e.networks.iter().map(|(c, n)| format!("{c}-{n}")).collect(),
            apn: e.apn.clone(),
            name: e.name.clone(),
            mmsc_url: e.mmsc.clone(),
            mms_proxy: e.mms_proxy.clone(),
            username: e.username.clone(),
            has_password: e.password.is_some(),
            plan: e.plan.clone(),
        }
    }
}
