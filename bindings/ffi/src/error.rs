//! The errors the bindings throw: small enums with the variants a UI acts on. Each is made
//! from the core's rich error by one `From` (for the client, through
//! [`mms_core::EngineError::kind`], the core's one mapping).

use mms_core::{EngineError, ErrorKind};

/// Errors of the client, small and stable, each with a message a UI can show.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ClientError {
    /// The carrier profile cannot be used.
    #[error("profile: {reason}")]
    Profile {
        /// Why.
        reason: String,
    },
    /// The draft cannot be sent (no recipients, too large...).
    #[error("invalid message: {reason}")]
    InvalidMessage {
        /// Why.
        reason: String,
    },
    /// The network or the MMSC failed.
    #[error("network: {reason}")]
    Network {
        /// Why.
        reason: String,
    },
    /// No such message, or not in a state that allows the operation.
    #[error("state: {reason}")]
    State {
        /// Why.
        reason: String,
    },
    /// The local store failed.
    #[error("storage: {reason}")]
    Storage {
        /// Why.
        reason: String,
    },
}

impl From<EngineError> for ClientError {
    fn from(e: EngineError) -> Self {
        let reason = e.to_string();
        match e.kind() {
            ErrorKind::Profile => ClientError::Profile { reason },
            ErrorKind::InvalidMessage | ErrorKind::TooLarge => {
                ClientError::InvalidMessage { reason }
            }
            ErrorKind::Network | ErrorKind::Refused => ClientError::Network { reason },
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

/// Errors of the link gate.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum LinkError {
    /// The confirmation was refused (unknown, used, expired or for another link).
    #[error("link not confirmed: {reason}")]
    NotConfirmed {
        /// Why.
        reason: String,
    },
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
