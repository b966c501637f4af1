//! Flood control for pushes (PUSH-6): a token bucket per origin (trusted origins get their own,
//! larger allowance) and one shared by every untrusted origin, whose exhaustion pauses
//! auto-download for a cool-down; and duplicate suppression by transaction id and location.
//! Every table is bounded by the policy: the oldest entries are forgotten first.

use super::policy::PushPolicy;
use serde::Serialize;
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};

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

/// The most duplicate-suppression entries reserved up front (1 MiB of digests); a policy asking
/// for more grows the table past it as entries come.
const MAX_DEDUPE_PRESIZE: usize = 65_536;

/// The bounded state behind flood control.
#[derive(Debug, Default)]
pub(crate) struct FloodState {
    origins: HashMap<String, Bucket>,
    origin_order: VecDeque<String>,
    global: Option<Bucket>,
    flooded_until: u64,
    /// Each (tid, location) pair remembered as a 128-bit digest under two secret per-process
    /// SipHash keys ([`PairDigest`]): no allocation per push, 16 octets per entry, and a pair
    /// an attacker cannot make collide with another without the keys (a false "duplicate"
    /// needs two of 2^128 digests to meet: with 4,096 entries, about 2^-116 per push).
    seen: HashSet<u128, BuildHasherDefault<DigestHasher>>,
    seen_order: VecDeque<u128>,
    digest: PairDigest,
}

/// Two keyed SipHash functions (two `RandomState`s: secret keys drawn for the process, and
/// different from each other), together one 128-bit digest of a (tid, location) pair. Nothing
/// of a digest ever leaves the validator, so an attacker has nothing to search collisions with.
#[derive(Debug, Default)]
struct PairDigest {
    high: RandomState,
    low: RandomState,
}

impl PairDigest {
    fn of(&self, tid: &str, location: &str) -> u128 {
        // `Hash for str` writes a terminator, so ("ab", "c") and ("a", "bc") differ.
        let high = self.high.hash_one((tid, location));
        let low = self.low.hash_one((tid, location));
        (u128::from(high) << 64) | u128::from(low)
    }
}

/// A hasher for keys that are already secret-keyed digests: the low 64 bits serve as the
/// table's hash as they are (an attacker who cannot predict digests cannot aim at buckets).
#[derive(Debug, Default)]
struct DigestHasher(u64);

impl Hasher for DigestHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only reached for keys other than u128, which this table never holds; still a hash.
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u128(&mut self, v: u128) {
        self.0 = v as u64;
    }
}

impl FloodState {
    /// Takes a token for `origin` (already normalised) and, for an untrusted origin, one from
    /// the shared bucket; false when either is empty. An empty shared bucket starts the
    /// cool-down during which [`FloodState::flooded`] holds.
    pub(crate) fn admit(&mut self, p: &PushPolicy, origin: &str, trusted: bool, now: u64) -> bool {
        let (burst, per_hour) = if trusted {
            (p.trusted_burst, p.trusted_per_hour)
        } else {
            (p.origin_burst, p.origin_per_hour)
        };
        let per_sec = f64::from(per_hour) / 3600.0;
        let ok_origin = match self.origins.get_mut(origin) {
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
                self.origin_order.push_back(origin.to_string());
                self.origins.insert(origin.to_string(), b);
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
        let key = self.digest.of(tid, location);
        if self.seen.contains(&key) {
            return true;
        }
        if self.seen.capacity() == 0 {
            // Sized once for the policy's bound (16 octets an entry): never rehashed on the
            // way to it.
            let cap = capacity.min(MAX_DEDUPE_PRESIZE);
            self.seen.reserve(cap);
            self.seen_order.reserve(cap);
        }
        while self.seen.len() >= capacity {
            match self.seen_order.pop_front() {
                Some(old) => {
                    self.seen.remove(&old);
                }
                None => break,
            }
        }
        self.seen.insert(key);
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
