//! Retries that are due: sends left in `RETRY_WAIT` with the time of their next attempt (a
//! `Retry-After` or a backoff longer than an app call may wait), made when that time comes, by
//! the app ([`MmsClient::run_due_retries`], e.g. from a job scheduler), by the retry scheduler
//! ([`spawn_retry_scheduler`], for daemons) or by start-up reconciliation.

use super::Engine;
use super::client::MmsClient;
use crate::error::EngineError;
use crate::store::State;
use std::time::Duration;
use tokio::task::JoinHandle;

/// Submits every send whose retry is due; returns how many were attempted.
pub(crate) async fn run_due(e: &Engine) -> Result<usize, EngineError> {
    let now = e.now();
    let mut n = 0;
    for m in e.store.in_states(&e.subscription, &[State::RetryWait])? {
        if m.next_attempt_at.is_none_or(|at| at <= now) {
            let _ = super::send::submit(e, m.id).await;
            n += 1;
        }
    }
    Ok(n)
}

/// When the next scheduled retry is due (Unix seconds), if any send waits for one.
pub(crate) fn next_due(e: &Engine) -> Result<Option<i64>, EngineError> {
    Ok(e.store
        .in_states(&e.subscription, &[State::RetryWait])?
        .into_iter()
        .map(|m| m.next_attempt_at.unwrap_or(0))
        .min())
}

/// Runs the client's scheduled retries as they fall due, until the task is aborted: wakes at
/// the next due time (checking at least once a minute, for retries scheduled meanwhile).
pub fn spawn_retry_scheduler(client: MmsClient) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let _ = client.run_due_retries().await;
            let now = client.now();
            let wait = match client.next_retry_at() {
                Ok(Some(at)) => u64::try_from(at.saturating_sub(now))
                    .unwrap_or(0)
                    .clamp(1, 60),
                _ => 60,
            };
            tokio::time::sleep(Duration::from_secs(wait)).await;
        }
    })
}
