//! The confirmation gate (LINK-1): every action requested from message content passes here.
//! A request returns a decision: blocked (with its reason), or a pending action with a
//! one-shot token, a plain description and an expiry. Only [`LinkGate::confirm`] with that
//! token, for the same message and URI, before expiry, releases the sanitised action.

use super::classify::{BlockReason, Blocked, CostRisk, LinkAction, classify_in};
use crate::audit::{AuditArea, AuditEvent, AuditOutcome, AuditSink};
use crate::clock::Clock;
use crate::numbers::NumberPlan;
use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// Where a link came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkSource {
    /// The message the link is in.
    pub message_id: String,
    /// The part index, if known.
    pub part: Option<usize>,
    /// The byte offset in the part, if known.
    pub offset: Option<usize>,
}

impl LinkSource {
    /// A source naming only the message.
    pub fn message(id: &str) -> Self {
        Self {
            message_id: id.to_string(),
            part: None,
            offset: None,
        }
    }
}

/// An action waiting for the user's confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingAction {
    /// The one-shot confirmation token.
    pub token: String,
    /// What would happen.
    pub action: LinkAction,
    /// A plain description of exactly that, for the dialog.
    pub description: String,
    /// The cost risk.
    pub cost: CostRisk,
    /// When the token expires (seconds since the epoch).
    pub expires_at: u64,
    /// The URI as found in the message.
    pub uri: String,
    /// Where it was found.
    pub source: LinkSource,
}

/// The gate's decision on a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum LinkDecision {
    /// Never followed.
    Blocked {
        /// Why.
        blocked: Blocked,
        /// The URI.
        uri: String,
    },
    /// Needs the user's confirmation.
    NeedsConfirmation(PendingAction),
}

/// An action the user confirmed: the app may now carry it out, exactly as described.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReleasedAction {
    /// The sanitised action.
    pub action: LinkAction,
    /// The URI it came from.
    pub uri: String,
    /// Where it was found.
    pub source: LinkSource,
}

/// Why a confirmation was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum ConfirmError {
    /// No such token was issued (or it was evicted).
    #[error("unknown confirmation token")]
    UnknownToken,
    /// The token was already used.
    #[error("confirmation token already used")]
    AlreadyUsed,
    /// The token expired.
    #[error("confirmation token expired")]
    Expired,
    /// The token was issued for another message or URI.
    #[error("confirmation token was issued for another link")]
    Mismatch,
}

struct Entry {
    pending: PendingAction,
}

/// The gate. Cheap to share (`Arc`), safe to call from several threads.
pub struct LinkGate {
    clock: Arc<dyn Clock>,
    audit: Arc<dyn AuditSink>,
    ttl: u64,
    max_pending: usize,
    pending: Mutex<(HashMap<String, Entry>, VecDeque<String>)>,
    used: Mutex<VecDeque<String>>,
    plan: Mutex<NumberPlan>,
}

impl std::fmt::Debug for LinkGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkGate")
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

const USED_MEMORY: usize = 1024;

fn new_token() -> String {
    let mut b = [0u8; 16];
    if getrandom::fill(&mut b).is_err() {
        // No OS randomness: fall back to a hash of time and address (still unguessable enough
        // for a local one-shot token that is bound to a message and URI).
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        b = t.to_le_bytes();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl LinkGate {
    /// A gate whose tokens live `ttl_secs` seconds.
    pub fn new(clock: Arc<dyn Clock>, audit: Arc<dyn AuditSink>, ttl_secs: u64) -> Self {
        Self {
            clock,
            audit,
            ttl: ttl_secs,
            max_pending: 64,
            pending: Mutex::new((HashMap::new(), VecDeque::new())),
            used: Mutex::new(VecDeque::new()),
            plan: Mutex::new(NumberPlan::default()),
        }
    }

    /// The gate reading numbers in `plan`'s home region (premium-rate numbers and short codes
    /// by that region's numbering data).
    pub fn with_number_plan(self, plan: NumberPlan) -> Self {
        self.set_number_plan(plan);
        self
    }

    /// Reads numbers in `plan`'s home region from now on (the subscription's profile changed).
    pub fn set_number_plan(&self, plan: NumberPlan) {
        if let Ok(mut p) = self.plan.lock() {
            *p = plan;
        }
    }

    fn number_plan(&self) -> NumberPlan {
        self.plan.lock().map(|p| *p).unwrap_or_default()
    }

    fn audit(
        &self,
        outcome: AuditOutcome,
        reason: &str,
        threat: &str,
        subject: &str,
        detail: String,
    ) {
        self.audit.record(AuditEvent {
            at: self.clock.now(),
            area: AuditArea::Link,
            outcome,
            reason: reason.to_string(),
            threat: Some(threat.to_string()),
            subject: subject.to_string(),
            detail,
        });
    }

    /// Classifies `uri` and either blocks it (audited) or issues a one-shot token for it.
    pub fn request_action(&self, uri: &str, source: LinkSource) -> LinkDecision {
        let plan = self.number_plan();
        match classify_in(uri, &plan) {
            Err(blocked) => {
                self.audit(
                    AuditOutcome::Rejected,
                    blocked.reason.code(),
                    blocked.reason.threat(),
                    &source.message_id,
                    format!("{}: {}", truncate(uri), blocked.detail),
                );
                LinkDecision::Blocked {
                    blocked,
                    uri: uri.to_string(),
                }
            }
            Ok(action) => {
                if let LinkAction::Email {
                    dropped_headers, ..
                } = &action
                {
                    if !dropped_headers.is_empty() {
                        self.audit(
                            AuditOutcome::Flagged,
                            "mailto_headers_dropped",
                            "LINK-2",
                            &source.message_id,
                            format!("dropped: {}", dropped_headers.join(", ")),
                        );
                    }
                }
                let pending = PendingAction {
                    token: new_token(),
                    description: action.describe_in(&plan),
                    cost: action.cost_in(&plan),
                    action,
                    expires_at: self.clock.now().saturating_add(self.ttl),
                    uri: uri.to_string(),
                    source,
                };
                if let Ok(mut g) = self.pending.lock() {
                    let (map, order) = &mut *g;
                    while map.len() >= self.max_pending {
                        match order.pop_front() {
                            Some(old) => {
                                map.remove(&old);
                            }
                            None => break,
                        }
                    }
                    order.push_back(pending.token.clone());
                    map.insert(
                        pending.token.clone(),
                        Entry {
                            pending: pending.clone(),
                        },
                    );
                }
                LinkDecision::NeedsConfirmation(pending)
            }
        }
    }

    /// Releases the action of `token` if it was issued for this message and URI, has not
    /// been used and has not expired. The token is spent by any attempt that names it with
    /// the right binding.
    pub fn confirm(
        &self,
        token: &str,
        message_id: &str,
        uri: &str,
    ) -> Result<ReleasedAction, ConfirmError> {
        if self.used.lock().is_ok_and(|u| u.iter().any(|t| t == token)) {
            return Err(ConfirmError::AlreadyUsed);
        }
        let mut g = self
            .pending
            .lock()
            .map_err(|_| ConfirmError::UnknownToken)?;
        let (map, order) = &mut *g;
        let entry = map.get(token).ok_or(ConfirmError::UnknownToken)?;
        if entry.pending.source.message_id != message_id || entry.pending.uri != uri {
            drop(g);
            self.audit(
                AuditOutcome::Rejected,
                "token_mismatch",
                "LINK-1",
                message_id,
                format!("token used for another link: {}", truncate(uri)),
            );
            return Err(ConfirmError::Mismatch);
        }
        let entry = map.remove(token).ok_or(ConfirmError::UnknownToken)?;
        order.retain(|t| t != token);
        drop(g);
        if let Ok(mut u) = self.used.lock() {
            if u.len() >= USED_MEMORY {
                u.pop_front();
            }
            u.push_back(token.to_string());
        }
        if self.clock.now() > entry.pending.expires_at {
            self.audit(
                AuditOutcome::Rejected,
                "token_expired",
                "LINK-1",
                message_id,
                truncate(uri),
            );
            return Err(ConfirmError::Expired);
        }
        self.audit(
            AuditOutcome::Confirmed,
            "user_confirmed",
            "LINK-1",
            message_id,
            entry.pending.description.clone(),
        );
        Ok(ReleasedAction {
            action: entry.pending.action,
            uri: entry.pending.uri,
            source: entry.pending.source,
        })
    }

    /// Withdraws a pending token (the user dismissed the dialog).
    pub fn cancel(&self, token: &str) {
        if let Ok(mut g) = self.pending.lock() {
            let (map, order) = &mut *g;
            map.remove(token);
            order.retain(|t| t != token);
        }
    }

    /// Number of tokens waiting.
    pub fn pending_count(&self) -> usize {
        self.pending.lock().map(|g| g.0.len()).unwrap_or(0)
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(200).collect()
}

/// True when the decision let nothing through without a token.
pub fn is_blocked(d: &LinkDecision) -> bool {
    matches!(d, LinkDecision::Blocked { .. })
}

/// The reason of a blocked decision.
pub fn block_reason(d: &LinkDecision) -> Option<BlockReason> {
    match d {
        LinkDecision::Blocked { blocked, .. } => Some(blocked.reason),
        LinkDecision::NeedsConfirmation(_) => None,
    }
}
