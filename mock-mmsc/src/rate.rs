//! Per-subscriber and per-address rate limits (MMSC-2): token buckets, refused with 429 and a
//! Retry-After.

use crate::state::{Shared, now_ms};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A token bucket.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bucket {
    pub(crate) tokens: f64,
    pub(crate) at_ms: u64,
}

impl Shared {
    /// Takes a token from the bucket `key` (MMSC-2); on refusal, the seconds until one is
    /// available.
    pub(crate) fn rate_limit(&self, key: &str, burst: u32, per_minute: u32) -> Result<(), u64> {
        let now = now_ms();
        let Ok(mut d) = self.data.lock() else {
            return Ok(());
        };
        let burst = f64::from(burst.max(1));
        let per_ms = f64::from(per_minute) / 60_000.0;
        let b = d.buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: burst,
            at_ms: now,
        });
        let elapsed = now.saturating_sub(b.at_ms) as f64;
        b.tokens = (b.tokens + elapsed * per_ms).min(burst);
        b.at_ms = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else if per_ms > 0.0 {
            Err(((1.0 - b.tokens) / per_ms / 1000.0).ceil().max(1.0) as u64)
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
