//! FILTER-1: sender rules (block / allow) kept per subscription in the store, and the app's
//! message filter hook ([`super::platform::Platform::keep_notification`]). A blocked sender's
//! notifications are dropped before anything is stored or fetched, with an audit row.

use super::Engine;
use crate::error::EngineError;
use crate::store::SenderRule;
use mms_decisions::audit::{AuditArea, AuditEvent, AuditOutcome};
use mms_decisions::push::NotificationInfo;

/// Sets (`Some`) or removes (`None`) the rule for a sender address (any spelling of the
/// number).
pub(crate) fn set_rule(
    e: &Engine,
    address: &str,
    rule: Option<SenderRule>,
) -> Result<(), EngineError> {
    let (sub, key, now) = (e.subscription.clone(), e.address_key(address), e.now());
    e.store.write(|tx| match rule {
        Some(r) => tx.set_sender_rule(&sub, &key, address, r, now),
        None => tx.clear_sender_rule(&sub, &key),
    })?;
    Ok(())
}

/// The rule for a sender, if any.
pub(crate) fn rule(e: &Engine, address: &str) -> Result<Option<SenderRule>, EngineError> {
    Ok(e.store
        .sender_rule(&e.subscription, &e.address_key(address))?)
}

/// Whether a notification may be stored: not from a blocked sender and kept by the app's
/// filter. A refusal is audited (FILTER-1).
pub(crate) fn allows(e: &Engine, n: &NotificationInfo) -> bool {
    let from = n.from.as_deref().unwrap_or("");
    let blocked = !from.is_empty() && matches!(rule(e, from), Ok(Some(SenderRule::Block)));
    let reason = if blocked {
        "blocked_sender"
    } else if !e.platform.keep_notification(n) {
        "filtered_by_app"
    } else {
        return true;
    };
    e.audit.record(AuditEvent {
        at: e.clock.now(),
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
pub(crate) fn allowed_sender(e: &Engine, from: &str) -> bool {
    matches!(rule(e, from), Ok(Some(SenderRule::Allow)))
}
