//! Applying provisioned settings (OTA-4, OTA-5): accepted only from the provisioning push
//! channel and a trusted origin; verified into a [`PendingChange`] (old vs new values, method
//! and strength, https->http downgrade flagged) that the UI shows; applied atomically to the
//! stored settings only by [`Provisioner::confirm`] with its token. Rejection or timeout leaves
//! the old settings; a document already applied is refused as a replay.

use super::attempts::AttemptStore;
use super::auth::{self, AuthError, AuthStrength, Credentials, SecMethod};
use super::settings::{MmsSettings, SettingsError, mms_settings};
use super::token::TokenPool;
use crate::audit::{AuditArea, AuditEvent, AuditOutcome, AuditSink};
use crate::clock::Clock;
use crate::numbers::{normalise_origin, normalised_origin};
use crate::push::{PushChannel, PushContent, PushVerdict};
use mms_codec::provisioning::{ProvisioningDoc, decode_wbxml};
use serde::Serialize;
use sha1::{Digest, Sha1};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// Where the stored carrier settings live; `apply` must be atomic (all values or none).
pub trait SettingsStore: Send + Sync {
    /// The settings in force.
    fn current(&self) -> Option<MmsSettings>;
    /// Replaces the settings and records the document digest, atomically.
    fn apply(&self, settings: &MmsSettings, document_digest: &str) -> Result<(), String>;
    /// True when a document with this digest was applied before.
    fn was_applied(&self, document_digest: &str) -> bool;
}

/// In-memory settings (tests, or apps that persist elsewhere).
#[derive(Debug, Default)]
pub struct MemorySettings(Mutex<(Option<MmsSettings>, HashSet<String>)>);

impl MemorySettings {
    /// A store holding `initial`.
    pub fn with(initial: Option<MmsSettings>) -> Self {
        Self(Mutex::new((initial, HashSet::new())))
    }
}

impl SettingsStore for MemorySettings {
    fn current(&self) -> Option<MmsSettings> {
        self.0.lock().ok().and_then(|g| g.0.clone())
    }
    fn apply(&self, settings: &MmsSettings, digest: &str) -> Result<(), String> {
        let mut g = self
            .0
            .lock()
            .map_err(|_| "settings lock poisoned".to_string())?;
        g.0 = Some(settings.clone());
        g.1.insert(digest.to_string());
        Ok(())
    }
    fn was_applied(&self, digest: &str) -> bool {
        self.0.lock().is_ok_and(|g| g.1.contains(digest))
    }
}

/// Where a provisioning document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisioningSource {
    /// A WAP push with the provisioning content type, on this channel.
    Push(PushChannel),
    /// Anything else (an MMS part, a file, an app): never applied (OTA-4).
    Message,
}

/// A document to verify, with what the push said about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisioningInput {
    /// The push origin.
    pub origin: String,
    /// Where it came from.
    pub source: ProvisioningSource,
    /// The SEC parameter.
    pub sec: Option<u64>,
    /// The MAC parameter.
    pub mac: Option<String>,
    /// The WBXML body exactly as received.
    pub body: Vec<u8>,
}

impl ProvisioningInput {
    /// The input a push verdict hands over, if it carried a provisioning document.
    pub fn from_verdict(v: &PushVerdict) -> Option<Self> {
        match &v.content {
            PushContent::Provisioning {
                sec,
                mac,
                body,
                channel,
            } => Some(Self {
                origin: v.origin.clone(),
                source: ProvisioningSource::Push(*channel),
                sec: *sec,
                mac: mac.clone(),
                body: body.clone(),
            }),
            _ => None,
        }
    }
}

/// Provisioning policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvisioningPolicy {
    /// Origins allowed to provision (the operator's PPG numbers).
    pub trusted_origins: Vec<String>,
    /// Wrong PINs allowed before lockout.
    pub max_pin_attempts: u32,
    /// Seconds a pending change waits for the user.
    pub pending_ttl_secs: u64,
    /// Accept NETWPIN-only documents (always shown as weak and confirmed by the user).
    pub allow_netwpin_only: bool,
}

impl Default for ProvisioningPolicy {
    fn default() -> Self {
        Self {
            trusted_origins: Vec::new(),
            max_pin_attempts: 3,
            pending_ttl_secs: 600,
            allow_netwpin_only: true,
        }
    }
}

/// One value that would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// Which setting.
    pub field: String,
    /// Its value now.
    pub old: Option<String>,
    /// Its value after confirmation.
    pub new: Option<String>,
}

/// A verified change waiting for the user's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingChange {
    /// The one-shot token for [`Provisioner::confirm`].
    pub token: String,
    /// The method verified.
    pub method: SecMethod,
    /// What the verification proves.
    pub strength: AuthStrength,
    /// Current settings.
    pub old: Option<MmsSettings>,
    /// The settings after confirmation.
    pub new: MmsSettings,
    /// What would change.
    pub changes: Vec<FieldChange>,
    /// The MMSC would move from https to http: needs explicit confirmation.
    pub downgrade: bool,
    /// When the token expires.
    pub expires_at: u64,
    /// Who sent it.
    pub origin: String,
    /// Warnings for the UI (weak authentication, downgrade).
    pub warnings: Vec<String>,
}

/// Why a document was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ProvisioningError {
    /// The push carried no provisioning document; the push verdict's reason code says what
    /// it was instead.
    #[error("not a provisioning push: {0}")]
    NotProvisioning(&'static str),
    /// Not from the provisioning push channel (OTA-4).
    #[error("not received on the provisioning push channel")]
    WrongChannel,
    /// Not from a trusted origin (OTA-4).
    #[error("the sender {0} may not provision this phone")]
    UntrustedOrigin(String),
    /// Authentication failed (OTA-1, OTA-2, OTA-3).
    #[error("authentication failed: {0}")]
    Auth(AuthError),
    /// NETWPIN-only documents are not accepted by policy.
    #[error("NETWPIN-only documents are not accepted")]
    WeakAuthRefused,
    /// The document does not decode (OTA-7).
    #[error("malformed document: {0}")]
    Malformed(String),
    /// No usable MMS settings.
    #[error("{0}")]
    Settings(SettingsError),
    /// This document was applied before.
    #[error("this document was already applied (replay)")]
    Replay,
    /// Unknown or already used token.
    #[error("no such pending change")]
    UnknownToken,
    /// The pending change expired.
    #[error("the pending change expired")]
    Expired,
    /// The store refused the change; the old settings stay.
    #[error("could not apply: {0}")]
    ApplyFailed(String),
}

impl ProvisioningError {
    /// Stable reason code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotProvisioning(_) => "not_provisioning",
            Self::WrongChannel => "not_provisioning_channel",
            Self::UntrustedOrigin(_) => "untrusted_provisioning_origin",
            Self::Auth(a) => a.code(),
            Self::WeakAuthRefused => "netwpin_only_refused",
            Self::Malformed(_) => "malformed_document",
            Self::Settings(_) => "no_mms_settings",
            Self::Replay => "replayed_document",
            Self::UnknownToken => "unknown_token",
            Self::Expired => "pending_change_expired",
            Self::ApplyFailed(_) => "apply_failed",
        }
    }

    /// The threat ID.
    pub fn threat(&self) -> &'static str {
        match self {
            Self::NotProvisioning(_) | Self::WrongChannel | Self::UntrustedOrigin(_) => "OTA-4",
            Self::Auth(a) => a.threat(),
            Self::WeakAuthRefused => "OTA-2",
            Self::Malformed(_) => "OTA-7",
            _ => "OTA-5",
        }
    }
}

fn channel_and_origin(
    input: &ProvisioningInput,
    trusted: &HashSet<String>,
) -> Result<(), ProvisioningError> {
    match input.source {
        ProvisioningSource::Push(ch) if ch.is_push_port() => {}
        _ => return Err(ProvisioningError::WrongChannel),
    }
    if !trusted.contains(normalised_origin(&input.origin).as_ref()) {
        return Err(ProvisioningError::UntrustedOrigin(input.origin.clone()));
    }
    Ok(())
}

/// What the provisioning module will make of `input` before any credential is tried: the
/// refusal it gives whatever the PIN (wrong channel or untrusted origin, OTA-4; no SEC or MAC,
/// OTA-1; an unknown SEC, OTA-2), or the method whose credentials it will ask for. For tools
/// that show a push without verifying it (`mms push-check`).
pub fn admission(
    input: &ProvisioningInput,
    trusted: &HashSet<String>,
) -> Result<SecMethod, ProvisioningError> {
    channel_and_origin(input, trusted)?;
    let sec = input
        .sec
        .ok_or(ProvisioningError::Auth(AuthError::Unauthenticated))?;
    let method =
        SecMethod::from_sec(sec).ok_or(ProvisioningError::Auth(AuthError::UnknownMethod))?;
    if method != SecMethod::Userpinmac && input.mac.as_deref().is_none_or(str::is_empty) {
        return Err(ProvisioningError::Auth(AuthError::Unauthenticated));
    }
    Ok(method)
}

/// The normalised set of trusted origins, as [`admission`] takes them.
pub fn trusted_set(origins: &[String]) -> HashSet<String> {
    origins.iter().map(|o| normalise_origin(o)).collect()
}

/// What a document says, before any authentication (for the UI and the CLI).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inspection {
    /// The SEC method, if known.
    pub method: Option<SecMethod>,
    /// The document.
    pub document: ProvisioningDoc<'static>,
    /// The MMS settings it would set, or why none.
    pub settings: Result<MmsSettings, SettingsError>,
}

/// Decodes a document without verifying it.
pub fn inspect(sec: Option<u64>, body: &[u8]) -> Result<Inspection, ProvisioningError> {
    let document = decode_wbxml(body).map_err(|e| ProvisioningError::Malformed(e.to_string()))?;
    let settings = mms_settings(&document);
    Ok(Inspection {
        method: sec.and_then(SecMethod::from_sec),
        document: document.into_owned(),
        settings,
    })
}

/// Lowercase hexadecimal, written into one string (no string per octet).
pub(super) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            s.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    s
}

fn digest(body: &[u8]) -> String {
    hex(&Sha1::digest(body))
}

/// What [`Provisioner::confirm`] needs of a verified change (not the whole change the UI was
/// given: its diff and warnings are not needed again).
struct Pending {
    new: MmsSettings,
    strength: AuthStrength,
    expires_at: u64,
    origin: String,
    digest: String,
}

/// The provisioning transaction. Safe to share between threads.
pub struct Provisioner {
    policy: ProvisioningPolicy,
    trusted: HashSet<String>,
    store: Arc<dyn SettingsStore>,
    attempts: Arc<dyn AttemptStore>,
    clock: Arc<dyn Clock>,
    audit: Arc<dyn AuditSink>,
    pending: Mutex<HashMap<String, Pending>>,
    tokens: TokenPool,
}

impl std::fmt::Debug for Provisioner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provisioner")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

fn diff(old: Option<&MmsSettings>, new: &MmsSettings) -> Vec<FieldChange> {
    let proxy = |s: Option<&MmsSettings>| {
        s.and_then(|s| s.proxy.as_ref())
            .map(|p| format!("{}:{}", p.host, p.port))
    };
    let fields: [(&str, Option<String>, Option<String>); 4] = [
        (
            "mmsc_url",
            old.map(|o| o.mmsc_url.clone()),
            Some(new.mmsc_url.clone()),
        ),
        ("proxy", proxy(old), proxy(Some(new))),
        ("apn", old.and_then(|o| o.apn.clone()), new.apn.clone()),
        (
            "apn_user",
            old.and_then(|o| o.apn_auth.as_ref())
                .and_then(|a| a.user.clone()),
            new.apn_auth.as_ref().and_then(|a| a.user.clone()),
        ),
    ];
    fields
        .into_iter()
        .filter(|(_, o, n)| o != n)
        .map(|(f, old, new)| FieldChange {
            field: f.to_string(),
            old,
            new,
        })
        .collect()
}

impl Provisioner {
    /// A provisioner over a settings store and a persisted attempt counter.
    pub fn new(
        policy: ProvisioningPolicy,
        store: Arc<dyn SettingsStore>,
        attempts: Arc<dyn AttemptStore>,
        clock: Arc<dyn Clock>,
        audit: Arc<dyn AuditSink>,
    ) -> Self {
        let trusted = trusted_set(&policy.trusted_origins);
        Self {
            policy,
            trusted,
            store,
            attempts,
            clock,
            audit,
            pending: Mutex::new(HashMap::new()),
            tokens: TokenPool::default(),
        }
    }

    fn record(
        &self,
        outcome: AuditOutcome,
        reason: &str,
        threat: Option<&str>,
        subject: &str,
        detail: String,
    ) {
        self.audit.record(AuditEvent {
            at: self.clock.now(),
            area: AuditArea::Provisioning,
            outcome,
            reason: reason.to_string(),
            threat: threat.map(str::to_string),
            subject: subject.chars().take(64).collect(),
            detail,
        });
    }

    fn refuse(&self, input_origin: &str, e: ProvisioningError) -> ProvisioningError {
        self.record(
            AuditOutcome::Rejected,
            e.code(),
            Some(e.threat()),
            input_origin,
            e.to_string(),
        );
        e
    }

    /// Wrong PIN attempts recorded so far.
    pub fn failed_attempts(&self) -> u32 {
        self.attempts.failures()
    }

    /// Clears the lockout (for example after the user proved ownership another way).
    pub fn reset_attempts(&self) {
        self.attempts.reset();
    }

    /// What this provisioner will make of `input` before any credential is tried (see
    /// [`admission`]).
    pub fn admission(&self, input: &ProvisioningInput) -> Result<SecMethod, ProvisioningError> {
        admission(input, &self.trusted)
    }

    /// Checks channel, origin and authentication, and builds the pending change. Nothing is
    /// applied.
    pub fn verify(
        &self,
        input: &ProvisioningInput,
        creds: &Credentials,
    ) -> Result<PendingChange, ProvisioningError> {
        let origin = input.origin.as_str();
        if let Err(e) = channel_and_origin(input, &self.trusted) {
            return Err(self.refuse(origin, e));
        }
        let method = input.sec.and_then(SecMethod::from_sec);
        if method.is_some_and(SecMethod::needs_pin)
            && self.attempts.failures() >= self.policy.max_pin_attempts
        {
            return Err(self.refuse(origin, ProvisioningError::Auth(AuthError::LockedOut)));
        }
        let result = auth::verify(input.sec, input.mac.as_deref(), &input.body, creds);
        let auth = match result {
            Ok(a) => a,
            Err(e) => {
                if method.is_some_and(SecMethod::needs_pin) && e.is_wrong_pin() {
                    self.attempts.record_failure();
                }
                return Err(self.refuse(origin, ProvisioningError::Auth(e)));
            }
        };
        if auth.method.needs_pin() {
            self.attempts.reset();
        }
        if auth.strength == AuthStrength::Weak && !self.policy.allow_netwpin_only {
            return Err(self.refuse(origin, ProvisioningError::WeakAuthRefused));
        }
        let doc = decode_wbxml(&input.body)
            .map_err(|e| self.refuse(origin, ProvisioningError::Malformed(e.to_string())))?;
        let new =
            mms_settings(&doc).map_err(|e| self.refuse(origin, ProvisioningError::Settings(e)))?;
        let d = digest(&input.body);
        if self.store.was_applied(&d) {
            return Err(self.refuse(origin, ProvisioningError::Replay));
        }
        let old = self.store.current();
        let downgrade = old
            .as_ref()
            .is_some_and(|o| o.mmsc_url.starts_with("https:"))
            && new.mmsc_url.starts_with("http:");
        let mut warnings = Vec::new();
        if auth.strength == AuthStrength::Weak {
            warnings.push("Authenticated only with the network PIN (derived from the IMSI, which is not secret): make sure you expected these settings.".to_string());
        }
        if downgrade {
            warnings.push(
                "The MMS server would change from a secure (https) to an insecure (http) address."
                    .to_string(),
            );
        }
        let change = PendingChange {
            token: self.tokens.token(),
            method: auth.method,
            strength: auth.strength,
            changes: diff(old.as_ref(), &new),
            old,
            new,
            downgrade,
            expires_at: self
                .clock
                .now()
                .saturating_add(self.policy.pending_ttl_secs),
            origin: origin.to_string(),
            warnings,
        };
        self.record(
            AuditOutcome::Flagged,
            if downgrade {
                "pending_change_downgrade"
            } else {
                "pending_change"
            },
            Some("OTA-5"),
            origin,
            format!(
                "{:?} ({:?}), {} values would change",
                change.method,
                change.strength,
                change.changes.len()
            ),
        );
        if let Ok(mut p) = self.pending.lock() {
            if p.len() >= 4 {
                p.clear();
            }
            p.insert(
                change.token.clone(),
                Pending {
                    new: change.new.clone(),
                    strength: change.strength,
                    expires_at: change.expires_at,
                    origin: change.origin.clone(),
                    digest: d,
                },
            );
        }
        Ok(change)
    }

    /// Applies the pending change of `token`, atomically. The token is spent.
    pub fn confirm(&self, token: &str) -> Result<MmsSettings, ProvisioningError> {
        let pending = self
            .pending
            .lock()
            .ok()
            .and_then(|mut p| p.remove(token))
            .ok_or(ProvisioningError::UnknownToken)?;
        let origin = pending.origin;
        if self.clock.now() > pending.expires_at {
            return Err(self.refuse(&origin, ProvisioningError::Expired));
        }
        if self.store.was_applied(&pending.digest) {
            return Err(self.refuse(&origin, ProvisioningError::Replay));
        }
        self.store
            .apply(&pending.new, &pending.digest)
            .map_err(|e| self.refuse(&origin, ProvisioningError::ApplyFailed(e)))?;
        self.record(
            AuditOutcome::Confirmed,
            "settings_applied",
            Some("OTA-5"),
            &origin,
            format!("MMSC {} ({:?})", pending.new.mmsc_url, pending.strength),
        );
        Ok(pending.new)
    }

    /// Discards the pending change of `token`; the old settings stay.
    pub fn reject(&self, token: &str) {
        let removed = self.pending.lock().ok().and_then(|mut p| p.remove(token));
        if let Some(p) = removed {
            self.record(
                AuditOutcome::Rejected,
                "user_rejected",
                Some("OTA-5"),
                &p.origin,
                "the user declined the settings".into(),
            );
        }
    }
}
