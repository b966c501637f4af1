//! Flood control for pushes (PUSH-6): a token bucket per origin (trusted origins get their own,
//! larger allowance) and one shared by every untrusted origin, whose exhaustion pauses
//! auto-download for a cool-down; and duplicate suppression by transaction id and location.
//! Every table is bounded by the policy: the oldest entries are forgotten first.

use super::policy::PushPolicy;
use serde::Serialize;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: u64,
}

impl Bucket {
    fn full(burst: u32, now: u64) -> Self {
        Self {
            tokens: f64::from(burst),
            last: now,
        }
    }

    fn take(&mut self, now: u64, burst: u32, per_sec: f64) -> bool {
        let elapsed = now.saturating_sub(self.last) as f64;
        self.tokens = (self.tokens + elapsed * per_sec).min(f64::from(burst));
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Sizes of the validator's state, for tests and monitoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ValidatorStats {
    /// Origins tracked.
    pub tracked_origins: usize,
    /// Duplicate-suppression entries.
    pub dedupe_entries: usize,
    /// True while auto-download is paused by a flood.
    pub flooded: bool,
}

/// The bounded state behind flood control.
#[derive(Debug, Default)]
pub(crate) struct FloodState {
    origins: HashMap<String, Bucket>,
    origin_order: VecDeque<String>,
    global: Option<Bucket>,
    flooded_until: u64,
    /// `tid NUL location`: a serialised URL holds no NUL (it would be percent-encoded), so the
    /// last NUL splits the key and no two pairs share one. One allocation, shared with the
    /// eviction order.
    seen: HashSet<Arc<str>>,
    seen_order: VecDeque<Arc<str>>,
}

impl FloodState {
    /// Takes a token for `origin` (already normalised) and, for an untrusted origin, one from
    /// the shared bucket; false when either is empty. An empty shared bucket starts the
    /// cool-down during which [`FloodState::flooded`] holds.
    pub(crate) fn admit(
        &mut self,
        p: &PushPolicy,
        origin: String,
        trusted: bool,
        now: u64,
    ) -> bool {
        let (burst, per_hour) = if trusted {
            (p.trusted_burst, p.trusted_per_hour)
        } else {
            (p.origin_burst, p.origin_per_hour)
        };
        let per_sec = f64::from(per_hour) / 3600.0;
        let ok_origin = match self.origins.get_mut(&origin) {
            Some(b) => b.take(now, burst, per_sec),
            None => {
                while self.origins.len() >= p.max_tracked_origins {
                    match self.origin_order.pop_front() {
                        Some(old) => {
                            self.origins.remove(&old);
                        }
                        None => break,
                    }
                }
                let mut b = Bucket::full(burst, now);
                let ok = b.take(now, burst, per_sec);
                self.origin_order.push_back(origin.clone());
                self.origins.insert(origin, b);
                ok
            }
        };
        if !ok_origin {
            return false;
        }
        if !trusted {
            let g = self.global.get_or_insert(Bucket::full(p.global_burst, now));
            if !g.take(now, p.global_burst, f64::from(p.global_per_minute) / 60.0) {
                self.flooded_until = now.saturating_add(p.flood_cooldown_secs);
                return false;
            }
        }
        true
    }

    /// True while auto-download is paused after a flood.
    pub(crate) fn flooded(&self, now: u64) -> bool {
        now < self.flooded_until
    }

    /// Remembers (tid, location); true when it was seen before.
    pub(crate) fn seen_before(&mut self, tid: &str, location: &str, capacity: usize) -> bool {
        let mut key = String::with_capacity(tid.len() + 1 + location.len());
        key.push_str(tid);
        key.push('\0');
        key.push_str(location);
        if self.seen.contains(key.as_str()) {
            return true;
        }
        while self.seen.len() >= capacity {
            match self.seen_order.pop_front() {
                Some(old) => {
                    self.seen.remove(&old);
                }
                None => break,
            }
        }
        let key: Arc<str> = key.into();
        self.seen.insert(key.clone());
        self.seen_order.push_back(key);
        false
    }

    /// Sizes of the state.
    pub(crate) fn stats(&self, now: u64) -> ValidatorStats {
        ValidatorStats {
            tracked_origins: self.origins.len(),
            dedupe_entries: self.seen.len(),
            flooded: self.flooded(now),
        }
    }
}
