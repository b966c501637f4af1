//! `mms-ffi`: the UniFFI surface of mms-core for Kotlin and Swift. Every function only converts
//! types and delegates to the core; the library owns its tokio runtime (async methods become
//! `suspend` functions in Kotlin and `async` in Swift).
//!
//! Decisions cross the boundary as plain records with their reason codes and threat IDs, plus
//! the full decision as JSON (the same serialisation the CLI and the audit log use).

use mms_core::config::CarrierProfile;
use mms_core::engine::{Draft, DraftPart, EngineError, MmsClient};
use mms_core::transport::HttpTransport;
use std::sync::Arc;

uniffi::setup_scaffolding!();

/// Errors of the client, small and stable, each with a message a UI can show.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ClientError {
    /// The carrier profile cannot be used.
    #[error("profile: {reason}")]
    Profile {
        /// Why.
        reason: String,
    },
    /// The draft cannot be sent (no recipients, too large...).
    #[error("invalid message: {reason}")]
    InvalidMessage {
        /// Why.
        reason: String,
    },
    /// The network or the MMSC failed.
    #[error("network: {reason}")]
    Network {
        /// Why.
        reason: String,
    },
    /// No such message, or not in a state that allows the operation.
    #[error("state: {reason}")]
    State {
        /// Why.
        reason: String,
    },
    /// The local store failed.
    #[error("storage: {reason}")]
    Storage {
        /// Why.
        reason: String,
    },
}

impl From<EngineError> for ClientError {
    fn from(e: EngineError) -> Self {
        let reason = e.to_string();
        match e {
            EngineError::Profile(_) => ClientError::Profile { reason },
            EngineError::InvalidDraft(_) | EngineError::TooLarge { .. } => {
                ClientError::InvalidMessage { reason }
            }
            EngineError::Transport(_) | EngineError::Mmsc(_) => ClientError::Network { reason },
            EngineError::State(..) => ClientError::State { reason },
            EngineError::Store(_) => ClientError::Storage { reason },
        }
    }
}

/// Errors of the stateless codec helpers.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum CodecError {
    /// The bytes are not a valid PDU; `offset` is where decoding stopped.
    #[error("malformed at offset {offset}: {reason}")]
    Malformed {
        /// Octet offset.
        offset: u64,
        /// What was wrong.
        reason: String,
    },
}

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

/// Receives engine events (called on a library thread: hop to the UI thread yourself).
#[uniffi::export(with_foreign)]
pub trait EventListener: Send + Sync {
    /// One event.
    fn on_event(&self, event: MmsEvent);
}

struct ListenerBridge(Arc<dyn EventListener>);

impl mms_core::engine::EventListener for ListenerBridge {
    fn on_event(&self, event: &mms_core::engine::Event) {
        let json = serde_json::to_value(event).unwrap_or_default();
        let kind = json
            .get("event")
            .and_then(|v| v.as_str())
            .unwrap_or("unknown")
            .to_string();
        let message_id = json.get("id").and_then(|v| v.as_i64()).unwrap_or(0);
        self.0.on_event(MmsEvent {
            kind,
            message_id,
            json: json.to_string(),
        });
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

fn push_decision(v: &mms_core::push::PushVerdict) -> PushDecision {
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

/// The invariants the `ffi_decode` fuzz target checks (and `cargo test` replays): the
/// stateless helpers (`decode_pdu`, `check_push`, `inspect_provisioning`) take any bytes without
/// panicking, an error's offset lies inside the input, an inspection asks for a PIN exactly
/// when its method needs one, and every push check ends in one of the four verdicts.
#[doc(hidden)]
pub fn fuzz_stateless(data: &[u8]) {
    match decode_pdu(data.to_vec()) {
        Ok(s) => assert!(!s.message_type.is_empty()),
        Err(CodecError::Malformed { offset, .. }) => {
            assert!(
                offset <= data.len() as u64,
                "offset {offset} past the input"
            )
        }
    }
    if let Ok(i) = inspect_provisioning(data.to_vec()) {
        assert_eq!(
            i.needs_pin,
            i.method.as_deref().is_some_and(|m| m != "NETWPIN")
        );
    }
    let wsp = mms_core::push::encode_mms_push(1, data);
    for input in [data, &wsp[..]] {
        let d = check_push(
            "+15550100".into(),
            input.to_vec(),
            "http://mmsc.example/mms".into(),
            vec!["+15550100".into()],
        );
        assert!(
            ["accept", "accept_unverified", "defer", "reject"].contains(&d.verdict.as_str()),
            "verdict {}",
            d.verdict
        );
    }
}

/// The library's version (also the cheapest call there is: the bindings' per-call overhead).
#[uniffi::export]
pub fn library_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Checks a reassembled WSP push against a policy without any client or store: the MMSC URL
/// its notifications must point at and the trusted origins (the operator's push gateways).
/// The verdict is the one a client with that profile would reach for a first push.
#[uniffi::export]
pub fn check_push(
    origin: String,
    wsp: Vec<u8>,
    mmsc_url: String,
    trusted_origins: Vec<String>,
) -> PushDecision {
    use mms_core::push::{Bearer, PushChannel, PushPolicy, PushValidator};
    let policy = PushPolicy {
        mmsc_url: Some(mmsc_url),
        trusted_origins,
        ..PushPolicy::default()
    };
    let v = PushValidator::new(
        policy,
        Arc::new(mms_core::clock::SystemClock),
        Arc::new(mms_core::audit::MemoryAudit::new(8)),
    );
    let channel = PushChannel {
        bearer: Bearer::Platform,
        dst_port: Some(mms_core::push::PORT_PUSH),
    };
    push_decision(&v.check(&origin, channel, &wsp))
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

/// Decodes a provisioning push (a WSP push of `application/vnd.wap.connectivity-wbxml`)
/// without verifying it.
#[uniffi::export]
pub fn inspect_provisioning(wsp: Vec<u8>) -> Result<ProvisioningInspection, ProvisioningFailure> {
    use mms_core::pdu::ParamValue;
    use mms_core::pdu::content_type::param;
    let push =
        mms_core::push::decode_push(&wsp).map_err(|e| ProvisioningFailure::NotProvisioning {
            reason: e.to_string(),
        })?;
    if push.kind() != mms_core::push::wsp_push::PushKind::Provisioning {
        return Err(ProvisioningFailure::NotProvisioning {
            reason: format!("content type {}", push.content_type),
        });
    }
    let sec = match push.content_type.param(param::SEC) {
        Some(ParamValue::Integer(i)) => Some(*i),
        Some(ParamValue::Text(t)) => t.to_str_lossy().trim().parse().ok(),
        _ => None,
    };
    let i = mms_core::provisioning::inspect(sec, push.body)?;
    let method = i.method.and_then(|m| {
        serde_json::to_value(m)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
    });
    let (mmsc_url, proxy, apn, problem) = match &i.settings {
        Ok(s) => (
            Some(s.mmsc_url.clone()),
            s.proxy.as_ref().map(|p| format!("{}:{}", p.host, p.port)),
            s.apn.clone(),
            None,
        ),
        Err(e) => (None, None, None, Some(e.to_string())),
    };
    Ok(ProvisioningInspection {
        needs_pin: method.as_deref().is_some_and(|m| m != "NETWPIN"),
        method,
        mmsc_url,
        proxy,
        apn,
        problem,
        xml: i.document.to_xml(),
    })
}

/// Decodes an MMS PDU (bounded, never panics) into a readable summary.
#[uniffi::export]
pub fn decode_pdu(bytes: Vec<u8>) -> Result<PduSummary, CodecError> {
    let d = mms_core::pdu::Pdu::decode(&bytes).map_err(|e| CodecError::Malformed {
        offset: e.offset as u64,
        reason: e.to_string(),
    })?;
    let p = &d.pdu;
    Ok(PduSummary {
        message_type: p.message_type.label().to_string(),
        transaction_id: p.transaction_id().map(|t| t.to_string()),
        subject: p.subject().map(|s| s.to_string_lossy().into_owned()),
        content_location: p.content_location().map(|l| l.into_owned()),
        parts: p
            .parts()
            .iter()
            .map(|x| {
                format!(
                    "{} ({} octets)",
                    x.content_type.media.display_name(),
                    x.raw_data().len()
                )
            })
            .collect(),
        text: mms_core::pdu::describe::PduRecord::from_decoded(&d).to_text(),
    })
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

/// Why the app's transport failed.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum TransportFailure {
    /// No connection (no MMS network, refused, DNS).
    #[error("connect: {reason}")]
    Connect {
        /// Why.
        reason: String,
    },
    /// Timed out.
    #[error("timeout: {reason}")]
    Timeout {
        /// Why.
        reason: String,
    },
    /// The exchange broke off.
    #[error("dropped: {reason}")]
    Dropped {
        /// Why.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for TransportFailure {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        TransportFailure::Dropped { reason: e.reason }
    }
}

/// What the app knows about the phone, for the auto-download policy and the message filter
/// (Android: TelephonyManager roaming state, the contacts provider; iOS: the Contacts
/// framework). Called on a library thread; must answer quickly.
#[uniffi::export(with_foreign)]
pub trait Platform: Send + Sync {
    /// The phone is roaming now (`auto_download = "not_when_roaming"`).
    fn is_roaming(&self) -> bool;
    /// `address` (as the notification names the sender) is one of the user's contacts
    /// (`auto_download = "known_contacts_only"`).
    fn is_known_contact(&self, address: String) -> bool;
    /// The app's message filter (FILTER-1): false drops a notification before anything is
    /// stored or fetched, with an audit row.
    fn keep_notification(
        &self,
        from: Option<String>,
        subject: Option<String>,
        size: Option<u64>,
    ) -> bool;
}

struct PlatformBridge(Arc<dyn Platform>);

impl mms_core::engine::platform::Platform for PlatformBridge {
    fn is_roaming(&self) -> bool {
        self.0.is_roaming()
    }
    fn is_known_contact(&self, address: &str) -> bool {
        self.0.is_known_contact(address.to_string())
    }
    fn keep_notification(&self, n: &mms_core::push::NotificationInfo) -> bool {
        self.0
            .keep_notification(n.from.clone(), n.subject.clone(), n.size)
    }
}

/// The app's own HTTP over the MMS network (Android: a network bound to the MMS APN). Called on
/// a library worker thread; blocking is fine. The headers to send (carrier headers, User-Agent,
/// UAProf) are given.
#[uniffi::export(with_foreign)]
pub trait Mm1Transport: Send + Sync {
    /// POSTs an MMS PDU (`application/vnd.wap.mms-message`).
    fn post(
        &self,
        url: String,
        headers: Vec<HttpHeader>,
        body: Vec<u8>,
    ) -> Result<HttpReply, TransportFailure>;
    /// GETs a message.
    fn get(&self, url: String, headers: Vec<HttpHeader>) -> Result<HttpReply, TransportFailure>;
}

/// Adapts the app's transport to the core's.
struct AppTransport {
    app: Arc<dyn Mm1Transport>,
    headers: Vec<HttpHeader>,
    max_response: u64,
}

impl AppTransport {
    fn new(app: Arc<dyn Mm1Transport>, p: &CarrierProfile) -> Self {
        let mut headers: Vec<HttpHeader> = p
            .expanded_headers()
            .into_iter()
            .map(|(name, value)| HttpHeader { name, value })
            .collect();
        headers.push(HttpHeader {
            name: "User-Agent".into(),
            value: p.user_agent.clone(),
        });
        if let Some(u) = &p.uaprof_url {
            headers.push(HttpHeader {
                name: p.uaprof_header.clone(),
                value: u.clone(),
            });
        }
        Self {
            app,
            headers,
            max_response: p.max_response_size,
        }
    }

    async fn call(
        &self,
        url: &str,
        body: Option<Vec<u8>>,
    ) -> Result<mms_core::transport::HttpResponse, mms_core::transport::TransportError> {
        use mms_core::transport::TransportError as E;
        let (app, url, mut headers) = (self.app.clone(), url.to_string(), self.headers.clone());
        let reply = tokio::task::spawn_blocking(move || match body {
            Some(b) => {
                headers.push(HttpHeader {
                    name: "Content-Type".into(),
                    value: "application/vnd.wap.mms-message".into(),
                });
                app.post(url, headers, b)
            }
            None => app.get(url, headers),
        })
        .await
        .map_err(|e| E::Dropped(e.to_string()))?
        .map_err(|e| match e {
            TransportFailure::Connect { reason } => E::Connect(reason),
            TransportFailure::Timeout { .. } => E::Timeout,
            TransportFailure::Dropped { reason } => E::Dropped(reason),
        })?;
        if reply.body.len() as u64 > self.max_response {
            return Err(E::TooLarge(self.max_response));
        }
        Ok(mms_core::transport::HttpResponse {
            status: reply.status,
            body: reply.body,
            retry_after: reply.retry_after_secs,
        })
    }
}

impl mms_core::transport::Mm1Transport for AppTransport {
    fn post<'a>(
        &'a self,
        url: &'a str,
        pdu: Vec<u8>,
    ) -> mms_core::transport::BoxFuture<
        'a,
        Result<mms_core::transport::HttpResponse, mms_core::transport::TransportError>,
    > {
        Box::pin(self.call(url, Some(pdu)))
    }

    fn get<'a>(
        &'a self,
        url: &'a str,
    ) -> mms_core::transport::BoxFuture<
        'a,
        Result<mms_core::transport::HttpResponse, mms_core::transport::TransportError>,
    > {
        Box::pin(self.call(url, None))
    }
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

/// Errors of the link gate.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum LinkError {
    /// The confirmation was refused (unknown, used, expired or for another link).
    #[error("link not confirmed: {reason}")]
    NotConfirmed {
        /// Why.
        reason: String,
    },
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

/// Errors of provisioning.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ProvisioningFailure {
    /// The document was refused (code, threat, detail).
    #[error("provisioning refused: {code} ({threat}): {reason}")]
    Refused {
        /// Reason code.
        code: String,
        /// Threat ID.
        threat: String,
        /// Detail.
        reason: String,
    },
    /// The push carried no provisioning document.
    #[error("not a provisioning push: {reason}")]
    NotProvisioning {
        /// The push verdict's reason.
        reason: String,
    },
}

impl From<mms_core::provisioning::ProvisioningError> for ProvisioningFailure {
    fn from(e: mms_core::provisioning::ProvisioningError) -> Self {
        ProvisioningFailure::Refused {
            code: e.code().into(),
            threat: e.threat().into(),
            reason: e.to_string(),
        }
    }
}

/// Receives the library's log events (for Logcat / OSLog).
#[uniffi::export(with_foreign)]
pub trait Logger: Send + Sync {
    /// One event: level (`error`..`trace`), target and message with its fields.
    fn log(&self, level: String, target: String, message: String);
}

struct LoggerLayer(Arc<dyn Logger>);

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if !self.0.is_empty() {
            self.0.push(' ');
        }
        if field.name() == "message" {
            self.0.push_str(&format!("{value:?}"));
        } else {
            self.0.push_str(&format!("{}={value:?}", field.name()));
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for LoggerLayer {
    fn on_event(
        &self,
        event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut f = Fields(String::new());
        event.record(&mut f);
        let m = event.metadata();
        self.0.log(
            m.level().to_string().to_lowercase(),
            m.target().to_string(),
            f.0,
        );
    }
}

/// Routes the library's log events at `level` (`error`, `warn`, `info`, `debug`, `trace`) and
/// above to `logger`. The first call wins (a process has one global logger).
#[uniffi::export]
pub fn set_logger(logger: Arc<dyn Logger>, level: String) -> bool {
    use tracing_subscriber::layer::SubscriberExt;
    let filter = level
        .parse::<tracing_subscriber::filter::LevelFilter>()
        .unwrap_or(tracing_subscriber::filter::LevelFilter::INFO);
    let subscriber = tracing_subscriber::registry()
        .with(LoggerLayer(logger))
        .with(filter);
    tracing::subscriber::set_global_default(subscriber).is_ok()
}

/// Writes security rows through the client's store.
struct ClientAudit(MmsClient);

impl mms_core::audit::AuditSink for ClientAudit {
    fn record(&self, event: mms_core::audit::AuditEvent) {
        self.0.store().record(event);
    }
}

/// The library's runtime: every async call runs on it.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name("mms-core")
            .build()
            .unwrap_or_else(|_| std::process::abort())
    })
}

/// An MMS client: one subscription on one SQLite file.
#[derive(uniffi::Object)]
pub struct Client {
    inner: MmsClient,
    receivers: std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>,
    links: mms_core::links::LinkGate,
    provisioner: mms_core::provisioning::Provisioner,
}

impl Client {
    /// Parses the profile, builds the transport for it and opens the client on the library's
    /// runtime.
    fn open_on(
        db_path: String,
        profile_toml: &str,
        listener: Arc<dyn EventListener>,
        platform: Option<Arc<dyn Platform>>,
        transport: impl FnOnce(
            &CarrierProfile,
        )
            -> Result<Arc<dyn mms_core::transport::Mm1Transport>, ClientError>,
    ) -> Result<Arc<Self>, ClientError> {
        let profile = CarrierProfile::from_toml(profile_toml)
            .map_err(|reason| ClientError::Profile { reason })?;
        let _guard = runtime().enter();
        let transport = transport(&profile)?;
        let mut options = mms_core::engine::ClientOptions::default();
        if let Some(p) = platform {
            options.platform = Arc::new(PlatformBridge(p));
        }
        let inner = MmsClient::open_with(
            std::path::Path::new(&db_path),
            profile,
            transport,
            Arc::new(ListenerBridge(listener)),
            options,
        )?;
        Ok(Self::wrap(inner))
    }

    fn wrap(inner: MmsClient) -> Arc<Self> {
        let links = mms_core::links::LinkGate::new(
            Arc::new(mms_core::clock::SystemClock),
            Arc::new(ClientAudit(inner.clone())),
            300,
        );
        let policy = mms_core::provisioning::ProvisioningPolicy {
            trusted_origins: inner.profile().push_origins,
            ..Default::default()
        };
        let provisioner = inner.provisioner(policy);
        Arc::new(Self {
            inner,
            receivers: std::sync::Mutex::new(Vec::new()),
            links,
            provisioner,
        })
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Client {
    /// Opens (or creates) the store at `db_path` with a carrier profile in TOML.
    #[uniffi::constructor]
    pub fn open(
        db_path: String,
        profile_toml: String,
        listener: Arc<dyn EventListener>,
    ) -> Result<Arc<Self>, ClientError> {
        Self::open_on(db_path, &profile_toml, listener, None, |profile| {
            Ok(Arc::new(HttpTransport::new(profile).map_err(|e| {
                ClientError::Profile {
                    reason: e.to_string(),
                }
            })?))
        })
    }

    /// Opens a client whose MM1 requests go through the app's own transport.
    #[uniffi::constructor]
    pub fn open_with_transport(
        db_path: String,
        profile_toml: String,
        transport: Arc<dyn Mm1Transport>,
        listener: Arc<dyn EventListener>,
    ) -> Result<Arc<Self>, ClientError> {
        Self::open_on(db_path, &profile_toml, listener, None, |profile| {
            Ok(Arc::new(AppTransport::new(transport, profile)))
        })
    }

    /// Opens the store with the app's platform services (roaming, contacts, message filter)
    /// and, when given, its own MM1 transport (otherwise the library's HTTP).
    #[uniffi::constructor]
    pub fn open_with_platform(
        db_path: String,
        profile_toml: String,
        transport: Option<Arc<dyn Mm1Transport>>,
        platform: Arc<dyn Platform>,
        listener: Arc<dyn EventListener>,
    ) -> Result<Arc<Self>, ClientError> {
        Self::open_on(
            db_path,
            &profile_toml,
            listener,
            Some(platform),
            |profile| {
                Ok(match transport {
                    Some(t) => Arc::new(AppTransport::new(t, profile)),
                    None => {
                        Arc::new(
                            HttpTransport::new(profile).map_err(|e| ClientError::Profile {
                                reason: e.to_string(),
                            })?,
                        )
                    }
                })
            },
        )
    }

    /// Listens for WAP pushes as UDP datagrams on `bind` (`127.0.0.1:0` picks a port); returns
    /// the bound address.
    pub async fn start_push_receiver(&self, bind: String) -> Result<String, ClientError> {
        let addr = bind.parse().map_err(|_| ClientError::Profile {
            reason: format!("not an address: {bind}"),
        })?;
        let c = self.inner.clone();
        let (bound, task) = runtime()
            .spawn(async move { mms_core::engine::udp::spawn_push_receiver(c, addr).await })
            .await
            .map_err(|e| ClientError::Network {
                reason: e.to_string(),
            })?
            .map_err(|e| ClientError::Network {
                reason: e.to_string(),
            })?;
        if let Ok(mut r) = self.receivers.lock() {
            r.push(task);
        }
        Ok(bound.to_string())
    }

    /// Hands in a WAP push (a WSP push PDU as the platform delivered it) from `origin`; returns
    /// the verdict (and stores/downloads an accepted notification).
    pub async fn handle_push(&self, origin: String, wsp: Vec<u8>) -> PushDecision {
        let v = self.inner.handle_push(&origin, Some(2948), &wsp).await;
        push_decision(&v)
    }

    /// Hands in one SMS-DELIVER TPDU (with the SMSC address when `with_smsc`); the verdict once
    /// the push is complete, `None` while segments are missing.
    pub async fn handle_sms(&self, tpdu: Vec<u8>, with_smsc: bool) -> Option<PushDecision> {
        self.inner
            .handle_sms(&tpdu, with_smsc)
            .await
            .map(|v| push_decision(&v))
    }

    /// Sends a message; returns its row id once the MMSC accepted it.
    pub async fn send(&self, message: OutgoingMessage) -> Result<i64, ClientError> {
        let draft = Draft {
            to: message.to,
            subject: message.subject,
            parts: message
                .parts
                .into_iter()
                .map(|p| DraftPart {
                    content_type: p.content_type,
                    name: p.name,
                    data: p.data,
                })
                .collect(),
            delivery_report: message.delivery_report,
            read_report: message.read_report,
            ..Draft::default()
        };
        Ok(self.inner.send(draft).await?)
    }

    /// Downloads a notified message.
    pub async fn download(&self, id: i64) -> Result<(), ClientError> {
        Ok(self.inner.download(id).await?)
    }

    /// Confirms that the app has the downloaded message; the MMSC is then acknowledged.
    pub async fn confirm_delivered(&self, id: i64) -> Result<(), ClientError> {
        Ok(self.inner.confirm_delivered(id).await?)
    }

    /// Messages, newest first.
    pub fn messages(&self) -> Result<Vec<MessageSummary>, ClientError> {
        Ok(self
            .inner
            .messages()?
            .into_iter()
            .map(|m| MessageSummary {
                id: m.id,
                direction: m.direction,
                state: m.state,
                from: m.from_addr,
                subject: m.subject,
                message_id: m.message_id,
                error: m.error,
                read: m.read,
            })
            .collect())
    }

    /// The parts of a message.
    pub fn parts(&self, id: i64) -> Result<Vec<MessagePart>, ClientError> {
        Ok(self
            .inner
            .message(id)?
            .parts
            .into_iter()
            .map(|p| MessagePart {
                content_type: p.content_type,
                name: p.name,
                data: p.data,
            })
            .collect())
    }

    /// The people of a message's conversation: its From, To and Cc (and Bcc, for a message the
    /// user sent), each once in any spelling of a number, the user's own number left out.
    pub fn participants(&self, id: i64) -> Result<Vec<String>, ClientError> {
        Ok(self.inner.participants(id)?)
    }

    /// The render plan of a downloaded message, as JSON (slides, parts, what was refused and
    /// why).
    pub fn render_plan_json(&self, id: i64) -> Result<String, ClientError> {
        let plan = self.inner.render_plan(id)?;
        Ok(serde_json::to_string(&plan).unwrap_or_default())
    }

    /// The render plan of a downloaded message, typed for a UI.
    pub fn render_plan(&self, id: i64) -> Result<RenderPlanView, ClientError> {
        Ok(self.inner.render_plan(id)?.into())
    }

    /// The security audit log, newest first, optionally for one reason code.
    pub fn audit_log(
        &self,
        reason: Option<String>,
        limit: i64,
    ) -> Result<Vec<AuditRow>, ClientError> {
        Ok(self
            .inner
            .audit_log(reason.as_deref(), limit)?
            .into_iter()
            .map(|a| AuditRow {
                at: a.at,
                reason: a.reason,
                threat: a.threat,
                subject: a.subject,
                detail: a.detail,
            })
            .collect())
    }

    /// Marks a received message read; sends a read report when `send_report` and the sender
    /// asked for one. Returns whether a report was sent.
    pub async fn mark_read(&self, id: i64, send_report: bool) -> Result<bool, ClientError> {
        Ok(self.inner.mark_read(id, send_report).await?)
    }

    /// Forwards a received message without downloading it; returns the new Message-ID.
    pub async fn forward(&self, id: i64, to: Vec<String>) -> Result<String, ClientError> {
        Ok(self.inner.forward(id, &to).await?)
    }

    /// Deletes a message. One the MMSC still holds is released there first (M-Delete.req, or
    /// NotifyResp Rejected where the profile says the MMSC cannot delete). Returns
    /// `local`, `deleted_on_mmsc` or `rejected_at_mmsc`.
    pub async fn delete(&self, id: i64) -> Result<String, ClientError> {
        let outcome = self.inner.delete(id).await?;
        Ok(serde_json::to_value(outcome)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default())
    }

    /// Withdraws an outgoing message that has not been submitted yet (it becomes `CANCELLED`).
    pub async fn cancel_send(&self, id: i64) -> Result<(), ClientError> {
        Ok(self.inner.cancel_send(id).await?)
    }

    /// Blocks (`blocked`) or allows a sender (FILTER-1): a blocked sender's notifications are
    /// dropped and audited; an allowed one counts as a known contact for auto-download.
    pub fn set_sender_rule(&self, address: String, blocked: bool) -> Result<(), ClientError> {
        let rule = if blocked {
            mms_core::engine::filter::SenderRule::Block
        } else {
            mms_core::engine::filter::SenderRule::Allow
        };
        Ok(self.inner.set_sender_rule(&address, rule)?)
    }

    /// Removes a sender rule.
    pub fn clear_sender_rule(&self, address: String) -> Result<(), ClientError> {
        Ok(self.inner.clear_sender_rule(&address)?)
    }

    /// Defers a notified message (tells the MMSC it will be fetched later).
    pub async fn defer(&self, id: i64) -> Result<(), ClientError> {
        Ok(self.inner.defer(id).await?)
    }

    /// Resumes every unfinished transaction (call at start-up); what it did, as JSON.
    pub async fn reconcile(&self) -> Result<String, ClientError> {
        let r = self.inner.reconcile().await?;
        Ok(serde_json::to_string(&r).unwrap_or_default())
    }

    /// The carrier profile in force, as TOML.
    pub fn profile_toml(&self) -> Result<String, ClientError> {
        self.inner
            .profile()
            .to_toml()
            .map_err(|reason| ClientError::Profile { reason })
    }

    /// Replaces the carrier profile (TOML).
    pub fn set_profile_toml(&self, toml: String) -> Result<(), ClientError> {
        let p =
            CarrierProfile::from_toml(&toml).map_err(|reason| ClientError::Profile { reason })?;
        Ok(self.inner.set_profile(p)?)
    }

    /// The user tapped a link in message `message_id`: blocked, or a confirmation to ask for.
    pub fn request_link(&self, uri: String, message_id: String) -> LinkRequest {
        let d = self
            .links
            .request_action(&uri, mms_core::links::LinkSource::message(&message_id));
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

    /// The user confirmed: releases the action (as JSON) if the token is valid for this link.
    pub fn confirm_link(
        &self,
        token: String,
        message_id: String,
        uri: String,
    ) -> Result<String, LinkError> {
        self.links
            .confirm(&token, &message_id, &uri)
            .map(|a| serde_json::to_string(&a).unwrap_or_default())
            .map_err(|e| LinkError::NotConfirmed {
                reason: e.to_string(),
            })
    }

    /// Verifies a provisioning push (WSP push from `origin`) with the user's PIN and/or the
    /// IMSI; nothing is applied until `confirm_provisioning`.
    pub async fn verify_provisioning(
        &self,
        origin: String,
        wsp: Vec<u8>,
        pin: Option<String>,
        imsi: Option<String>,
    ) -> Result<PendingSettings, ProvisioningFailure> {
        use mms_core::provisioning::{Credentials, ProvisioningInput, Secret};
        let v = self.inner.handle_push(&origin, Some(2948), &wsp).await;
        let input = ProvisioningInput::from_verdict(&v).ok_or_else(|| {
            ProvisioningFailure::NotProvisioning {
                reason: format!("{:?}: {}", v.reason, v.detail),
            }
        })?;
        let creds = Credentials {
            imsi: imsi.map(Secret::new),
            pin: pin.map(Secret::new),
        };
        let p = self.provisioner.verify(&input, &creds)?;
        Ok(PendingSettings {
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
        })
    }

    /// Applies a verified change the user confirmed; returns the new MMSC URL.
    pub fn confirm_provisioning(&self, token: String) -> Result<String, ProvisioningFailure> {
        Ok(self.provisioner.confirm(&token)?.mmsc_url)
    }

    /// Discards a pending change.
    pub fn reject_provisioning(&self, token: String) {
        self.provisioner.reject(&token);
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Ok(r) = self.receivers.lock() {
            for t in r.iter() {
                t.abort();
            }
        }
    }
}
