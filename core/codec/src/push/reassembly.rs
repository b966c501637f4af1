//! Bounded reassembly of concatenated WAP-push SMS (PUSH-6, PUSH-8): at most
//! [`ReassemblyLimits::max_segments`] segments per message, at most a few pending messages per
//! origin and in total, a timeout, duplicate segments ignored and conflicting (overlapping)
//! ones discarding the message. Memory is bounded by the limits, whatever arrives.

use super::sms::{Concat, SmsSegment};
use serde::Serialize;
use std::collections::{HashMap, VecDeque};

/// Bounds of the reassembler.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReassemblyLimits {
    /// Most segments one message may have.
    pub max_segments: u8,
    /// Most messages being reassembled per origin (new ones beyond are refused).
    pub max_pending_per_origin: usize,
    /// Most messages being reassembled in total (the oldest is dropped beyond).
    pub max_pending_total: usize,
    /// Seconds a partial message is kept.
    pub timeout_secs: u64,
}

impl Default for ReassemblyLimits {
    fn default() -> Self {
        Self {
            max_segments: 8,
            max_pending_per_origin: 4,
            max_pending_total: 64,
            timeout_secs: 600,
        }
    }
}

/// What a segment did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Reassembly {
    /// The message is complete: the WDP datagram.
    Complete {
        /// Origin.
        origin: String,
        /// Destination port.
        dst_port: Option<u16>,
        /// The reassembled user data.
        datagram: Vec<u8>,
    },
    /// More segments are needed.
    Waiting,
    /// The segment repeats one already held (ignored).
    Duplicate,
    /// The segment was refused or made its message be discarded.
    Refused(&'static str),
}

#[derive(Debug)]
struct Pending {
    parts: Vec<Option<Vec<u8>>>,
    received: usize,
    first_seen: u64,
    dst_port: Option<u16>,
}

/// Origin, (16-bit form, reference), segment count, destination port.
type Key = (String, (bool, u16), u8, Option<u16>);

/// The reassembler. Not thread-safe by itself; the push handler holds it behind a lock.
#[derive(Debug, Default)]
pub struct Reassembler {
    limits: ReassemblyLimits,
    pending: HashMap<Key, Pending>,
    order: VecDeque<Key>,
}

impl Reassembler {
    /// A reassembler with the given limits.
    pub fn new(limits: ReassemblyLimits) -> Self {
        Self {
            limits,
            pending: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// Messages currently being reassembled.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Octets currently held.
    pub fn held_bytes(&self) -> usize {
        self.pending
            .values()
            .flat_map(|p| p.parts.iter().flatten())
            .map(Vec::len)
            .sum()
    }

    fn expire(&mut self, now: u64) {
        let timeout = self.limits.timeout_secs;
        let expired: Vec<Key> = self
            .pending
            .iter()
            .filter(|(_, p)| now.saturating_sub(p.first_seen) > timeout)
            .map(|(k, _)| k.clone())
            .collect();
        for k in expired {
            self.remove(&k);
        }
    }

    fn remove(&mut self, k: &Key) {
        self.pending.remove(k);
        self.order.retain(|o| o != k);
    }

    /// Adds a segment at time `now`.
    pub fn push(&mut self, seg: SmsSegment, now: u64) -> Reassembly {
        self.expire(now);
        let Some(Concat {
            reference,
            wide,
            total,
            seq,
        }) = seg.concat
        else {
            return Reassembly::Complete {
                origin: seg.origin,
                dst_port: seg.dst_port,
                datagram: seg.data,
            };
        };
        if total > self.limits.max_segments {
            return Reassembly::Refused("too_many_segments");
        }
        if total == 1 {
            return Reassembly::Complete {
                origin: seg.origin,
                dst_port: seg.dst_port,
                datagram: seg.data,
            };
        }
        let key: Key = (seg.origin.clone(), (wide, reference), total, seg.dst_port);
        if !self.pending.contains_key(&key) {
            let per_origin = self.pending.keys().filter(|k| k.0 == seg.origin).count();
            if per_origin >= self.limits.max_pending_per_origin {
                return Reassembly::Refused("origin_pending_limit");
            }
            while self.pending.len() >= self.limits.max_pending_total {
                match self.order.pop_front() {
                    Some(old) => {
                        self.pending.remove(&old);
                    }
                    None => break,
                }
            }
            self.pending.insert(
                key.clone(),
                Pending {
                    parts: vec![None; usize::from(total)],
                    received: 0,
                    first_seen: now,
                    dst_port: seg.dst_port,
                },
            );
            self.order.push_back(key.clone());
        }
        let Some(p) = self.pending.get_mut(&key) else {
            return Reassembly::Refused("internal");
        };
        let Some(slot) = p.parts.get_mut(usize::from(seq).saturating_sub(1)) else {
            return Reassembly::Refused("segment_out_of_range");
        };
        match slot {
            Some(existing) if *existing == seg.data => return Reassembly::Duplicate,
            Some(_) => {
                self.remove(&key);
                return Reassembly::Refused("conflicting_segment");
            }
            None => {
                *slot = Some(seg.data);
                p.received += 1;
            }
        }
        if p.received < p.parts.len() {
            return Reassembly::Waiting;
        }
        let dst_port = p.dst_port;
        let datagram: Vec<u8> = p.parts.iter().flatten().flatten().copied().collect();
        self.remove(&key);
        Reassembly::Complete {
            origin: key.0,
            dst_port,
            datagram,
        }
    }
}
