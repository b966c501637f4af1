//! The MM1 transaction engine (OMA-MMS-CTR client side): send, receive (immediate and
//! deferred), acknowledge, delivery and read reports, forward, cancel and delete, over an
//! [`Mm1Transport`](crate::transport::Mm1Transport), with every step journaled in the store
//! before the next side effect (the chains and the acknowledgement rule are written down in
//! [`crate::store::journal`]), so that a crash at any moment loses nothing and duplicates
//! nothing.
//!
//! [`MmsClient`] (in [`client`]) is the whole public surface; each transaction lives in its own
//! module as functions over the shared [`Engine`] context.

mod cancel;
pub mod carrier;
pub mod client;
pub mod conversation;
mod delete;
mod draft;
pub mod events;
mod filter;
mod forward;
pub mod inbox;
pub mod platform;
mod provisioning;
pub(crate) mod push;
mod receive;
mod reports;
pub mod retry;
mod send;
#[cfg(feature = "image-resize")]
mod shrink;
pub mod udp;

use crate::config::CarrierProfile;
use crate::store::Store;
use crate::transport::Mm1Transport;
use events::{Event, EventListener};
use mms_decisions::audit::{AuditEvent, AuditSink};
use mms_decisions::clock::Clock;
use mms_decisions::push::PushHandler;
use std::collections::HashSet;
use std::sync::{Arc, Mutex, RwLock};

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

/// The audit sink the engine uses: the store, and the app's listener as a security event. Every
/// decision module (push, provisioning, links, content, reports, filter) writes through it.
pub(crate) struct EngineAudit {
    store: Arc<Store>,
    listener: Arc<dyn EventListener>,
}

impl AuditSink for EngineAudit {
    fn record(&self, e: AuditEvent) {
        self.store.record(e.clone());
        self.listener.on_event(&Event::Security(e));
    }
}

/// What every transaction shares: the store, the profile in force, the transport, the push
/// handler built from the profile, the clock, the audit sink, the app's listener and platform,
/// and the messages with a transaction under way in this process.
pub(crate) struct Engine {
    pub(crate) store: Arc<Store>,
    pub(crate) subscription: String,
    pub(crate) profile: RwLock<CarrierProfile>,
    pub(crate) transport: Arc<dyn Mm1Transport>,
    pub(crate) listener: Arc<dyn EventListener>,
    pub(crate) push: RwLock<Arc<PushHandler>>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) audit: Arc<dyn AuditSink>,
    pub(crate) platform: Arc<dyn platform::Platform>,
    busy: Mutex<HashSet<i64>>,
    /// Reports that came before the answer naming their message (`reports::park`).
    pub(crate) parked_reports: Mutex<std::collections::VecDeque<reports::ParkedReport>>,
}

impl Engine {
    pub(crate) fn now(&self) -> i64 {
        self.clock.now() as i64
    }

    pub(crate) fn profile(&self) -> CarrierProfile {
        self.profile.read().map(|p| p.clone()).unwrap_or_default()
    }

    /// The profile's number plan, read under the lock (no copy of the whole profile: this is on
    /// the path of every notification and every conversation key).
    pub(crate) fn number_plan(&self) -> mms_decisions::numbers::NumberPlan {
        match self.profile.read() {
            Ok(p) => p.number_plan(),
            Err(_) => CarrierProfile::default().number_plan(),
        }
    }

    /// The subscriber's own numbers (the profile's `line1`), left out of conversations.
    pub(crate) fn own_numbers(&self) -> Vec<String> {
        self.profile
            .read()
            .ok()
            .and_then(|p| p.line1.clone())
            .into_iter()
            .collect()
    }

    /// The key an address is known by in this subscription: the platform's E.164 reading of a
    /// number when it gives one, else the profile's number plan's (E.164, a short number's
    /// digits, a lowercased e-mail address).
    pub(crate) fn address_key(&self, address: &str) -> String {
        let plan = self.number_plan();
        match plan.read(address) {
            mms_decisions::numbers::Address::Email(e) => e,
            other => self
                .platform
                .normalize_number(address.split("/TYPE=").next().unwrap_or(address))
                .filter(|n| n.starts_with('+'))
                .unwrap_or_else(|| other.as_str().to_string()),
        }
    }

    /// True when two addresses name the same subscriber ([`Engine::address_key`]).
    pub(crate) fn same_address(&self, a: &str, b: &str) -> bool {
        let (a, b) = (self.address_key(a), self.address_key(b));
        !a.is_empty() && a == b
    }

    /// Fails with [`crate::EngineError::NotProvisioned`] while the profile names no MMSC.
    pub(crate) fn require_mmsc(&self) -> Result<(), crate::EngineError> {
        let configured = self
            .profile
            .read()
            .map(|p| !p.mmsc_url.trim().is_empty())
            .unwrap_or(false);
        if configured {
            Ok(())
        } else {
            Err(crate::EngineError::NotProvisioned)
        }
    }

    pub(crate) fn emit(&self, e: Event) {
        self.listener.on_event(&e);
    }

    pub(crate) fn message(&self, id: i64) -> Result<crate::store::MessageRow, crate::EngineError> {
        self.store
            .message(id)?
            .ok_or(crate::EngineError::NoSuchMessage(id))
    }

    /// Claims message `id` for one transaction in this process; `None` while another holds
    /// it. The journal's compare-and-set guards the database; this guards the network step in
    /// between (two downloads of one message never both fetch and acknowledge).
    pub(crate) fn claim(&self, id: i64) -> Option<Claim<'_>> {
        let inserted = self.busy.lock().ok()?.insert(id);
        // Built only when the claim is ours: dropping a refused one would release the holder's.
        inserted.then(|| Claim { engine: self, id })
    }

    /// Claims `id`, waiting while another transaction holds it (claims are held for one
    /// exchange with the MMSC); `Busy` after twice the HTTP timeout.
    pub(crate) async fn claim_waiting(&self, id: i64) -> Result<Claim<'_>, crate::EngineError> {
        let patience = self.profile().http_timeout_secs.saturating_mul(2).max(1);
        let until = std::time::Instant::now() + std::time::Duration::from_secs(patience);
        loop {
            if let Some(c) = self.claim(id) {
                return Ok(c);
            }
            if std::time::Instant::now() >= until {
                return Err(crate::EngineError::Busy(id));
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }
}

/// A message claimed by a transaction; released when dropped.
pub(crate) struct Claim<'e> {
    engine: &'e Engine,
    id: i64,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        if let Ok(mut b) = self.engine.busy.lock() {
            b.remove(&self.id);
        }
    }
}

pub use client::{ClientOptions, MmsClient};
pub use delete::DeleteOutcome;
pub use draft::{Draft, DraftPart};
