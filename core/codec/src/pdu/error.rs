//! Typed decode and encode errors, and the warnings a tolerant decode attaches to its result.

use serde::Serialize;
use std::fmt;

/// Why a decode failed. Every variant is reported together with the byte offset
/// (see [`DecodeError`]) at which the problem was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DecodeErrorKind {
    /// The input ended where `needed` more octets were required.
    #[error("unexpected end of input: need {needed} octets, {available} left")]
    UnexpectedEnd {
        /// Octets the field needs.
        needed: u64,
        /// Octets that remain.
        available: u64,
    },
    /// A length field declares more octets than remain in the enclosing buffer.
    #[error("declared length {declared} exceeds the {remaining} octets that remain")]
    LengthOverrun {
        /// The declared length.
        declared: u64,
        /// Octets remaining in the enclosing window.
        remaining: u64,
    },
    /// A uintvar longer than 5 octets, or one that does not fit in 32 bits.
    #[error("uintvar longer than 5 octets or above 2^32-1")]
    UintvarTooLong,
    /// A Long-integer longer than 8 octets (does not fit in 64 bits) or of length 0.
    #[error("long-integer of {0} octets (must be 1..=8)")]
    BadLongInteger(u8),
    /// A string that is not terminated by NUL before its window ends.
    #[error("unterminated string")]
    UnterminatedString,
    /// An octet that cannot start the value expected here.
    #[error("invalid {what}: octet 0x{octet:02x}")]
    InvalidOctet {
        /// What was being decoded.
        what: &'static str,
        /// The offending octet.
        octet: u8,
    },
    /// The input is larger than [`super::Limits::max_pdu_size`].
    #[error("input of {size} octets exceeds the limit of {limit}")]
    TooLarge {
        /// Input size.
        size: u64,
        /// Configured limit.
        limit: u64,
    },
    /// More headers than [`super::Limits::max_headers`].
    #[error("more than {0} headers")]
    TooManyHeaders(usize),
    /// More multipart entries than [`super::Limits::max_parts`] (counted over all levels).
    #[error("more than {0} multipart entries")]
    TooManyParts(usize),
    /// More content-type parameters than [`super::Limits::max_params`].
    #[error("more than {0} parameters")]
    TooManyParams(usize),
    /// Nesting (multipart entries, WBXML or XML elements) deeper than allowed.
    #[error("nesting deeper than {0}")]
    TooDeep(usize),
    /// The PDU has no X-Mms-Message-Type header: it is not an MMS PDU.
    #[error("no X-Mms-Message-Type header: not an MMS PDU")]
    NotMms,
    /// A header the PDU type cannot do without is missing.
    #[error("mandatory header {0} missing")]
    MissingHeader(&'static str),
    /// The PDU is of a type that cannot occur where it was found.
    #[error("unexpected message type 0x{0:02x} here")]
    UnexpectedMessageType(u8),
    /// Bytes follow a structure that must end the input.
    #[error("{0} trailing octets")]
    TrailingBytes(u64),
    /// A work budget ran out (see [`crate::budget`]).
    #[error("over the {limit} budget of a {input} input ({allowed} allowed)")]
    OverBudget {
        /// The kind of input.
        input: crate::budget::InputKind,
        /// The limit that ran out.
        limit: crate::budget::Limit,
        /// What the input was allowed.
        allowed: u64,
    },
    /// More attributes on one element than markup may carry (see [`crate::xml`]).
    #[error("more than {0} attributes on one element")]
    TooManyAttributes(u64),
    /// More entity or character references than markup of this size may carry.
    #[error("more than {0} entity references")]
    TooManyReferences(u64),
}

/// A decode failure: what went wrong and the absolute byte offset where it was detected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{kind} at offset {offset}")]
pub struct DecodeError {
    /// Absolute offset into the decoded input.
    pub offset: usize,
    /// What went wrong.
    pub kind: DecodeErrorKind,
}

impl DecodeError {
    /// Builds an error at `offset`.
    pub fn new(offset: usize, kind: DecodeErrorKind) -> Self {
        Self { offset, kind }
    }
}

/// Something a tolerant decode skipped or repaired. The PDU still decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Absolute offset where the problem starts.
    pub offset: usize,
    /// The header field code (0x00..0x7f, without the high bit) involved, if any.
    pub field: Option<u8>,
    /// A human-readable description.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field {
            Some(field) => write!(
                f,
                "offset {}: header 0x{:02x}: {}",
                self.offset,
                field | 0x80,
                self.message
            ),
            None => write!(f, "offset {}: {}", self.offset, self.message),
        }
    }
}

/// Why an encode failed: the model holds a value the wire format cannot carry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// A text value contains a NUL octet, which terminates strings on the wire.
    #[error("text for {0} contains a NUL octet")]
    NulInText(&'static str),
    /// A value does not fit the wire representation (e.g. a length above 2^32-1).
    #[error("value out of range for {0}")]
    OutOfRange(&'static str),
    /// A header field code above 0x7f, or a short-integer above 0x7f.
    #[error("invalid code for {0}")]
    InvalidCode(&'static str),
}
