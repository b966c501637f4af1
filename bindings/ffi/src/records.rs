//! The records that cross the boundary, and their conversions from the core's types. Nothing
//! here decides anything: each `From` copies what the core decided.

/// An event from the engine, for the app's listener.
#[derive(Debug, Clone, uniffi::Record)]
pub struct MmsEvent {
    /// `notification_stored`, `message_received`, `download_failed`, `send_progress`,
    /// `send_result`, `delivery_report`, `read_report`, `message_cancelled` or `security`.
    pub kind: String,
    /// The message row concerned (0 for security events).
    pub message_id: i64,
    /// The whole event as JSON.
    pub json: String,
}

impl From<&mms_core::Event> for MmsEvent {
    fn from(event: &mms_core::Event) -> Self {
        let json = serde_json::to_value(event).unwrap_or_default();
        let kind = json
            .get("event")
            .and_then(|v| v.as_str())
            .unwrap_or("unknown")
            .to_string();
        let message_id = json.get("id").and_then(|v| v.as_i64()).unwrap_or(0);
        MmsEvent {
            kind,
            message_id,
            json: json.to_string(),
        }
    }
}

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
    /// `in` or `out`.
    pub direction: String,
    /// Journal state (`NOTIFIED`, `DOWNLOADED`, `SENT`...).
    pub state: String,
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

/// A push verdict: what the core decided about a push and why.
#[derive(Debug, Clone, uniffi::Record)]
pub struct PushDecision {
    /// `accept`, `accept_unverified`, `defer` or `reject`.
    pub verdict: String,
    /// Reason code.
    pub reason: String,
    /// The threat countered (`PUSH-1`...), if any.
    pub threat: Option<String>,
    /// Detail for humans.
    pub detail: String,
    /// True only for an accepted notification that may be downloaded now.
    pub auto_download: bool,
    /// The whole verdict as JSON.
    pub json: String,
}

/// A security audit row.
#[derive(Debug, Clone, uniffi::Record)]
pub struct AuditRow {
    /// Seconds since the epoch.
    pub at: u64,
    /// Reason code.
    pub reason: String,
    /// Threat ID, if any.
    pub threat: Option<String>,
    /// What it was about.
    pub subject: String,
    /// Detail.
    pub detail: String,
}

/// How a part may be shown: `auto` (rendered in place), `tap_to_open` (an attachment the user
/// opens) or `blocked` (never opened; the UI says so).
fn decision_code(d: mms_core::content::PartDecision) -> String {
    serde_json::to_value(d)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The render plan of a received message, typed for a UI: what to show on each slide, for how
/// long, and what each part may do.
#[derive(Debug, Clone, uniffi::Record)]
pub struct RenderPlanView {
    /// Slides in order.
    pub slides: Vec<SlideView>,
    /// Every part with its decision.
    pub parts: Vec<PartView>,
    /// Whole presentation length in milliseconds (clamped, CONTENT-4).
    pub total_ms: u64,
    /// Whether the layout came from the message's SMIL (otherwise a plain sequence).
    pub from_smil: bool,
    /// Remote references dropped from the presentation (CONTENT-5).
    pub dropped_references: u32,
}

/// One slide.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SlideView {
    /// How long it shows, in milliseconds (the user may skip it).
    pub duration_ms: u64,
    /// What it shows.
    pub items: Vec<SlideItemView>,
}

/// One part on a slide.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SlideItemView {
    /// Index into `RenderPlanView.parts` (and into the message's parts).
    pub part: u32,
    /// Start within the slide, in milliseconds.
    pub begin_ms: u64,
    /// How long it shows, in milliseconds.
    pub duration_ms: u64,
    /// `auto`, `tap_to_open` or `blocked`.
    pub decision: String,
}

/// One part of the message as the plan judged it.
#[derive(Debug, Clone, uniffi::Record)]
pub struct PartView {
    /// Index among the message's parts.
    pub index: u32,
    /// File name, if any.
    pub name: Option<String>,
    /// The type the UI should treat it as.
    pub content_type: String,
    /// The type the sender declared.
    pub declared_type: String,
    /// What the bytes are.
    pub sniffed_type: String,
    /// Size in octets.
    pub size: u64,
    /// `auto`, `tap_to_open` or `blocked`.
    pub decision: String,
    /// Why, as reason codes (`allow_listed`, `type_mismatch`...).
    pub reasons: Vec<String>,
}

impl From<mms_core::content::RenderPlan> for RenderPlanView {
    fn from(p: mms_core::content::RenderPlan) -> Self {
        let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        RenderPlanView {
            slides: p
                .slides
                .iter()
                .map(|s| SlideView {
                    duration_ms: s.duration_ms,
                    items: s
                        .items
                        .iter()
                        .map(|i| SlideItemView {
                            part: small(i.part),
                            begin_ms: i.begin_ms,
                            duration_ms: i.duration_ms,
                            decision: decision_code(i.decision),
                        })
                        .collect(),
                })
                .collect(),
            parts: p
                .parts
                .iter()
                .map(|part| PartView {
                    index: small(part.index),
                    name: part.name.clone(),
                    content_type: part.effective_type.clone(),
                    declared_type: part.declared_type.clone(),
                    sniffed_type: part.sniffed_type.clone(),
                    size: part.size,
                    decision: decision_code(part.decision),
                    reasons: part
                        .reasons
                        .iter()
                        .filter_map(|r| {
                            serde_json::to_value(r)
                                .ok()?
                                .get("reason")?
                                .as_str()
                                .map(str::to_string)
                        })
                        .collect(),
                })
                .collect(),
            total_ms: p.total_ms,
            from_smil: p.from_smil,
            dropped_references: small(p.dropped.len()),
        }
    }
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
        let json = serde_json::to_value(v).unwrap_or_default();
        let field = |k: &str| {
            json.get(k)
                .and_then(|x| x.as_str())
                .unwrap_or_default()
                .to_string()
        };
        PushDecision {
            verdict: field("verdict"),
            reason: field("reason"),
            threat: v.threat.map(str::to_string),
            detail: v.detail.clone(),
            auto_download: v.auto_download,
            json: json.to_string(),
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

/// The link gate's answer to "the user tapped this link".
#[derive(Debug, Clone, uniffi::Record)]
pub struct LinkRequest {
    /// `needs_confirmation` or `blocked`.
    pub decision: String,
    /// For a confirmation: the one-shot token to pass to `confirm_link`.
    pub token: Option<String>,
    /// What would happen, in plain words, for the dialog (or why it is blocked).
    pub description: String,
    /// Block reason code, when blocked.
    pub reason: Option<String>,
    /// Threat ID, when blocked.
    pub threat: Option<String>,
    /// The whole decision as JSON.
    pub json: String,
}

/// A provisioning change waiting for the user's confirmation.
#[derive(Debug, Clone, uniffi::Record)]
pub struct PendingSettings {
    /// The token for `confirm_provisioning` / `reject_provisioning`.
    pub token: String,
    /// The new MMSC URL.
    pub mmsc_url: String,
    /// Field changes as `field: old -> new`.
    pub changes: Vec<String>,
    /// The change weakens security (e.g. HTTPS to HTTP).
    pub downgrade: bool,
    /// The whole pending change as JSON.
    pub json: String,
}

impl From<mms_core::MessageRow> for MessageSummary {
    fn from(m: mms_core::MessageRow) -> Self {
        MessageSummary {
            id: m.id,
            direction: m.direction.as_str().into(),
            state: m.state.as_str().into(),
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
        AuditRow {
            at: a.at,
            reason: a.reason,
            threat: a.threat,
            subject: a.subject,
            detail: a.detail,
        }
    }
}

impl From<mms_core::links::LinkDecision> for LinkRequest {
    fn from(d: mms_core::links::LinkDecision) -> Self {
        let json = serde_json::to_string(&d).unwrap_or_default();
        match d {
            mms_core::links::LinkDecision::Blocked { blocked, .. } => LinkRequest {
                decision: "blocked".into(),
                token: None,
                description: blocked.detail.clone(),
                reason: Some(blocked.reason.code().into()),
                threat: Some(blocked.reason.threat().into()),
                json,
            },
            mms_core::links::LinkDecision::NeedsConfirmation(p) => LinkRequest {
                decision: "needs_confirmation".into(),
                token: Some(p.token),
                description: p.description,
                reason: None,
                threat: None,
                json,
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
                .map(|c| {
                    format!(
                        "{}: {} -> {}",
                        c.field,
                        c.old.as_deref().unwrap_or("-"),
                        c.new.as_deref().unwrap_or("-")
                    )
                })
                .collect(),
            downgrade: p.downgrade,
            json: serde_json::to_string(&p).unwrap_or_default(),
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
