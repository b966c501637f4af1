//! Retries as a careful client makes them, over real loopback sockets: `Retry-After` in both of
//! its forms (delta seconds and HTTP date), capped by the profile's `max_retry_after_secs`; a
//! retry due later than an app call may wait (`max_call_wait_secs`) is scheduled rather than
//! slept through, and runs when due (`run_due_retries`, the retry scheduler, reconciliation).

use mms_core::{CarrierProfile, EngineError, State, spawn_retry_scheduler};
use mms_tests::harness::*;
use mock_mmsc::{Fault, FaultOn, MockConfig, MockMmsc};
use std::time::Duration;

const A: &str = "+15556101";
const B: &str = "+15556102";

async fn sender(tag: &str, tune: impl FnOnce(&mut CarrierProfile)) -> (MockMmsc, Phone) {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let mut p = profile(&mmsc.url(), A);
    tune(&mut p);
    let a = phone_with(&mmsc, A, tag, p).await.unwrap();
    mmsc.register(B, None);
    (mmsc, a)
}

/// Sends once; the call must come back (a guard of a minute turns a hang into a failure).
async fn send_once(a: &Phone) -> Result<i64, EngineError> {
    tokio::time::timeout(
        Duration::from_secs(60),
        a.client.send(text_draft(B, None, b"later")),
    )
    .await
    .expect("send() returned instead of waiting out the Retry-After")
}

fn scheduled_at(r: Result<i64, EngineError>) -> (i64, i64) {
    match r {
        Err(EngineError::RetryScheduled { id, at }) => (id, at),
        other => panic!("expected a scheduled retry, got {other:?}"),
    }
}

/// A day-long Retry-After from the MMSC: honoured only up to the profile's cap (an hour by
/// default), and `send` returns at once with the retry scheduled instead of sleeping (before:
/// five minutes per attempt, about a quarter of an hour in all).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_long_retry_after_is_capped_and_scheduled_not_waited_for() {
    let (mmsc, a) = sender("r1", |_| {}).await;
    mmsc.inject(FaultOn::Post, Fault::Http(503, Some(86_400)));
    let before = a.client.now();
    let (id, at) = scheduled_at(send_once(&a).await);
    let default = CarrierProfile::default();
    assert!(
        (before + 3_600..=a.client.now() + 3_600).contains(&at),
        "{at} vs {before}"
    );
    assert_eq!(default.max_retry_after_secs, 3_600);
    let row = a.client.message(id).unwrap().row;
    assert_eq!(row.state, State::RetryWait);
    assert_eq!(row.next_attempt_at, Some(at));
    assert_eq!(a.client.next_retry_at().unwrap(), Some(at));
    // Not due: neither reconciliation nor the app's due-run sends it.
    assert_eq!(a.client.reconcile().await.unwrap().sends, 0);
    assert_eq!(a.client.run_due_retries().await.unwrap(), 0);
    assert_eq!(mmsc.message_count(), 0);
}

/// A Retry-After given as an HTTP date (two hours after the server's Date) is honoured; before,
/// it was ignored and the send retried after the 20 ms backoff.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_after_given_as_an_http_date_is_honoured() {
    let (mmsc, a) = sender("r2", |p| p.max_retry_after_secs = 10_000).await;
    mmsc.inject(FaultOn::Post, Fault::HttpRetryAt(503, 7_200));
    let before = a.client.now();
    let (_, at) = scheduled_at(send_once(&a).await);
    assert!(
        (before + 7_195..=a.client.now() + 7_205).contains(&at),
        "{at} vs {before}"
    );
    assert_eq!(mmsc.message_count(), 0);
}

/// A retry scheduled for a second later is made once due, by the app's call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_retry_is_made_when_due() {
    let (mmsc, a) = sender("r3", |p| p.max_call_wait_secs = 0).await;
    mmsc.inject(FaultOn::Post, Fault::Http(503, Some(1)));
    let (id, at) = scheduled_at(send_once(&a).await);
    while a.client.now() < at {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(a.client.run_due_retries().await.unwrap(), 1);
    assert_eq!(a.client.message(id).unwrap().row.state, State::Sent);
    assert_eq!(a.client.next_retry_at().unwrap(), None);
    assert_eq!(mmsc.message_count(), 1);
}

/// The retry scheduler makes it without any call from the app.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_retry_scheduler_makes_a_scheduled_retry() {
    let (mmsc, a) = sender("r4", |p| p.max_call_wait_secs = 0).await;
    mmsc.inject(FaultOn::Post, Fault::Http(503, Some(1)));
    let (id, _) = scheduled_at(send_once(&a).await);
    let task = spawn_retry_scheduler(a.client.clone());
    let state = eventually("the scheduled send", || {
        let s = a.client.message(id).ok()?.row.state;
        (s == State::Sent).then_some(s)
    })
    .await;
    task.abort();
    assert_eq!(state, Ok(State::Sent));
    assert_eq!(mmsc.message_count(), 1);
}
