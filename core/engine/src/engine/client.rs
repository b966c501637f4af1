//! [`MmsClient`]: the MMS client of one subscription, and the whole public surface of the
//! engine in one place. Opening a client assembles everything a phone needs around the store:
//! the push handler built from the carrier profile, the provisioner (OTA) and the link gate,
//! all writing their audit rows through the store to the app's listener. The CLI, the bindings
//! and the tests all open clients this way; none of them assembles these parts itself.

use super::events::EventListener;
use super::inbox::{MessageScreen, Page, PageRequest};
use super::push::Reconciled;
use super::{Engine, EngineAudit, platform};
use crate::config::CarrierProfile;
use crate::error::EngineError;
use crate::store::{
    ConversationRow, ListedMessage, MessageRow, PartRow, RecipientRow, SenderRule, Store,
};
use crate::transport::Mm1Transport;
use mms_codec::pdu::Pdu;
use mms_codec::push::PORT_PUSH;
use mms_codec::push::ReassemblyLimits;
use mms_decisions::audit::{AuditEvent, AuditSink};
use mms_decisions::clock::{Clock, SystemClock};
use mms_decisions::content::{MediaPolicy, RenderPlan, plan_message};
use mms_decisions::links::{ConfirmError, LinkDecision, LinkGate, LinkSource, ReleasedAction};
use mms_decisions::provisioning::{
    Credentials, PendingChange, Provisioner, ProvisioningError, ProvisioningInput,
    ProvisioningPolicy,
};
use mms_decisions::push::{PushHandler, PushPolicy, PushValidator, PushVerdict};
use serde::Serialize;
use std::path::Path;
use std::sync::{Arc, RwLock};

/// Seconds a link confirmation stays valid.
pub const LINK_CONFIRMATION_SECS: u64 = 300;

/// A message with its parts and recipients, as the app sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageView {
    /// The journal row.
    pub row: MessageRow,
    /// Parts (received messages once downloaded; sent messages).
    pub parts: Vec<PartRow>,
    /// Recipients with report state (sent messages).
    pub recipients: Vec<RecipientRow>,
}

/// Options of [`MmsClient::open_with`].
pub struct ClientOptions {
    /// Subscription (SIM) id; several clients may share one database file.
    pub subscription: String,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// Roaming, contacts and the message filter, for the auto-download policy.
    pub platform: Arc<dyn platform::Platform>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            subscription: "default".into(),
            clock: Arc::new(SystemClock),
            platform: Arc::new(platform::NoPlatform),
        }
    }
}

/// The push handler a carrier profile calls for: notifications must point at its MMSC, its
/// push origins are trusted, and its size bound applies.
fn push_handler(
    profile: &CarrierProfile,
    clock: Arc<dyn Clock>,
    audit: Arc<dyn AuditSink>,
) -> PushHandler {
    let policy = PushPolicy {
        mmsc_url: profile.expected_mmsc(),
        trusted_origins: profile.push_origins.clone(),
        max_message_size: profile.max_message_size.max(1024 * 1024),
        trusted_burst: profile.trusted_push_burst,
        trusted_per_hour: profile.trusted_push_per_hour,
        ..PushPolicy::default()
    };
    PushHandler::new(
        PushValidator::new(policy, clock.clone(), audit.clone()),
        ReassemblyLimits::default(),
        clock,
        audit,
    )
}

impl Engine {
    /// Replaces the profile in force; the push policy follows it.
    pub(crate) fn set_profile(&self, profile: CarrierProfile) -> Result<(), EngineError> {
        profile.validate()?;
        let handler = Arc::new(push_handler(
            &profile,
            self.clock.clone(),
            self.audit.clone(),
        ));
        if let Ok(mut p) = self.push.write() {
            *p = handler;
        }
        if let Ok(mut p) = self.profile.write() {
            *p = profile;
        }
        // A new home region or own number reads numbers differently: sender rules follow.
        let sub = self.subscription.clone();
        self.store
            .write(|tx| tx.rekey_sender_rules(&sub, &|a| self.address_key(a)))?;
        Ok(())
    }

    fn push_handler(&self) -> Option<Arc<PushHandler>> {
        self.push.read().ok().map(|h| h.clone())
    }
}

/// The MMS client of one subscription. Cheap to clone; safe to call from several threads.
#[derive(Clone)]
pub struct MmsClient {
    engine: Arc<Engine>,
    links: Arc<LinkGate>,
    provisioner: Arc<Provisioner>,
}

impl std::fmt::Debug for MmsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MmsClient")
            .field("subscription", &self.engine.subscription)
            .finish_non_exhaustive()
    }
}

impl MmsClient {
    /// Opens a client on the SQLite file at `path`.
    pub fn open(
        path: &Path,
        profile: CarrierProfile,
        transport: Arc<dyn Mm1Transport>,
        listener: Arc<dyn EventListener>,
    ) -> Result<Self, EngineError> {
        Self::open_with(path, profile, transport, listener, ClientOptions::default())
    }

    /// Opens a client with options. A profile stored earlier (confirmed provisioning) wins over
    /// `profile`, so settings survive restarts.
    pub fn open_with(
        path: &Path,
        profile: CarrierProfile,
        transport: Arc<dyn Mm1Transport>,
        listener: Arc<dyn EventListener>,
        options: ClientOptions,
    ) -> Result<Self, EngineError> {
        profile.validate()?;
        let store = Arc::new(Store::open(path)?);
        let profile = match store
            .profile(&options.subscription)?
            .as_deref()
            .map(CarrierProfile::from_toml)
        {
            Some(Ok(p)) => p,
            _ => profile,
        };
        let audit: Arc<dyn AuditSink> = Arc::new(EngineAudit {
            store: store.clone(),
            listener: listener.clone(),
        });
        let push = Arc::new(push_handler(&profile, options.clock.clone(), audit.clone()));
        let provisioning = ProvisioningPolicy {
            trusted_origins: profile.push_origins.clone(),
            ..ProvisioningPolicy::default()
        };
        let engine = Arc::new(Engine {
            store,
            subscription: options.subscription,
            profile: RwLock::new(profile),
            transport,
            listener,
            push: RwLock::new(push),
            clock: options.clock,
            audit,
            platform: options.platform,
            busy: Default::default(),
            parked_reports: Default::default(),
        });
        let links = Arc::new(
            LinkGate::new(
                engine.clock.clone(),
                engine.audit.clone(),
                LINK_CONFIRMATION_SECS,
            )
            .with_number_plan(engine.profile().number_plan()),
        );
        let provisioner = Arc::new(super::provisioning::provisioner(&engine, provisioning));
        // Sender rules keyed by an earlier reading of numbers follow this one.
        let sub = engine.subscription.clone();
        engine
            .store
            .write(|tx| tx.rekey_sender_rules(&sub, &|a| engine.address_key(a)))?;
        // Messages stored by a library before conversations were filed get theirs.
        super::conversation::backfill(&engine)?;
        Ok(Self {
            engine,
            links,
            provisioner,
        })
    }

    /// The subscription this client serves.
    pub fn subscription(&self) -> &str {
        &self.engine.subscription
    }

    /// The carrier profile in force.
    pub fn profile(&self) -> CarrierProfile {
        self.engine.profile()
    }

    /// Replaces the carrier profile (the push policy follows it).
    pub fn set_profile(&self, profile: CarrierProfile) -> Result<(), EngineError> {
        let plan = profile.number_plan();
        let before = self.engine.profile();
        let changed = (&before.mmsc_url, &before.proxy, &before.apn)
            != (&profile.mmsc_url, &profile.proxy, &profile.apn);
        let (source, what) = (
            profile.settings_source,
            format!(
                "MMSC {}, proxy {}",
                profile.mmsc_url,
                profile.proxy.as_deref().unwrap_or("none")
            ),
        );
        self.engine.set_profile(profile)?;
        self.links.set_number_plan(plan);
        if changed {
            super::carrier::audit_settings(&self.engine, source, &what);
        }
        Ok(())
    }

    /// The carrier data's suggestion for the SIM's network (the profile's `mcc_mnc` and
    /// `spn`), whether or not it is in force.
    pub fn carrier_suggestion(&self) -> Option<mms_decisions::carriers::CarrierEntry> {
        super::carrier::suggestion(&self.engine)
    }

    /// Applies the carrier data's settings for the SIM's network, unless the settings in
    /// force came from the user or an authenticated OTA push (which take precedence); stores
    /// them with the profile and writes an audit row either way.
    pub fn apply_carrier_settings(&self) -> Result<super::carrier::CarrierOutcome, EngineError> {
        super::carrier::apply(&self.engine)
    }

    /// Replaces the carrier profile from TOML.
    pub fn set_profile_toml(&self, toml: &str) -> Result<(), EngineError> {
        self.set_profile(CarrierProfile::from_toml(toml)?)
    }

    /// The store (for queries the app makes).
    pub fn store(&self) -> &Store {
        &self.engine.store
    }

    /// All messages of this subscription, newest first.
    pub fn messages(&self) -> Result<Vec<MessageRow>, EngineError> {
        Ok(self.engine.store.messages(&self.engine.subscription)?)
    }

    /// One message with parts and recipients.
    pub fn message(&self, id: i64) -> Result<MessageView, EngineError> {
        let row = self.engine.message(id)?;
        Ok(MessageView {
            parts: self.engine.store.parts(id)?,
            recipients: self.engine.store.recipients(id)?,
            row,
        })
    }

    /// The render plan of a downloaded message (its CONTENT-* decisions are audited).
    pub fn render_plan(&self, id: i64) -> Result<RenderPlan, EngineError> {
        let (_, pdu) = self.engine.store.blobs(id)?;
        let pdu = pdu.ok_or_else(|| EngineError::WrongState {
            id,
            operation: "plan",
            state: self
                .engine
                .message(id)
                .map(|m| m.state)
                .unwrap_or(crate::store::State::Notified),
        })?;
        let d = Pdu::decode_lenient(&pdu).map_err(|e| EngineError::Unreadable {
            id,
            reason: e.to_string(),
        })?;
        let plan = plan_message(&d.pdu, &MediaPolicy::default());
        plan.write_audit(
            self.engine.audit.as_ref(),
            &id.to_string(),
            self.engine.clock.now(),
        );
        Ok(plan)
    }

    /// A page of conversations, the most recently active first, each with its people, newest
    /// message (with the beginning of its text) and unread count.
    pub fn conversations(&self, page: PageRequest) -> Result<Page<ConversationRow>, EngineError> {
        super::inbox::conversations(&self.engine, page)
    }

    /// A page of the messages of conversation `key` ([`ConversationRow::key`]), newest first.
    pub fn conversation(
        &self,
        key: &str,
        page: PageRequest,
    ) -> Result<Page<ListedMessage>, EngineError> {
        super::inbox::conversation(&self.engine, key, page)
    }

    /// Everything a message screen shows, in one answer: the message, its recipients' reports,
    /// its parts without their bytes and its render plan (audited like [`Self::render_plan`]).
    pub fn message_screen(&self, id: i64) -> Result<MessageScreen, EngineError> {
        super::inbox::screen(&self.engine, id)
    }

    /// The bytes of part `idx` of message `id`.
    pub fn part_data(&self, id: i64, idx: i64) -> Result<Vec<u8>, EngineError> {
        super::inbox::part_data(&self.engine, id, idx)
    }

    /// Writes part `idx` of message `id` to the file at `path` (created or truncated), 64 KiB
    /// at a time; returns the octets written.
    pub fn write_part(&self, id: i64, idx: i64, path: &Path) -> Result<u64, EngineError> {
        super::inbox::write_part(&self.engine, id, idx, path)
    }

    /// The people of a message's conversation (see [`super::conversation`]).
    pub fn participants(&self, id: i64) -> Result<Vec<String>, EngineError> {
        super::conversation::of_message(&self.engine, id)
    }

    /// Security audit rows, newest first.
    pub fn audit_log(
        &self,
        reason: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AuditEvent>, EngineError> {
        Ok(self.engine.store.audit_rows(reason, limit)?)
    }

    /// Handles a push the platform delivered (a reassembled WSP push) with the WDP port it
    /// came on, when the platform says.
    pub async fn handle_push(
        &self,
        origin: &str,
        dst_port: Option<u16>,
        wsp: &[u8],
    ) -> PushVerdict {
        let verdict = match self.engine.push_handler() {
            Some(h) => h.handle_platform(origin, dst_port, wsp),
            None => return PushVerdict::internal_reject(origin, "push handler unavailable"),
        };
        super::push::process(&self.engine, &verdict).await;
        verdict
    }

    /// Handles a push the platform routed to the WAP push port (Android's WAP_PUSH_DELIVER).
    pub async fn handle_platform_push(&self, origin: &str, wsp: &[u8]) -> PushVerdict {
        self.handle_push(origin, Some(PORT_PUSH), wsp).await
    }

    /// Handles a WDP datagram received over UDP.
    pub async fn handle_udp_push(
        &self,
        origin: &str,
        dst_port: u16,
        datagram: &[u8],
    ) -> PushVerdict {
        let verdict = match self.engine.push_handler() {
            Some(h) => h.handle_udp(origin, dst_port, datagram),
            None => return PushVerdict::internal_reject(origin, "push handler unavailable"),
        };
        super::push::process(&self.engine, &verdict).await;
        verdict
    }

    /// Handles one SMS-DELIVER TPDU; `None` while more segments are awaited.
    pub async fn handle_sms(&self, tpdu: &[u8], with_smsc: bool) -> Option<PushVerdict> {
        let verdict = self.engine.push_handler()?.handle_sms(tpdu, with_smsc)?;
        super::push::process(&self.engine, &verdict).await;
        Some(verdict)
    }

    /// Resumes every unfinished transaction from its journal state (call at start-up).
    pub async fn reconcile(&self) -> Result<Reconciled, EngineError> {
        super::push::reconcile(&self.engine).await
    }

    /// Queues and submits a message. Returns its row id once the MMSC accepted it (or after
    /// a permanent failure, as an error). Transient failures are retried with backoff, keeping
    /// the transaction id.
    pub async fn send(&self, draft: super::Draft) -> Result<i64, EngineError> {
        self.engine.require_mmsc()?;
        let id = self.queue(draft)?;
        self.submit(id).await?;
        Ok(id)
    }

    /// Submits every send whose scheduled retry is due (see
    /// [`crate::CarrierProfile::max_call_wait_secs`]); returns how many were attempted. Call it
    /// from the platform's job scheduler at [`MmsClient::next_retry_at`], or run
    /// [`crate::spawn_retry_scheduler`].
    pub async fn run_due_retries(&self) -> Result<usize, EngineError> {
        super::retry::run_due(&self.engine).await
    }

    /// When the next scheduled retry is due, in Unix seconds (`None` when no send waits).
    pub fn next_retry_at(&self) -> Result<Option<i64>, EngineError> {
        super::retry::next_due(&self.engine)
    }

    /// The engine's clock, in Unix seconds.
    pub fn now(&self) -> i64 {
        self.engine.now()
    }

    /// Encodes and stores a draft as `QUEUED` without submitting it.
    pub fn queue(&self, draft: super::Draft) -> Result<i64, EngineError> {
        super::send::queue(&self.engine, draft)
    }

    /// Submits a message stored by [`MmsClient::queue`] (an app that shows the message at once
    /// queues it, then submits it in the background; [`MmsClient::reconcile`] submits what a
    /// crash left queued). Returns once the MMSC accepted it, or after a permanent failure;
    /// a message already sent is not submitted again, and one being submitted by another task
    /// is refused as [`EngineError::Busy`].
    pub async fn submit(&self, id: i64) -> Result<(), EngineError> {
        super::send::submit(&self.engine, id).await
    }

    /// Withdraws an outgoing message that has not been submitted (`QUEUED` or waiting for a
    /// retry): it becomes `CANCELLED` and is never sent.
    pub async fn cancel_send(&self, id: i64) -> Result<(), EngineError> {
        super::cancel::cancel_send(&self.engine, id)
    }

    /// Downloads a notified message and stores it (`DOWNLOADED`); emits `MessageReceived`.
    pub async fn download(&self, id: i64) -> Result<(), EngineError> {
        self.engine.require_mmsc()?;
        super::receive::download(&self.engine, id).await
    }

    /// Sends NotifyResp (Deferred): the message stays on the MMSC until [`MmsClient::download`].
    pub async fn defer(&self, id: i64) -> Result<(), EngineError> {
        super::receive::defer(&self.engine, id).await
    }

    /// The app confirms it has the message: `DELIVERED`, then the MMSC is acknowledged.
    pub async fn confirm_delivered(&self, id: i64) -> Result<(), EngineError> {
        super::receive::confirm_delivered(&self.engine, id).await
    }

    /// Marks a received message read; sends a read report when the sender asked for one, the
    /// profile allows it and `send_report` is true. Returns whether a report was sent.
    pub async fn mark_read(&self, id: i64, send_report: bool) -> Result<bool, EngineError> {
        super::receive::mark_read(&self.engine, id, send_report).await
    }

    /// Forwards received message `id` (by its Content-Location) to `to` without downloading
    /// it; returns the new Message-ID the MMSC gave (empty when it gave none).
    pub async fn forward(&self, id: i64, to: &[String]) -> Result<String, EngineError> {
        self.engine.require_mmsc()?;
        super::forward::forward(&self.engine, id, to).await
    }

    /// Deletes message `id` (see [`super::DeleteOutcome`]).
    pub async fn delete(&self, id: i64) -> Result<super::DeleteOutcome, EngineError> {
        super::delete::delete(&self.engine, id).await
    }

    /// Sets the rule for a sender address (any spelling of the number).
    pub fn set_sender_rule(&self, address: &str, rule: SenderRule) -> Result<(), EngineError> {
        super::filter::set_rule(&self.engine, address, Some(rule))
    }

    /// Removes the rule for a sender.
    pub fn clear_sender_rule(&self, address: &str) -> Result<(), EngineError> {
        super::filter::set_rule(&self.engine, address, None)
    }

    /// The rule for a sender, if any.
    pub fn sender_rule(&self, address: &str) -> Result<Option<SenderRule>, EngineError> {
        super::filter::rule(&self.engine, address)
    }

    /// The user tapped link `uri` in message `id` (the row id): blocked, or a confirmation to
    /// ask for (the gate's decision, audited; LINK-1 .. LINK-4).
    pub fn request_link(&self, uri: &str, id: i64) -> Result<LinkDecision, EngineError> {
        self.engine.message(id)?;
        Ok(self
            .links
            .request_action(uri, LinkSource::message(&id.to_string())))
    }

    /// The user confirmed link `uri` of message `id` with `token`: the sanitised action, once.
    pub fn confirm_link(
        &self,
        token: &str,
        id: i64,
        uri: &str,
    ) -> Result<ReleasedAction, ConfirmError> {
        self.links.confirm(token, &id.to_string(), uri)
    }

    /// The link gate (LINK-1 .. LINK-4): its confirmations and refusals are audited and reach
    /// the listener as security events.
    pub fn links(&self) -> &LinkGate {
        &self.links
    }

    /// The provisioner (OTA-1 .. OTA-7): confirmed settings become this client's profile; its
    /// PIN counter and the applied documents live in this client's database.
    pub fn provisioner(&self) -> &Provisioner {
        &self.provisioner
    }

    /// Verifies a provisioning push (a WSP push from `origin`, through the push policy like
    /// any other) with the user's credentials; nothing is applied until
    /// [`Provisioner::confirm`].
    pub async fn verify_provisioning(
        &self,
        origin: &str,
        wsp: &[u8],
        credentials: &Credentials,
    ) -> Result<PendingChange, ProvisioningError> {
        let v = self.handle_platform_push(origin, wsp).await;
        let input = ProvisioningInput::from_verdict(&v)
            .ok_or(ProvisioningError::NotProvisioning(v.reason.code()))?;
        self.provisioner.verify(&input, credentials)
    }
}
