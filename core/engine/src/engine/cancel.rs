//! Cancellation, both ways: the user withdraws a send that has not gone out yet, and the MMSC
//! withdraws a message it notified (M-Cancel.req, answered with M-Cancel.conf).
//!
//! An MMSC's Cancel-ID names the message by its Message-ID once retrieved, but a notification
//! carries no Message-ID, so MMSCs name a pending one by its Content-Location or transaction
//! id; all three are matched. A pending notification is dropped; a message already retrieved
//! is never taken from the user (the app is told, the content stays).
//!
//! A cancel from an untrusted push origin is answered but not acted on: like a notification
//! from such an origin it may be spoofed (plain SMS), so the notification stays and the app is
//! not told of a cancel; an audit row says why. If the MMSC really withdrew the message, the
//! later download finds it gone.

use super::Engine;
use super::events::Event;
use super::receive::post_expecting_ok;
use crate::error::EngineError;
use crate::store::State;
use mms_codec::pdu::CancelStatus;
use mms_codec::pdu::builder::cancel_conf;
use mms_decisions::audit::{AuditArea, AuditEvent, AuditOutcome};
use tracing::Instrument;

/// Withdraws an outgoing message that has not been submitted (`QUEUED` or waiting for a retry):
/// it becomes `CANCELLED` and is never sent. A submission in flight cannot be withdrawn.
pub(crate) fn cancel_send(e: &Engine, id: i64) -> Result<(), EngineError> {
    let now = e.now();
    let changed = e.store.write(|tx| {
        tx.transition(
            id,
            &[State::Queued, State::RetryWait],
            State::Cancelled,
            Some("cancelled by the user"),
            now,
        )
    });
    if let Err(err) = changed {
        return Err(match e.store.message(id)? {
            None => EngineError::NoSuchMessage(id),
            Some(row) if err.is_conflict() => EngineError::WrongState {
                id,
                operation: "cancel",
                state: row.state,
            },
            Some(_) => err.into(),
        });
    }
    tracing::info!(id, state = State::Cancelled.as_str(), "send cancelled");
    e.emit(Event::SendProgress {
        id,
        state: State::Cancelled,
    });
    Ok(())
}

/// Acts on an M-Cancel.req from the MMSC and answers it with M-Cancel.conf. `verified`: the
/// push came from a trusted origin; an unverified cancel changes nothing.
pub(crate) async fn handle_cancel(
    e: &Engine,
    tid: Option<&str>,
    cancel_id: Option<&str>,
    verified: bool,
) {
    let span = tracing::info_span!(
        "cancel",
        tid = tid.unwrap_or(""),
        cancel_id = cancel_id.unwrap_or(""),
        verified
    );
    async {
        let status = match cancel_id.filter(|c| !c.trim().is_empty()) {
            Some(c) => {
                apply_cancel(e, c.trim(), verified);
                CancelStatus::Received
            }
            None => CancelStatus::Corrupted,
        };
        let Some(tid) = tid.filter(|t| !t.is_empty()) else {
            // Nothing to answer: without a transaction id the MMSC cannot match a conf.
            tracing::warn!("M-Cancel.req without a transaction id");
            return;
        };
        let answer = match cancel_conf(tid, status).encode() {
            Ok(pdu) => post_expecting_ok(e, &e.profile().mmsc_url, pdu, "M-Cancel.conf").await,
            Err(err) => Err(err.into()),
        };
        if let Err(err) = answer {
            tracing::warn!(error = %err, "M-Cancel.conf not delivered");
        }
    }
    .instrument(span)
    .await;
}

fn apply_cancel(e: &Engine, cancel_id: &str, verified: bool) {
    let sub = e.subscription.clone();
    let now = e.now();
    let found = e.store.write(|tx| {
        let Some((id, st)) = tx.find_cancel_target(&sub, cancel_id)? else {
            return Ok(None);
        };
        let outcome = if !verified {
            Cancelled::Unverified
        } else if st == State::Cancelled || st == State::Expired {
            Cancelled::AlreadyGone
        } else if st != State::Notified {
            Cancelled::Kept
        } else {
            tx.transition(
                id,
                &[State::Notified],
                State::Cancelled,
                Some("cancelled by the MMSC"),
                now,
            )?;
            Cancelled::Dropped
        };
        Ok(Some((id, outcome)))
    });
    match found {
        Ok(Some((id, Cancelled::Unverified))) => {
            tracing::warn!(id, "cancel from an untrusted origin not applied");
            e.audit.record(AuditEvent {
                at: e.clock.now(),
                area: AuditArea::Push,
                outcome: AuditOutcome::Rejected,
                reason: "cancel_unverified".into(),
                threat: Some("PUSH-5".into()),
                subject: e.subscription.clone(),
                detail: format!("message {id} untouched: the cancel came from an untrusted origin"),
            });
        }
        Ok(Some((id, outcome))) => {
            let retrieved = outcome == Cancelled::Kept;
            tracing::info!(
                id,
                retrieved,
                state = if retrieved {
                    "kept"
                } else {
                    State::Cancelled.as_str()
                },
                "cancelled by the MMSC"
            );
            e.emit(Event::MessageCancelled { id, retrieved });
        }
        Ok(None) => tracing::info!(cancel_id, "cancel for no message we hold"),
        Err(err) => tracing::warn!(error = %err, "cancel not recorded"),
    }
}

/// What a cancel did to the message it named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cancelled {
    /// A pending notification, now `CANCELLED`.
    Dropped,
    /// Already retrieved: the content stays with the user.
    Kept,
    /// Already cancelled or expired.
    AlreadyGone,
    /// Nothing done and the app not told: the cancel's origin is not trusted.
    Unverified,
}
