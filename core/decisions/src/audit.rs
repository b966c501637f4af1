//! The security audit log's rows (AUDIT-1): every rejection, block, flag or confirmation a
//! decision module makes is an [`AuditEvent`] written to an [`AuditSink`]. The SQLite store
//! implements the sink for the app; [`MemoryAudit`] is a bounded in-memory sink.

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::Mutex;

/// Which part of the system made the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditArea {
    /// Push validation (PUSH-*, TLS-2).
    Push,
    /// OTA provisioning (OTA-*).
    Provisioning,
    /// Rendering decisions (CONTENT-*).
    Content,
    /// Link gating (LINK-*).
    Link,
    /// Delivery and read reports (REPORT-*).
    Report,
    /// Spam filtering (FILTER-1).
    Filter,
    /// Transport and TLS (TLS-1).
    Transport,
    /// PDU decoding (PDU-1).
    Pdu,
}

impl AuditArea {
    /// Every area.
    pub const ALL: [AuditArea; 8] = [
        AuditArea::Push,
        AuditArea::Provisioning,
        AuditArea::Content,
        AuditArea::Link,
        AuditArea::Report,
        AuditArea::Filter,
        AuditArea::Transport,
        AuditArea::Pdu,
    ];

    /// The stable code (as serialised and stored).
    pub fn code(self) -> &'static str {
        match self {
            AuditArea::Push => "push",
            AuditArea::Provisioning => "provisioning",
            AuditArea::Content => "content",
            AuditArea::Link => "link",
            AuditArea::Report => "report",
            AuditArea::Filter => "filter",
            AuditArea::Transport => "transport",
            AuditArea::Pdu => "pdu",
        }
    }

    /// The area with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    /// Refused.
    Rejected,
    /// Allowed with a flag (e.g. unverified origin, type mismatch).
    Flagged,
    /// The user confirmed an action.
    Confirmed,
    /// Accepted (recorded only where an audit trail is wanted, e.g. provisioning).
    Accepted,
}

impl AuditOutcome {
    /// Every outcome.
    pub const ALL: [AuditOutcome; 4] = [
        AuditOutcome::Rejected,
        AuditOutcome::Flagged,
        AuditOutcome::Confirmed,
        AuditOutcome::Accepted,
    ];

    /// The stable code (as serialised and stored).
    pub fn code(self) -> &'static str {
        match self {
            AuditOutcome::Rejected => "rejected",
            AuditOutcome::Flagged => "flagged",
            AuditOutcome::Confirmed => "confirmed",
            AuditOutcome::Accepted => "accepted",
        }
    }

    /// The outcome with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    /// When, in seconds since the epoch.
    pub at: u64,
    /// Which area decided.
    pub area: AuditArea,
    /// The outcome.
    pub outcome: AuditOutcome,
    /// A stable reason code (`spoofed_content_location`, `dangerous_scheme`, ...).
    pub reason: String,
    /// The threat ID the decision counters (`PUSH-1`), when there is one.
    pub threat: Option<String>,
    /// Who or what it concerns (push origin, message id, URI), never a secret.
    pub subject: String,
    /// Free-text detail for humans, never a secret.
    pub detail: String,
}

/// Where audit rows go.
pub trait AuditSink: Send + Sync {
    /// Records one row. Must not fail the caller's decision.
    fn record(&self, event: AuditEvent);
}

/// A bounded in-memory audit log: the oldest rows are dropped beyond `capacity`.
#[derive(Debug)]
pub struct MemoryAudit {
    capacity: usize,
    rows: Mutex<VecDeque<AuditEvent>>,
}

impl MemoryAudit {
    /// A log keeping at most `capacity` rows.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            rows: Mutex::new(VecDeque::new()),
        }
    }

    /// A copy of the rows, oldest first.
    pub fn rows(&self) -> Vec<AuditEvent> {
        self.rows
            .lock()
            .map(|r| r.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Rows with the given reason code.
    pub fn with_reason(&self, reason: &str) -> Vec<AuditEvent> {
        self.rows()
            .into_iter()
            .filter(|r| r.reason == reason)
            .collect()
    }

    /// Number of rows held.
    pub fn len(&self) -> usize {
        self.rows.lock().map(|r| r.len()).unwrap_or(0)
    }

    /// True when no rows are held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for MemoryAudit {
    fn default() -> Self {
        Self::new(10_000)
    }
}

impl AuditSink for MemoryAudit {
    fn record(&self, event: AuditEvent) {
        if let Ok(mut rows) = self.rows.lock() {
            if rows.len() >= self.capacity {
                rows.pop_front();
            }
            rows.push_back(event);
        }
    }
}

impl<T: AuditSink + ?Sized> AuditSink for std::sync::Arc<T> {
    fn record(&self, event: AuditEvent) {
        (**self).record(event)
    }
}
