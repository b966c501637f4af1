//! The MM1 transaction engine (OMA-MMS-CTR client side): send, receive (immediate and
//! deferred), acknowledge, delivery and read reports, over an [`Mm1Transport`], with every
//! step journaled in SQLite before the next side effect, so that a crash at any moment loses
//! nothing and duplicates nothing. The MMSC is acknowledged only after the message is durably
//! stored and the app has confirmed it.
//!
//! Receive chain: `NOTIFIED` -> `DOWNLOADING` -> `DOWNLOADED` -> `DELIVERED` -> `ACKNOWLEDGED`
//! (or `FAILED` / `EXPIRED`). Send chain: `QUEUED` -> `SUBMITTING` -> `SENT` | `RETRY_WAIT` |
//! `FAILED` | `CANCELLED` (the user withdrew it before submission).
//!
//! The MMSC may withdraw a notified message (M-Cancel.req): `NOTIFIED` -> `CANCELLED`. Deleting a
//! message the MMSC still holds goes `NOTIFIED` -> `DELETING` (M-Delete.req or NotifyResp
//! Rejected on its way) -> row removed.

mod cancel;
pub mod conversation;
mod delete;
pub mod events;
pub mod filter;
mod forward;
pub mod platform;
pub mod provisioning;
mod receive;
pub mod reports;
mod send;
mod shrink;
pub mod udp;

pub use delete::DeleteOutcome;
pub use events::{Event, EventListener, NoopListener};
pub use send::{Draft, DraftPart};

use crate::audit::{AuditEvent, AuditSink};
use crate::clock::{Clock, SystemClock};
use crate::config::CarrierProfile;
use crate::push::{PushHandler, PushPolicy, PushValidator, PushVerdict, ReassemblyLimits};
use crate::store::{MessageRow, PartRow, RecipientRow, Store, StoreError};
use crate::transport::{Mm1Transport, TransportError};
use serde::Serialize;
use std::path::Path;
use std::sync::{Arc, RwLock};

/// States of the journal.
pub mod state {
    #![allow(missing_docs)]
    pub const NOTIFIED: &str = "NOTIFIED";
    pub const DOWNLOADING: &str = "DOWNLOADING";
    pub const DOWNLOADED: &str = "DOWNLOADED";
    pub const DELIVERED: &str = "DELIVERED";
    pub const ACKNOWLEDGED: &str = "ACKNOWLEDGED";
    pub const EXPIRED: &str = "EXPIRED";
    pub const QUEUED: &str = "QUEUED";
    pub const SUBMITTING: &str = "SUBMITTING";
    pub const SENT: &str = "SENT";
    pub const RETRY_WAIT: &str = "RETRY_WAIT";
    pub const FAILED: &str = "FAILED";
    pub const CANCELLED: &str = "CANCELLED";
    pub const DELETING: &str = "DELETING";
}

/// Marks a journal state for the crash-safety tests: with the `crash-points` feature and
/// `MMS_CRASH_AT` naming this point, the process announces it on standard output and waits to
/// be killed (SIGKILL from the test). Without the feature it compiles to nothing.
#[inline]
pub(crate) fn crash_point(_label: &str) {
    #[cfg(feature = "crash-points")]
    if std::env::var("MMS_CRASH_AT").is_ok_and(|v| v == _label) {
        use std::io::Write;
        println!("CRASHPOINT {_label}");
        let _ = std::io::stdout().flush();
        loop {
            std::thread::sleep(std::time::Duration::from_secs(60));
        }
    }
}

/// An engine error.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The network failed.
    #[error("transport: {0}")]
    Transport(#[from] TransportError),
    /// The draft cannot be sent.
    #[error("invalid draft: {0}")]
    InvalidDraft(String),
    /// The message is larger than the carrier maximum.
    #[error("message of {size} octets exceeds the carrier maximum of {max}")]
    TooLarge {
        /// Encoded size.
        size: u64,
        /// Carrier maximum.
        max: u64,
    },
    /// No such message, or not in a state that allows the operation.
    #[error("message {0}: {1}")]
    State(i64, String),
    /// The MMSC answered with an error.
    #[error("MMSC: {0}")]
    Mmsc(String),
    /// The carrier profile is unusable.
    #[error("profile: {0}")]
    Profile(String),
}

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

/// What reconciliation did at start-up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reconciled {
    /// Sends resumed.
    pub sends: usize,
    /// Downloads resumed.
    pub downloads: usize,
    /// Acknowledgements sent.
    pub acknowledgements: usize,
    /// Deletions on the MMSC finished.
    pub deletions: usize,
}

/// The audit sink the engine uses: the store, and the listener as a security event.
struct EngineAudit {
    store: Arc<Store>,
    listener: Arc<dyn EventListener>,
}

impl AuditSink for EngineAudit {
    fn record(&self, e: AuditEvent) {
        self.store.record(e.clone());
        self.listener.on_event(&Event::Security(e));
    }
}

pub(crate) struct Inner {
    pub(crate) store: Arc<Store>,
    pub(crate) subscription: String,
    pub(crate) profile: RwLock<CarrierProfile>,
    pub(crate) transport: Arc<dyn Mm1Transport>,
    pub(crate) listener: Arc<dyn EventListener>,
    pub(crate) push: RwLock<Arc<PushHandler>>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) audit: Arc<dyn AuditSink>,
    pub(crate) platform: Arc<dyn platform::Platform>,
}

impl Inner {
    pub(crate) fn now(&self) -> i64 {
        self.clock.now() as i64
    }

    pub(crate) fn profile(&self) -> CarrierProfile {
        self.profile.read().map(|p| p.clone()).unwrap_or_default()
    }

    pub(crate) fn emit(&self, e: Event) {
        self.listener.on_event(&e);
    }
}

fn push_handler(
    profile: &CarrierProfile,
    clock: Arc<dyn Clock>,
    audit: Arc<dyn AuditSink>,
) -> PushHandler {
    let policy = PushPolicy {
        mmsc_url: Some(profile.mmsc_url.clone()),
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

/// The MMS client of one subscription. Cheap to clone; safe to call from several threads.
#[derive(Clone)]
pub struct MmsClient {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for MmsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MmsClient")
            .field("subscription", &self.inner.subscription)
            .finish_non_exhaustive()
    }
}

/// Options of [`MmsClient::open_with`].
pub struct ClientOptions {
    /// Subscription (SIM) id; several clients may share one database file.
    pub subscription: String,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// Roaming and contacts, for the auto-download policy.
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

    /// Opens a client with options.
    pub fn open_with(
        path: &Path,
        profile: CarrierProfile,
        transport: Arc<dyn Mm1Transport>,
        listener: Arc<dyn EventListener>,
        options: ClientOptions,
    ) -> Result<Self, EngineError> {
        if url::Url::parse(&profile.mmsc_url).is_err() {
            return Err(EngineError::Profile(format!(
                "MMSC URL {:?} does not parse",
                profile.mmsc_url
            )));
        }
        let store = Arc::new(Store::open(path)?);
        // Settings provisioned earlier (and confirmed by the user) survive restarts.
        let stored: Option<String> = store.read(|c| {
            use rusqlite::OptionalExtension;
            Ok(c.query_row(
                "SELECT toml FROM profiles WHERE subscription = ?1",
                [&options.subscription],
                |r| r.get(0),
            )
            .optional()?)
        })?;
        let profile = match stored.as_deref().map(CarrierProfile::from_toml) {
            Some(Ok(p)) => p,
            _ => profile,
        };
        let audit: Arc<dyn AuditSink> = Arc::new(EngineAudit {
            store: store.clone(),
            listener: listener.clone(),
        });
        let push = Arc::new(push_handler(&profile, options.clock.clone(), audit.clone()));
        let inner = Arc::new(Inner {
            store,
            subscription: options.subscription,
            profile: RwLock::new(profile),
            transport,
            listener,
            push: RwLock::new(push),
            clock: options.clock,
            audit,
            platform: options.platform,
        });
        Ok(Self { inner })
    }

    /// The carrier profile in force.
    pub fn profile(&self) -> CarrierProfile {
        self.inner.profile()
    }

    /// Replaces the carrier profile (the push policy follows it).
    pub fn set_profile(&self, profile: CarrierProfile) -> Result<(), EngineError> {
        if url::Url::parse(&profile.mmsc_url).is_err() {
            return Err(EngineError::Profile(format!(
                "MMSC URL {:?} does not parse",
                profile.mmsc_url
            )));
        }
        let handler = Arc::new(push_handler(
            &profile,
            self.inner.clock.clone(),
            self.inner.audit.clone(),
        ));
        if let Ok(mut p) = self.inner.push.write() {
            *p = handler;
        }
        if let Ok(mut p) = self.inner.profile.write() {
            *p = profile;
        }
        Ok(())
    }

    /// The store (for queries the app makes).
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// All messages of this subscription, newest first.
    pub fn messages(&self) -> Result<Vec<MessageRow>, EngineError> {
        Ok(self.inner.store.messages(&self.inner.subscription)?)
    }

    /// One message with parts and recipients.
    pub fn message(&self, id: i64) -> Result<MessageView, EngineError> {
        let row = self
            .inner
            .store
            .message(id)?
            .ok_or_else(|| EngineError::State(id, "no such message".into()))?;
        Ok(MessageView {
            parts: self.inner.store.parts(id)?,
            recipients: self.inner.store.recipients(id)?,
            row,
        })
    }

    /// The render plan of a downloaded message.
    pub fn render_plan(&self, id: i64) -> Result<crate::content::RenderPlan, EngineError> {
        let (_, pdu) = self.inner.store.blobs(id)?;
        let pdu = pdu.ok_or_else(|| EngineError::State(id, "not downloaded".into()))?;
        let d = crate::pdu::Pdu::decode_lenient(&pdu)
            .map_err(|e| EngineError::State(id, e.to_string()))?;
        let plan = crate::content::plan_message(&d.pdu, &crate::content::MediaPolicy::default());
        plan.write_audit(
            self.inner.audit.as_ref(),
            &id.to_string(),
            self.inner.clock.now(),
        );
        Ok(plan)
    }

    /// Security audit rows, newest first.
    pub fn audit_log(
        &self,
        reason: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AuditEvent>, EngineError> {
        Ok(self.inner.store.audit_rows(reason, limit)?)
    }

    /// Handles a push the platform delivered (reassembled WSP push).
    pub async fn handle_push(
        &self,
        origin: &str,
        dst_port: Option<u16>,
        wsp: &[u8],
    ) -> PushVerdict {
        let handler: Option<Arc<PushHandler>> = self.inner.push.read().ok().map(|h| h.clone());
        let verdict = match handler {
            Some(h) => h.handle_platform(origin, dst_port, wsp),
            None => return PushVerdict::internal_reject(origin),
        };
        self.process(&verdict).await;
        verdict
    }

    /// Handles a WDP datagram received over UDP.
    pub async fn handle_udp_push(
        &self,
        origin: &str,
        dst_port: u16,
        datagram: &[u8],
    ) -> PushVerdict {
        let handler: Option<Arc<PushHandler>> = self.inner.push.read().ok().map(|h| h.clone());
        let verdict = match handler {
            Some(h) => h.handle_udp(origin, dst_port, datagram),
            None => return PushVerdict::internal_reject(origin),
        };
        self.process(&verdict).await;
        verdict
    }

    /// Handles one SMS-DELIVER TPDU; `None` while more segments are awaited.
    pub async fn handle_sms(&self, tpdu: &[u8], with_smsc: bool) -> Option<PushVerdict> {
        let handler: Arc<PushHandler> = self.inner.push.read().ok().map(|h| h.clone())?;
        let verdict = handler.handle_sms(tpdu, with_smsc)?;
        self.process(&verdict).await;
        Some(verdict)
    }

    /// Resumes every unfinished transaction from its journal state (call at start-up).
    pub async fn reconcile(&self) -> Result<Reconciled, EngineError> {
        use tracing::Instrument;
        let span = tracing::info_span!("reconcile", subscription = %self.inner.subscription);
        self.reconcile_txn().instrument(span).await
    }

    async fn reconcile_txn(&self) -> Result<Reconciled, EngineError> {
        let mut r = Reconciled::default();
        let s = &self.inner.store;
        let sub = &self.inner.subscription;
        for m in s.in_states(sub, &[state::QUEUED, state::SUBMITTING, state::RETRY_WAIT])? {
            if m.direction == "out" {
                let _ = self.submit(m.id).await;
                r.sends += 1;
            }
        }
        for m in s.in_states(sub, &[state::DOWNLOADING])? {
            let _ = self.download(m.id).await;
            r.downloads += 1;
        }
        for m in s.in_states(sub, &[state::NOTIFIED])? {
            if !m.deferred
                && self.inner.profile().auto_download != crate::config::AutoDownload::Never
            {
                let _ = self.download(m.id).await;
                r.downloads += 1;
            }
        }
        for m in s.in_states(sub, &[state::DELIVERED])? {
            if self.acknowledge(m.id).await.is_ok() {
                r.acknowledgements += 1;
            }
        }
        for m in s.in_states(sub, &[state::DELETING])? {
            if self.delete(m.id).await.is_ok() {
                r.deletions += 1;
            }
        }
        Ok(r)
    }
}

impl PushVerdict {
    fn internal_reject(origin: &str) -> PushVerdict {
        PushVerdict {
            verdict: crate::push::Verdict::Reject,
            reason: crate::push::PushReason::Malformed,
            threat: None,
            detail: "internal lock poisoned".into(),
            kind: crate::push::PushKind::Other,
            origin: origin.to_string(),
            trusted_origin: false,
            auto_download: false,
            content: crate::push::PushContent::None,
            audit: None,
        }
    }
}
