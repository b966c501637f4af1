//! One work budget for every decoder. A decode of hostile bytes may spend, on output bytes
//! (text it writes or hands on, even where it only borrows it), nodes (elements, headers, parts),
//! attributes and steps (tokens read), no more than an [`Allowance`]: a base, plus an amount per
//! input octet, up to an absolute ceiling for the [`InputKind`]. Going over is a
//! [`DecodeErrorKind::OverBudget`] naming the limit and the offset where it happened; the decode
//! stops there, having allocated at most what it was allowed.
//!
//! Output is what a compressed format can inflate: one WBXML string-table reference of two
//! octets can name a string of kilobytes, thousands of times. The allowance per input octet is
//! set from the real WBXML documents of the shared interop corpus (Mozilla's SI, SL and OMA CP
//! test documents): the worst ratio of text handed on (names, values, content) to input octets
//! measured there is 3.2x, on a 6-octet empty CP document; the largest real documents, the
//! Chunghwa and ProvCont appendix C provisioning documents of about 500 octets, expand 2.6x and
//! 2.7x (`cargo test -p mms-codec --test codec budget -- --nocapture` prints every ratio). So
//! 8x per octet (2.5 times the worst real ratio) plus 4 KiB: real documents fit with room to
//! spare, and an adversarial one stops at a bound a phone barely notices (a 64 KiB push: at most
//! 516 KiB of text).
//!
//! The same budget, per input kind:
//!
//! | kind | output | nodes | attributes | steps | ceiling of output |
//! | --- | --- | --- | --- | --- | --- |
//! | push (WSP, SI, SL, SIA) | 4 KiB + 8/octet | 64 + 1/octet | 64 + 1/octet | 256 + 4/octet | 1 MiB |
//! | provisioning document | 4 KiB + 8/octet | 64 + 1/octet | 64 + 1/octet | 256 + 4/octet | 2 MiB |
//! | message part (SMIL, XHTML, text) | 4 KiB + 2/octet | 64 + 1/8 octet | 64 + 1/8 octet | 256 + 4/octet | 4 MiB |
//! | PDU | 4 KiB + 2/octet | 64 + 1/octet | 64 + 1/octet | 256 + 4/octet | 4 MiB |
//!
//! Nodes, attributes and steps have ceilings too (see [`InputKind::allowance`]). A structure
//! needs at least one octet per node on the wire, so the per-octet rates cost nothing real.

use crate::pdu::error::{DecodeError, DecodeErrorKind};
use serde::Serialize;

/// What a decode spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Costs {
    /// Octets of text written or handed on.
    pub output: u64,
    /// Elements, headers, parts, text nodes.
    pub nodes: u64,
    /// Attributes.
    pub attributes: u64,
    /// Tokens read.
    pub steps: u64,
}

impl Costs {
    fn get(&self, limit: Limit) -> u64 {
        match limit {
            Limit::Output => self.output,
            Limit::Nodes => self.nodes,
            Limit::Attributes => self.attributes,
            Limit::Steps => self.steps,
        }
    }

    fn get_mut(&mut self, limit: Limit) -> &mut u64 {
        match limit {
            Limit::Output => &mut self.output,
            Limit::Nodes => &mut self.nodes,
            Limit::Attributes => &mut self.attributes,
            Limit::Steps => &mut self.steps,
        }
    }
}

/// One of the four limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Octets of text.
    Output,
    /// Nodes.
    Nodes,
    /// Attributes.
    Attributes,
    /// Steps.
    Steps,
}

impl Limit {
    /// The limit's name.
    pub fn name(self) -> &'static str {
        match self {
            Limit::Output => "output",
            Limit::Nodes => "nodes",
            Limit::Attributes => "attributes",
            Limit::Steps => "steps",
        }
    }
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::fmt::Display for InputKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            InputKind::Push => "push",
            InputKind::Provisioning => "provisioning",
            InputKind::MessagePart => "message part",
            InputKind::Pdu => "PDU",
        })
    }
}

/// The kinds of hostile input, each with its allowance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// A WAP push and what it carries (WSP headers, SI, SL, SIA).
    Push,
    /// An OMA Client Provisioning document.
    Provisioning,
    /// A part of a message read as text or markup (SMIL, XHTML, plain text).
    MessagePart,
    /// An MMS PDU.
    Pdu,
}

/// A budget's shape: `base + per_octet * len`, at most `ceiling`, for each limit. Rates are in
/// sixteenths of a unit per octet so that fractions (one node per eight octets) are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Allowance {
    /// What any input may spend.
    pub base: Costs,
    /// What each input octet adds, in sixteenths.
    pub per_octet_16ths: Costs,
    /// The most any input may spend.
    pub ceiling: Costs,
}

impl Allowance {
    /// What an input of `len` octets may spend.
    pub fn for_len(&self, len: usize) -> Costs {
        let len = len as u64;
        let one = |l: Limit| {
            let grown = self
                .base
                .get(l)
                .saturating_add(len.saturating_mul(self.per_octet_16ths.get(l)) / 16);
            grown.min(self.ceiling.get(l))
        };
        Costs {
            output: one(Limit::Output),
            nodes: one(Limit::Nodes),
            attributes: one(Limit::Attributes),
            steps: one(Limit::Steps),
        }
    }
}

const KIB: u64 = 1024;
const MIB: u64 = 1024 * 1024;

impl InputKind {
    /// The allowance of this kind of input (the table in the module docs).
    pub fn allowance(self) -> Allowance {
        let base = Costs {
            output: 4 * KIB,
            nodes: 64,
            attributes: 64,
            steps: 256,
        };
        let (per_octet_16ths, ceiling) = match self {
            InputKind::Push | InputKind::Provisioning => (
                Costs {
                    output: 8 * 16,
                    nodes: 16,
                    attributes: 16,
                    steps: 4 * 16,
                },
                Costs {
                    output: if self == InputKind::Push {
                        MIB
                    } else {
                        2 * MIB
                    },
                    nodes: 16 * KIB,
                    attributes: 16 * KIB,
                    steps: MIB,
                },
            ),
            InputKind::MessagePart => (
                Costs {
                    output: 2 * 16,
                    nodes: 2,
                    attributes: 2,
                    steps: 4 * 16,
                },
                Costs {
                    output: 4 * MIB,
                    nodes: 64 * KIB,
                    attributes: 64 * KIB,
                    steps: 8 * MIB,
                },
            ),
            InputKind::Pdu => (
                Costs {
                    output: 2 * 16,
                    nodes: 16,
                    attributes: 16,
                    steps: 4 * 16,
                },
                Costs {
                    output: 4 * MIB,
                    nodes: 64 * KIB,
                    attributes: 64 * KIB,
                    steps: 16 * MIB,
                },
            ),
        };
        Allowance {
            base,
            per_octet_16ths,
            ceiling,
        }
    }
}

/// Heap a decode may hold per node it was allowed (the element, its name and its place in its
/// parent's list, with the growth slack of that list).
pub const HEAP_PER_NODE: u64 = 256;
/// Heap a decode may hold per attribute it was allowed.
pub const HEAP_PER_ATTRIBUTE: u64 = 128;
/// Heap any decode may hold whatever its input (tables, small buffers).
pub const HEAP_BASE: u64 = 64 * KIB;

impl Allowance {
    /// The peak heap a decode of `len` octets may reach: [`HEAP_BASE`], plus two copies of the
    /// input (a decoder may copy it once, and its caller may hold it), plus the output allowance
    /// twice (a text may be built, then copied once into its place), plus [`HEAP_PER_NODE`] per
    /// node and [`HEAP_PER_ATTRIBUTE`] per attribute allowed. The fuzz targets measure every
    /// decode against it with a counting allocator (`mms_fuzzing::heap`).
    pub fn heap_for_len(&self, len: usize) -> u64 {
        let c = self.for_len(len);
        HEAP_BASE
            .saturating_add((len as u64).saturating_mul(2))
            .saturating_add(c.output.saturating_mul(2))
            .saturating_add(c.nodes.saturating_mul(HEAP_PER_NODE))
            .saturating_add(c.attributes.saturating_mul(HEAP_PER_ATTRIBUTE))
    }
}

/// What one decode may still spend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Budget {
    kind: InputKind,
    allowed: Costs,
    used: Costs,
}

impl Budget {
    /// The budget of an input of `kind` and `len` octets.
    pub fn for_input(kind: InputKind, len: usize) -> Self {
        Self {
            kind,
            allowed: kind.allowance().for_len(len),
            used: Costs::default(),
        }
    }

    /// Spends `amount` of `limit`; past the allowance, an error naming the limit at `offset`.
    pub fn charge(&mut self, limit: Limit, amount: u64, offset: usize) -> Result<(), DecodeError> {
        let used = self.used.get_mut(limit);
        *used = used.saturating_add(amount);
        let allowed = self.allowed.get(limit);
        if *used > allowed {
            return Err(DecodeError::new(
                offset,
                DecodeErrorKind::OverBudget {
                    input: self.kind,
                    limit,
                    allowed,
                },
            ));
        }
        Ok(())
    }

    /// What was spent so far.
    pub fn used(&self) -> Costs {
        self.used
    }

    /// What may be spent in all.
    pub fn allowed(&self) -> Costs {
        self.allowed
    }

    /// The kind of input.
    pub fn kind(&self) -> InputKind {
        self.kind
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn allowance_grows_with_the_input_up_to_its_ceiling() {
        let a = InputKind::Push.allowance();
        assert_eq!(a.for_len(0).output, 4096);
        assert_eq!(a.for_len(1000).output, 4096 + 8_000);
        assert_eq!(a.for_len(10_000_000).output, MIB);
        assert_eq!(
            InputKind::MessagePart.allowance().for_len(800).nodes,
            64 + 100
        );
    }

    #[test]
    fn over_budget_names_the_limit_and_the_offset() {
        let mut b = Budget::for_input(InputKind::Push, 0);
        assert!(b.charge(Limit::Output, 4096, 1).is_ok());
        let e = b.charge(Limit::Output, 1, 7).unwrap_err();
        assert_eq!(e.offset, 7);
        assert_eq!(
            e.kind,
            DecodeErrorKind::OverBudget {
                input: InputKind::Push,
                limit: Limit::Output,
                allowed: 4096
            }
        );
        assert!(e.to_string().contains("output"));
    }
}
