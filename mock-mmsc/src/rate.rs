//! Per-subscriber and per-address rate limits (MMSC-2): token buckets, refused with 429 and a
//! Retry-After.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A token bucket refilled continuously.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bucket {
    tokens: f64,
    at_ms: u64,
}

impl Bucket {
    /// A full bucket of `burst` tokens at `now_ms`.
    pub(crate) fn full(burst: u32, now_ms: u64) -> Self {
        Self {
            tokens: f64::from(burst.max(1)),
            at_ms: now_ms,
        }
    }

    /// Takes a token at `now_ms`, refilling `per_minute` a minute up to `burst`; on refusal, the
    /// seconds until one is available.
    pub(crate) fn take(&mut self, now_ms: u64, burst: u32, per_minute: u32) -> Result<(), u64> {
        let burst = f64::from(burst.max(1));
        let per_ms = f64::from(per_minute) / 60_000.0;
        let elapsed = now_ms.saturating_sub(self.at_ms) as f64;
        self.tokens = (self.tokens + elapsed * per_ms).min(burst);
        self.at_ms = now_ms;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else if per_ms > 0.0 {
            Err(((1.0 - self.tokens) / per_ms / 1000.0).ceil().max(1.0) as u64)
        } else {
            Err(3600)
        }
    }
}

/// 429 with a Retry-After.
pub(crate) fn too_many(retry_after: u64) -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        [("retry-after", retry_after.to_string())],
    )
        .into_response()
}
