//! Acting on push verdicts: a notification is stored once (duplicates re-acknowledged, never
//! re-downloaded) and downloaded when the verdict and the auto-download policy allow; reports
//! and cancels go to their transactions. And start-up reconciliation, which resumes every
//! transaction from its journal state.

use super::events::Event;
use super::{Engine, crash_point, receive};
use crate::config::AutoDownload;
use crate::error::EngineError;
use crate::store::{Direction, MessageRow, NewMessage, Seen, State};
use mms_decisions::push::{NotificationInfo, PushContent, PushReason, PushVerdict, Verdict};
use serde::Serialize;
use tracing::Instrument;

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

/// Acts on a push verdict: stores notifications (deduplicated), downloads when allowed,
/// matches reports to sent messages, answers cancels.
pub(crate) async fn process(e: &Engine, v: &PushVerdict) {
    let span = tracing::info_span!(
        "push",
        origin = %v.origin,
        kind = ?v.kind,
        verdict = ?v.verdict,
        reason = ?v.reason
    );
    async {
        match &v.content {
            PushContent::Notification(n) if v.verdict != Verdict::Reject => {
                notification(e, v, n).await;
            }
            PushContent::Notification(n) if v.reason == PushReason::Duplicate => {
                // Seen in this run already: answered again if it made a message here.
                if let Ok(Some(existing)) =
                    e.store
                        .notified_by(&e.subscription, &n.transaction_id, &n.content_location)
                {
                    answer_again(e, &existing).await;
                }
            }
            PushContent::Report { raw, .. } => super::reports::handle_report(e, raw),
            PushContent::Cancel {
                transaction_id,
                cancel_id,
            } => {
                super::cancel::handle_cancel(
                    e,
                    transaction_id.as_deref(),
                    cancel_id.as_deref(),
                    v.verdict == Verdict::Accept,
                )
                .await;
            }
            _ => {}
        }
    }
    .instrument(span)
    .await
}

async fn notification(e: &Engine, v: &PushVerdict, n: &NotificationInfo) {
    if !super::filter::allows(e, n) {
        return;
    }
    let sub = e.subscription.clone();
    let now = e.now();
    let auto = v.auto_download && auto_download_allowed(e, n);
    let peers = super::conversation::of_sender(e, n.from.as_deref());
    // Downloaded at once, the notification needs no sync of its own: undone by a power cut
    // before the message is stored (which syncs), the MMSC, never answered, notifies again.
    // Deferred, it is synced before the MMSC is told (NotifyResp Deferred).
    let store_it = |tx: &crate::store::Tx<'_>| match tx.note_notification(
        &sub,
        &n.transaction_id,
        &n.content_location,
        now,
    )? {
        Seen::Before(existing) => Ok(Err(existing)),
        Seen::New => {
            let id = tx.insert_message(
                &NewMessage {
                    subscription: &sub,
                    direction: Direction::In,
                    state: State::Notified,
                    transaction_id: &n.transaction_id,
                    content_location: Some(&n.content_location),
                    from_addr: n.from.as_deref(),
                    subject: n.subject.as_deref(),
                    size: n.size.map(|s| s as i64),
                    expires_at: n.expires_at.map(|e| e as i64),
                    raw_notification: Some(&n.raw),
                    pdu: None,
                    delivery_report: n.delivery_report,
                    read_report: false,
                    peers: Some(&peers),
                },
                now,
            )?;
            Ok(Ok(id))
        }
    };
    let stored = if auto {
        e.store.write_relaxed(store_it)
    } else {
        e.store.write(store_it)
    };
    match stored {
        Ok(Ok(id)) => {
            e.emit(Event::NotificationStored {
                id,
                auto_download: auto,
            });
            crash_point("notified");
            if auto {
                let _ = receive::download(e, id).await;
            } else {
                let _ = receive::defer(e, id).await;
            }
        }
        Ok(Err(Some(existing))) => answer_again(e, &existing).await,
        Ok(Err(None)) => {}
        Err(err) => tracing::warn!(error = %err, "notification not stored"),
    }
}

/// A repeated notification: the MMSC did not hear our answer. A message acknowledged is
/// acknowledged again; one we could not take is refused again; one still in progress gets its
/// answer when it finishes.
async fn answer_again(e: &Engine, existing: &MessageRow) {
    match existing.state {
        State::Acknowledged => {
            let _ = receive::post_ack(
                e,
                &existing.transaction_id,
                existing.deferred,
                existing.content_location.as_deref(),
            )
            .await;
        }
        State::Failed => receive::refuse_again(e, existing).await,
        _ => {}
    }
}

/// The profile's auto-download policy, with the app's answers about roaming and contacts.
fn auto_download_allowed(e: &Engine, n: &NotificationInfo) -> bool {
    match e.profile().auto_download {
        AutoDownload::Always => true,
        AutoDownload::NotWhenRoaming => !e.platform.is_roaming(),
        AutoDownload::KnownContactsOnly => n
            .from
            .as_deref()
            .is_some_and(|f| e.platform.is_known_contact(f) || super::filter::allowed_sender(e, f)),
        AutoDownload::Never => false,
    }
}

/// Resumes every unfinished transaction from its journal state.
pub(crate) async fn reconcile(e: &Engine) -> Result<Reconciled, EngineError> {
    let span = tracing::info_span!("reconcile", subscription = %e.subscription);
    async {
        let mut r = Reconciled::default();
        let s = &e.store;
        let sub = &e.subscription;
        let now = e.now();
        for m in s.in_states(sub, &[State::Queued, State::Submitting, State::RetryWait])? {
            // A retry scheduled for later waits for its time (`run_due_retries`).
            if m.state == State::RetryWait && m.next_attempt_at.is_some_and(|at| at > now) {
                continue;
            }
            let _ = super::send::submit(e, m.id).await;
            r.sends += 1;
        }
        for m in s.in_states(sub, &[State::Downloading])? {
            let _ = receive::download(e, m.id).await;
            r.downloads += 1;
        }
        if e.profile().auto_download != AutoDownload::Never {
            for m in s.in_states(sub, &[State::Notified])? {
                if !m.deferred {
                    let _ = receive::download(e, m.id).await;
                    r.downloads += 1;
                }
            }
        }
        for m in s.in_states(sub, &[State::Delivered])? {
            if receive::acknowledge(e, m.id).await.is_ok() {
                r.acknowledgements += 1;
            }
        }
        for m in s.in_states(sub, &[State::Deleting])? {
            if super::delete::delete(e, m.id).await.is_ok() {
                r.deletions += 1;
            }
        }
        Ok(r)
    }
    .instrument(span)
    .await
}
