//! OTA configuration security: authenticated OMA Client Provisioning (OTA-1 .. OTA-7).
//!
//! Settings change only when the document came on the provisioning push channel from a
//! trusted origin, its SEC/MAC verifies (with an honest statement of how strong that is), the
//! user confirms the pending change, and the change is applied atomically. The document itself
//! is decoded by `mms_codec::provisioning`.

pub mod attempts;
pub mod auth;
pub mod settings;
mod token;
pub mod transaction;

pub use attempts::{AttemptStore, MemoryAttempts};
pub use auth::{
    AuthError, AuthResult, AuthStrength, Credentials, SecMethod, Secret, compute_mac, imsi_key,
    verify,
};
pub use settings::{ApnAuth, MmsSettings, ProxySettings, SettingsError, mms_settings};
pub use transaction::{
    FieldChange, Inspection, MemorySettings, PendingChange, Provisioner, ProvisioningError,
    ProvisioningInput, ProvisioningPolicy, ProvisioningSource, SettingsStore, admission, inspect,
    trusted_set,
};
