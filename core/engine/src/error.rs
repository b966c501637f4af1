//! The engine's errors: [`EngineError`] says exactly what failed (the store, the network, the
//! MMSC's answer, our own encoder, the draft, the profile, the message's state) and
//! [`EngineError::kind`] maps it, in this one place, to the small [`ErrorKind`] the bindings,
//! the CLI and apps branch on.

pub use crate::config::ProfileError;
use crate::store::{State, StoreError};
use crate::transport::TransportError;
use mms_codec::pdu::EncodeError;
use serde::Serialize;

/// The MMSC answered, but not with what the transaction needed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MmscError {
    /// An HTTP status other than success.
    #[error("HTTP {status} on {during}")]
    Http {
        /// The status.
        status: u16,
        /// The request (`M-Send.req`, `retrieval`, ...).
        during: &'static str,
    },
    /// The answer is not a PDU we can read.
    #[error("unreadable {answer}: {reason}")]
    Unreadable {
        /// The answer expected (`M-Send.conf`, `M-Retrieve.conf`, ...).
        answer: &'static str,
        /// Why.
        reason: String,
    },
    /// The answer is a PDU, but not the one expected (another type or transaction, a
    /// mandatory field missing).
    #[error("{detail}")]
    Unexpected {
        /// The answer expected.
        answer: &'static str,
        /// What came instead, as a sentence.
        detail: String,
    },
    /// The MMSC refused with an MMS status.
    #[error("{during} refused: {status}{}", text.as_deref().map(|t| format!(": {t}")).unwrap_or_default())]
    Refused {
        /// The request.
        during: &'static str,
        /// The status label.
        status: String,
        /// Response-Text or Retrieve-Text, if any.
        text: Option<String>,
        /// A later attempt may succeed.
        transient: bool,
    },
    /// Transient failures until the attempts ran out.
    #[error("gave up after {attempts} attempts: {last}")]
    GaveUp {
        /// Attempts made.
        attempts: i64,
        /// The last failure.
        last: String,
    },
    /// The message expired, or the MMSC no longer holds it.
    #[error("message expired or gone: {0}")]
    Gone(String),
}

/// An engine error.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The network failed.
    #[error("transport: {0}")]
    Transport(#[from] TransportError),
    /// The MMSC's answer ended the transaction.
    #[error("MMSC: {0}")]
    Mmsc(#[from] MmscError),
    /// Our own encoder could not write a PDU (a value out of range).
    #[error("encoding: {0}")]
    Encode(#[from] EncodeError),
    /// The draft cannot be sent.
    #[error("invalid draft: {0}")]
    InvalidDraft(String),
    /// The message is larger than the carrier maximum.
    #[error("message of {size} octets exceeds the carrier maximum of {max}")]
    TooLarge {
        /// Encoded size.
        size: u64,
        /// Carrier maximum.
        max: u64,
    },
    /// No such message.
    #[error("no message {0}")]
    NoSuchMessage(i64),
    /// The message is not in a state that allows the operation.
    #[error("message {id}: cannot {operation} in state {state}")]
    WrongState {
        /// Row id.
        id: i64,
        /// What was asked.
        operation: &'static str,
        /// Where the message is.
        state: State,
    },
    /// Another transaction on this message is under way (a download, a send, a deletion).
    #[error("message {0}: another operation on it is in progress")]
    Busy(i64),
    /// The stored message cannot be read back (a stored PDU that no longer decodes).
    #[error("message {id}: {reason}")]
    Unreadable {
        /// Row id.
        id: i64,
        /// Why.
        reason: String,
    },
    /// The carrier profile is unusable.
    #[error("profile: {0}")]
    Profile(#[from] ProfileError),
    /// A transient failure whose retry is due later than the call may wait (the MMSC's
    /// `Retry-After`, or the backoff, exceeds the profile's `max_call_wait_secs`): the message
    /// waits in `RETRY_WAIT` and is retried once due.
    #[error("message {id}: the MMSC asked to try again later; retry scheduled at {at} (Unix time)")]
    RetryScheduled {
        /// Row id.
        id: i64,
        /// When the retry is due, in Unix seconds.
        at: i64,
    },
    /// The message has no part at that index.
    #[error("message {id} has no part {idx}")]
    NoSuchPart {
        /// Row id.
        id: i64,
        /// Part index asked for.
        idx: i64,
    },
    /// A file the app named could not be written.
    #[error("{path}: {reason}")]
    File {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },
    /// The subscription has no MMSC yet (the carrier's settings are neither bundled nor
    /// provisioned): nothing can be sent or fetched until they are.
    #[error("no MMSC is configured for this subscription yet")]
    NotProvisioned,
}

/// The small classification of an [`EngineError`], for UIs and exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The carrier profile is unusable.
    Profile,
    /// The draft is not sendable (no recipient, no content, encoding).
    InvalidMessage,
    /// Larger than the carrier allows, even after shrinking images.
    TooLarge,
    /// No network, a timeout, TLS, or an answer the MMSC should not have given.
    Network,
    /// The MMSC refused the transaction.
    Refused,
    /// No such message, or not in a state for the operation (or busy with another).
    State,
    /// The local database failed.
    Storage,
    /// No such message or part.
    NotFound,
    /// No MMSC configured yet.
    NotProvisioned,
}

impl EngineError {
    /// The small classification of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            EngineError::Profile(_) => ErrorKind::Profile,
            EngineError::InvalidDraft(_) | EngineError::Encode(_) => ErrorKind::InvalidMessage,
            EngineError::TooLarge { .. } => ErrorKind::TooLarge,
            EngineError::Transport(_) | EngineError::RetryScheduled { .. } => ErrorKind::Network,
            EngineError::Mmsc(MmscError::Refused { .. } | MmscError::Gone(_)) => ErrorKind::Refused,
            EngineError::Mmsc(_) => ErrorKind::Network,
            EngineError::NoSuchMessage(_) | EngineError::NoSuchPart { .. } => ErrorKind::NotFound,
            EngineError::NotProvisioned => ErrorKind::NotProvisioned,
            EngineError::File { .. } => ErrorKind::Storage,
            EngineError::WrongState { .. }
            | EngineError::Busy(_)
            | EngineError::Unreadable { .. } => ErrorKind::State,
            EngineError::Store(e) if e.is_conflict() => ErrorKind::State,
            EngineError::Store(_) => ErrorKind::Storage,
        }
    }

    /// True when a later attempt of the same operation may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            EngineError::Transport(t) => t.is_transient(),
            EngineError::Mmsc(MmscError::Refused { transient, .. }) => *transient,
            EngineError::Mmsc(MmscError::Http { status, .. }) => {
                crate::transport::HttpClass::of(*status) == crate::transport::HttpClass::Transient
            }
            EngineError::Busy(_) | EngineError::RetryScheduled { .. } => true,
            _ => false,
        }
    }
}
