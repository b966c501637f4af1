//! The errors the bindings throw: small enums with the variants a UI acts on. Each is made
//! from the core's rich error by one `From` (for the client, through
//! [`mms_core::EngineError::kind`], the core's one mapping).

use mms_core::{EngineError, ErrorKind};

/// Errors of the client, small and stable, each with a message a UI can show. Branch on the
/// variant; the `reason` is for people.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ClientError {
    /// The carrier profile cannot be used.
    #[error("profile: {reason}")]
    Profile {
        /// Why.
        reason: String,
    },
    /// No MMSC is configured for this SIM yet: ask the user for the carrier's settings (or wait
    /// for them over the air).
    #[error("not provisioned: {reason}")]
    NotProvisioned {
        /// Why.
        reason: String,
    },
    /// What the app passed cannot be used (no recipient, no content, a bad address).
    #[error("invalid input: {reason}")]
    InvalidInput {
        /// Why.
        reason: String,
    },
    /// The message is larger than the carrier allows, even with its images shrunk.
    #[error("too large: {size} octets, the carrier allows {max}")]
    TooLarge {
        /// The message's size, in octets.
        size: u64,
        /// The carrier's maximum.
        max: u64,
    },
    /// The network or the MMSC failed (`transient`: trying again later may work; the library
    /// retries sends by itself).
    #[error("network: {reason}")]
    Network {
        /// Why.
        reason: String,
        /// A later attempt may succeed.
        transient: bool,
    },
    /// No such message, or no such part.
    #[error("not found: {reason}")]
    NotFound {
        /// Why.
        reason: String,
    },
    /// The message is not in a state that allows the operation (or another one is under way).
    #[error("state: {reason}")]
    State {
        /// Why.
        reason: String,
    },
    /// The local store failed (or a file the app named could not be written).
    #[error("storage: {reason}")]
    Storage {
        /// Why.
        reason: String,
    },
    /// The library's own runtime failed to run the call (it is shutting down).
    #[error("internal: {reason}")]
    Internal {
        /// Why.
        reason: String,
    },
}

impl From<EngineError> for ClientError {
    fn from(e: EngineError) -> Self {
        let reason = e.to_string();
        if let EngineError::TooLarge { size, max } = e {
            return ClientError::TooLarge { size, max };
        }
        match e.kind() {
            ErrorKind::Profile => ClientError::Profile { reason },
            ErrorKind::NotProvisioned => ClientError::NotProvisioned { reason },
            ErrorKind::InvalidMessage | ErrorKind::TooLarge => ClientError::InvalidInput { reason },
            ErrorKind::Network | ErrorKind::Refused => ClientError::Network {
                transient: e.is_transient(),
                reason,
            },
            ErrorKind::NotFound => ClientError::NotFound { reason },
            ErrorKind::State => ClientError::State { reason },
            ErrorKind::Storage => ClientError::Storage { reason },
        }
    }
}

impl From<mms_core::ProfileError> for ClientError {
    fn from(e: mms_core::ProfileError) -> Self {
        EngineError::from(e).into()
    }
}

/// Errors of the stateless codec helpers.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum CodecError {
    /// The bytes are not a valid PDU; `offset` is where decoding stopped.
    #[error("malformed at offset {offset}: {reason}")]
    Malformed {
        /// Octet offset.
        offset: u64,
        /// What was wrong.
        reason: String,
    },
}

/// Why the app's transport failed.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum TransportFailure {
    /// No connection (no MMS network, refused, DNS).
    #[error("connect: {reason}")]
    Connect {
        /// Why.
        reason: String,
    },
    /// Timed out.
    #[error("timeout: {reason}")]
    Timeout {
        /// Why.
        reason: String,
    },
    /// The exchange broke off.
    #[error("dropped: {reason}")]
    Dropped {
        /// Why.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for TransportFailure {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        TransportFailure::Dropped { reason: e.reason }
    }
}

impl From<TransportFailure> for mms_core::TransportError {
    fn from(e: TransportFailure) -> Self {
        match e {
            TransportFailure::Connect { reason } => mms_core::TransportError::Connect(reason),
            TransportFailure::Timeout { .. } => mms_core::TransportError::Timeout,
            TransportFailure::Dropped { reason } => mms_core::TransportError::Dropped(reason),
        }
    }
}

/// Why a link was not released.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum LinkError {
    /// No such confirmation token was issued (or it was forgotten).
    #[error("unknown confirmation token")]
    UnknownToken,
    /// The token was already used: a link is released once per confirmation.
    #[error("confirmation token already used")]
    AlreadyUsed,
    /// The confirmation came too late; ask again.
    #[error("confirmation token expired")]
    Expired,
    /// The token was issued for another message or link.
    #[error("confirmation token was issued for another link")]
    Mismatch,
    /// The message named does not exist, or the store failed.
    #[error("{reason}")]
    Client {
        /// Why.
        reason: String,
    },
}

impl From<mms_core::links::ConfirmError> for LinkError {
    fn from(e: mms_core::links::ConfirmError) -> Self {
        use mms_core::links::ConfirmError as C;
        match e {
            C::UnknownToken => LinkError::UnknownToken,
            C::AlreadyUsed => LinkError::AlreadyUsed,
            C::Expired => LinkError::Expired,
            C::Mismatch => LinkError::Mismatch,
        }
    }
}

/// Errors of provisioning.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ProvisioningFailure {
    /// The document was refused (code, threat, detail).
    #[error("provisioning refused: {code} ({threat}): {reason}")]
    Refused {
        /// Reason code.
        code: String,
        /// Threat ID.
        threat: String,
        /// Detail.
        reason: String,
    },
    /// The push carried no provisioning document.
    #[error("not a provisioning push: {reason}")]
    NotProvisioning {
        /// The push verdict's reason.
        reason: String,
    },
}

impl From<mms_core::provisioning::ProvisioningError> for ProvisioningFailure {
    fn from(e: mms_core::provisioning::ProvisioningError) -> Self {
        match e {
            mms_core::provisioning::ProvisioningError::NotProvisioning(reason) => {
                ProvisioningFailure::NotProvisioning {
                    reason: reason.to_string(),
                }
            }
            e => ProvisioningFailure::Refused {
                code: e.code().into(),
                threat: e.threat().into(),
                reason: e.to_string(),
            },
        }
    }
}
