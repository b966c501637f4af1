//! FILTER-1: sender rules (block / allow) kept per subscription in the store, and the app's
//! message filter hook ([`super::platform::Platform::keep_notification`]). A blocked sender's
//! notifications are dropped before anything is stored or fetched, with an audit row.

use super::reports::address_key;
use super::{EngineError, MmsClient};
use crate::audit::{AuditArea, AuditEvent, AuditOutcome};
use crate::push::NotificationInfo;
use rusqlite::{OptionalExtension, params};

/// A sender rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SenderRule {
    /// Drop this sender's messages.
    Block,
    /// A known sender (counts as a contact for auto-download).
    Allow,
}

impl SenderRule {
    fn as_str(self) -> &'static str {
        match self {
            SenderRule::Block => "block",
            SenderRule::Allow => "allow",
        }
    }
}

impl MmsClient {
    /// Sets the rule for a sender address (any spelling of the number).
    pub fn set_sender_rule(&self, address: &str, rule: SenderRule) -> Result<(), EngineError> {
        let (sub, key, now) = (
            self.inner.subscription.clone(),
            address_key(address),
            self.inner.now(),
        );
        self.inner.store.write(|tx| {
            tx.execute(
                "INSERT INTO origin_filter (subscription, address_key, address, rule, added_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (subscription, address_key) DO UPDATE SET rule = excluded.rule, address = excluded.address, added_at = excluded.added_at",
                params![sub, key, address, rule.as_str(), now],
            )?;
            Ok(())
        })?;
        Ok(())
    }

    /// Removes the rule for a sender.
    pub fn clear_sender_rule(&self, address: &str) -> Result<(), EngineError> {
        let (sub, key) = (self.inner.subscription.clone(), address_key(address));
        self.inner.store.write(|tx| {
            tx.execute(
                "DELETE FROM origin_filter WHERE subscription = ?1 AND address_key = ?2",
                params![sub, key],
            )?;
            Ok(())
        })?;
        Ok(())
    }

    /// The rule for a sender, if any.
    pub fn sender_rule(&self, address: &str) -> Result<Option<SenderRule>, EngineError> {
        let (sub, key) = (self.inner.subscription.clone(), address_key(address));
        let rule: Option<String> = self.inner.store.read(|c| {
            Ok(c.query_row(
                "SELECT rule FROM origin_filter WHERE subscription = ?1 AND address_key = ?2",
                params![sub, key],
                |r| r.get(0),
            )
            .optional()?)
        })?;
        Ok(match rule.as_deref() {
            Some("block") => Some(SenderRule::Block),
            Some("allow") => Some(SenderRule::Allow),
            _ => None,
        })
    }

    /// Whether a notification may be stored: not from a blocked sender and kept by the app's
    /// filter. A refusal is audited (FILTER-1).
    pub(crate) fn filter_allows(&self, n: &NotificationInfo) -> bool {
        let from = n.from.as_deref().unwrap_or("");
        let blocked =
            !from.is_empty() && matches!(self.sender_rule(from), Ok(Some(SenderRule::Block)));
        let reason = if blocked {
            "blocked_sender"
        } else if !self.inner.platform.keep_notification(n) {
            "filtered_by_app"
        } else {
            return true;
        };
        self.inner.audit.record(AuditEvent {
            at: self.inner.clock.now(),
            area: AuditArea::Filter,
            outcome: AuditOutcome::Rejected,
            reason: reason.into(),
            threat: Some("FILTER-1".into()),
            subject: n.transaction_id.clone(),
            detail: format!("from {from}"),
        });
        false
    }

    /// A sender the user allowed counts as known for auto-download.
    pub(crate) fn sender_allowed(&self, from: &str) -> bool {
        matches!(self.sender_rule(from), Ok(Some(SenderRule::Allow)))
    }
}
